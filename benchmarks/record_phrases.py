"""Record a person saying the session benchmark's commands, for ``--voices FOLDER``.

    .venv/bin/python benchmarks/record_phrases.py people/alice          # a phrase per command
    .venv/bin/python benchmarks/record_phrases.py people/alice --all    # every phrase (24)
    .venv/bin/python benchmarks/session_bench.py --voices people --quick --rooms 4

For each phrase: press Enter, then say it when "now" shows (you have ``--seconds``, 2.5).
It is kept as ``FOLDER/<phrase>.wav`` (16 kHz, 16-bit, ``go-back.wav`` for "go back"),
trimmed of the quiet around it. A take with no word in it, clipped, or cut off by the end
of the window is asked for again; a phrase already recorded is left as it is unless
``--again``. Say it as you would from the floor, but record close to the microphone in a
quiet, soft room: the benchmark adds its rooms (or yours, ``--room-irs``) and its noise.
One folder per person, side by side in one parent folder: that parent is ``--voices``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.session_bench import SAID
from benchmarks.voices import RATE, can_say, recording_name, trim
from voicecoach.core.commands import PHRASES, Command

COMMANDS = (*SAID, Command.RESUME, Command.STOP)
"""Every command the session benchmark's person says."""
QUIETEST_DBFS = -50.0
"""A take quieter than this (RMS of its loud part) holds no word."""
SHORTEST = 0.15
"""Seconds: a take's loud part shorter than this is a click, not a word."""
CLIPPED = 0.99
"""A sample this close to full scale: the take is clipped."""


def phrases_to_record(folder: Path, every: bool, again: bool) -> list[str]:
    """The phrases still to record: each command's first (all of them with ``every``),
    leaving out those ``folder`` holds unless ``again``."""
    wanted = [p for c in COMMANDS for p in (PHRASES[c] if every else PHRASES[c][:1])]
    if again or not folder.is_dir():
        return wanted
    voice = f"rec:{folder}"
    return [p for p in wanted if not can_say(voice, p)]


def judge_take(take: np.ndarray) -> tuple[np.ndarray | None, str]:
    """The take trimmed and kept, or None and what to do differently."""
    if float(np.max(np.abs(take), initial=0.0)) >= CLIPPED:
        return None, "clipped: speak a little further from the microphone"
    word = trim(take)
    if len(word) < SHORTEST * RATE or 20 * np.log10(
            max(float(np.sqrt(np.mean(word.astype(np.float64) ** 2))), 1e-12)) < QUIETEST_DBFS:
        return None, "no word heard: speak up, or come closer to the microphone"
    tail = take[-RATE // 10:]
    if float(np.max(np.abs(tail))) > 0.5 * float(np.max(np.abs(word))):
        return None, "cut off at the end of the window: start right after \"now\""
    return word, ""


def microphone_problem(device: str | None) -> str:
    """Why there is nothing to record from ("" when there is a microphone)."""
    from voicecoach.audio.devices import load_sounddevice

    try:
        sd = load_sounddevice()
        sd.query_devices(device, kind="input")
        sd.check_input_settings(device=device, channels=1, dtype="float32", samplerate=RATE)
    except Exception as error:  # ImportError, OSError, PortAudioError, ValueError
        which = (f"input device {device!r} cannot record" if device
                 else "no microphone to record from")
        return (f"{which}: {error}. Plug one in, or give --device (`.venv/bin/python -m"
                " sounddevice` lists them)")
    return ""


def record_take(seconds: float, device: str | None) -> np.ndarray:
    """``seconds`` of the microphone, mono float32 at :data:`RATE`."""
    from voicecoach.audio.devices import load_sounddevice

    sd = load_sounddevice()
    audio = sd.rec(int(seconds * RATE), samplerate=RATE, channels=1, dtype="float32",
                   device=device)
    sd.wait()
    return np.asarray(audio[:, 0], np.float32)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="this person's folder (made if need be)")
    parser.add_argument("--all", dest="every", action="store_true",
                        help="every phrase of each command, not only the first")
    parser.add_argument("--again", action="store_true", help="record phrases already kept")
    parser.add_argument("--seconds", type=float, default=2.5, help="the window for a take")
    parser.add_argument("--device", help="input device (name or number); default: the system's")
    args = parser.parse_args(argv)
    if args.folder.exists() and not args.folder.is_dir():
        parser.error(f"{args.folder}: not a folder")
    todo = phrases_to_record(args.folder, args.every, args.again)
    if not todo:
        print(f"{args.folder}: every phrase is recorded (--again records them anew)")
        return 0
    problem = microphone_problem(args.device)
    if problem:
        print(f"record_phrases: {problem}", file=sys.stderr)
        return 2
    args.folder.mkdir(parents=True, exist_ok=True)
    print(f"{len(todo)} phrases into {args.folder}. For each: press Enter, then say it when"
          " \"now\" shows.", flush=True)
    for k, text in enumerate(todo, 1):
        while True:
            print(f"[{k}/{len(todo)}] \"{text}\": press Enter", flush=True)
            if not sys.stdin.readline():
                print("stopped: the phrases recorded so far are kept", file=sys.stderr)
                return 1
            print("now", flush=True)
            try:
                take = record_take(args.seconds, args.device)
            except Exception as error:  # PortAudioError: the microphone went away
                print(f"record_phrases: the microphone stopped ({error}); the phrases"
                      " recorded so far are kept", file=sys.stderr)
                return 2
            word, problem = judge_take(take)
            if word is not None:
                break
            print(f"  {problem}; once more", flush=True)
        path = args.folder / recording_name(text)
        soundfile.write(path, word, RATE, subtype="PCM_16")
        print(f"  kept {path.name} ({len(word) / RATE:.2f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
