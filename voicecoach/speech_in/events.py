"""What the speech side tells the rest of the program: one frozen dataclass per event.

The recognizer turns audio into :class:`Heard` (act on it) and :class:`Rejected` (show it,
never act). The live listener adds :class:`Level` (how loud the microphone is) and
:class:`ListenerStatus` (what it is doing, as a :class:`ListenerState`). Front ends take a
:data:`ListenerEvent` and ``match`` on its class.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from voicecoach.core.commands import Command


@dataclass(frozen=True)
class Heard:
    """A command was said."""

    command: Command
    text: str
    """What was recognized, e.g. "next one"."""
    at: float
    """Audio time at which the command was emitted (end of the chunk that fired it)."""
    confidence: float
    """Lowest word confidence of the utterance, 0..1."""
    start: float | None = None
    """Audio time the utterance began, when known."""
    end: float | None = None
    """Audio time the utterance's last word ended, when known."""
    second_look: bool = False
    """Heard by :mod:`voicecoach.speech_in.second_look`, after the first decoder heard nothing."""
    shares_narration: bool = False
    """Completed by words the narrator was saying then ("hold" of "hold on" said over
    "Hold for twenty seconds."): obeyed only on evidence that the person spoke."""
    loudness_db: float | None = None
    """How loud the utterance was as the recognizer got it, dBFS (:mod:`.loudness`)."""


class RejectReason(StrEnum):
    """Why something said is not acted on (the value is what logs and screens show)."""

    NOT_A_COMMAND = "not a command"
    EXTRA_WORDS = "extra words"
    """A command with other speech around it ("lower back pain")."""
    LOW_CONFIDENCE = "low confidence"
    NARRATOR_SAID_IT = "narrator said it"
    """The microphone heard the narrator say a command word."""
    FAINT = "fainter than your commands"
    """Far quieter than the person's commands: someone else in the room."""


@dataclass(frozen=True)
class Rejected:
    """Something was said that is not acted on."""

    text: str
    """What was recognized; "…" stands for words outside the grammar."""
    at: float
    reason: RejectReason


RecognitionEvent = Heard | Rejected
"""What the recognizer finds in audio."""


@dataclass(frozen=True)
class Level:
    """Microphone loudness, a few times a second."""

    rms_dbfs: float
    lift_db: float = 0.0
    """How much the front end currently lifts speech (a quiet, far voice)."""


class ListenerState(StrEnum):
    """What the listener is doing."""

    STARTING = "starting"
    """Not heard from yet."""
    LISTENING = "listening"
    IGNORING = "ignoring"
    """The narrator is speaking and the listener cannot tell the person from its echo (it
    has no record of what the speaker plays): only stop and pause are taken."""
    NO_MICROPHONE = "no-microphone"
    NO_MODEL = "no-model"
    OFF = "off"
    """Voice input was turned off (``--no-listen``)."""

    @property
    def unavailable(self) -> bool:
        """The listener cannot hear: no microphone or no speech model."""
        return self in (ListenerState.NO_MICROPHONE, ListenerState.NO_MODEL)

    @property
    def deaf(self) -> bool:
        """Nothing said now is heard: voice input is off, or there is no speech model or no
        microphone (until one turns up, when the screens offer the words again)."""
        return self in (ListenerState.OFF, ListenerState.NO_MODEL, ListenerState.NO_MICROPHONE)


@dataclass(frozen=True)
class ListenerStatus:
    """The listener's state changed; ``detail`` says why and what to do, for problems."""

    state: ListenerState
    detail: str = ""


ListenerEvent = Heard | Rejected | Level | ListenerStatus
"""Everything the live listener reports."""
