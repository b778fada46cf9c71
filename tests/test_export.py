"""Export: the whole session in one WAV, real espeak-ng speech where the schedule says."""

from __future__ import annotations

import itertools
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from voicecoach.core.routine import Routine
from voicecoach.core.session import Session, SessionSettings
from voicecoach.drivers.export import TAIL, PlacedLine, render_session
from voicecoach.speech_out.profiles import load_voice
from voicecoach.storage.routine_files import resolve_routine


def read_samples(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
        return data.astype(np.float64) / 32768, wav.getframerate()


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0


Exported = tuple[Routine, list[PlacedLine], Path]
"""The routine, its lines as placed, and the WAV they were rendered into."""


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    out = tmp_path_factory.mktemp("export") / "back-pain.wav"
    routine = resolve_routine("back-pain")
    placed = render_session(routine, load_voice("calm"), out)
    return routine, placed, out


def test_length_matches_the_schedule(exported: Exported) -> None:
    routine, placed, out = exported
    samples, rate = read_samples(out)
    profile = load_voice("calm")
    session = Session(routine, 0.0, SessionSettings(speech_seconds=profile.estimate_seconds))
    expected = max(session.total_seconds(), placed[-1].end) + TAIL
    assert len(samples) / rate == pytest.approx(expected, abs=0.1)


def test_lines_are_placed_when_due_and_never_overlap(exported: Exported) -> None:
    _, placed, _ = exported
    texts = [line.text for line in placed]
    assert texts[0].startswith("Exercise one of four: Hip 90/90 Stretch.")
    assert texts[-1] == "That's the whole routine. Well done."
    assert "Rest. Then: Active Hamstring Stretch." in texts
    for before, after in itertools.pairwise(placed):
        assert after.start >= before.end - 1e-6
    for line in placed:
        assert line.start >= line.due
        # A line waits at most for the one before it (the intro's two lines, or a
        # closing count such as "And release." at the same moment as the next step).
        assert line.start - line.due < 15


def test_speech_where_lines_are_and_silence_between(exported: Exported) -> None:
    _, placed, out = exported
    samples, rate = read_samples(out)
    for line in placed:
        chunk = samples[int(line.start * rate): int(line.end * rate)]
        assert rms(chunk) > 0.01, f"silent where it says {line.text!r}"
    gaps = [(a.end + 0.2, b.start - 0.2) for a, b in itertools.pairwise(placed)
            if b.start - a.end > 1.0]
    assert len(gaps) > 50
    for start, end in gaps:
        assert rms(samples[int(start * rate): int(end * rate)]) < 1e-4


def test_export_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "short.wav"
    result = subprocess.run(
        [sys.executable, "-m", "voicecoach", "export", "back-pain", str(out), "--hold", "10",
         "--reps", "3", "--voice", "brisk"],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Wrote" in result.stderr
    samples, rate = read_samples(out)
    assert 4 * 60 < len(samples) / rate < 12 * 60
    assert rms(samples) > 0.005
