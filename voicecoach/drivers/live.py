"""Drives a Session for any front end: cues to the narrator, the log and saved progress.

The runner is called from one thread only (the UI's); the narrator it talks to owns its
own thread. Keys and voice both arrive here as Commands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

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

logger = logging.getLogger(__name__)


class SessionRunner:
    """Feeds commands and ticks to the engine and sends the cues where they belong."""

    def __init__(self, session: Session, speaker: Speaker, clock: Callable[[], float], *,
                 log: EventLog | None = None, progress: ProgressStore | None = None,
                 history: History | None = None,
                 on_problem: Callable[[str], None] | None = None,
                 on_finished: Callable[[], None] | None = None,
                 replaces: Summary | None = None) -> None:
        self.session = session
        self.replaces = replaces
        """The unfinished session saved before this new one, closed as it was: it goes into
        the history once this one's place is written over it (or it is cleared), and only
        then (this one stopped before it moved on leaves it saved)."""
        self.on_finished = on_finished
        """Called once the session has ended and its progress and history are written
        (the wiring lets go of the routine's lock then, not when the summary is closed)."""
        self.speaker = speaker
        self.clock = clock
        self.log = log
        self.progress = progress
        self.history = history
        self.on_problem = on_problem
        """Told, in a sentence for the person, when progress or history cannot be saved
        (the session goes on; it is logged either way)."""
        self._last_now = clock()
        """The latest time the session was given (a command ``at`` an earlier one is given
        this: the session's time never goes back)."""
        self._placed = False
        """Whether this session has saved its place (until then, an unfinished session
        saved before it is left alone, even if this one is stopped)."""
        self.problems: list[str] = []
        """Those sentences, for the terminal once a full-screen front end has closed."""
        self.started_at = clock()
        if log:  # a log may hold several sessions, each one's t counting from its start
            log.write(0.0, "session_started", routine=session.routine.name,
                      segment=session.snapshot().segment)
        self.summary: Summary | None = None
        """What the session did, once it has ended (None until then)."""
        self.in_history = False
        """Whether the ended session's summary went into the history."""
        self.nothing_done = False
        """The session was stopped before it left its introduction: it did nothing, and is
        not put in the history (a resumed one carries what was done before: it is)."""
        self._first_segment = session.snapshot().segment
        self.moved_on = False
        """The session has left the step it started at (going back to it does not undo
        that: its place may have been saved over an earlier session's)."""

    @property
    def finished(self) -> bool:
        """True once the session has ended (its summary is then in ``summary``)."""
        return self.summary is not None

    @property
    def stop_forgets_place(self) -> bool:
        """Whether a stop now leaves nothing to ``--resume``: this session has saved its
        place, which a stop clears (or nothing is saved at all). Until it has, a stop
        leaves a place saved before it as it is."""
        return self.progress is None or self._placed

    def start(self) -> list[Cue]:
        """Speak what the session said at its creation."""
        return self.tick()

    def command(self, command: Command, source: str, text: str | None = None, *,
                at: float | None = None) -> list[Cue]:
        """Apply a command from ``source`` ("key", "voice", ...); ``at``: as of that moment
        of the clock, not now (a pause from when the app was stopped), if the session has
        not gone past it."""
        now = self._now()
        if at is not None:
            now = max(at, self._last_now)
        if self.log:
            fields: dict[str, object] = {"command": command.value, "source": source}
            if text is not None:
                fields["heard"] = text
            self.log.write(self._t(now), "command", **fields)
        return self._dispatch(self.session.handle(command, now), now)

    def tick(self) -> list[Cue]:
        """Advance the session to now."""
        now = self._now()
        return self._dispatch(self.session.tick(now), now)

    def toggle_pause(self, source: str) -> list[Cue]:
        """Pause when running, resume when paused (the space key)."""
        command = Command.RESUME if self.session.paused else Command.PAUSE
        return self.command(command, source)

    def _now(self) -> float:
        """The time, with the session told whether the narrator is still talking (a
        reading waits for it)."""
        self.session.narrator_busy = self.speaker.busy
        return self.clock()

    def _t(self, now: float) -> float:
        return now - self.started_at

    def _dispatch(self, cues: list[Cue], now: float) -> list[Cue]:
        self._last_now = now
        for cue in cues:
            if self.log:
                self.log.cue(self._t(now), cue)
            if isinstance(cue, Say):
                self.speaker.say(cue.text, cue.kind)
            elif isinstance(cue, Silence):
                self.speaker.silence()
            elif isinstance(cue, SegmentStarted | VariantChanged):
                self.moved_on |= self.session.snapshot().segment != self._first_segment
                self._save_place()
            elif isinstance(cue, Finished):
                self._finish()
        return cues

    def _save_place(self) -> None:
        """Save where the session is, so that a crash can be resumed: from its first step
        on (before that, an unfinished session saved earlier is left alone)."""
        snapshot = self.session.snapshot()
        if self.progress and snapshot.segment:
            self._placed = True
            if self._keep("save your place", partial(self.progress.save, snapshot)):
                self._close_replaced()

    def _close_replaced(self) -> None:
        """The session saved before, now written over (or cleared), into the history as
        it was; once."""
        replaced, self.replaces = self.replaces, None
        if replaced is not None and self.history:
            self._keep("add the unfinished session saved before to the history",
                       partial(self.history.append, replaced))

    def _finish(self) -> None:
        ended = datetime.now(UTC).isoformat(timespec="seconds")
        summary = replace(self.session.summary(), ended=ended)
        self.summary = summary
        if (self.progress and (self._placed or not summary.stopped)
                and self._keep("forget your saved place (--resume would start it again)",
                               partial(self.progress.clear, summary.routine))):
            self._close_replaced()
        self.nothing_done = (summary.stopped and not self.moved_on
                             and self._first_segment == 0)
        if self.history and not self.nothing_done:
            self.in_history = self._keep("save this session",
                                         partial(self.history.append, summary))
        if self.on_finished:
            self.on_finished()

    def _keep(self, what: str, write: Callable[[], None]) -> bool:
        """Run ``write``; a disk that refuses it costs that write, never the session. Each
        problem is told once, however many steps meet it. Whether it was written."""
        try:
            write()
            return True
        except OSError as error:
            logger.warning("could not %s: %s", what, error)
            problem = f"Could not {what}: {error.filename}: {error.strerror or error}"
            if problem not in self.problems:
                self.problems.append(problem)
                if self.on_problem:
                    self.on_problem(problem)
            return False
