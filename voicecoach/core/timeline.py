"""How long it all takes: the plan's phases timed on the session's choices, and time left.

A segment's phases depend on the routine, the settings (how long a line takes to say) and
two choices the person makes along the way: the easier variant of an exercise and the
tempo of its reps. From those come each segment's duration, the whole session's, and the
active seconds left from where the session is. All of it is pure arithmetic; the session's
state is read here, never changed.

A ``Timeline`` keeps what it works out (the phases of each segment, the durations of the
segments) until the choices it depends on change, so a view costs the same on a routine of
any size.
"""

from __future__ import annotations

from collections.abc import Sequence

from voicecoach.core import script
from voicecoach.core.plan import (
    Phase,
    PhaseKind,
    Segment,
    SessionSettings,
    exercise_spans,
    segment_phases,
)
from voicecoach.core.routine import Routine
from voicecoach.core.state import SessionState


def tempo_of(routine: Routine, state: SessionState, exercise: int) -> float:
    """Seconds per rep for ``exercise``: as changed by voice, or the routine's."""
    return state.tempo.get(exercise, routine.rep_seconds)


def timed_phases(routine: Routine, settings: SessionSettings, segment: Segment, *,
                 easier: bool, rep_seconds: float) -> tuple[Phase, ...]:
    """The phases of ``segment``, timed for the lines it reads (on the easier variant if
    ``easier``) and at ``rep_seconds`` a rep."""
    lines = script.reading_lines(routine, segment, easier=easier)
    spoken = sum(settings.speech_seconds(line.text) for line in lines)
    return segment_phases(routine, segment, spoken, settings.reading_gap, rep_seconds)


def amount_done(phase: Phase, elapsed: float, rep_seconds: float) -> float:
    """How much of a hold or set of reps was done ``elapsed`` active seconds into it: the
    seconds held, or the reps completed at ``rep_seconds`` a rep."""
    if phase.kind is PhaseKind.HOLD:
        return round(min(elapsed, phase.duration), 1)
    return float(script.reps_done(phase, elapsed, rep_seconds))


class Timeline:
    """The timing of one session's plan, worked out as asked and kept."""

    def __init__(self, routine: Routine, plan: Sequence[Segment],
                 settings: SessionSettings) -> None:
        self.routine = routine
        self.plan = plan
        self.settings = settings
        self._spans = exercise_spans(plan, len(routine.exercises))
        self._phase_cache: dict[tuple[Segment, bool, float], tuple[Phase, ...]] = {}
        self._durations: list[float] = []
        self._durations_easier: set[int] = set()
        self._durations_tempo: dict[int, float] = {}
        self._later: tuple[int, float] | None = None
        """(segment, active seconds of the segments after it), for remaining_seconds."""

    def phases(self, segment: Segment, state: SessionState) -> tuple[Phase, ...]:
        """The phases of ``segment``, timed for the lines it reads on the current variant
        and for its exercise's tempo."""
        key = (segment, segment.exercise in state.easier,
               tempo_of(self.routine, state, segment.exercise))
        phases = self._phase_cache.get(key)
        if phases is None:
            phases = timed_phases(self.routine, self.settings, segment, easier=key[1],
                                  rep_seconds=key[2])
            self._phase_cache[key] = phases
        return phases

    def durations(self, state: SessionState) -> Sequence[float]:
        """Active seconds of each segment on the current variants and tempos (kept, and
        brought up to date for the exercises whose variant or tempo changed)."""
        easier, tempo = state.easier, state.tempo
        if not self._durations:
            self._durations = [self._duration_of(i, state) for i in range(len(self.plan))]
        elif self._durations_easier != easier or self._durations_tempo != tempo:
            seen = self._durations_tempo
            changed = (self._durations_easier ^ easier) | {
                exercise for exercise in seen.keys() | tempo.keys()
                if seen.get(exercise) != tempo.get(exercise)}
            for exercise in changed:
                for index in self._spans[exercise]:
                    self._durations[index] = self._duration_of(index, state)
            self._later = None
        else:
            return self._durations
        self._durations_easier, self._durations_tempo = set(easier), dict(tempo)
        return self._durations

    def remaining_seconds(self, state: SessionState) -> float:
        """Active seconds left in the whole session, at the current pace."""
        if state.finished:
            return 0.0
        phases = self.phases(self.plan[state.segment], state)
        left = sum(phase.duration for phase in phases[state.phase:]) - state.elapsed
        left += self._seconds_after(state.segment, state)
        return max(0.0, left)

    def _duration_of(self, index: int, state: SessionState) -> float:
        return sum(phase.duration for phase in self.phases(self.plan[index], state))

    def _seconds_after(self, index: int, state: SessionState) -> float:
        """Active seconds of the segments after ``index``, on the current variants."""
        durations = self.durations(state)
        if self._later is None or self._later[0] != index:
            self._later = (index, sum(durations[index + 1:]))
        return self._later[1]
