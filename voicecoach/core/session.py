"""The session state machine: pure, deterministic, and never reads a clock.

The session walks its plan (``core.plan``): a flat list of segments (exercise intro, a
step, a side switch, a rest), each a list of phases (reading, then perhaps a hold or a set
of reps). ``handle(command, now)`` and ``tick(now)`` advance the state to ``now`` and
return the cues that happened; ``view(now)`` describes the state for a UI (``core.view``).
The words come from ``core.script``; what is saved comes out as ``core.record`` values.
Time only moves while the session is not paused, so a pause freezes everything exactly.

The tempo of reps is per exercise: "slow down" / "go faster" change it (within
``plan.tempo_bounds``) for the rest of the session. In the middle of a set the reps already
done stay done and the rest are counted at the new tempo from that moment (the phase's
elapsed time is rescaled, so a rep half done is still half done). Every hold or set of
reps that ends, on time or by "done", is recorded: the seconds held (pauses do not count)
or the reps completed, per step and side.

How long each part takes, and the time left, comes from ``core.timeline``; the state
becomes a snapshot or a summary, and a snapshot a state again, in ``core.saving``.

A view costs the same on a routine of any size: the phases of each segment and the
durations of the segments are kept by the timeline, and the exercises' statuses here,
until what they depend on changes (the easier variants, the segment the session is in).
"""

from __future__ import annotations

import math

from voicecoach.core import script
from voicecoach.core.commands import Command
from voicecoach.core.cues import (
    CommandHandled,
    Cue,
    Finished,
    Paused,
    Resumed,
    Say,
    SayKind,
    SegmentStarted,
    Silence,
    VariantChanged,
)
from voicecoach.core.narrator_wait import LEFT_SAID_AFTER, NARRATOR_WAIT, NarratorWait
from voicecoach.core.plan import (
    READING_GAP,
    Phase,
    PhaseKind,
    Segment,
    SegmentKind,
    SessionSettings,
    back_from,
    build_plan,
    changed_tempo,
    counts_reps,
    estimate_speech_seconds,
    step_segments,
)
from voicecoach.core.record import Snapshot, Summary
from voicecoach.core.routine import Routine
from voicecoach.core.saving import restored_state, snapshot_of, summary_of
from voicecoach.core.script import help_text
from voicecoach.core.state import SessionState
from voicecoach.core.timeline import Timeline, amount_done, tempo_of
from voicecoach.core.view import (
    ExerciseState,
    ExerciseStatus,
    SessionView,
    exercise_statuses,
    project,
)

__all__ = [  # Session, and what used to live here and is still importable from here
    "LEFT_SAID_AFTER",
    "NARRATOR_WAIT",
    "READING_GAP",
    "ExerciseState",
    "ExerciseStatus",
    "PhaseKind",
    "Segment",
    "SegmentKind",
    "Session",
    "SessionSettings",
    "SessionView",
    "build_plan",
    "estimate_speech_seconds",
    "help_text",
]

_SPEAKS_WHILE_PAUSED = frozenset({Command.HELP, Command.TIME_LEFT, Command.STOP,
                                  Command.PAUSE, Command.SLOWER, Command.FASTER,
                                  Command.WHATS_NEXT, Command.HOW_MANY_LEFT,
                                  Command.REPEAT})
"""Commands whose answer is spoken even while the session is paused ("repeat" reads the
step: while paused, the time to hear it again)."""
_MOVES = frozenset({Command.NEXT, Command.BACK, Command.DONE})
"""Commands that move the session to another step; while paused they say where to."""
_LONG_ANSWERS = frozenset({Command.REPEAT, Command.EASIER, Command.HARDER, Command.HELP,
                           Command.WHATS_NEXT})
"""Commands whose answer (the step again, its other version, the commands, the next
step) is long enough that the hold or set then says what is left of it."""


class Session:
    """A guided session through a routine: commands and ticks in, cues out."""

    def __init__(self, routine: Routine, now: float,
                 settings: SessionSettings | None = None) -> None:
        self.routine = routine
        self.settings = settings or SessionSettings()
        self.plan = build_plan(routine)
        self._state = SessionState()
        self._now = now
        self._pending: list[Cue] = []
        self._timeline = Timeline(routine, self.plan, self.settings)
        self._steps = step_segments(self.plan, len(routine.exercises))
        self._count_cache: dict[tuple[Phase, float], list[tuple[float, Say]]] = {}
        self._moves = 0
        """Bumped whenever the segment, the finish or the variants change (not the tempo:
        the exercises' statuses do not depend on it)."""
        self._statuses: tuple[int, tuple[ExerciseStatus, ...]] | None = None
        self.narrator_busy = False
        """Told by the driver before it passes the time: the narrator is still saying what
        it was given. A reading does not end before the narrator has said it (an answer, a
        list of the commands or the easier version said on top of it would otherwise run on
        into the hold): time stands still at its end, for up to :data:`NARRATOR_WAIT`."""
        self._wait = NarratorWait()
        """How long the current phase has stood still for the narrator, and whether a hold
        or set stands still while it answers over it (``core.narrator_wait``)."""
        self._enter_segment(0)

    # ----- inputs -----------------------------------------------------------------------

    def tick(self, now: float) -> list[Cue]:
        """Advance to ``now`` and return what happened since the last call."""
        self._advance(now)
        return self._take()

    def handle(self, command: Command, now: float) -> list[Cue]:
        """Apply ``command`` at ``now`` and return the cues (including any due ticks)."""
        self._advance(now)
        was_paused = self._state.paused
        start = len(self._pending)
        accepted = self._apply(command)
        answered = any(isinstance(cue, Say) for cue in self._pending[start:])
        if (answered and self._timed_phase() and not self._state.paused
                and not self._state.finished):
            self._wait.stand_still(left_after=accepted and command in _LONG_ANSWERS)
        if was_paused and self._state.paused and command not in _SPEAKS_WHILE_PAUSED:
            # Frozen: move without reading ("resume" reads the step where the person now
            # is), but say where it moved to, and what changed on easier/harder.
            keep = command in (Command.EASIER, Command.HARDER)
            self._pending[start:] = [
                c for c in self._pending[start:]
                if not isinstance(c, Say) or (keep and c.kind is SayKind.ANNOUNCE)
            ]
            if accepted and command in _MOVES:
                where = script.segment_label(self.routine, self.plan[self._state.segment])
                self._pending.append(script.moved_while_paused(where))
        self._pending.append(CommandHandled(command, accepted))
        return self._take()

    # ----- outputs ----------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        """True while paused."""
        return self._state.paused

    @property
    def finished(self) -> bool:
        """True once the session has ended."""
        return self._state.finished

    def view(self, now: float | None = None) -> SessionView:
        """The state of the session at the last time it was given (or ``now``)."""
        if now is not None:
            self._advance(now)
        state = self._state
        segment = self.plan[min(state.segment, len(self.plan) - 1)]
        phases = self._phases(segment)
        phase = phases[min(state.phase, len(phases) - 1)]
        text = script.segment_text(self.routine, segment, easier=self._easier(segment))
        waiting = (not state.paused and not state.finished
                   and self._wait.holds(phase, state.elapsed, busy=self.narrator_busy))
        return project(self.routine, self.plan, state, phase, text, self.remaining_seconds(),
                       self._exercise_statuses(), waiting_for_narrator=waiting)

    def remaining_seconds(self) -> float:
        """Active seconds left in the whole session, at the current pace."""
        return self._timeline.remaining_seconds(self._state)

    def segment_duration(self, index: int) -> float:
        """Active seconds segment ``index`` takes, on the current variant."""
        return self._timeline.durations(self._state)[index]

    def total_seconds(self) -> float:
        """Active seconds the whole session takes, from the start, uninterrupted."""
        return sum(self._timeline.durations(self._state))

    def snapshot(self) -> Snapshot:
        """The progress so far, to resume after a crash."""
        return snapshot_of(self.routine, self._state)

    @classmethod
    def restore(cls, routine: Routine, snapshot: Snapshot, now: float,
                settings: SessionSettings | None = None) -> Session:
        """A session that carries on from ``snapshot`` at the start of its segment.

        Raises ValueError when the snapshot does not fit ``routine``. A saved tempo outside
        today's bounds (the routine's tempo may have changed since) is left out, and so is
        a record of a step that has no hold or reps (any more).
        """
        session = cls(routine, now, settings)
        session._pending.clear()
        session._state = restored_state(routine, session.plan, snapshot)
        where = script.segment_label(routine, session.plan[snapshot.segment])
        session._pending.append(script.welcome_back(where))
        session._enter_segment(snapshot.segment)
        return session

    def summary(self) -> Summary:
        """What was done, for the end screen and the history."""
        return summary_of(self.routine, self.plan, self._state, self._exercise_statuses())

    # ----- time -------------------------------------------------------------------------

    def _take(self) -> list[Cue]:
        cues, self._pending = self._pending, []
        return cues

    def _advance(self, now: float) -> None:
        delta = now - self._now
        if delta < 0:
            raise ValueError(f"time went backwards: {now} < {self._now}")
        self._now = now
        state = self._state
        while delta > 0 and not state.paused and not state.finished:
            phase = self._phase()
            if self._wait.answering:
                wait = self._wait.wait_for_answer(delta, busy=self.narrator_busy)
                if wait > 0:
                    delta -= wait
                elif self._wait.answer_said():
                    self._say_what_is_left(phase)
                continue
            if self._waits_for_narrator(phase):
                delta -= self._wait.wait_for_reading(delta)
                continue
            step = min(delta, phase.duration - state.elapsed)
            before = state.elapsed
            state.elapsed += step
            state.active_seconds += step
            delta -= step
            self._say_counts(phase, before, state.elapsed)
            if state.elapsed >= phase.duration - 1e-9 and not self._waits_for_narrator(phase):
                self._end_phase()

    def _waits_for_narrator(self, phase: Phase) -> bool:
        """At the end of a reading the narrator has not finished saying (and has not kept
        waiting for :data:`NARRATOR_WAIT`)."""
        return self._wait.reading_waits(phase, self._state.elapsed, busy=self.narrator_busy)

    def _say_what_is_left(self, phase: Phase) -> None:
        """After a long answer the hold or set going on first says what is left (unless a
        count is about to), and stands still for that line too."""
        line = script.going_on_after_an_answer(phase, self._state.elapsed,
                                               self._current_tempo())
        if line is not None:
            self._pending.append(line)
            self._wait.stand_still(left_after=False,
                                   at_least=self.settings.speech_seconds(line.text))

    def _say_counts(self, phase: Phase, start: float, end: float) -> None:
        """Counts whose moment lies in (start, end] of ``phase``."""
        key = (phase, self._tempo(self.plan[self._state.segment].exercise))
        counts = self._count_cache.get(key)
        if counts is None:
            counts = script.phase_counts(phase, key[1])
            self._count_cache[key] = counts
        for moment, line in counts:
            if start < moment <= end + 1e-9:
                self._pending.append(line)

    def _end_phase(self) -> None:
        state = self._state
        phases = self._phases(self.plan[state.segment])
        if self._timed_phase():
            self._record_done()
        if state.phase + 1 < len(phases):
            state.phase += 1
            state.elapsed = 0.0
            self._start_phase()
            return
        self._complete_current()
        self._go_to(state.segment + 1)

    def _start_phase(self) -> None:
        """Say what is said as a phase begins."""
        self._wait.enter_phase()
        segment = self.plan[self._state.segment]
        self._pending += script.phase_start_lines(self.routine, segment, self._phase(),
                                                  easier=self._easier(segment),
                                                  rep_seconds=self._tempo(segment.exercise))

    # ----- structure ----------------------------------------------------------------------

    def _phases(self, segment: Segment) -> tuple[Phase, ...]:
        """The phases of ``segment``, timed for the lines it reads on the current variant
        and for its exercise's tempo."""
        return self._timeline.phases(segment, self._state)

    def _exercise_statuses(self) -> tuple[ExerciseStatus, ...]:
        """The exercises' statuses, worked out again only after a move."""
        if self._statuses is None or self._statuses[0] != self._moves:
            statuses = exercise_statuses(self.routine, self.plan, self._state, self._steps)
            self._statuses = (self._moves, statuses)
        return self._statuses[1]

    def _phase(self) -> Phase:
        """The current phase."""
        return self._phases(self.plan[self._state.segment])[self._state.phase]

    def _easier(self, segment: Segment) -> bool:
        return segment.exercise in self._state.easier

    def _tempo(self, exercise: int) -> float:
        """Seconds per rep for ``exercise``: as changed by voice, or the routine's."""
        return tempo_of(self.routine, self._state, exercise)

    def _reading_lines(self, segment: Segment) -> list[Say]:
        return script.reading_lines(self.routine, segment, easier=self._easier(segment))

    # ----- moving around ------------------------------------------------------------------

    def _enter_segment(self, index: int) -> None:
        state = self._state
        state.segment, state.phase, state.elapsed = index, 0, 0.0
        self._moves += 1
        segment = self.plan[index]
        self._pending.append(SegmentStarted(index, script.segment_label(self.routine, segment)))
        self._start_phase()

    def _go_to(self, index: int) -> None:
        if index >= len(self.plan):
            self._finish(stopped=False)
            return
        self._enter_segment(index)

    def _finish(self, *, stopped: bool) -> None:
        state = self._state
        state.finished, state.stopped = True, stopped
        self._moves += 1
        state.segment = len(self.plan) - 1
        state.phase = len(self._phases(self.plan[state.segment])) - 1
        summary = self.summary()
        anything_done = bool(summary.completed)  # an exercise, not a rest passed
        self._pending.append(script.stopped(anything_done=anything_done) if stopped
                             else script.finished(anything_done=anything_done,
                                                  all_done=not summary.skipped))
        self._pending.append(Finished(stopped))

    def _complete_current(self) -> None:
        """The current segment ran to its end (or its hold or reps were ended by "done"):
        done, and no longer skipped if it was left unfinished before."""
        state = self._state
        state.completed.add(state.segment)
        state.skipped.discard(state.segment)

    def _skip_current(self, *, ready: bool = False) -> None:
        """The session leaves the current step early. A step whose hold or reps were cut
        short (or never begun) is skipped; so is one with nothing to do but listen, unless
        the person moved on because they were ``ready`` ("next", "done"): then it is done.
        A step done on an earlier visit ("back" came to it again) stays done, its record
        kept."""
        state = self._state
        segment = self.plan[state.segment]
        if segment.kind is not SegmentKind.STEP or state.segment in state.completed:
            return
        timed = any(phase.kind in (PhaseKind.HOLD, PhaseKind.REPS)
                    for phase in self._phases(segment))
        (state.completed if ready and not timed else state.skipped).add(state.segment)

    # ----- commands -----------------------------------------------------------------------

    def _apply(self, command: Command) -> bool:
        state = self._state
        if state.finished:
            return False
        if command is Command.HELP:
            self._pending.append(script.help_line())
            return True
        if command is Command.TIME_LEFT:
            self._pending.append(script.time_left_line(
                self.remaining_seconds(), self._phase(), state.elapsed, self._current_tempo()))
            return True
        if command is Command.HOW_MANY_LEFT:
            self._pending.append(script.how_many_left_line(
                self.remaining_seconds(), self._phase(), state.elapsed, self._current_tempo()))
            return True
        if command is Command.WHATS_NEXT:
            self._pending.append(self._whats_next())
            return True
        if command in (Command.SLOWER, Command.FASTER):
            return self._change_tempo(slower=command is Command.SLOWER)
        if command is Command.STOP:
            self._pending.append(Silence("stop"))
            state.stopped_at = state.segment
            self._skip_current()
            self._finish(stopped=True)
            return True
        if command is Command.PAUSE:
            return self._pause()
        if command is Command.RESUME:
            return self._resume()
        if command in (Command.EASIER, Command.HARDER):
            return self._set_variant(easier=command is Command.EASIER)
        if command is Command.REPEAT:
            return self._repeat()
        if command is Command.DONE and self._reading_before_a_timed_phase():
            self._pending.append(Silence("done"))  # ready: the hold or set starts now
            self._end_phase()
            return True
        if command in (Command.NEXT, Command.DONE):
            self._pending.append(Silence(command.value))
            if self._timed_phase() and (command is Command.DONE or self._counting_down()):
                self._record_done()
                self._complete_current()
                self._pending.append(script.good())
            else:
                self._skip_current(ready=True)
            self._go_to(state.segment + 1)
            return True
        if command is Command.BACK:
            return self._back()
        raise AssertionError(f"unhandled command {command}")

    def _timed_phase(self) -> bool:
        return self._phase().kind in (PhaseKind.HOLD, PhaseKind.REPS)

    def _counting_down(self) -> bool:
        """In the last seconds of a hold or set, past its middle: "next" then ends it as
        "done" does (it was all but done), not as a skip."""
        phase, elapsed = self._phase(), self._state.elapsed
        return (phase.duration - elapsed <= script.COUNTDOWN_SECONDS + 1e-9
                and elapsed >= phase.duration / 2)

    def _reading_before_a_timed_phase(self) -> bool:
        """Reading a step whose hold or set follows: "done" (ready) starts it at once."""
        phases = self._phases(self.plan[self._state.segment])
        state = self._state
        return (phases[state.phase].kind is PhaseKind.READING
                and state.phase + 1 < len(phases)
                and phases[state.phase + 1].kind in (PhaseKind.HOLD, PhaseKind.REPS))

    def _current_tempo(self) -> float:
        return self._tempo(self.plan[self._state.segment].exercise)

    def _record_done(self) -> None:
        """Record how much of the current hold or set of reps was done: the active seconds
        held, or the reps completed at the current tempo."""
        state = self._state
        state.done[state.segment] = amount_done(self._phase(), state.elapsed,
                                                self._current_tempo())

    def _whats_next(self) -> Say:
        """The answer to "what comes next": the segment after this one."""
        following = self._state.segment + 1
        upcoming = self.plan[following] if following < len(self.plan) else None
        easier = upcoming is not None and self._easier(upcoming)
        phases = self._phases(self.plan[self._state.segment])
        only_reading_left = all(phase.kind is PhaseKind.READING
                                for phase in phases[self._state.phase:])
        return script.whats_next_line(self.routine, upcoming, easier=easier,
                                      read_next=only_reading_left)

    def _change_tempo(self, *, slower: bool) -> bool:
        """On "slow down" / "go faster": the current exercise's reps (now, or its next ones;
        during a rest, the exercise to come) are counted one tempo step slower or faster.
        In the middle of a set, the counting moves to the new tempo at once."""
        state = self._state
        exercise = self.plan[state.segment].exercise
        if not any(counts_reps(step) for step in self.routine.exercises[exercise].steps):
            self._pending.append(script.tempo_needs_reps())
            return False
        old = self._tempo(exercise)
        new = changed_tempo(old, self.routine.rep_seconds, slower=slower)
        if new is None:
            self._pending.append(script.tempo_at_limit(old, slower=slower))
            return False
        in_reps = self._phase().kind is PhaseKind.REPS
        if math.isclose(new, self.routine.rep_seconds, abs_tol=1e-3):
            new = self.routine.rep_seconds  # back to the routine's own tempo
            state.tempo.pop(exercise, None)
        else:
            state.tempo[exercise] = new
        if in_reps:
            state.elapsed *= new / old  # the same share of the set done, at the new tempo
        self._pending.append(script.tempo_changed(new, slower=slower))
        return True

    def _pause(self) -> bool:
        state = self._state
        if state.paused:
            return False
        state.paused, state.paused_at = True, self._now
        self._wait.cut_off()  # the answer is cut off; "resume" says what is left
        self._pending += [Silence("pause"), Paused(), script.paused()]
        return True

    def _resume(self) -> bool:
        state = self._state
        if not state.paused:
            return False
        state.paused = False
        self._pending += [Silence("resume"), Resumed(self._now - state.paused_at)]
        phase = self._phase()
        if phase.kind is PhaseKind.READING:
            state.elapsed = 0.0  # the reading was cut off: read it again from the start
            self._pending.append(script.resuming())
            self._start_phase()
        else:
            self._pending.append(script.resuming_timed(
                phase, state.elapsed, self._tempo(self.plan[state.segment].exercise)))
        return True

    def _repeat(self) -> bool:
        state = self._state
        segment = self.plan[state.segment]
        self._pending.append(Silence("repeat"))
        if self._phase().kind is PhaseKind.READING:
            state.elapsed = 0.0
            self._start_phase()
        else:
            self._pending += self._reading_lines(segment)
        return True

    def _set_variant(self, *, easier: bool) -> bool:
        state = self._state
        segment = self.plan[state.segment]
        exercise = self.routine.exercises[segment.exercise]
        if self._easier(segment) == easier:
            self._pending.append(script.already_on(easier=easier))
            return False
        if easier:
            state.easier.add(segment.exercise)
        else:
            state.easier.discard(segment.exercise)
        self._moves += 1
        self._pending += [Silence("easier" if easier else "harder"),
                          VariantChanged(exercise.name, easier)]
        read_again = self._phase().kind is PhaseKind.READING
        if not (easier and read_again and segment.kind is SegmentKind.INTRO):
            # (an introduction read again says the easier version itself: not twice)
            self._pending.append(script.variant_changed(
                exercise, easier=easier, named=segment.kind is SegmentKind.REST))
        if read_again:
            state.elapsed = 0.0
            self._start_phase()
        elif segment.kind is SegmentKind.STEP:
            self._pending += self._reading_lines(segment)
        return True

    def _back(self) -> bool:
        """The step before (over rests and switches). The one left is ahead again, not
        skipped: done or skipped when the session comes to it, cut short if it stops first."""
        state = self._state
        self._pending.append(Silence("back"))
        target = back_from(self.plan, state.segment)
        state.skipped.discard(target)  # to be done or skipped again; what was done stays
        self._enter_segment(target)
        return True
