"""Hands-free at any moment: whole simulated sessions with commands said at random moments.

A person in a room says ordinary commands every 20–30 s through a whole session of a
routine (pause then resume a few seconds later, repeat, easier, harder, next, back or
previous, done; stop at the end), whenever the moment comes: over the narrator, during
its counts, in the gaps. The session runs in ``voicecoach.drivers.simulate`` (the real
engine, narrator voice and listener, on audio time). The microphone hears:

* the person, through the room's impulse response (pyroomacoustics image-source model,
  living-room sizes, RT60 0.3–0.8 s, the person 1–3 m away: ``benchmarks/rooms.py``),
  loudness falling with distance from ``--speech-dbfs`` at 1 m;
* noise at ``--snr`` dB below the person's speech: steady pink, a fan, or other people
  talking (babble of espeak-ng voices that are in no voice set);
* the narrator's echo: through a small loudspeaker (soft clipping, band-pass), the room's
  speaker-to-microphone response (speaker 0.3 m from the microphone) and an output/input
  latency of 20–120 ms that the app is never told, at ``--echo`` gain: 0.5 is a laptop's
  own speaker and microphone, 0.1 what a good echo canceller leaves.

The voices (``--voices``; ``benchmarks/voices.py`` says why each set is what it is):
``heldout`` (Festival; headline figures, never tune on it), ``dev`` (flite; develop on
it), ``tuning`` (espeak-ng voices the listener was tuned on).

Each phrase is scored after the run, by where it fell in what the narrator actually
played (lines queue and are cut, so the timeline is read from the run, not planned):
*over narration* (it overlaps an instruction, an announcement or any other non-count
line), *during counts* (otherwise, a count line such as "Five." or "Hold for twenty
seconds." plays within 1 s of it), *in a gap* (the rest). A phrase is *obeyed* when the
engine gets its command between the phrase's start and 2.5 s after its end (or the next
phrase); latency is from the end of the phrase's last word at the microphone to the end
of the 20 ms block that delivered the command. A command that comes later (up to 15 s
after a missed phrase saying it) is listed as *too late*; every other command the engine
got is a *command nobody gave*. Listener CPU is the recognizer's thread CPU time over the audio
seconds of the session.

    .venv/bin/python benchmarks/session_bench.py --quick            # ~2 min of CPU
    .venv/bin/python benchmarks/session_bench.py --rt60 0 --snr none --echo 0
    .venv/bin/python benchmarks/session_bench.py --rt60 0.5 --snr 20 --echo 0.5 --runs 2
    .venv/bin/python benchmarks/session_bench.py --voices dev --noise fan --rooms 3 -v
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.rooms import (
    LIVE_CREEP_PPM,
    MEASURED_FILES,
    NOISE_KINDS,
    RATE,
    EchoPath,
    Loudspeaker,
    Room,
    make_room,
    measured_room,
    measured_rooms,
    noise,
    reverberate,
)
from benchmarks.session_sim import PlayedLine, SessionRun, run_session
from benchmarks.voices import VOICE_SETS, can_say, recorded_voices, recording_name, speak
from voicecoach.core.commands import PHRASES, Command

MODEL = Path(__file__).resolve().parent.parent / "models" / "vosk-model-small-en-us-0.15"
BLOCK = 320
"""Samples per microphone block in ``simulate`` (20 ms)."""
SAID = (Command.PAUSE, Command.REPEAT, Command.EASIER, Command.HARDER, Command.NEXT,
        Command.BACK, Command.DONE)
"""Commands said at random moments (each pause is followed by a resume)."""
SPACING = (20.0, 30.0)
"""Seconds between one command and the next."""
RESUME_AFTER = (3.0, 8.0)
"""Seconds from a pause to the person's resume."""
WINDOW = 2.5
"""Seconds after a phrase's end within which its command counts as obeyed."""
LOOK_AFTER = 8.0
"""Seconds after a missed phrase's end in which the report looks for what was heard."""
LATE_LIMIT = 15.0
"""A command this long after a missed phrase saying it is that phrase obeyed late (not
obeyed, and not a command nobody gave)."""
COUNT_NEARBY = 1.0
"""A phrase this close to a count line is said during counts."""
CLASSES = ("narration", "counts", "gaps")
SLOW = 0.3
"""Obeyed phrases slower than this (seconds) are listed with ``-v``."""
RAW_ECHO = 0.3
"""An echo this loud or louder is a raw microphone's: no canceller in the sound server."""


@dataclass(frozen=True)
class Said:
    """One phrase the person said, as it reached the microphone."""

    text: str
    voice: str
    command: Command
    start: float
    end: float
    """End of the last word's direct sound at the microphone (audio seconds)."""


@dataclass(frozen=True)
class Outcome:
    """What became of one phrase."""

    said: Said
    moment: str
    """"narration", "counts", "gaps", or "after the end" (the session had ended)."""
    line: str
    """The narrator line nearest to it, for the report."""
    obeyed: bool
    latency: float | None
    heard: list[str]
    """What the log shows in the phrase's window: rejections, self-hearing drops,
    commands."""


@dataclass(frozen=True)
class RunScore:
    """One session's figures."""

    label: str
    outcomes: list[Outcome]
    false_commands: list[str]
    late_commands: list[str]
    """Commands given too late to count as obeyed (the phrase counts as missed)."""
    cpu: float
    audio: float
    finished: bool


# --- the person's side --------------------------------------------------------------------


def plan(rng: np.random.Generator, talk_until: float) -> list[tuple[float, Command]]:
    """When the person starts each command: one every 20–30 s, a resume 3–8 s after each
    pause, stop at the end. Commands come from a shuffled bag, so each is said as often."""
    bag: list[Command] = []
    moments: list[tuple[float, Command]] = []
    t = float(rng.uniform(5.0, 15.0))
    while t < talk_until:
        if not bag:
            bag = list(rng.permutation(np.array(SAID, dtype=object)))
        command = bag.pop()
        moments.append((t, command))
        if command is Command.PAUSE:
            t += float(rng.uniform(*RESUME_AFTER))
            moments.append((t, Command.RESUME))
        t += float(rng.uniform(*SPACING))
    moments.append((t, Command.STOP))
    return moments


def person_track(room: Room, moments: list[tuple[float, Command]], voices: tuple[str, ...],
                 speech_dbfs: float, rng: np.random.Generator) -> tuple[np.ndarray, list[Said]]:
    """The person's phrases through ``room``, as the microphone hears them, and where."""
    order = [str(v) for v in rng.permutation(np.array(voices, dtype=object))]
    level = 10 ** (speech_dbfs / 20)
    pieces: list[tuple[int, np.ndarray]] = []
    said: list[Said] = []
    for k, (at, command) in enumerate(moments):
        voice = order[k % len(order)]
        phrases = [text for text in PHRASES[command] if can_say(voice, text)]
        text = str(rng.choice(np.array(phrases, dtype=object)))
        dry = np.asarray(speak(text, voice), np.float64)
        dry = dry * level / max(float(np.sqrt(np.mean(dry**2))), 1e-12)
        wet = reverberate(dry.astype(np.float32), room.person_ir)
        begin = int(at * RATE)
        pieces.append((begin, wet))
        start = at + room.person_delay
        said.append(Said(text, voice, command, start, start + len(dry) / RATE))
    length = max(begin + len(wet) for begin, wet in pieces) + 3 * RATE
    audio = np.zeros(length, np.float32)
    for begin, wet in pieces:
        audio[begin:begin + len(wet)] += wet
    return audio, said


def with_noise(audio: np.ndarray, said: list[Said], kind: str, snr: float, seed: int,
               room: Room) -> np.ndarray:
    """``audio`` with ``kind`` noise throughout, ``snr`` dB below the person's speech."""
    spans = np.zeros(len(audio), bool)
    for phrase in said:
        spans[int(phrase.start * RATE): int(phrase.end * RATE)] = True
    power = float(np.mean(audio[spans].astype(np.float64) ** 2))
    scale = float(np.sqrt(power / 10 ** (snr / 10)))
    return (audio + scale * noise(kind, len(audio), seed, room)).astype(np.float32)


# --- scoring ------------------------------------------------------------------------------


def line_kinds(log: list[dict[str, Any]]) -> dict[str, str]:
    """Each spoken text's kind (count, instruction, ...), from the log's line_spoken."""
    return {r["text"]: r["kind"] for r in log if r.get("event") == "line_spoken"}


def moment_of(phrase: Said, played: list[PlayedLine], kinds: dict[str, str]
              ) -> tuple[str, str]:
    """Where ``phrase`` fell: ("narration" | "counts" | "gaps", the nearest line)."""
    overlapping = [line for line in played
                   if line.start <= phrase.end and phrase.start <= line.end]
    talk = [line for line in overlapping if kinds.get(line.text) != "count"]
    if talk:
        return "narration", talk[0].text
    near = [line for line in played if kinds.get(line.text) == "count"
            and line.start - COUNT_NEARBY <= phrase.end
            and phrase.start <= line.end + COUNT_NEARBY]
    if near:
        return "counts", near[0].text
    before = [line for line in played if line.end <= phrase.start]
    return "gaps", (f"{phrase.start - before[-1].end:.1f} s after {before[-1].text!r}"
                    if before else "")


def score(label: str, said: list[Said], run: SessionRun) -> RunScore:
    """Each phrase's outcome, and the commands nobody gave."""
    kinds = line_kinds(run.log)
    used: set[int] = set()
    outcomes: list[Outcome] = []
    for k, phrase in enumerate(said):
        until = phrase.end + WINDOW
        if k + 1 < len(said):
            until = min(until, said[k + 1].start)
        begin = phrase.start - 0.1
        inside = [(i, c) for i, c in enumerate(run.commands) if begin <= c[0] < until]
        right = next(((i, c) for i, c in inside if c[1] == phrase.command.value), None)
        if right is not None:
            used.add(right[0])
        look_until = phrase.end + LOOK_AFTER  # a merged utterance ends with the line
        if k + 1 < len(said):
            look_until = min(look_until, said[k + 1].start)
        heard = [f"{r['event']}: {r.get('heard', '')!r}"
                 + (f" ({r['reason']})" if "reason" in r else "")
                 for r in run.log
                 if begin <= r["t"] < look_until
                 and r.get("event") in ("rejected", "ignored_self", "command")]
        if phrase.start >= run.duration:
            moment, line = "after the end", ""
        else:
            moment, line = moment_of(phrase, run.played, kinds)
        outcomes.append(Outcome(phrase, moment, line, right is not None,
                                None if right is None else right[1][0] - phrase.end, heard))
    false: list[str] = []
    late: list[str] = []
    for i, (t, command, text) in enumerate(run.commands):
        if i in used:
            continue
        missed = [o for o in outcomes if not o.obeyed and o.said.command.value == command
                  and t - LATE_LIMIT <= o.said.end < t]
        if missed:
            late.append(f"{t:.1f}s {command}: {t - missed[-1].said.end:.1f} s after"
                        f" {missed[-1].said.text!r} ended (heard {text!r})")
        else:
            false.append(f"{t:.1f}s {command} (heard {text!r})")
    return RunScore(label, outcomes, false, late, run.listener_cpu, run.duration,
                    run.finished)


# --- one run ------------------------------------------------------------------------------


def one_run(args: argparse.Namespace, room: Room, seed: int, log_dir: Path) -> RunScore:
    """Simulate one session in ``room`` and score it."""
    from voicecoach.core.session import Session
    from voicecoach.storage.routine_files import resolve_routine

    overrides: dict[str, float] = {}
    if args.hold:
        overrides["hold_seconds"] = args.hold
    if args.reps:
        overrides["reps"] = args.reps
    routine = resolve_routine(args.routine, **overrides)
    planned = Session(routine, 0.0).total_seconds()
    talk_until = args.minutes * 60 if args.minutes else 0.75 * planned
    rng = np.random.default_rng([seed, 5])
    moments = plan(rng, talk_until)
    audio, said = person_track(room, moments, voices_of(args.voices), args.speech_dbfs, rng)
    if args.snr is not None:
        audio = with_noise(audio, said, args.noise, args.snr, seed, room)
    speaker = Loudspeaker.draw(seed)
    path = EchoPath(room, speaker, BLOCK, creep_ppm=args.echo_creep) if args.echo > 0 else None
    label = f"{room.describe()}; {speaker.describe()}"
    run = run_session(routine, args.narrator, args.model, audio, args.echo, path,
                      log_dir / f"session-{seed}.jsonl", limit=len(audio) / RATE,
                      app_canceller=app_canceller_on(args), echo_gate=args.echo_gate)
    return score(label, said, run)


def check_measured(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[Path]:
    """The measured rooms ``--room-irs`` names (none without it); a usage error where its
    folder holds none, or a room lacks what the run needs."""
    if args.room_irs is None:
        return []
    if args.rt60 is not None:
        parser.error("--rt60 is for simulated rooms; --room-irs rooms have their own")
    if args.person_distance <= 0:
        parser.error("--person-distance is in metres, more than 0")
    if not args.room_irs.is_dir():
        parser.error(f"--room-irs {args.room_irs}: not a folder")
    found = measured_rooms(args.room_irs)
    if not found:
        parser.error(f"--room-irs {args.room_irs}: no {MEASURED_FILES[0]} in it or in a"
                     " subfolder")
    lacking = [str(room) for room in found if not (room / MEASURED_FILES[1]).is_file()]
    if args.echo > 0 and lacking:
        parser.error(f"no {MEASURED_FILES[1]} (the laptop's speaker to its microphone) for"
                     f" the narrator's echo in: {', '.join(lacking)}; or give --echo 0")
    for room in found:
        try:
            measured_room(room, 0, args.person_distance)
        except (OSError, ValueError) as error:
            parser.error(f"--room-irs: {error}")
    return found


def voice_choice(text: str) -> str:
    """``--voices``: a voice set's name, or a folder of a person's recordings."""
    if text in VOICE_SETS:
        return text
    folder = Path(text)
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a voice set ({', '.join(VOICE_SETS)}) nor a folder")
    voices = recorded_voices(folder)
    if not voices:
        raise argparse.ArgumentTypeError(
            f"{folder}: no recordings (one audio file per phrase, as pause.wav or go-back.wav,"
            " in this folder or in a subfolder per speaker)")
    missing = [f"{voice.partition(':')[2]}: {' or '.join(map(recording_name, PHRASES[c]))}"
               for voice in voices for c in (*SAID, Command.RESUME, Command.STOP)
               if not any(can_say(voice, text) for text in PHRASES[c])]
    if missing:
        raise argparse.ArgumentTypeError(
            "each speaker needs one of each command's phrases; missing:\n  "
            + "\n  ".join(missing))
    unreadable = []
    for voice in voices:
        for phrases in PHRASES.values():
            for phrase in phrases:
                if can_say(voice, phrase):
                    try:
                        speak(phrase, voice)
                    except (OSError, ValueError) as error:  # AudioFormatError, silent
                        unreadable.append(str(error))
    if unreadable:
        raise argparse.ArgumentTypeError(
            "recordings that cannot be used:\n  " + "\n  ".join(unreadable))
    return text


def voices_of(choice: str) -> tuple[str, ...]:
    """The voices ``--voices`` names: a set's, or the speakers in a folder of recordings."""
    return VOICE_SETS[choice] if choice in VOICE_SETS else recorded_voices(Path(choice))


def app_canceller_on(args: argparse.Namespace) -> bool:
    """Whether the app cancels the echo: ``--app-canceller``, or by default when the echo
    is a raw microphone's (a session runs its own canceller where the sound server has
    none; below :data:`RAW_ECHO` the echo is what the server's canceller left)."""
    if args.app_canceller == "auto":
        return bool(args.echo >= RAW_ECHO)
    return bool(args.app_canceller == "on")


# --- the report ---------------------------------------------------------------------------


def ratio(outcomes: list[Outcome]) -> str:
    """"obeyed/said (percent)"."""
    if not outcomes:
        return "-"
    ok = sum(o.obeyed for o in outcomes)
    return f"{ok}/{len(outcomes)} {100 * ok / len(outcomes):.0f}%"


def row(name: str, outcomes: list[Outcome], false: int, cpu: float, audio: float) -> str:
    """One line of the table."""
    latencies = [o.latency for o in outcomes if o.latency is not None]
    cells = [ratio(outcomes)] + [ratio([o for o in outcomes if o.moment == m])
                                 for m in CLASSES]
    p50 = f"{1000 * np.percentile(latencies, 50):.0f}" if latencies else "-"
    p95 = f"{1000 * np.percentile(latencies, 95):.0f}" if latencies else "-"
    return (f"{name:<6}" + "".join(f"{c:>16}" for c in cells) + f"{false:>7}{p50:>7}{p95:>7}"
            + f"{100 * cpu / max(audio, 1e-9):>7.1f}%")


def report(scores: list[RunScore], verbose: bool) -> None:
    """The table, per run and over all runs, then what went wrong."""
    print(f"{'run':<6}" + "".join(f"{c:>16}" for c in ("obeyed", "over narration",
                                                        "during counts", "in gaps"))
          + f"{'false':>7}{'p50ms':>7}{'p95ms':>7}{'CPU':>8}")
    for k, s in enumerate(scores, 1):
        print(row(str(k), s.outcomes, len(s.false_commands), s.cpu, s.audio), flush=True)
    everything = [o for s in scores for o in s.outcomes]
    print(row("all", everything, sum(len(s.false_commands) for s in scores),
              sum(s.cpu for s in scores), sum(s.audio for s in scores)))
    by_command: dict[str, list[Outcome]] = {}
    for o in everything:
        by_command.setdefault(o.said.command.value, []).append(o)
    print("by command: " + ", ".join(f"{c} {ratio(v)}" for c, v in by_command.items()))
    by_voice: dict[str, list[Outcome]] = {}
    for o in everything:
        by_voice.setdefault(o.said.voice, []).append(o)
    print("by voice: " + ", ".join(f"{v} {ratio(o)}" for v, o in by_voice.items()))
    late = sum(len(s.late_commands) for s in scores)
    if late:
        print(f"commands obeyed more than {WINDOW} s late (counted as missed): {late}")
    ended = Counter(o.moment for o in everything)["after the end"]
    if ended:
        print(f"said after the session had ended: {ended}")
    unfinished = sum(not s.finished for s in scores)
    if unfinished:
        print(f"sessions still running at the end of the person's track: {unfinished}")
    for k, s in enumerate(scores, 1):
        print(f"run {k}: {s.label}")
        for item in s.false_commands:
            print(f"   nobody said: {item}")
        for item in s.late_commands:
            print(f"   too late: {item}")
        if verbose:
            for o in s.outcomes:
                if not o.obeyed:
                    print(f"   missed {o.said.text!r} ({o.said.voice}) at {o.said.start:.1f}s,"
                          f" {o.moment} {o.line[:60]!r}: {'; '.join(o.heard) or 'nothing'}")
                elif o.latency is not None and o.latency > SLOW:
                    print(f"   slow {o.said.text!r} ({o.said.voice}) at {o.said.start:.1f}s,"
                          f" {o.moment}: {1000 * o.latency:.0f} ms")


def seeds(text: str) -> tuple[int, ...]:
    """``--seed``: "1" or "1,2"."""
    try:
        found = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"seeds are whole numbers, as 1 or 1,2: {text!r}") from None
    if len(set(found)) != len(found):
        raise argparse.ArgumentTypeError(f"a seed given twice: {text!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", type=voice_choice, default="heldout",
                        metavar="SET|FOLDER",
                        help=f"a voice set ({', '.join(VOICE_SETS)}), or a folder of a person's"
                        " recordings: one file per phrase (pause.wav, go-back.wav, ...), a"
                        " subfolder per speaker")
    parser.add_argument("--rooms", type=int, default=1, help="rooms to draw")
    parser.add_argument("--runs", type=int, default=1, help="sessions per room")
    parser.add_argument("--rt60", type=float, default=None,
                        help="seconds; 0 for a dry room; default: drawn from 0.3-0.8")
    parser.add_argument("--room-irs", type=Path, metavar="FOLDER",
                        help="rooms measured, not simulated: impulse responses person.wav"
                        " (to the microphone), speaker.wav (the laptop's speaker to it) and"
                        " optionally others.wav, in FOLDER or a subfolder per room")
    parser.add_argument("--person-distance", type=float, default=2.0, metavar="M",
                        help="metres from the person to the microphone in --room-irs rooms")
    parser.add_argument("--snr", type=lambda s: None if s == "none" else float(s),
                        default=20.0, help="dB below the person's speech, or none")
    parser.add_argument("--noise", choices=NOISE_KINDS, default="pink")
    parser.add_argument("--echo", type=float, default=0.1,
                        help="narrator's level at the microphone: 0.5 raw, 0.1 after a"
                        " canceller, 0 none")
    parser.add_argument("--echo-creep", type=float, default=0.0, metavar="PPM",
                        help="the echo falls behind the app's reference by so many "
                        f"millionths (the live tests' sound server: {LIVE_CREEP_PPM:g})")
    parser.add_argument("--app-canceller", choices=("auto", "on", "off"), default="auto",
                        help="the app cancels the echo itself (auto: with a raw echo, "
                        f">= {RAW_ECHO:g}, as a session where the sound server has none)")
    parser.add_argument("--no-echo-gate", dest="echo_gate", action="store_false",
                        help="turn the residual echo gate off (for comparison)")
    parser.add_argument("--speech-dbfs", type=float, default=-20.0,
                        help="the person's loudness (RMS) at 1 m")
    parser.add_argument("--seed", type=seeds, default=(1,), metavar="N[,N...]",
                        help="one seed, or several pooled into one report (1,2): a change in "
                        "when commands are taken moves one seed's rows by four or more")
    parser.add_argument("--routine", default="back-pain")
    parser.add_argument("--hold", type=float, help="hold seconds (the routine's: 60)")
    parser.add_argument("--reps", type=int, help="reps per set (the routine's: 10)")
    parser.add_argument("--minutes", type=float,
                        help="talk this long, then say stop (default: 3/4 of the session)")
    parser.add_argument("--quick", action="store_true",
                        help="--hold 20 --reps 5 --minutes 6: a few minutes of CPU")
    parser.add_argument("--narrator", default="calm", help="narrator profile")
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--log-dir", type=Path, help="keep the event logs here")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    if args.echo_creep < 0:
        parser.error("--echo-creep makes the echo later: 0 or more")
    measured = check_measured(parser, args)
    if args.quick:
        args.hold, args.reps = args.hold or 20, args.reps or 5
        args.minutes = args.minutes or 6.0
    noise_text = "no noise" if args.snr is None else f"{args.noise} noise {args.snr:g} dB"
    rt60 = "0.3-0.8 s" if args.rt60 is None else ("dry" if args.rt60 == 0 else f"{args.rt60} s")
    if measured:
        rt60 = f"measured in {', '.join(map(str, measured))}"
    in_app = " cancelled in the app" if app_canceller_on(args) else ""
    print(f"voices {args.voices} ({', '.join(voices_of(args.voices))}); RT60 {rt60}; "
          f"{noise_text}; echo {args.echo:g}{in_app}"
          f"{f', creeping {args.echo_creep:g} ppm' if args.echo_creep else ''}"
          f"{'' if args.echo_gate else ', no residual echo gate'}; "
          f"speech {args.speech_dbfs:g} dBFS at 1 m; "
          f"{args.routine} hold {args.hold or 'default'} reps {args.reps or 'default'}; "
          f"seed{'s' if len(args.seed) > 1 else ''} {', '.join(map(str, args.seed))}",
          flush=True)
    started = time.perf_counter()
    scores: list[RunScore] = []
    with tempfile.TemporaryDirectory() as tmp:
        log_dir = args.log_dir or Path(tmp)
        for seed in args.seed:
            for r in range(args.rooms):
                room = (measured_room(measured[r % len(measured)], seed * 1000 + r,
                                      args.person_distance)
                        if measured else make_room(seed * 1000 + r, args.rt60))
                for k in range(args.runs):
                    scores.append(one_run(args, room, seed * 1000 + r * 100 + k, log_dir))
    report(scores, args.verbose)
    print(f"{sum(s.audio for s in scores) / 60:.1f} min of sessions in "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
