"""What happens when: a routine laid out as a flat list of segments, each made of phases.

A session walks a routine as segments: an exercise's intro, each step (once per side), a
side switch between sides and a rest between exercises. Each segment is a list of
phases: the narrator reads its lines (for their estimated speaking time plus a short gap),
then a step may hold or count reps. A rest segment is one rest phase.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from voicecoach.core.routine import Routine, Step

READING_GAP = 1.0
"""Seconds of quiet after a line is read before the session moves on."""


def estimate_speech_seconds(text: str) -> float:
    """A default estimate of how long ``text`` takes to say (about 150 words a minute)."""
    return 0.3 + 0.42 * len(text.split())


@dataclass(frozen=True)
class SessionSettings:
    """How the session runs, beyond the routine itself."""

    speech_seconds: Callable[[str], float] = estimate_speech_seconds
    """Estimated speaking time of a line (from the narrator profile)."""
    reading_gap: float = READING_GAP
    """Quiet after a read line."""


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


class Phase(NamedTuple):
    """One timed part of a segment."""

    kind: PhaseKind
    """Reading, hold, reps or rest."""
    duration: float
    """Active seconds it lasts."""


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


def step_segments(plan: Sequence[Segment], exercise_count: int) -> tuple[tuple[int, ...], ...]:
    """Per exercise, the indices of its step segments in ``plan`` (one pass over the plan)."""
    found: list[list[int]] = [[] for _ in range(exercise_count)]
    for index, segment in enumerate(plan):
        if segment.kind is SegmentKind.STEP:
            found[segment.exercise].append(index)
    return tuple(tuple(indices) for indices in found)


def exercise_spans(plan: Sequence[Segment], exercise_count: int) -> tuple[range, ...]:
    """Per exercise, the range of its segments in ``plan`` (its rest, intro, steps and
    switches lie side by side)."""
    starts = [len(plan)] * exercise_count
    ends = [0] * exercise_count
    for index, segment in enumerate(plan):
        starts[segment.exercise] = min(starts[segment.exercise], index)
        ends[segment.exercise] = index + 1
    return tuple(range(start, max(start, end)) for start, end in zip(starts, ends, strict=True))


def segment_phases(routine: Routine, segment: Segment, spoken_seconds: float,
                   reading_gap: float, rep_seconds: float | None = None) -> tuple[Phase, ...]:
    """The phases of ``segment``, given how long its lines take to say.

    A rest lasts the routine's rest time, or longer if its line takes longer to say.
    Any other segment reads its lines (plus ``reading_gap``), then a step holds or counts
    its reps if it has them, at ``rep_seconds`` a rep (the routine's tempo if None).
    """
    tempo = routine.rep_seconds if rep_seconds is None else rep_seconds
    if segment.kind is SegmentKind.REST:
        return (Phase(PhaseKind.REST, max(routine.rest_seconds, spoken_seconds)),)
    phases = [Phase(PhaseKind.READING, spoken_seconds + reading_gap)]
    step = step_of(routine, segment)
    if step and step.hold_seconds:
        phases.append(Phase(PhaseKind.HOLD, step.hold_seconds))
    elif step and step.reps:
        phases.append(Phase(PhaseKind.REPS, step.reps * tempo))
    return tuple(phases)


def counts_reps(step: Step) -> bool:
    """True when ``step`` counts reps (a step with a hold holds instead, as in
    :func:`segment_phases`)."""
    return bool(step.reps) and not step.hold_seconds


def step_of(routine: Routine, segment: Segment) -> Step | None:
    """The step ``segment`` reads, or None for an intro, switch or rest."""
    if segment.step is None:
        return None
    return routine.exercises[segment.exercise].steps[segment.step]


def side_name(routine: Routine, segment: Segment) -> str | None:
    """The side ``segment`` is on ("right", "left"), or None for a symmetric exercise."""
    exercise = routine.exercises[segment.exercise]
    if segment.side is None or not exercise.sides:
        return None
    return exercise.sides[segment.side]


def back_from(plan: Sequence[Segment], index: int) -> int:
    """The segment "back" goes to from segment ``index``: the one before it, passing over
    rests and side switches (the first segment at the earliest)."""
    target = index - 1
    while target > 0 and plan[target].kind in (SegmentKind.REST, SegmentKind.SWITCH):
        target -= 1
    return max(0, target)


def rep_count(duration: float, rep_seconds: float) -> int:
    """How many reps a reps phase of ``duration`` seconds holds."""
    return round(duration / rep_seconds)


# ----- the tempo of reps, changed by voice ------------------------------------------------

TEMPO_STEP = 0.5
"""Seconds per rep that one "slow down" or "go faster" adds or takes away."""

FASTEST_TEMPO = 1.5
"""The quickest tempo a voice command sets: each count ("Seven. Last one.") takes about a
second to say, so below 1.5 s a rep the counts would run into each other; and a stretch
moved faster than that is swung rather than controlled."""

SLOWEST_TEMPO = 6.0
"""The slowest tempo a voice command sets: a slow, deliberate rep of a stretching move
takes four to six seconds; a longer one is a short hold rather than a rep, and a person
waiting longer than that for the next count starts to wonder whether the coach stopped."""


def tempo_bounds(routine_tempo: float) -> tuple[float, float]:
    """The slowest and quickest tempos (seconds per rep) a voice command may set: from
    :data:`FASTEST_TEMPO` to :data:`SLOWEST_TEMPO`, widened to take in the routine's own
    tempo (a routine may ask for anything from 0.5 to 60 s), so the way back to it stays
    open."""
    return min(FASTEST_TEMPO, routine_tempo), max(SLOWEST_TEMPO, routine_tempo)


def changed_tempo(current: float, routine_tempo: float, *, slower: bool) -> float | None:
    """The tempo one :data:`TEMPO_STEP` slower or faster than ``current``, kept within
    :func:`tempo_bounds`; None when ``current`` is already at that end."""
    low, high = tempo_bounds(routine_tempo)
    wanted = current + TEMPO_STEP if slower else current - TEMPO_STEP
    new = round(min(high, max(low, wanted)), 3)
    return None if math.isclose(new, current) else new
