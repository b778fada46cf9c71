"""Frozen events the session engine emits: what to say and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from voicecoach.core.commands import Command


class SayKind(StrEnum):
    """What a spoken line is, so a narrator profile can decide how chatty to be."""

    INSTRUCTION = "instruction"
    """A step of an exercise, read in full."""
    ANNOUNCE = "announce"
    """An exercise's name and purpose, "switch sides", "next up", "paused"."""
    COUNT = "count"
    """Hold countdowns and rep counts."""
    ENCOURAGE = "encourage"
    """Optional chatter ("halfway", "good"): a terse profile may drop it."""
    INFO = "info"
    """Answers to help and time-left."""


@dataclass(frozen=True)
class Say:
    """Speak a line."""

    text: str
    """The words, plain spoken language."""
    kind: SayKind
    """What sort of line it is."""


@dataclass(frozen=True)
class Silence:
    """Cut off speech at once and drop anything queued (pause, stop, skip)."""

    reason: str
    """Why: the command that caused it."""


@dataclass(frozen=True)
class SegmentStarted:
    """The session moved to another segment (intro, step, side switch, rest)."""

    index: int
    """Position in the session's flat list of segments."""
    label: str
    """Human-readable label, e.g. "Hip 90/90 Stretch, right side, step 3"."""


@dataclass(frozen=True)
class CommandHandled:
    """A command reached the engine."""

    command: Command
    """The command."""
    accepted: bool
    """False when it made no sense now (e.g. resume while running)."""


@dataclass(frozen=True)
class Paused:
    """The session froze."""


@dataclass(frozen=True)
class Resumed:
    """The session went on."""

    paused_for: float
    """Seconds it was paused."""


@dataclass(frozen=True)
class VariantChanged:
    """An exercise switched to or from its easier modification."""

    exercise: str
    """The exercise's name."""
    easier: bool
    """True when now on the modification."""


@dataclass(frozen=True)
class Finished:
    """The session ended."""

    stopped: bool
    """True when ended early by "stop"."""


Cue = Say | Silence | SegmentStarted | CommandHandled | Paused | Resumed | VariantChanged | Finished
"""Anything the engine emits."""
