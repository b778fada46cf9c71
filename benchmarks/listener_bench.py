"""How well the command recognizer works on real synthetic speech (espeak-ng + Vosk).

Prints, per espeak voice and noise level: command accuracy (exactly one right command per
spoken phrase), latency (emitted minus end of the word, audio time) p50/p95; then false
commands per hour over narration sentences, and CPU per audio second.

    .venv/bin/python benchmarks/listener_bench.py [--noise pink] [--voices en-us,en-gb]
        [--speech-dbfs -20] [--front-end off]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.speech import (
    NARRATION,
    SESSION_LINES,
    VOICES,
    Recording,
    add_noise,
    compose,
    routine_lines,
)
from voicecoach.core.commands import PHRASES
from voicecoach.speech_in.events import Heard
from voicecoach.speech_in.recognizer import CommandRecognizer, recognize_pcm
from voicecoach.speech_in.selfhearing import SelfHearingFilter, SpeechActivity

MODEL = Path(__file__).resolve().parent.parent / "models" / "vosk-model-small-en-us-0.15"
ALL_PHRASES = [(phrase, command) for command, items in PHRASES.items() for phrase in items]


class Meter:
    """Accumulates process CPU time spent recognizing, and audio seconds."""

    def __init__(self, clean_input: bool = True, second_look: bool = True) -> None:
        self.cpu = 0.0
        self.audio = 0.0
        self.clean_input = clean_input
        self.second_look = second_look
        self.second_looks = 0
        """Commands heard by the second look."""

    def run(self, model: Path, rec: Recording) -> list[Heard]:
        """Recognize ``rec`` with a fresh recognizer; returns the commands."""
        recognizer = CommandRecognizer(model, clean_input=self.clean_input,
                                       second_look=self.second_look)
        before = time.process_time()
        events = recognize_pcm(recognizer, rec.pcm())
        self.cpu += time.process_time() - before
        self.audio += rec.seconds
        heard = [e for e in events if isinstance(e, Heard)]
        self.second_looks += sum(h.second_look for h in heard)
        return heard


def score_phrases(meter: Meter, model: Path, voice: str, snr: float | None, noise: str,
                  seed: int, level: float = 0.1,
                  lead: float = 0.6) -> tuple[int, int, list[float], list[str]]:
    """(right, total, latencies, mistakes) for every phrase spoken by ``voice`` at RMS
    ``level`` (linear, 1.0 = full scale), the first ``lead`` seconds in."""
    rec = compose([(phrase, voice) for phrase, _ in ALL_PHRASES], gap=1.5, level=level,
                  lead=lead)
    if snr is not None:
        rec = add_noise(rec, snr, noise, seed=seed)
    heard = meter.run(model, rec)
    right, latencies, mistakes = 0, [], []
    bounds = [p.start for p in rec.placed[1:]] + [rec.seconds + 1]
    for placed, (_, command), until in zip(rec.placed, ALL_PHRASES, bounds, strict=True):
        got = [h for h in heard if placed.start <= h.at < until]
        if [h.command for h in got] == [command]:
            right += 1
            latencies.append(got[0].at - placed.end)
        else:
            mistakes.append(f"{placed.text!r}->{[(h.text, h.confidence) for h in got]}")
    return right, len(ALL_PHRASES), latencies, mistakes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--voices", default=",".join(VOICES[:5]))
    parser.add_argument("--noise", default="pink", help="white, pink or babble")
    parser.add_argument("--narration-minutes", type=float, default=10.0)
    parser.add_argument("--speech-dbfs", type=float, default=-20.0,
                        help="loudness of the spoken commands (RMS); -50 is a quiet, far voice")
    parser.add_argument("--front-end", choices=("on", "off"), default="on",
                        help="off: feed the microphone to Vosk as it is (no noise suppression"
                        " or levelling)")
    parser.add_argument("--second-look", choices=("on", "off"), default="on",
                        help="off: no second decode of bursts the decoder heard as nothing")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure the phrases this many times: each round shifts the speech"
                        " against the 10 ms frames and uses other noise, so a marginal word"
                        " can go either way")
    parser.add_argument("--verbose", action="store_true", help="list every mistake")
    args = parser.parse_args(argv)
    voices = args.voices.split(",")
    level = 10 ** (args.speech_dbfs / 20)
    meter = Meter(clean_input=args.front_end == "on", second_look=args.second_look == "on")
    levels: list[tuple[str, float | None]] = [("clean", None), ("20 dB", 20.0), ("10 dB", 10.0)]
    print(f"commands: {len(ALL_PHRASES)} phrases x {len(voices)} voices at {args.speech_dbfs:g}"
          f" dBFS, noise={args.noise}, front end {args.front_end},"
          f" second look {args.second_look}")
    print(f"{'voice':<16}" + "".join(f"{name:>14}" for name, _ in levels))
    totals = {name: [0, 0] for name, _ in levels}
    lat: dict[str, list[float]] = {name: [] for name, _ in levels}
    for round_ in range(args.rounds):
        for v, voice in enumerate(voices):
            label = voice if args.rounds == 1 else f"{voice} #{round_ + 1}"
            row = f"{label:<16}"
            for name, snr in levels:
                ok, n, latencies, mistakes = score_phrases(
                    meter, args.model, voice, snr, args.noise, seed=v + 100 * round_,
                    level=level, lead=0.6 + 0.0037 * round_)
                totals[name][0] += ok
                totals[name][1] += n
                lat[name] += latencies
                row += f"{ok:>8}/{n:<5}"
                if args.verbose and mistakes:
                    print(f"   {label} {name}: " + "; ".join(mistakes))
            print(row, flush=True)
    print(f"{'right':<16}" + "".join(f"{ok:>8}/{n:<5}" for ok, n in totals.values()))
    print(f"{'accuracy':<16}" + "".join(
        f"{100 * ok / max(n, 1):>13.1f}%" for ok, n in totals.values()))
    print(f"{'latency p50 ms':<16}" + "".join(
        f"{1000 * np.percentile(x, 50):>14.0f}" if x else f"{'-':>14}" for x in lat.values()))
    print(f"{'latency p95 ms':<16}" + "".join(
        f"{1000 * np.percentile(x, 95):>14.0f}" if x else f"{'-':>14}" for x in lat.values()))
    print(f"commands heard by the second look: {meter.second_looks}")

    false_heard: list[str] = []
    narration_seconds = 0.0
    clean_meter = Meter(clean_input=meter.clean_input, second_look=meter.second_look)
    sentences = [*NARRATION, *routine_lines(), *SESSION_LINES]
    k = 0
    while narration_seconds < args.narration_minutes * 60:
        voice = VOICES[k % len(VOICES)]
        lines = [(sentences[(k * 7 + i) % len(sentences)], voice) for i in range(40)]
        rec = compose(lines, gap=0.7, speed=150 + 10 * (k % 3))
        activity = SpeechActivity(keep=1e9)
        for placed in rec.placed:
            activity.line_started(placed.text, placed.start, placed.end)
            activity.line_ended(placed.text, placed.end)
        guard = SelfHearingFilter(activity)
        for h in clean_meter.run(args.model, rec):
            line = next(p.text for p in reversed(rec.placed) if p.start - 0.3 <= h.at)
            dropped = "" if guard.allow(h) else ", dropped by the self-hearing filter"
            false_heard.append(f"{h.text!r} in {line[:40]!r} ({voice}{dropped})")
        narration_seconds += rec.seconds
        k += 1
    per_hour = len(false_heard) * 3600 / max(narration_seconds, 1e-9)
    print(f"narration ({len(sentences)} narrator lines): {narration_seconds / 60:.1f} min,"
          f" false commands {len(false_heard)} = {per_hour:.1f}/hour before the self-hearing"
          f" filter, {sum('dropped' not in x for x in false_heard)} after")
    for item in false_heard:
        print(f"   {item}")
    meter.cpu += clean_meter.cpu
    meter.audio += clean_meter.audio
    print(f"recognizer CPU: {100 * meter.cpu / meter.audio:.1f}% of one core"
          f" (real-time factor {meter.cpu / meter.audio:.3f}, {meter.audio / 60:.1f} min audio)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
