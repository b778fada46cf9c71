"""Commands far quieter than the person's: how loud each was, and which are refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.support.speech import compose
from voicecoach.audio.pcm import SAMPLE_RATE, to_pcm16
from voicecoach.core.commands import Command
from voicecoach.speech_in.events import Heard
from voicecoach.speech_in.loudness import FAINT_DB, SAID_AGAIN, LevelHistory, OwnVoice
from voicecoach.speech_in.recognizer import CommandRecognizer, recognize_pcm


def said(command: Command, at: float, level: float | None) -> Heard:
    return Heard(command, command.value, at, 1.0, at - 0.5, at - 0.1, loudness_db=level)


def test_a_command_far_under_the_persons_usual_level_is_refused() -> None:
    voice = OwnVoice()
    assert voice.allow(said(Command.PAUSE, 10.0, -15.0))  # the first sets the level
    assert voice.allow(said(Command.RESUME, 30.0, -17.0))
    assert voice.allow(said(Command.EASIER, 50.0, -15.0 - FAINT_DB + 1))
    assert not voice.allow(said(Command.NEXT, 70.0, -36.0))  # talk across the room
    assert voice.allow(said(Command.HARDER, 90.0, -12.0))  # louder is always taken
    assert voice.allow(said(Command.STOP, 95.0, None))  # no loudness: nothing to judge


def test_the_same_command_said_again_soon_is_taken_and_the_level_follows() -> None:
    voice = OwnVoice()
    for at in (10.0, 30.0, 50.0):
        assert voice.allow(said(Command.PAUSE, at, -12.0))
    assert not voice.allow(said(Command.NEXT, 70.0, -30.0))  # walked off to the far wall
    assert voice.allow(said(Command.NEXT, 70.0 + SAID_AGAIN - 1, -31.0))  # said again
    assert not voice.allow(said(Command.EASIER, 100.0, -30.0))
    assert voice.allow(said(Command.EASIER, 101.0, -30.0))
    assert voice.allow(said(Command.HARDER, 120.0, -30.0))  # now their usual level


def test_a_run_of_different_faint_commands_is_refused() -> None:
    voice = OwnVoice()
    assert voice.allow(said(Command.PAUSE, 10.0, -14.0))
    assert not voice.allow(said(Command.EASIER, 230.5, -36.0))
    assert not voice.allow(said(Command.DONE, 237.1, -34.0))  # not the same one again
    assert not voice.allow(said(Command.DONE, 237.1 + SAID_AGAIN + 1, -34.0))  # too late


def test_level_history_takes_the_loudest_tenth_of_the_blocks() -> None:
    history = LevelHistory(keep=5.0)
    block = int(0.02 * SAMPLE_RATE)
    for k in range(1, 101):  # 2 s: quiet, then 0.2 s at RMS 0.1 (-20 dBFS), then quiet
        loud = 50 < k <= 60
        samples = np.full(block, 0.1 if loud else 0.001, dtype=np.float32)
        history.add(to_pcm16(samples), k * 0.02)
    level = history.level_db(0.9, 1.4)
    assert level is not None and abs(level - (-20.0)) < 0.5
    quiet = history.level_db(0.0, 0.9)
    assert quiet is not None and quiet < -55
    assert history.level_db(10.0, 11.0) is None
    history.add(to_pcm16(np.zeros(block, dtype=np.float32)), 30.0)  # older blocks dropped
    assert history.level_db(0.0, 2.0) is None


@pytest.mark.audio
@pytest.mark.vosk
def test_real_commands_carry_how_loud_they_were_said(model: Path) -> None:
    """Espeak's "pause", then "next" 20 dB fainter (someone across the room), through the
    real model: both are heard, the second 20 dB under the first, and refused."""
    recording = compose([("pause", "en-us"), ("next", "en-gb")], gap=2.0)
    audio = recording.audio.copy()
    faint = recording.placed[1]
    span = slice(int(faint.start * SAMPLE_RATE), int(faint.end * SAMPLE_RATE))
    audio[span] *= 0.1
    events = recognize_pcm(CommandRecognizer(model), to_pcm16(audio))
    heard = [e for e in events if isinstance(e, Heard)]
    assert [e.command for e in heard] == [Command.PAUSE, Command.NEXT]
    loud, quiet = (e.loudness_db for e in heard)
    assert loud is not None and quiet is not None
    assert abs(loud - quiet - 20.0) < 3.0
    voice = OwnVoice()
    assert [voice.allow(e) for e in heard] == [True, False]
