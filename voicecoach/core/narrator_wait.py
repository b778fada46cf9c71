"""Waiting for the narrator: when the session stands still so as not to talk over it.

The session never hears the narrator; the driver tells it, before passing the time, whether
the narrator is still ``busy`` saying what it was given. Two things then stand still:

- a reading, at its end, so that what was said on top of it (an answer, the commands, the
  easier version) does not run on into the hold that follows;
- a running hold or set, while the narrator answers a command over it, so that no count is
  said under the answer and none of its time passes unguided. After a long answer the
  session says what is left of it, and stands still for that line as well.

Either wait lasts at most :data:`NARRATOR_WAIT`: a narrator that never says it has finished
(through some fault) cannot hold the session for ever. ``NarratorWait`` keeps the seconds
waited and whether an answer is being waited for; the session decides what is said.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicecoach.core.plan import Phase, PhaseKind

NARRATOR_WAIT = 30.0
"""Longest a reading stands still at its end, or a hold or set while the narrator answers
over it, for the narrator to finish (a narrator that never says it has, through some
fault, cannot hold the session for ever)."""
LEFT_SAID_AFTER = 1.0
"""Seconds a hold or set must have stood still for a long answer before the narrator
says how much of it is left as it goes on."""

_EPSILON = 1e-9
"""Slack for sums of float seconds that should meet exactly."""


@dataclass
class NarratorWait:
    """How long the current phase has stood still for the narrator, and why (owned by the
    Session, which passes in whether the narrator is busy)."""

    waited: float = 0.0
    """Seconds the current phase has stood still for the narrator."""
    answering: bool = False
    """A hold or set stands still while the narrator answers over it."""
    left_after: bool = False
    """Once the answer is said, say what is left of the hold or set."""
    still_at_least: float = 0.0
    """Seconds the phase stands still whether or not the narrator says it is busy: a line
    added between the driver's looks at the narrator (what is left, said as the hold goes
    on) is not yet with it."""

    def enter_phase(self) -> None:
        """A phase begins: nothing waited for yet, no answer standing it still."""
        self.waited, self.answering = 0.0, False

    def cut_off(self) -> None:
        """The answer is cut off (a pause): the phase no longer stands still for it. What
        was waited stays counted, as the phase has not changed."""
        self.answering = False

    def stand_still(self, *, left_after: bool, at_least: float = 0.0) -> None:
        """Hold the current hold or set still while the narrator answers over it, for at
        least ``at_least`` seconds; ``left_after``: then say what is left of it."""
        self.answering, self.left_after = True, left_after
        self.waited, self.still_at_least = 0.0, at_least

    def answer_wait(self, delta: float, *, busy: bool) -> float:
        """How much of ``delta`` the phase still stands still for the answer (0 when the
        answer is said, or waited for long enough)."""
        if self.waited < self.still_at_least - _EPSILON:
            return min(delta, self.still_at_least - self.waited)
        if busy and self.waited < NARRATOR_WAIT - _EPSILON:
            return min(delta, NARRATOR_WAIT - self.waited)
        return 0.0

    def wait_for_answer(self, delta: float, *, busy: bool) -> float:
        """Stand still for the answer for as much of ``delta`` as it still needs, and
        return those seconds (0: the answer is said)."""
        wait = self.answer_wait(delta, busy=busy)
        self.waited += wait
        return wait

    def answer_said(self) -> bool:
        """The narrator has answered: the hold or set goes on. True when it should first
        say what is left: after a long answer that really held it still (not a moment's
        wait, and not a narrator stuck for all of :data:`NARRATOR_WAIT`)."""
        self.answering = False
        return (self.left_after
                and LEFT_SAID_AFTER <= self.waited < NARRATOR_WAIT - _EPSILON)

    def reading_waits(self, phase: Phase, elapsed: float, *, busy: bool) -> bool:
        """At the end of a reading (``elapsed`` seconds into ``phase``) the narrator has not
        finished saying, and has not yet been waited for :data:`NARRATOR_WAIT`."""
        return (phase.kind is PhaseKind.READING and busy
                and elapsed >= phase.duration - _EPSILON
                and self.waited < NARRATOR_WAIT - _EPSILON)

    def wait_for_reading(self, delta: float) -> float:
        """Stand the reading still at its end for as much of ``delta`` as the longest wait
        leaves, and return those seconds (only while :meth:`reading_waits`)."""
        wait = min(delta, NARRATOR_WAIT - self.waited)
        self.waited += wait
        return wait

    def holds(self, phase: Phase, elapsed: float, *, busy: bool) -> bool:
        """The phase stands still for the narrator now (for the screen to say so)."""
        return ((self.answering and self.answer_wait(1.0, busy=busy) > 0)
                or self.reading_waits(phase, elapsed, busy=busy))
