"""``benchmarks/record_phrases.py``: a person's takes for the session benchmark, judged and
kept, and one recorded for real through the private sound server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile

from benchmarks.record_phrases import COMMANDS, judge_take, phrases_to_record
from benchmarks.voices import RATE, can_say, trim
from tests.support.pulse import PulseServer, private_pulse_server
from voicecoach.audio.files import read_audio
from voicecoach.core.commands import PHRASES

REPO = Path(__file__).resolve().parents[1]


def tone(seconds: float, level: float = 0.3, quiet: float = 0.5) -> np.ndarray:
    """A take: quiet, a tone as loud as ``level``, quiet again."""
    t = np.arange(int(seconds * RATE)) / RATE
    pad = np.zeros(int(quiet * RATE), np.float32)
    return np.concatenate([pad, (level * np.sin(2 * np.pi * 200 * t)).astype(np.float32), pad])


def test_a_phrase_per_command_or_all_of_them_leaving_out_those_kept(tmp_path: Path) -> None:
    assert phrases_to_record(tmp_path / "new", every=False, again=False) == [
        PHRASES[c][0] for c in COMMANDS]
    assert len(phrases_to_record(tmp_path / "new", every=True, again=False)) == sum(
        len(PHRASES[c]) for c in COMMANDS)
    soundfile.write(tmp_path / "pause.wav", tone(0.4), RATE)
    assert "pause" not in phrases_to_record(tmp_path, every=False, again=False)
    assert "pause" in phrases_to_record(tmp_path, every=False, again=True)


def test_a_take_is_kept_trimmed_or_sent_back_with_what_to_change() -> None:
    word, problem = judge_take(tone(0.4))
    assert word is not None and problem == ""
    assert len(word) == pytest.approx(0.4 * RATE, abs=0.01 * RATE)
    assert judge_take(tone(0.4, level=1.0))[1].startswith("clipped")
    assert judge_take(tone(0.4, level=0.001))[1].startswith("no word heard")
    assert judge_take(tone(0.05))[1].startswith("no word heard"), "a click is no word"
    assert judge_take(tone(0.4, quiet=0.0))[1].startswith("cut off")


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[PulseServer]:
    with private_pulse_server(tmp_path) as server:
        yield server


@pytest.mark.pulse
def test_a_phrase_said_into_the_microphone_is_kept(pulse: PulseServer, tmp_path: Path) -> None:
    said = tmp_path / "said.wav"
    subprocess.run([shutil.which("espeak-ng") or "espeak-ng", "-v", "en-us", "-w", str(said),
                    "pause"], check=True)
    folder = tmp_path / "alice"
    child = subprocess.Popen(
        [sys.executable, "benchmarks/record_phrases.py", str(folder), "--seconds", "2.0"],
        cwd=REPO, env=pulse.child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    try:
        assert "phrases into" in child.stdout.readline()
        assert child.stdout.readline() == '[1/9] "pause": press Enter\n'
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline() == "now\n"
        pulse.play_wav_into_mic(said)
        kept = child.stdout.readline()
        _, err = child.communicate("", timeout=30)  # no more takes: it stops, keeping them
    finally:
        if child.poll() is None:
            child.kill()
    assert kept.startswith("  kept pause.wav ("), (kept, err)
    assert "stopped: the phrases recorded so far are kept" in err
    assert child.returncode == 1
    assert can_say(f"rec:{folder}", "pause")
    audio, rate = soundfile.read(folder / "pause.wav")
    word = trim(read_audio(said, RATE))
    assert rate == RATE
    assert len(audio) / rate == pytest.approx(len(word) / RATE, abs=0.05), (
        "the take is the word, trimmed of the quiet around it")
    assert len(audio) < 0.75 * len(read_audio(said, RATE))


def test_with_no_microphone_it_says_so_before_asking_for_anything(tmp_path: Path) -> None:
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-sound-server"}
    done = subprocess.run(
        [sys.executable, "benchmarks/record_phrases.py", str(tmp_path / "alice")], cwd=REPO,
        env=env, input="\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("record_phrases: no microphone to record from: ")
    assert "give --device" in done.stderr
    assert not (tmp_path / "alice").exists()
