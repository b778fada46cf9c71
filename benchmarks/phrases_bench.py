"""Every command phrase said in rooms: which phrases a room lets through, and as what.

Each phrase of :data:`voicecoach.core.commands.PHRASES` (or of ``--commands``) is said by
every voice of ``--voices`` in ``--rooms`` rooms, as in ``remarks_bench.py`` (RT60
``--rt60``, the person 1–3 m away, pink noise ``--snr`` dB below the speech, ``--gap``
seconds apart), through the recognizer alone. A phrase counts when exactly one command
comes, the right one, before the next phrase. It prints the share right, the wrong
commands, and the phrases that were lost most (``-v``: every miss and what came instead).
This chose the phrases: "too much" over "too hard" (heard as "harder"), no "quit", no
"speed up" (a "skip" came out as it).

    .venv/bin/python benchmarks/phrases_bench.py                     # dev voices, ~3 min
    .venv/bin/python benchmarks/phrases_bench.py --snr 10 --rooms 6 --commands stop,easier -v
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.remarks_bench import room_arguments, track
from benchmarks.voices import VOICE_SETS
from voicecoach.core.commands import PHRASES, Command
from voicecoach.model_store import default_model_dir
from voicecoach.speech_in.events import Heard, Rejected
from voicecoach.speech_in.recognizer import CommandRecognizer, recognize_pcm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    room_arguments(parser, rooms=4, gap=2.0)
    parser.add_argument("--commands", default="",
                        help="comma-separated commands whose phrases to say (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    wanted = {Command(name) for name in args.commands.split(",") if name} or set(PHRASES)
    meaning = {phrase: command for command, phrases in PHRASES.items() if command in wanted
               for phrase in phrases}
    texts = tuple(meaning)
    lost: Counter[str] = Counter()
    right = said = wrong = 0
    for index in range(args.rooms):
        for voice in VOICE_SETS[args.voices]:
            audio, spans = track(100 + index, args.rt60, voice, args.snr, args.gap,
                                 texts=texts)
            pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes()
            events = recognize_pcm(CommandRecognizer(default_model_dir()), pcm)
            for k, (text, start, _) in enumerate(spans):
                before = spans[k + 1][1] if k + 1 < len(spans) else float("inf")
                came = [e for e in events if start <= e.at < before]
                heard = [e for e in came if isinstance(e, Heard)]
                said += 1
                if len(heard) == 1 and heard[0].command == meaning[text]:
                    right += 1
                    continue
                lost[text] += 1
                wrong += sum(1 for e in heard if e.command != meaning[text])
                if args.verbose:
                    instead = [f"{e.text} ({e.command.value})" for e in heard] + [
                        f"rejected {e.text!r}" for e in came if isinstance(e, Rejected)]
                    print(f"  room {index} {voice}: {text!r} -> "
                          f"{'; '.join(instead) or 'nothing'}")
    print(f"voices {args.voices}; {args.rooms} rooms, RT60 {args.rt60} s; pink noise "
          f"{args.snr:g} dB: {right}/{said} phrases right ({100 * right / max(said, 1):.1f} %)"
          f", {wrong} wrong commands")
    rounds = args.rooms * len(VOICE_SETS[args.voices])
    for text, count in lost.most_common(8):
        print(f"  {text!r}: lost {count} of {rounds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
