"""Drives a Session for any front end: cues to the narrator, the log and saved progress.

The runner is called from one thread only (the UI's); the narrator it talks to owns its
own thread. Keys and voice both arrive here as Commands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from voicecoach.core.commands import Command
from voicecoach.core.cues import (
    Cue,
    Finished,
    Say,
    SegmentStarted,
    Silence,
    VariantChanged,
)
from voicecoach.core.record import Summary
from voicecoach.core.session import Session
from voicecoach.speech_out.speaker import Speaker
from voicecoach.storage.eventlog import EventLog
from voicecoach.storage.progress import History, ProgressStore


class SessionRunner:
    """Feeds commands and ticks to the engine and sends the cues where they belong."""

    def __init__(self, session: Session, speaker: Speaker, clock: Callable[[], float], *,
                 log: EventLog | None = None, progress: ProgressStore | None = None,
                 history: History | None = None) -> None:
        self.session = session
        self.speaker = speaker
        self.clock = clock
        self.log = log
        self.progress = progress
        self.history = history
        self.started_at = clock()
        self.summary: Summary | None = None
        """What the session did, once it has ended (None until then)."""

    @property
    def finished(self) -> bool:
        """True once the session has ended (its summary is then in ``summary``)."""
        return self.summary is not None

    def start(self) -> list[Cue]:
        """Speak what the session said at its creation."""
        return self.tick()

    def command(self, command: Command, source: str, text: str | None = None) -> list[Cue]:
        """Apply a command from ``source`` ("key" or "voice")."""
        now = self.clock()
        if self.log:
            fields: dict[str, object] = {"command": command.value, "source": source}
            if text is not None:
                fields["heard"] = text
            self.log.write(self._t(now), "command", **fields)
        return self._dispatch(self.session.handle(command, now), now)

    def tick(self) -> list[Cue]:
        """Advance the session to now."""
        now = self.clock()
        return self._dispatch(self.session.tick(now), now)

    def toggle_pause(self, source: str) -> list[Cue]:
        """Pause when running, resume when paused (the space key)."""
        command = Command.RESUME if self.session.paused else Command.PAUSE
        return self.command(command, source)

    def _t(self, now: float) -> float:
        return now - self.started_at

    def _dispatch(self, cues: list[Cue], now: float) -> list[Cue]:
        for cue in cues:
            if self.log:
                self.log.cue(self._t(now), cue)
            if isinstance(cue, Say):
                self.speaker.say(cue.text, cue.kind)
            elif isinstance(cue, Silence):
                self.speaker.silence()
            elif isinstance(cue, SegmentStarted | VariantChanged) and self.progress:
                snapshot = self.session.snapshot()
                if snapshot.segment or snapshot.easier:  # don't erase it for nothing
                    self.progress.save(snapshot)
            elif isinstance(cue, Finished):
                self._finish()
        return cues

    def _finish(self) -> None:
        ended = datetime.now(UTC).isoformat(timespec="seconds")
        summary = replace(self.session.summary(), ended=ended)
        self.summary = summary
        if self.progress:
            self.progress.clear(summary.routine)
        if self.history:
            self.history.append(summary)
