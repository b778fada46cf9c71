"""Commands nobody gave: short remarks a person makes mid-session, none of them a command.

People talk while they stretch: "thank you", "ouch", "come on", "one more", "that feels
good", to themselves or to someone in the room. Each remark below is said by every voice
of ``--voices`` in ``--rooms`` rooms (``benchmarks/rooms.py``: RT60 ``--rt60``, the person
1–3 m away, pink noise ``--snr`` dB below the speech), ``--gap`` seconds apart, through
the recognizer alone (no narrator: these are the gaps). It prints how many remarks came
out as a command, and which (``-v``). The session benchmark has no remarks and does not
count these.

    .venv/bin/python benchmarks/remarks_bench.py                 # dev voices, ~2 min
    .venv/bin/python benchmarks/remarks_bench.py --voices heldout -v
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.rooms import RATE, make_room, noise, reverberate
from benchmarks.voices import VOICE_SETS, speak
from voicecoach.core.commands import parse_phrase
from voicecoach.model_store import default_model_dir
from voicecoach.speech_in.events import Heard
from voicecoach.speech_in.recognizer import CommandRecognizer, recognize_pcm

REMARKS = (
    "okay", "nice", "good", "yes", "no", "ouch", "oh", "hmm", "that's better", "one more",
    "wow", "alright", "thank you", "that feels good", "ah", "phew", "right", "sure",
    "great", "hello", "hi", "what", "oh no", "my back", "almost", "nearly", "ready",
    "here we go", "come on", "let's go", "breathe", "ugh", "yeah", "nope", "fine", "cool",
    "easy", "not yet", "one second", "hang on", "hold it", "keep it", "good job",
    "well done", "that's it", "more", "less", "slowly", "left", "right side", "my knee",
    "my hip", "huh", "sorry", "excuse me", "one", "two", "three", "four", "five", "ten",
)
"""Things a person says that are not commands (none parses as one: checked at start)."""


def track(room_seed: int, rt60: float, voice: str, snr: float | None, gap: float,
          dbfs: float = -20.0, texts: tuple[str, ...] = REMARKS,
          ) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """Each of ``texts`` said by ``voice`` in the room, ``gap`` s apart; (text, start, end)
    of each as it reaches the microphone."""
    room = make_room(room_seed, rt60)
    level = 10 ** (dbfs / 20)
    pieces: list[tuple[int, np.ndarray]] = []
    spans: list[tuple[str, float, float]] = []
    t = 1.0
    for text in texts:
        dry = np.asarray(speak(text, voice), np.float64)
        dry = dry * level / max(float(np.sqrt(np.mean(dry ** 2))), 1e-12)
        pieces.append((int(t * RATE), reverberate(dry.astype(np.float32), room.person_ir)))
        start = t + room.person_delay
        spans.append((text, start, start + len(dry) / RATE))
        t += len(dry) / RATE + gap
    audio = np.zeros(int((t + 1) * RATE), np.float32)
    for first, wet in pieces:
        last = min(len(audio), first + len(wet))
        audio[first:last] += wet[: last - first]
    if snr is not None:
        speech = np.zeros(len(audio), bool)
        for _, begins, ends in spans:
            speech[int(begins * RATE):int(ends * RATE)] = True
        power = float(np.mean(audio[speech].astype(np.float64) ** 2))
        audio += (np.sqrt(power / 10 ** (snr / 10))
                  * noise("pink", len(audio), room_seed, room)).astype(np.float32)
    return audio, spans


def room_arguments(parser: argparse.ArgumentParser, rooms: int, gap: float) -> None:
    """The options of a track of things said in rooms (:func:`track`)."""
    parser.add_argument("--voices", choices=sorted(VOICE_SETS), default="dev")
    parser.add_argument("--rooms", type=int, default=rooms)
    parser.add_argument("--rt60", type=float, default=0.5)
    parser.add_argument("--snr", type=float, default=20.0)
    parser.add_argument("--gap", type=float, default=gap, help="seconds between them")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    room_arguments(parser, rooms=3, gap=3.0)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every command")
    args = parser.parse_args(argv)
    commands = [text for text in REMARKS if parse_phrase(text) is not None]
    if commands:
        raise SystemExit(f"these remarks are commands: {commands}")
    heard: Counter[str] = Counter()
    said = 0
    for index in range(args.rooms):
        for voice in VOICE_SETS[args.voices]:
            audio, spans = track(100 + index, args.rt60, voice, args.snr, args.gap)
            pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes()
            events = recognize_pcm(CommandRecognizer(default_model_dir()), pcm)
            said += len(spans)
            for event in events:
                if not isinstance(event, Heard):
                    continue
                remark = next((text for text, start, end in spans
                               if start - 0.5 <= event.at <= end + args.gap), "?")
                heard[f"{remark!r} -> {event.command.value}"] += 1
                if args.verbose:
                    print(f"  room {index} {voice}: {remark!r} heard as {event.text!r} "
                          f"({event.command.value})")
    total = sum(heard.values())
    print(f"voices {args.voices}; {args.rooms} rooms, RT60 {args.rt60} s; pink noise "
          f"{args.snr:g} dB: {total} commands from {said} remarks "
          f"({100 * total / max(said, 1):.1f} %)")
    for what, count in heard.most_common(8):
        print(f"  {count} x {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
