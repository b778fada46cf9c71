"""How long espeak-ng (through pyttsx3) really takes to say coaching lines, per voice profile.

Prints, for each profile: real seconds per word, the ratio of the real duration to the naive
``words / rate * 60``, and how :meth:`VoiceProfile.estimate_seconds` compares (it should be
conservative: ratio estimate/real >= 1 for every line).

Run: .venv/bin/python benchmarks/tts_calibration.py [--rates 120,150,195,220]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

from voicecoach.speech_out.profiles import list_voices
from voicecoach.speech_out.tts import Renderer

LINES = [
    "Lie on your back with your knees bent and your feet flat on the floor.",
    "Slowly bring your right knee towards your chest and hold it there.",
    "Breathe in deeply, and as you breathe out, let your shoulders relax.",
    "Five",
    "Three",
    "One",
    "Twelve",
    "Switch sides.",
    "Halfway there, you are doing great.",
    "Hip ninety ninety stretch. This opens the hips and eases the lower back.",
    "Hold for thirty seconds.",
    "Good.",
    "Ten seconds left.",
    "Keep your lower back pressed gently into the mat while you lift your arms overhead "
    "and reach as far as you comfortably can.",
    "Paused. Say resume when you are ready.",
    "Next up: cat cow.",
    "Rep 7 of 10.",
    "Rest for 15 seconds.",
    "Say help to hear the commands you can use: pause, resume, skip, repeat, easier, stop, "
    "and time left.",
    "About 4 minutes 30 seconds left in this session.",
    "Supine spinal twist, left side.",
    "Let both knees drop slowly to the right, keep both shoulders on the floor, and turn "
    "your head to the left.",
    "Well done, session complete. You stretched for twelve minutes.",
    "Bridge. Press through your heels and lift your hips until your body makes a straight "
    "line from shoulders to knees.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="", help="extra rates to try, e.g. 120,220")
    args = parser.parse_args()
    profiles = list_voices()
    extra = [int(r) for r in args.rates.split(",") if r]
    profiles += [
        dataclasses.replace(p, name=f"{p.name}@{rate}", rate=rate)
        for p in list_voices()
        for rate in extra
    ]
    print(f"{len(LINES)} lines; ratio = real / (words / rate * 60); est = estimate / real")
    for profile in profiles:
        renderer = Renderer(profile)
        started = time.perf_counter()
        rows = []
        for line in LINES:
            real = renderer.render(line).duration
            words = len(line.split())
            rows.append((words, real, real / (words / profile.rate * 60), line))
        per_line = (time.perf_counter() - started) / len(LINES)
        est = [profile.estimate_seconds(line) / real for _, real, _, line in rows]
        long_lines = [real / words for words, real, _, _ in rows if words >= 10]
        print(
            f"{profile.name:>12} ({profile.espeak_voice}, {profile.rate} wpm): "
            f"render {per_line * 1000:.0f} ms/line; "
            f"s/word long lines {statistics.mean(long_lines):.3f} "
            f"(profile says {profile.seconds_per_word:.3f}); "
            f"ratio min {min(r[2] for r in rows):.2f} mean "
            f"{statistics.mean(r[2] for r in rows):.2f} max {max(r[2] for r in rows):.2f}; "
            f"est min {min(est):.2f} mean {statistics.mean(est):.2f} max {max(est):.2f}"
        )
        renderer.close()


if __name__ == "__main__":
    main()
