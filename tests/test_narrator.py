"""Narrators without a sound card: captions, timing estimates, and a graceful fallback.

The audio path through a real (private) PulseAudio server is in test_pulse_output.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import narrator_child
from voicecoach.core.cues import SayKind
from voicecoach.speech_out.profiles import load_voice
from voicecoach.speech_out.speaker import CaptionNarrator, Speaker


class Clock:
    """A hand-turned clock for the caption narrator's schedule."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_caption_narrator_shows_lines_and_schedules_them() -> None:
    calm = load_voice("calm")
    clock = Clock()
    printed: list[str] = []
    captions: list[str] = []
    starts: list[tuple[str, float, float]] = []
    ends: list[tuple[str, float]] = []
    narrator: Speaker = CaptionNarrator(
        calm,
        print_fn=printed.append,
        on_caption=captions.append,
        on_line_start=lambda text, start, end: starts.append((text, start, end)),
        on_line_end=lambda text, end: ends.append((text, end)),
        clock=clock,
    )
    narrator.say("Lie on your back.", SayKind.INSTRUCTION)
    narrator.say("Good.", SayKind.ENCOURAGE)
    assert printed == captions == ["Lie on your back.", "Good."]
    assert narrator.audible is False, "the screen says READ, not LISTEN"
    first, second = starts
    assert first[1] == 100.0
    assert first[2] == pytest.approx(100.0 + calm.estimate_seconds("Lie on your back."))
    assert second[1] == first[2], "the second line is scheduled after the first"
    assert ends == [(first[0], first[2]), (second[0], second[2])]

    narrator.silence()
    clock.now = 101.0
    narrator.say("Paused.", SayKind.ANNOUNCE)
    assert starts[-1][1] == 101.0, "silence drops the backlog"
    narrator.close()
    narrator.say("After close.", SayKind.INFO)
    assert printed[-1] == "Paused."


def test_terse_caption_narrator_drops_encouragement() -> None:
    printed: list[str] = []
    narrator = CaptionNarrator(load_voice("brisk"), print_fn=printed.append)
    narrator.say("Halfway there.", SayKind.ENCOURAGE)
    narrator.say("Five", SayKind.COUNT)
    assert printed == ["Five"]


def test_caption_narrator_survives_a_failing_listener() -> None:
    def broken(_text: str) -> None:
        raise RuntimeError("listener bug")

    printed: list[str] = []
    narrator = CaptionNarrator(None, print_fn=printed.append, on_caption=broken)
    narrator.say("Still shown.", SayKind.INFO)
    assert printed == ["Still shown."]


def dead_server_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PULSE_")}
    env["PULSE_SERVER"] = f"unix:{tmp_path}/no-such-socket"
    return env


def test_no_output_device_falls_back_to_captions(tmp_path: Path) -> None:
    """With PulseAudio unreachable and no ALSA card, the narrator reports once and captions."""
    plan = {
        "profile": "brisk",
        "steps": [
            ["say", "Lie on your back.", "instruction"],
            ["say", "Nice work.", "encourage"],
            ["say", "Five", "count"],
            ["silence"],
            ["say", "Paused.", "announce"],
            ["drain", 10],
        ],
    }
    report = narrator_child.run(plan, dead_server_env(tmp_path))
    available, why = report["output_available"]
    assert not available, f"this test needs a machine without a sound card; found: {why}"
    assert why.startswith("no audio output device: connect a sound card")  # not PortAudio's
    assert report["ready"] is False, "wait_ready() says whether lines will be heard"
    assert report["audible"] is False
    assert report["problems"] == [
        "No speaker found: showing captions until one is there. To fix: connect a sound card "
        "or run PulseAudio/PipeWire (with libasound2-plugins for ALSA) to hear the coach"]
    assert report["captions"] == ["Lie on your back.", "Five", "Paused."]
    # Captions make no sound, so they tell the self-hearing filter nothing.
    assert not [event for event in report["events"] if event["event"] == "started"]
    assert [e["ok"] for e in report["events"] if e["event"] == "drained"] == [True]
    assert "Traceback" not in report["stderr"]


def test_unknown_output_device_falls_back_to_captions(tmp_path: Path) -> None:
    plan = {
        "profile": "calm",
        "device": "no such device anywhere",
        "steps": [["say", "Breathe in.", "instruction"], ["drain", 10]],
    }
    report = narrator_child.run(plan, dead_server_env(tmp_path))
    assert report["output_available"][0] is False
    assert report["audible"] is False
    assert len(report["problems"]) == 1
    assert report["captions"] == ["Breathe in."]
