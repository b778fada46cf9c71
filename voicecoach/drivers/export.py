"""A whole guided session rendered to one audio file (what ``voicecoach export`` writes).

The session runs on a virtual clock; each line is placed at the moment it would be
spoken (or right after the line before it, if that one is still going), silence between.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicecoach.audio.files import write_wav
from voicecoach.audio.pcm import Clip
from voicecoach.core.cues import Say
from voicecoach.core.routine import Routine
from voicecoach.core.session import Session, SessionSettings
from voicecoach.speech_out.profiles import VoiceProfile
from voicecoach.speech_out.tts import Renderer

TICK = 0.05
"""Virtual-clock step, in seconds."""
TAIL = 1.0
"""Silence after the last line."""


@dataclass(frozen=True)
class PlacedLine:
    """A line in the exported audio."""

    text: str
    """What is said."""
    due: float
    """When the engine said it, in seconds from the start."""
    start: float
    """When it starts in the file (>= due)."""
    end: float
    """When it ends in the file."""


def session_lines(session: Session, tick: float = TICK) -> tuple[list[tuple[float, Say]], float]:
    """Every line an uninterrupted session says, with its time, and the session's length."""
    lines: list[tuple[float, Say]] = []
    now = 0.0
    for cue in session.tick(now):
        if isinstance(cue, Say):
            lines.append((now, cue))
    while not session.finished:
        now = round(now + tick, 6)
        lines += [(now, cue) for cue in session.tick(now) if isinstance(cue, Say)]
    return lines, now


def render_session(routine: Routine, profile: VoiceProfile, out: Path) -> list[PlacedLine]:
    """Render ``routine`` spoken in ``profile``'s voice into ``out`` (WAV, mono 16-bit)."""
    renderer = Renderer(profile)
    try:
        session = Session(routine, 0.0, SessionSettings(speech_seconds=profile.estimate_seconds))
        lines, end = session_lines(session)
        placed: list[PlacedLine] = []
        clips: list[Clip] = []
        cursor = 0.0
        rate = 0
        for due, say in lines:
            if not profile.wants(say.kind, say.text):
                continue
            clip = renderer.render(say.text)
            rate = rate or clip.sample_rate
            start = max(due, cursor)
            cursor = start + clip.duration
            placed.append(PlacedLine(say.text, due, start, cursor))
            clips.append(clip)
        total = max(end, cursor) + TAIL
        audio = np.zeros(round(total * rate), dtype=np.int16)
        for line, clip in zip(placed, clips, strict=True):
            first = round(line.start * rate)
            audio[first:first + len(clip.samples)] = clip.samples[: len(audio) - first]
        write_wav(out, Clip(audio, rate))
        return placed
    finally:
        renderer.close()
