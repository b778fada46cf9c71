"""Commands said over the narrator, with and without the sound server's echo canceller.

Real time, through a private PulseAudio server: the narrator talks without a break into
the echo canceller's speaker; a loopback carries the speaker into the microphone (the
room's echo, ``--latency-ms`` late); stop and pause phrases are played into the
microphone over the narration. Both the raw microphone and the echo-cancelled one are
recorded and run through the recognizer as the app runs it. Prints, per echo level
(narrator loudness at the microphone relative to the person's voice), how many commands
were understood, and the commands heard that nobody said.

    .venv/bin/python benchmarks/echo_bench.py [--echo-db -6,0,6] [--rounds 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.pulse import PulseServer, start_pulse_server
from tests.support.speech import compose, routine_lines, write_wav
from voicecoach.audio.files import read_audio
from voicecoach.audio.pcm import SAMPLE_RATE, to_pcm16
from voicecoach.core.commands import parse_phrase
from voicecoach.speech_in.echo_cancel import AEC_ARGS, SINK_NAME, SOURCE_NAME, EchoCanceller
from voicecoach.speech_in.events import Heard, Rejected
from voicecoach.speech_in.recognizer import CommandRecognizer, recognize_pcm

MODEL = Path(__file__).resolve().parent.parent / "models" / "vosk-model-small-en-us-0.15"
URGENT_PHRASES = ("stop", "that hurts", "pause", "wait", "hold on")
USER_VOICES = ("en-us", "en-us+f3", "en-gb-scotland")
SPACING = 3.5
"""Seconds between commands."""


def user_track(rounds: int) -> tuple[np.ndarray, list[tuple[float, str]]]:
    """The person's commands at RMS 0.1 (-20 dBFS), one every ``SPACING`` s."""
    said = [(p, v) for _ in range(rounds) for v in USER_VOICES for p in URGENT_PHRASES]
    rec = compose(said, lead=3.0, gap=0.0, tail=2.0, level=0.1)
    audio = np.zeros(int((3.0 + SPACING * len(said) + 2.0) * SAMPLE_RATE), np.float32)
    placed: list[tuple[float, str]] = []
    for k, clip in enumerate(rec.placed):
        piece = rec.audio[int(clip.start * SAMPLE_RATE): int(clip.end * SAMPLE_RATE)]
        at = 3.0 + k * SPACING
        audio[int(at * SAMPLE_RATE): int(at * SAMPLE_RATE) + len(piece)] = piece
        placed.append((at, clip.text))
    return audio, placed


def narration_track(seconds: float, level: float) -> np.ndarray:
    """The narrator talking without a break for ``seconds``, at RMS ``level``."""
    lines = [(text, "en-gb") for text in routine_lines()[:60]]
    rec = compose(lines, lead=0.5, gap=0.25, level=level)
    reps = int(np.ceil(seconds * SAMPLE_RATE / len(rec.audio)))
    return np.tile(rec.audio, reps)[: int(seconds * SAMPLE_RATE)]


def offset_of(recorded: np.ndarray, expected: np.ndarray) -> float:
    """Seconds by which ``expected`` starts late in ``recorded`` (envelope correlation)."""
    hop = SAMPLE_RATE // 100

    def envelope(x: np.ndarray) -> np.ndarray:
        n = len(x) // hop
        e = np.sqrt(np.mean(x[: n * hop].reshape(n, hop) ** 2, axis=1))
        centered: np.ndarray = e - e.mean()
        return centered

    a, b = envelope(recorded), envelope(expected)
    size = len(a) + len(b)
    corr = np.fft.irfft(np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size)), size)
    lag = int(np.argmax(corr[: len(a)]))
    return lag * hop / SAMPLE_RATE


def score(events: list[Heard | Rejected], placed: list[tuple[float, str]], offset: float,
          misses: list[str]) -> tuple[int, int]:
    """(commands understood, commands heard that nobody said); appends each miss."""
    heard = [e for e in events if isinstance(e, Heard)]
    right = false = 0
    windows = [(at + offset - 0.2, at + offset + SPACING - 0.2) for at, _ in placed]
    for (start, until), (_, text) in zip(windows, placed, strict=True):
        got = [h.command for h in heard if start <= h.at < until]
        wanted = parse_phrase(text)
        right += got == [wanted]
        false += sum(command != wanted for command in got)
        if got != [wanted]:
            said = [e.text for e in events if start <= e.at < until]
            misses.append(f"{text!r} -> {said}")
    false += sum(not any(a <= h.at < b for a, b in windows) for h in heard)
    return right, false


def run_level(server: PulseServer, folder: Path, echo_db: float,
              args: argparse.Namespace) -> dict[str, tuple[int, int, int]]:
    """Play one level; returns {"raw": (right, total, false), "cancelled": ...}."""
    voice, placed = user_track(args.rounds)
    narration = narration_track(len(voice) / SAMPLE_RATE, 0.1 * 10 ** (echo_db / 20))
    user_wav = write_wav(folder / "user.wav", voice)
    narration_wav = write_wav(folder / "narration.wav", narration)
    loop = server.pactl("load-module", "module-loopback", "source=speaker.monitor",
                        "sink=mic_feed", f"latency_msec={args.latency_ms}").strip()
    canceller = EchoCanceller(environ=dict(server.child_env()), method=args.aec_method,
                              aec_args=args.aec_args)
    status = canceller.start()
    if not canceller.active:
        raise SystemExit(status)
    seconds = len(voice) / SAMPLE_RATE + 1.0
    try:
        raw = server.record("mic_feed.monitor", folder / "raw.wav", seconds)
        cancelled = server.record(SOURCE_NAME, folder / "cancelled.wav", seconds)
        time.sleep(0.3)
        players = [
            subprocess.Popen(["paplay", f"--device={SINK_NAME}", str(narration_wav)],
                             env=server.child_env()),
            subprocess.Popen(["paplay", "--device=mic_feed", str(user_wav)],
                             env=server.child_env()),
        ]
        for player in players:
            player.wait(timeout=seconds + 30)
        raw.wait()
        cancelled.wait()
    finally:
        canceller.close()
        server.pactl("unload-module", loop)
    offset = offset_of(read_audio(folder / "raw.wav", SAMPLE_RATE), voice + narration)
    results = {}
    for name in ("raw", "cancelled"):
        audio = read_audio(folder / f"{name}.wav", SAMPLE_RATE)
        events = [e for e in recognize_pcm(CommandRecognizer(MODEL), to_pcm16(audio))
                  if isinstance(e, Heard | Rejected)]
        misses: list[str] = []
        right, false = score(events, placed, offset, misses)
        results[name] = (right, len(placed), false)
        if args.verbose and name == "cancelled":
            print(f"   misses at {echo_db:+.0f} dB: " + "; ".join(misses))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--echo-db", default="-6,0,6",
                        help="narrator loudness at the mic relative to the person's voice")
    parser.add_argument("--rounds", type=int, default=1,
                        help=f"each round: {len(URGENT_PHRASES)} phrases x {len(USER_VOICES)}"
                        " voices")
    parser.add_argument("--latency-ms", type=int, default=40, help="the room echo's delay")
    parser.add_argument("--verbose", action="store_true",
                        help="list what was heard instead of each missed command")
    parser.add_argument("--aec-method", default="webrtc", help="webrtc or speex")
    parser.add_argument("--aec-args", default=AEC_ARGS, help="the canceller's options")
    args = parser.parse_args(argv)
    print(f"stop/pause phrases over continuous narration, echo {args.latency_ms} ms late;"
          f" {args.aec_method} canceller: {args.aec_args}")
    print(f"{'echo vs voice':<16}{'raw mic':>14}{'echo cancelled':>18}")
    with tempfile.TemporaryDirectory(prefix="vc-echo-") as tmp:
        server = start_pulse_server(Path(tmp))
        try:
            for echo_db in (float(x) for x in args.echo_db.split(",")):
                folder = Path(tmp) / f"level{echo_db:+.0f}"
                folder.mkdir()
                r = run_level(server, folder, echo_db, args)
                cells = [f"{ok}/{n} ({false} false)" for ok, n, false in r.values()]
                print(f"{echo_db:+.0f} dB{'':<11}{cells[0]:>14}{cells[1]:>18}", flush=True)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
