"""The narrator end to end through a real, private PulseAudio server.

The narrator runs in a child process (sounddevice must see ``PULSE_SERVER`` at import) and
plays into the ``speaker`` null sink; the test records ``speaker.monitor``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.support import narrator_child
from tests.support.pulse import (
    RECORD_RATE,
    PulseServer,
    private_pulse_server,
    speech_windows,
    start_pulse_server,
)
from voicecoach.audio.files import write_wav
from voicecoach.speech_out.profiles import load_voice
from voicecoach.speech_out.tts import Renderer

pytestmark = [pytest.mark.pulse, pytest.mark.audio]

LOUD = 300.0
"""RMS (int16) of a 20 ms window that counts as sound; silence records as exact zeros."""
SHORT = "Lie on your back with your knees bent."
LONG = (
    "Keep your lower back pressed gently into the mat while you lift your arms overhead "
    "and reach as far as you comfortably can."
)


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    with private_pulse_server(tmp_path_factory.mktemp("pulse")) as server:
        yield server


def loud_seconds(samples: np.ndarray) -> tuple[float, float, float]:
    """(seconds of sound, first sound, last sound) in a recording, by 20 ms windows."""
    windows = speech_windows(samples, RECORD_RATE, 0.02)
    loud = np.nonzero(windows > LOUD)[0]
    if len(loud) == 0:
        return 0.0, 0.0, 0.0
    return len(loud) * 0.02, loud[0] * 0.02, (loud[-1] + 1) * 0.02


def test_private_server_routes_the_fake_devices(pulse: PulseServer, tmp_path: Path) -> None:
    info = pulse.pactl("info")
    assert "Default Sink: speaker" in info
    assert "Default Source: mic_feed.monitor" in info
    clip = Renderer(load_voice("calm")).render("Testing the microphone feed.")
    wav = tmp_path / "line.wav"
    write_wav(wav, clip)
    recording = pulse.record("mic_feed.monitor", tmp_path / "mic.wav", 60)
    pulse.play_wav_into_mic(wav)
    heard, _, _ = loud_seconds(recording.stop())
    assert heard > 0.5 * clip.duration, "what is played into mic_feed reaches its monitor"


def test_narrator_speaks_into_the_speaker(pulse: PulseServer, tmp_path: Path) -> None:
    plan = {"profile": "calm", "steps": [["say", SHORT, "instruction"], ["wait_ended", 1, 20]]}
    recording = pulse.record_speaker(tmp_path / "speaker.wav", 60)
    report = narrator_child.run(plan, pulse.child_env())
    samples = recording.stop()
    assert report["output_available"][0] is True, report["output_available"]
    assert report["audible"] is True
    assert report["problems"] == []
    started, ended = report["events"]
    assert (started["event"], ended["event"]) == ("started", "ended")
    said_for = ended["t"] - started["t"]
    expected = started["expected_end"] - started["t"]
    assert 0.8 * expected < said_for < expected + 0.5
    heard, _, _ = loud_seconds(samples)
    assert heard > 0.5 * said_for, f"only {heard:.2f} s of sound in {said_for:.2f} s of speech"


def test_the_narrator_is_busy_until_its_last_line_has_been_said(
        pulse: PulseServer, tmp_path: Path) -> None:
    """What a reading waits for: busy from the moment a line is given (before its thread
    has it) until the last one given has played, and again for a line given after."""
    plan = {"profile": "calm", "steps": [
        ["busy"], ["say", SHORT, "instruction"], ["busy"], ["say", "Switch sides.", "announce"],
        ["wait_ended", 1, 20], ["busy"], ["wait_ended", 2, 20], ["sleep", 0.3], ["busy"],
        ["say", "Good.", "instruction"], ["busy"], ["wait_ended", 3, 20], ["sleep", 0.3],
        ["busy"]]}
    report = narrator_child.run(plan, pulse.child_env())
    assert report["audible"] is True, report["problems"]
    busy = [event["busy"] for event in report["events"] if event["event"] == "busy"]
    assert busy == [False, True, True, False, True, False]


def test_silence_cuts_a_long_line_and_speech_goes_on(pulse: PulseServer, tmp_path: Path) -> None:
    plan = {
        "profile": "calm",
        "steps": [
            ["say", LONG, "instruction"],
            ["say", "This line is dropped.", "instruction"],
            ["wait_started", 1, 20],
            ["sleep", 0.3],
            ["silence"],
            ["wait_ended", 1, 5],
            ["sleep", 1.5],
            ["say", "Switch sides.", "announce"],
            ["wait_ended", 2, 10],
        ],
    }
    recording = pulse.record_speaker(tmp_path / "speaker.wav", 60)
    report = narrator_child.run(plan, pulse.child_env())
    samples = recording.stop()
    assert report["problems"] == []
    events = report["events"]
    kinds = [(event["event"], event.get("text")) for event in events]
    assert kinds == [
        ("started", LONG),
        ("silence", None),
        ("ended", LONG),
        ("started", "Switch sides."),
        ("ended", "Switch sides."),
    ]
    long_start, silence, long_end = events[0], events[1], events[2]
    assert long_start["expected_end"] - long_start["t"] > 5.0, "the line is long"
    assert long_end["t"] - silence["t"] < 0.5, "the cut is reported at once, not at its end"

    # The long line is heard for ~0.3 s, then nothing until "Switch sides." 1.5 s later.
    windows = speech_windows(samples, RECORD_RATE, 0.02)
    loud = np.nonzero(windows > LOUD)[0] * 0.02
    assert len(loud) > 0, "nothing was heard"
    first = loud[0]
    cut_part = loud[loud < first + 1.2]
    assert 0.1 < cut_part[-1] - first < 0.3 + 0.25, (
        f"sound went on until {cut_part[-1] - first:.2f} s"
    )
    later = loud[loud >= first + 1.2]
    assert len(later) * 0.02 > 0.3, "the line after the silence was heard"


def test_speech_comes_back_after_the_sound_server_restarts(tmp_path: Path) -> None:
    marks = {name: tmp_path / name for name in ("first-said", "server-gone", "down-said",
                                                 "server-back")}
    plan = {"profile": "brisk", "steps": [
        ["say", SHORT, "instruction"], ["wait_ended", 1, 20], ["touch", str(marks["first-said"])],
        ["wait_path", str(marks["server-gone"]), 30],
        ["say", "Breathe in.", "instruction"],  # the server is gone: a caption
        ["sleep", 0.5], ["touch", str(marks["down-said"])],
        ["wait_path", str(marks["server-back"]), 30],
        ["sleep", 3.2],  # the next try to reopen the output
        ["say", "Switch sides.", "announce"], ["wait_ended", 2, 20],
    ]}
    (tmp_path / "first").mkdir()
    pulse = start_pulse_server(tmp_path / "first")
    child = narrator_child.start(plan, pulse.child_env())
    try:
        wait_path(marks["first-said"])
        pulse.stop()  # the sound server dies between lines
        time.sleep(2.0)  # longer than OUTPUT_STALL_SECONDS
        marks["server-gone"].touch()
        wait_path(marks["down-said"])
        (tmp_path / "again").mkdir()
        with private_pulse_server(tmp_path / "again", runtime=pulse.runtime) as again:
            recording = again.record_speaker(tmp_path / "after.wav", 30)
            marks["server-back"].touch()
            report = narrator_child.report(child, timeout=40)
            samples = recording.stop()
    finally:
        pulse.stop()
        if child.poll() is None:
            child.kill()
            child.wait()
    assert report["problems"][0].startswith("speech lost: the audio output stopped")
    assert report["problems"][1:] == ["speech is back"]
    assert "Breathe in." in report["captions"]
    said = [(e["event"], e["text"]) for e in report["events"]]
    assert said == [("started", SHORT), ("ended", SHORT),
                    ("started", "Switch sides."), ("ended", "Switch sides.")]
    heard, _, _ = loud_seconds(samples)
    assert heard > 0.3, f"only {heard:.2f} s of sound after the restart"


def test_speech_starts_when_a_sound_server_comes_up_after_the_session(tmp_path: Path) -> None:
    """No sound server when the session starts: captions, then speech once one is there."""
    runtime = Path(tempfile.mkdtemp(prefix="vc-pulse-", dir="/tmp"))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PULSE_") and key != "ALSA_CONFIG_PATH"}
    env["PULSE_SERVER"] = f"unix:{runtime / 'native'}"
    marks = {name: tmp_path / name for name in ("captioned", "server-up")}
    plan = {"profile": "brisk", "steps": [
        ["say", "Breathe in.", "instruction"], ["sleep", 0.5], ["touch", str(marks["captioned"])],
        ["wait_path", str(marks["server-up"]), 30],
        ["sleep", 3.2],  # the next try to open the output
        ["say", "Switch sides.", "announce"], ["wait_ended", 1, 20],
    ]}
    child = narrator_child.start(plan, env)
    try:
        wait_path(marks["captioned"])
        (tmp_path / "late").mkdir()
        with private_pulse_server(tmp_path / "late", runtime=runtime) as late:
            recording = late.record_speaker(tmp_path / "after.wav", 30)
            marks["server-up"].touch()
            report = narrator_child.report(child, timeout=40)
            samples = recording.stop()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        shutil.rmtree(runtime, ignore_errors=True)
    assert report["ready"] is False
    assert report["problems"][0].startswith(
        "No speaker found: showing captions until one is there. To fix:"), report
    assert report["problems"][1:] == ["speech is back"]
    assert report["captions"] == ["Breathe in.", "Switch sides."]
    said = [(e["event"], e["text"]) for e in report["events"]]
    assert said == [("started", "Switch sides."), ("ended", "Switch sides.")]
    heard, _, _ = loud_seconds(samples)
    assert heard > 0.3, f"only {heard:.2f} s of sound once the server was up"


def wait_path(path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never happened"
        time.sleep(0.05)
