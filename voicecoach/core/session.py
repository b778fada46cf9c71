"""The session state machine: pure, deterministic, and never reads a clock.

The session is a flat list of segments (exercise intro, a step, a side switch, a rest).
Each segment is a list of phases: reading (the narrator reads its text, for an estimated
speaking time), then perhaps a hold or a set of reps. ``handle(command, now)`` and
``tick(now)`` advance the state to ``now`` and return the cues that happened; ``view(now)``
describes the state for a UI. Time only moves while the session is not paused, so a pause
freezes everything exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from voicecoach.core.commands import PHRASES, Command
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
from voicecoach.core.routine import Exercise, Routine, Step
from voicecoach.core.words import duration_words, number_word

READING_GAP = 1.0
"""Seconds of quiet after a line is read before the session moves on."""


def estimate_speech_seconds(text: str) -> float:
    """A default estimate of how long ``text`` takes to say (about 150 words a minute)."""
    return 0.3 + 0.42 * len(text.split())


_SPEAKS_WHILE_PAUSED = frozenset({Command.HELP, Command.TIME_LEFT, Command.STOP,
                                  Command.PAUSE})
"""Commands whose answer is spoken even while the session is paused."""


class SegmentKind(StrEnum):
    """What a segment of the session is."""

    INTRO = "intro"
    STEP = "step"
    SWITCH = "switch"
    REST = "rest"


class PhaseKind(StrEnum):
    """What the current part of a segment is doing."""

    READING = "reading"
    HOLD = "hold"
    REPS = "reps"
    REST = "rest"


@dataclass(frozen=True)
class Segment:
    """One stop in the session's flat plan."""

    kind: SegmentKind
    """Intro, step, side switch or rest."""
    exercise: int
    """Index of the exercise it belongs to (for a rest: the one coming next)."""
    side: int | None = None
    """Index into the exercise's sides, or None."""
    step: int | None = None
    """Index into the exercise's steps, for a step segment."""


@dataclass(frozen=True)
class SessionSettings:
    """How the session runs, beyond the routine itself."""

    speech_seconds: Callable[[str], float] = estimate_speech_seconds
    """Estimated speaking time of a line (from the narrator profile)."""
    reading_gap: float = READING_GAP
    """Quiet after a read line."""


@dataclass(frozen=True)
class ExerciseStatus:
    """Progress of one exercise, for the UI and the summary."""

    name: str
    """The exercise's name."""
    state: str
    """"done", "current", "upcoming", "skipped" (partly or wholly), or "not reached"."""
    easier: bool
    """On the easier modification."""


@dataclass(frozen=True)
class SessionView:
    """Everything a UI needs to draw the session at one moment."""

    routine_title: str
    exercise_index: int
    exercise_count: int
    exercise_name: str
    side: str | None
    segment_kind: SegmentKind
    phase: PhaseKind
    step_letter: str
    step_number: int | None
    step_count: int
    text: str
    phase_elapsed: float
    phase_duration: float
    rep: int | None
    reps_total: int | None
    paused: bool
    easier: bool
    finished: bool
    stopped: bool
    active_seconds: float
    remaining_seconds: float
    exercises: tuple[ExerciseStatus, ...]
    next_up: str | None

    @property
    def phase_remaining(self) -> float:
        """Seconds left in the current phase."""
        return max(0.0, self.phase_duration - self.phase_elapsed)


@dataclass
class _State:
    segment: int = 0
    phase: int = 0
    elapsed: float = 0.0
    paused: bool = False
    paused_at: float = 0.0
    finished: bool = False
    stopped: bool = False
    active_seconds: float = 0.0
    easier: set[int] = field(default_factory=set)
    completed: set[int] = field(default_factory=set)
    skipped: set[int] = field(default_factory=set)


def build_plan(routine: Routine) -> tuple[Segment, ...]:
    """The flat list of segments for ``routine``."""
    plan: list[Segment] = []
    for index, exercise in enumerate(routine.exercises):
        if index > 0:
            plan.append(Segment(SegmentKind.REST, index))
        plan.append(Segment(SegmentKind.INTRO, index, 0 if exercise.sides else None))
        sides: list[int | None] = list(range(len(exercise.sides))) or [None]
        for side in sides:
            if side:
                plan.append(Segment(SegmentKind.SWITCH, index, side))
            plan.extend(Segment(SegmentKind.STEP, index, side, step)
                        for step in range(len(exercise.steps)))
    return tuple(plan)


class Session:
    """A guided session through a routine: commands and ticks in, cues out."""

    def __init__(self, routine: Routine, now: float,
                 settings: SessionSettings | None = None) -> None:
        self.routine = routine
        self.settings = settings or SessionSettings()
        self.plan = build_plan(routine)
        self._state = _State()
        self._now = now
        self._pending: list[Cue] = []
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
        if was_paused and self._state.paused and command not in _SPEAKS_WHILE_PAUSED:
            # Frozen: move silently ("resume" reads the step where the person now is), but
            # say what changed on easier/harder.
            keep = command in (Command.EASIER, Command.HARDER)
            self._pending[start:] = [
                c for c in self._pending[start:]
                if not isinstance(c, Say) or (keep and c.kind is SayKind.ANNOUNCE)
            ]
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
        exercise = self.routine.exercises[segment.exercise]
        phases = self._phases(segment)
        phase_kind, duration = phases[min(state.phase, len(phases) - 1)]
        step = exercise.steps[segment.step] if segment.step is not None else None
        rep = None
        reps_total = step.reps if step and step.reps else None
        if phase_kind is PhaseKind.REPS and reps_total:
            rep = min(reps_total, int(state.elapsed // self.routine.rep_seconds) + 1)
        next_up = None
        if segment.kind is SegmentKind.REST:
            next_up = exercise.name
        elif segment.exercise + 1 < len(self.routine.exercises):
            next_up = self.routine.exercises[segment.exercise + 1].name
        return SessionView(
            routine_title=self.routine.title,
            exercise_index=segment.exercise,
            exercise_count=len(self.routine.exercises),
            exercise_name=exercise.name,
            side=self._side_name(segment),
            segment_kind=segment.kind,
            phase=phase_kind,
            step_letter=step.letter if step else "",
            step_number=segment.step + 1 if segment.step is not None else None,
            step_count=len(exercise.steps),
            text=self._segment_text(segment),
            phase_elapsed=state.elapsed,
            phase_duration=duration,
            rep=rep,
            reps_total=reps_total,
            paused=state.paused,
            easier=segment.exercise in state.easier,
            finished=state.finished,
            stopped=state.stopped,
            active_seconds=state.active_seconds,
            remaining_seconds=self.remaining_seconds(),
            exercises=self._exercise_statuses(),
            next_up=next_up,
        )

    def remaining_seconds(self) -> float:
        """Active seconds left in the whole session, at the current pace."""
        state = self._state
        if state.finished:
            return 0.0
        phases = self._phases(self.plan[state.segment])
        left = sum(d for _, d in phases[state.phase:]) - state.elapsed
        left += sum(self.segment_duration(i) for i in range(state.segment + 1, len(self.plan)))
        return max(0.0, left)

    def segment_duration(self, index: int) -> float:
        """Active seconds segment ``index`` takes, on the current variant."""
        return sum(duration for _, duration in self._phases(self.plan[index]))

    def total_seconds(self) -> float:
        """Active seconds the whole session takes, from the start, uninterrupted."""
        return sum(self.segment_duration(i) for i in range(len(self.plan)))

    def snapshot(self) -> dict[str, Any]:
        """A JSON-able record of the progress, to resume after a crash."""
        state = self._state
        return {
            "routine": self.routine.name,
            "segment": state.segment,
            "phase": state.phase,
            "elapsed": state.elapsed,
            "active_seconds": state.active_seconds,
            "easier": sorted(state.easier),
            "completed": sorted(state.completed),
            "skipped": sorted(state.skipped),
            "finished": state.finished,
        }

    @classmethod
    def restore(cls, routine: Routine, snapshot: dict[str, Any], now: float,
                settings: SessionSettings | None = None) -> Session:
        """A session that carries on from ``snapshot`` at the start of its segment."""
        session = cls(routine, now, settings)
        session._pending.clear()
        segment = int(snapshot["segment"])
        if not 0 <= segment < len(session.plan) or snapshot.get("routine") != routine.name:
            raise ValueError("the saved progress does not match this routine")
        state = session._state
        state.easier = set(snapshot.get("easier", []))
        state.completed = set(snapshot.get("completed", []))
        state.skipped = set(snapshot.get("skipped", []))
        state.active_seconds = float(snapshot.get("active_seconds", 0.0))
        session._pending.append(Say("Welcome back. Picking up where you left off.",
                                    SayKind.ANNOUNCE))
        session._enter_segment(segment)
        return session

    def summary(self) -> dict[str, Any]:
        """What was done, for the end screen and the history file."""
        statuses = self._exercise_statuses()
        return {
            "routine": self.routine.name,
            "title": self.routine.title,
            "active_seconds": round(self._state.active_seconds, 1),
            "stopped": self._state.stopped,
            "completed": [s.name for s in statuses if s.state == "done"],
            "easier": [s.name for s in statuses if s.easier],
            "skipped": [s.name for s in statuses if s.state == "skipped"],
            "not_reached": [s.name for s in statuses if s.state == "not reached"],
        }

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
            phases = self._phases(self.plan[state.segment])
            kind, duration = phases[state.phase]
            step = min(delta, duration - state.elapsed)
            before = state.elapsed
            state.elapsed += step
            state.active_seconds += step
            delta -= step
            self._emit_phase_events(kind, duration, before, state.elapsed)
            if state.elapsed >= duration - 1e-9:
                self._end_phase()

    def _emit_phase_events(self, kind: PhaseKind, duration: float, start: float,
                           end: float) -> None:
        """Counts whose moment lies in (start, end] of the current phase."""
        for moment, cue in self._phase_events(kind, duration):
            if start < moment <= end + 1e-9:
                self._pending.append(cue)

    def _phase_events(self, kind: PhaseKind, duration: float) -> list[tuple[float, Say]]:
        events: list[tuple[float, Say]] = []
        if kind is PhaseKind.HOLD:
            if duration >= 30:
                events.append((duration / 2, Say("Halfway. Keep breathing slowly.",
                                                 SayKind.ENCOURAGE)))
            if duration > 20:
                events.append((duration - 10, Say("Ten seconds left.", SayKind.COUNT)))
            for left in range(min(5, int(duration) - 1), 0, -1):
                events.append((duration - left, Say(f"{number_word(left).capitalize()}.",
                                                    SayKind.COUNT)))
            events.append((duration, Say("And release.", SayKind.COUNT)))
        elif kind is PhaseKind.REPS:
            tempo = self.routine.rep_seconds
            total = round(duration / tempo)
            for rep in range(1, total + 1):
                word = number_word(rep).capitalize()
                if rep == total - 1:
                    text = f"{word}. Last one."
                elif rep == total:
                    text = f"{word}. Good."
                else:
                    text = f"{word}."
                events.append((rep * tempo, Say(text, SayKind.COUNT)))
        return events

    def _end_phase(self) -> None:
        state = self._state
        phases = self._phases(self.plan[state.segment])
        if state.phase + 1 < len(phases):
            state.phase += 1
            state.elapsed = 0.0
            self._start_phase()
            return
        state.completed.add(state.segment)
        self._go_to(state.segment + 1)

    def _start_phase(self) -> None:
        """Cues said as a phase begins."""
        state = self._state
        segment = self.plan[state.segment]
        kind, duration = self._phases(segment)[state.phase]
        if kind is PhaseKind.READING:
            for line in self._reading_lines(segment):
                self._pending.append(line)
        elif kind is PhaseKind.REST:
            upcoming = self.routine.exercises[segment.exercise].name
            self._pending.append(Say(f"Rest. Next up: {upcoming}.", SayKind.ANNOUNCE))
        elif kind is PhaseKind.HOLD:
            self._pending.append(Say(f"Hold for {duration_words(duration)}.", SayKind.COUNT))
        elif kind is PhaseKind.REPS:
            count = round(duration / self.routine.rep_seconds)
            self._pending.append(Say(f"{number_word(count).capitalize()} times. Begin.",
                                     SayKind.COUNT))

    # ----- structure ----------------------------------------------------------------------

    def _phases(self, segment: Segment) -> list[tuple[PhaseKind, float]]:
        """(kind, duration) for each phase of ``segment``."""
        if segment.kind is SegmentKind.REST:
            upcoming = self.routine.exercises[segment.exercise].name
            speech = self.settings.speech_seconds(f"Rest. Next up: {upcoming}.")
            return [(PhaseKind.REST, max(self.routine.rest_seconds, speech))]
        reading = sum(self.settings.speech_seconds(line.text)
                      for line in self._reading_lines(segment))
        phases = [(PhaseKind.READING, reading + self.settings.reading_gap)]
        step = self._step(segment)
        if step and step.hold_seconds:
            phases.append((PhaseKind.HOLD, step.hold_seconds))
        elif step and step.reps:
            phases.append((PhaseKind.REPS, step.reps * self.routine.rep_seconds))
        return phases

    def _step(self, segment: Segment) -> Step | None:
        if segment.step is None:
            return None
        return self.routine.exercises[segment.exercise].steps[segment.step]

    def _side_name(self, segment: Segment) -> str | None:
        exercise = self.routine.exercises[segment.exercise]
        if segment.side is None or not exercise.sides:
            return None
        return exercise.sides[segment.side]

    def _segment_text(self, segment: Segment) -> str:
        return " ".join(line.text for line in self._reading_lines(segment))

    def _reading_lines(self, segment: Segment) -> list[Say]:
        exercise = self.routine.exercises[segment.exercise]
        easier = segment.exercise in self._state.easier
        side = self._side_name(segment)
        if segment.kind is SegmentKind.INTRO:
            return self._intro_lines(segment.exercise, exercise, easier, side)
        if segment.kind is SegmentKind.SWITCH:
            return [Say(f"{exercise.switch_text} Now your {side} side.", SayKind.ANNOUNCE)]
        if segment.kind is SegmentKind.REST:
            return [Say(f"Rest. Next up: {exercise.name}.", SayKind.ANNOUNCE)]
        step = self._step(segment)
        assert step is not None
        return [Say(step.spoken(easier=easier, side=side), SayKind.INSTRUCTION)]

    def _intro_lines(self, index: int, exercise: Exercise, easier: bool,
                     side: str | None) -> list[Say]:
        count = len(self.routine.exercises)
        lines = [Say(f"Exercise {number_word(index + 1)} of {number_word(count)}: "
                     f"{exercise.name}. {exercise.purpose}", SayKind.ANNOUNCE)]
        if easier:
            lines.append(Say(f"You're on the easier version: {exercise.easier.summary}",
                             SayKind.ANNOUNCE))
        if side:
            lines.append(Say(f"We'll start with your {side} side.", SayKind.ANNOUNCE))
        return lines

    def _exercise_statuses(self) -> tuple[ExerciseStatus, ...]:
        state = self._state
        current = self.plan[min(state.segment, len(self.plan) - 1)].exercise
        statuses = []
        for index, exercise in enumerate(self.routine.exercises):
            steps = [i for i, s in enumerate(self.plan)
                     if s.exercise == index and s.kind is SegmentKind.STEP]
            if index == current and not state.finished:
                status = "current"
            elif all(i in state.completed for i in steps):
                status = "done"
            elif any(i in state.completed or i in state.skipped for i in steps):
                status = "skipped"
            elif index > current or state.finished:
                status = "not reached" if state.finished else "upcoming"
            else:
                status = "skipped"
            statuses.append(ExerciseStatus(exercise.name, status, index in state.easier))
        return tuple(statuses)

    # ----- moving around ------------------------------------------------------------------

    def _enter_segment(self, index: int) -> None:
        state = self._state
        state.segment, state.phase, state.elapsed = index, 0, 0.0
        segment = self.plan[index]
        self._pending.append(SegmentStarted(index, self._label(segment)))
        self._start_phase()

    def _label(self, segment: Segment) -> str:
        exercise = self.routine.exercises[segment.exercise]
        side = self._side_name(segment)
        parts = [exercise.name] + ([f"{side} side"] if side else [])
        if segment.kind is SegmentKind.STEP and segment.step is not None:
            parts.append(f"step {segment.step + 1}")
        elif segment.kind is not SegmentKind.INTRO:
            parts.append(segment.kind.value)
        return ", ".join(parts)

    def _go_to(self, index: int) -> None:
        if index >= len(self.plan):
            self._finish(stopped=False)
            return
        self._enter_segment(index)

    def _finish(self, *, stopped: bool) -> None:
        state = self._state
        state.finished, state.stopped = True, stopped
        state.segment = len(self.plan) - 1
        state.phase = len(self._phases(self.plan[state.segment])) - 1
        if stopped:
            self._pending.append(Say("Stopping here. Well done for what you did.",
                                     SayKind.ANNOUNCE))
        else:
            self._pending.append(Say("That's the whole routine. Well done.", SayKind.ANNOUNCE))
        self._pending.append(Finished(stopped))

    def _skip_current(self) -> None:
        """Mark the current segment skipped if its timed part was cut short."""
        state = self._state
        segment = self.plan[state.segment]
        if segment.kind is SegmentKind.STEP and state.segment not in state.completed:
            state.skipped.add(state.segment)

    # ----- commands -----------------------------------------------------------------------

    def _apply(self, command: Command) -> bool:
        state = self._state
        if state.finished:
            return False
        if command is Command.HELP:
            self._pending.append(Say(help_text(), SayKind.INFO))
            return True
        if command is Command.TIME_LEFT:
            self._pending.append(Say(self._time_left_text(), SayKind.INFO))
            return True
        if command is Command.STOP:
            self._pending.append(Silence("stop"))
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
        if command in (Command.NEXT, Command.DONE):
            self._pending.append(Silence(command.value))
            if command is Command.DONE and self._timed_phase():
                state.completed.add(state.segment)
                self._pending.append(Say("Good.", SayKind.ENCOURAGE))
            else:
                self._skip_current()
            self._go_to(state.segment + 1)
            return True
        if command is Command.BACK:
            return self._back()
        raise AssertionError(f"unhandled command {command}")

    def _timed_phase(self) -> bool:
        segment = self.plan[self._state.segment]
        kind, _ = self._phases(segment)[self._state.phase]
        return kind in (PhaseKind.HOLD, PhaseKind.REPS)

    def _pause(self) -> bool:
        state = self._state
        if state.paused:
            return False
        state.paused, state.paused_at = True, self._now
        self._pending += [Silence("pause"), Paused(),
                          Say("Paused. Say resume when you're ready.", SayKind.ANNOUNCE)]
        return True

    def _resume(self) -> bool:
        state = self._state
        if not state.paused:
            return False
        state.paused = False
        self._pending += [Silence("resume"), Resumed(self._now - state.paused_at)]
        kind, duration = self._phases(self.plan[state.segment])[state.phase]
        if kind is PhaseKind.READING:
            state.elapsed = 0.0  # the reading was cut off: read it again from the start
            self._pending.append(Say("Resuming.", SayKind.ANNOUNCE))
            self._start_phase()
        else:
            left = duration_words(max(1.0, round(duration - state.elapsed)))
            what = {PhaseKind.HOLD: "left in this hold", PhaseKind.REPS: "left in this set",
                    PhaseKind.REST: "of rest left"}[kind]
            self._pending.append(Say(f"Resuming. {left} {what}.", SayKind.ANNOUNCE))
        return True

    def _repeat(self) -> bool:
        state = self._state
        segment = self.plan[state.segment]
        kind, _ = self._phases(segment)[state.phase]
        self._pending.append(Silence("repeat"))
        if kind is PhaseKind.READING:
            state.elapsed = 0.0
            self._start_phase()
        else:
            self._pending += self._reading_lines(segment)
        return True

    def _set_variant(self, *, easier: bool) -> bool:
        state = self._state
        segment = self.plan[state.segment]
        exercise = self.routine.exercises[segment.exercise]
        if (segment.exercise in state.easier) == easier:
            which = "easier" if easier else "full"
            self._pending.append(Say(f"You're already on the {which} version.", SayKind.INFO))
            return False
        if easier:
            state.easier.add(segment.exercise)
            announce = f"Easier version: {exercise.easier.summary}"
        else:
            state.easier.discard(segment.exercise)
            announce = f"Back to the full version of the {exercise.name}."
        self._pending += [Silence("easier" if easier else "harder"),
                          VariantChanged(exercise.name, easier), Say(announce, SayKind.ANNOUNCE)]
        kind, _ = self._phases(segment)[state.phase]
        if kind is PhaseKind.READING:
            state.elapsed = 0.0
            self._start_phase()
        elif segment.kind is SegmentKind.STEP:
            self._pending += self._reading_lines(segment)
        return True

    def _back(self) -> bool:
        state = self._state
        self._pending.append(Silence("back"))
        self._skip_current()
        target = state.segment - 1
        while target > 0 and self.plan[target].kind in (SegmentKind.REST, SegmentKind.SWITCH):
            target -= 1
        target = max(0, target)
        state.completed.discard(target)
        state.skipped.discard(target)
        self._enter_segment(target)
        return True

    def _time_left_text(self) -> str:
        state = self._state
        kind, duration = self._phases(self.plan[state.segment])[state.phase]
        total = duration_words(60 * max(1, round(self.remaining_seconds() / 60)))
        text = f"About {total} left in the session."
        if kind in (PhaseKind.HOLD, PhaseKind.REST):
            left = duration_words(max(1.0, round(duration - state.elapsed)))
            text += f" {left} left in this {'hold' if kind is PhaseKind.HOLD else 'rest'}."
        elif kind is PhaseKind.REPS:
            step_reps = round(duration / self.routine.rep_seconds)
            done = int(state.elapsed // self.routine.rep_seconds)
            text += f" {number_word(step_reps - done).capitalize()} reps to go."
        return text


def help_text() -> str:
    """The commands, as a sentence to say aloud."""
    names = [PHRASES[c][0] for c in Command]
    return "You can say: " + ", ".join(names[:-1]) + f", or {names[-1]}."

