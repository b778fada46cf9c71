"""The session's state as records, and back: a Snapshot to resume from, a Summary of what
was done (``core.record`` says how they are written and read).

Pure functions of the routine, its plan and the session's state: a snapshot keeps where
the session is and what the person chose; a snapshot read back is checked against the
routine before a state is made from it; a summary names what was done, for the end screen
and the history.
"""

from __future__ import annotations

from collections.abc import Sequence

from voicecoach.core.plan import Segment, side_name, step_of, tempo_bounds
from voicecoach.core.record import Snapshot, StepRecord, Summary, TempoChange
from voicecoach.core.routine import Routine
from voicecoach.core.state import SessionState
from voicecoach.core.view import ExerciseState, ExerciseStatus


def snapshot_of(routine: Routine, state: SessionState) -> Snapshot:
    """The progress so far, to resume after a crash."""
    return Snapshot(
        routine=routine.name,
        segment=state.segment,
        phase=state.phase,
        elapsed=state.elapsed,
        active_seconds=state.active_seconds,
        easier=frozenset(state.easier),
        completed=frozenset(state.completed),
        skipped=frozenset(state.skipped),
        finished=state.finished,
        tempo=tuple(sorted(state.tempo.items())),
        done=tuple(sorted(state.done.items())),
        exercises=tuple(exercise.name for exercise in routine.exercises),
    )


def restored_state(routine: Routine, plan: Sequence[Segment],
                   snapshot: Snapshot) -> SessionState:
    """The state ``snapshot`` saved, at the start of its segment.

    Raises ValueError when the snapshot does not fit ``routine``. A saved tempo outside
    today's bounds (the routine's tempo may have changed since) is left out, and so is
    a record of a step that has no hold or reps (any more).
    """
    segments = range(len(plan))
    if snapshot.routine != routine.name or snapshot.segment not in segments:
        raise ValueError("the saved progress does not match this routine")
    if snapshot.exercises and snapshot.exercises != tuple(e.name for e in routine.exercises):
        raise ValueError("the saved progress is of other exercises: another routine of this "
                         "name, or this one edited since")
    if not snapshot.easier <= set(range(len(routine.exercises))):
        raise ValueError("the saved progress names exercises this routine does not have")
    if not {index for index, _ in snapshot.tempo} <= set(range(len(routine.exercises))):
        raise ValueError("the saved progress names exercises this routine does not have")
    done = {index for index, _ in snapshot.done}
    if not (snapshot.completed | snapshot.skipped | done) <= set(segments):
        raise ValueError("the saved progress names steps this routine does not have")
    low, high = tempo_bounds(routine.rep_seconds)
    return SessionState(
        segment=snapshot.segment,
        active_seconds=snapshot.active_seconds,
        easier=set(snapshot.easier),
        completed=set(snapshot.completed),
        skipped=set(snapshot.skipped),
        tempo={index: seconds for index, seconds in snapshot.tempo if low <= seconds <= high},
        done={index: amount for index, amount in snapshot.done
              if _timed_step(routine, plan[index])},
    )


def summary_of(routine: Routine, plan: Sequence[Segment], state: SessionState,
               statuses: Sequence[ExerciseStatus]) -> Summary:
    """What was done, for the end screen and the history; ``statuses`` are the exercises'
    (:func:`~voicecoach.core.view.exercise_statuses`)."""

    def named(exercise_state: ExerciseState) -> tuple[str, ...]:
        return tuple(s.name for s in statuses if s.state is exercise_state)

    stopped_in = _stopped_in(routine, plan, state, statuses)

    return Summary(
        routine=routine.name,
        title=routine.title,
        active_seconds=round(state.active_seconds, 1),
        stopped=state.stopped,
        completed=named(ExerciseState.DONE),
        easier=tuple(s.name for s in statuses if s.easier),
        skipped=tuple(name for name in named(ExerciseState.SKIPPED) if name != stopped_in),
        not_reached=named(ExerciseState.NOT_REACHED),
        stopped_in=stopped_in,
        tempo=tuple(TempoChange(routine.exercises[index].name, seconds)
                    for index, seconds in sorted(state.tempo.items())),
        steps=tuple(step_record(routine, plan, index, amount)
                    for index, amount in sorted(state.done.items())),
    )


def _stopped_in(routine: Routine, plan: Sequence[Segment], state: SessionState,
                statuses: Sequence[ExerciseStatus]) -> str | None:
    """The exercise "stop" cut short, if it would otherwise count as skipped for that
    alone (no other of its steps skipped)."""
    if state.stopped_at is None:
        return None
    exercise = plan[state.stopped_at].exercise
    if statuses[exercise].state is not ExerciseState.SKIPPED:
        return None
    if any(plan[i].exercise == exercise for i in state.skipped - {state.stopped_at}):
        return None
    return routine.exercises[exercise].name


def step_record(routine: Routine, plan: Sequence[Segment], index: int,
                amount: float) -> StepRecord:
    """The record of step segment ``index``'s hold or reps, ``amount`` of it done."""
    segment = plan[index]
    step = step_of(routine, segment)
    if step is None or segment.step is None:
        raise ValueError(f"segment {index} is not a step")
    if step.hold_seconds:
        return StepRecord(routine.exercises[segment.exercise].name,
                          side_name(routine, segment), segment.step + 1, "hold",
                          amount, step.hold_seconds)
    return StepRecord(routine.exercises[segment.exercise].name,
                      side_name(routine, segment), segment.step + 1, "reps",
                      amount, float(step.reps or 0))


def _timed_step(routine: Routine, segment: Segment) -> bool:
    """True when ``segment`` is a step with a hold or reps."""
    step = step_of(routine, segment)
    return step is not None and bool(step.hold_seconds or step.reps)
