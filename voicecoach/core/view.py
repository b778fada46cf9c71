"""What a UI draws: the session's state projected onto plain, frozen values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from voicecoach.core.plan import (
    Phase,
    PhaseKind,
    Segment,
    SegmentKind,
    counts_reps,
    side_name,
    step_of,
    step_segments,
)
from voicecoach.core.routine import Routine
from voicecoach.core.state import SessionState


class ExerciseState(StrEnum):
    """How far an exercise got."""

    DONE = "done"
    """Every step was run to its end."""
    CURRENT = "current"
    """The session is in it now."""
    UPCOMING = "upcoming"
    """Still to come."""
    SKIPPED = "skipped"
    """Partly or wholly skipped."""
    NOT_REACHED = "not reached"
    """The session ended before it."""


@dataclass(frozen=True)
class ExerciseStatus:
    """Progress of one exercise, for the UI and the summary."""

    name: str
    """The exercise's name."""
    state: ExerciseState
    """Done, current, upcoming, skipped or not reached."""
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
    seconds_per_rep: float | None = None
    """The tempo of the current step's reps (changed by voice or the routine's), or None
    when the step counts no reps."""
    easier_summary: str | None = None
    """What the easier modification changes ("Tilt only halfway."), while the exercise is
    on it: the screen keeps it in sight, as the narrator says it only once."""
    waiting_for_narrator: bool = False
    """The clock stands still until the narrator has finished: a hold or set while it
    answers over it, or a reading at its end (never while paused or finished: the paused
    banner says why the clock stands still)."""

    @property
    def phase_remaining(self) -> float:
        """Seconds left in the current phase."""
        return max(0.0, self.phase_duration - self.phase_elapsed)


def exercise_statuses(routine: Routine, plan: Sequence[Segment], state: SessionState,
                      steps: Sequence[Sequence[int]] | None = None,
                      ) -> tuple[ExerciseStatus, ...]:
    """Each exercise's progress.

    An exercise is done when all its step segments ran to their end; skipped when some
    were cut short or passed over; before the end of the session, the one in progress is
    current and those after it upcoming; after the end, those never started are not reached.
    ``steps`` (per exercise, its step segments: :func:`~voicecoach.core.plan.step_segments`)
    saves a pass over the plan; the cost is then one look per step segment.
    """
    if steps is None:
        steps = step_segments(plan, len(routine.exercises))
    current = plan[min(state.segment, len(plan) - 1)].exercise
    completed, skipped = state.completed, state.skipped
    statuses = []
    for index, exercise in enumerate(routine.exercises):
        own = steps[index]
        if index == current and not state.finished:
            status = ExerciseState.CURRENT
        elif all(i in completed for i in own):
            status = ExerciseState.DONE
        elif any(i in completed or i in skipped for i in own):
            status = ExerciseState.SKIPPED
        elif state.finished:
            status = ExerciseState.NOT_REACHED
        elif index > current:
            status = ExerciseState.UPCOMING
        else:
            status = ExerciseState.SKIPPED
        statuses.append(ExerciseStatus(exercise.name, status, index in state.easier))
    return tuple(statuses)


def project(routine: Routine, plan: Sequence[Segment], state: SessionState, phase: Phase,
            text: str, remaining_seconds: float,
            statuses: tuple[ExerciseStatus, ...] | None = None, *,
            waiting_for_narrator: bool = False) -> SessionView:
    """The view of ``state``: ``phase`` is the current phase, ``text`` what the segment
    reads and ``remaining_seconds`` the active time left in the session; ``statuses``
    are :func:`exercise_statuses`, if already known."""
    segment = plan[min(state.segment, len(plan) - 1)]
    exercise = routine.exercises[segment.exercise]
    step = step_of(routine, segment)
    rep = None
    reps_total = step.reps if step and step.reps else None
    tempo = state.tempo.get(segment.exercise, routine.rep_seconds)
    if phase.kind is PhaseKind.REPS and reps_total:
        rep = min(reps_total, int(state.elapsed / tempo + 1e-9) + 1)
    next_up = None
    if segment.kind is SegmentKind.REST:
        next_up = exercise.name
    elif segment.exercise + 1 < len(routine.exercises):
        next_up = routine.exercises[segment.exercise + 1].name
    return SessionView(
        routine_title=routine.title,
        exercise_index=segment.exercise,
        exercise_count=len(routine.exercises),
        exercise_name=exercise.name,
        side=side_name(routine, segment),
        segment_kind=segment.kind,
        phase=phase.kind,
        step_letter=step.letter if step else "",
        step_number=segment.step + 1 if segment.step is not None else None,
        step_count=len(exercise.steps),
        text=text,
        phase_elapsed=state.elapsed,
        phase_duration=phase.duration,
        rep=rep,
        reps_total=reps_total,
        paused=state.paused,
        easier=segment.exercise in state.easier,
        easier_summary=(exercise.easier.summary if segment.exercise in state.easier
                        else None),
        waiting_for_narrator=waiting_for_narrator,
        finished=state.finished,
        stopped=state.stopped,
        active_seconds=state.active_seconds,
        remaining_seconds=remaining_seconds,
        exercises=statuses if statuses is not None else exercise_statuses(routine, plan, state),
        next_up=next_up,
        seconds_per_rep=tempo if step and counts_reps(step) else None,
    )
