"""Waiting for the narrator, on its own: seconds passed in by hand, no session, no clock."""

from __future__ import annotations

import pytest

from voicecoach.core.narrator_wait import LEFT_SAID_AFTER, NARRATOR_WAIT, NarratorWait
from voicecoach.core.plan import Phase, PhaseKind

READING = Phase(PhaseKind.READING, 8.0)
HOLD = Phase(PhaseKind.HOLD, 30.0)


def pass_answer(wait: NarratorWait, delta: float, *, busy: bool) -> float:
    """Pass ``delta`` seconds over an answer as the session does; the seconds stood still."""
    still = 0.0
    while delta > 0 and wait.answering:
        step = wait.wait_for_answer(delta, busy=busy)
        if step == 0:
            break
        still += step
        delta -= step
    return still


def test_the_names_the_session_always_had_still_import_from_it() -> None:
    from voicecoach.core import session

    assert session.NARRATOR_WAIT == NARRATOR_WAIT == 30.0
    assert session.LEFT_SAID_AFTER == LEFT_SAID_AFTER == 1.0


def test_a_reading_waits_only_at_its_end_and_only_while_the_narrator_is_busy() -> None:
    wait = NarratorWait()
    assert not wait.reading_waits(READING, 7.0, busy=True)  # not at its end yet
    assert not wait.reading_waits(READING, 8.0, busy=False)  # the narrator has finished
    assert wait.reading_waits(READING, 8.0, busy=True)
    assert not wait.reading_waits(HOLD, 30.0, busy=True)  # only a reading waits at its end


def test_a_reading_waits_no_longer_than_the_longest_wait() -> None:
    wait = NarratorWait()
    assert wait.wait_for_reading(20.0) == 20.0
    assert wait.reading_waits(READING, 8.0, busy=True)
    assert wait.wait_for_reading(20.0) == pytest.approx(NARRATOR_WAIT - 20.0)
    assert wait.waited == pytest.approx(NARRATOR_WAIT)
    assert not wait.reading_waits(READING, 8.0, busy=True)  # a stuck narrator is let go


def test_entering_a_phase_forgets_what_was_waited_and_the_answer() -> None:
    wait = NarratorWait()
    wait.wait_for_reading(NARRATOR_WAIT)
    wait.stand_still(left_after=True)
    wait.wait_for_answer(5.0, busy=True)
    wait.enter_phase()
    assert (wait.waited, wait.answering) == (0.0, False)
    assert wait.reading_waits(READING, 8.0, busy=True)  # the new reading may wait again


def test_an_answer_stands_still_while_the_narrator_is_busy_then_lets_go() -> None:
    wait = NarratorWait()
    wait.stand_still(left_after=False)
    assert wait.holds(HOLD, 10.0, busy=True)
    assert pass_answer(wait, 3.0, busy=True) == 3.0
    assert not wait.holds(HOLD, 10.0, busy=False)  # said: nothing holds the hold still
    assert wait.wait_for_answer(1.0, busy=False) == 0.0
    assert wait.answer_said() is False  # a short answer: nothing more said
    assert not wait.answering


def test_an_answer_to_a_stuck_narrator_stands_still_at_most_the_longest_wait() -> None:
    wait = NarratorWait()
    wait.stand_still(left_after=True)
    assert pass_answer(wait, 100.0, busy=True) == pytest.approx(NARRATOR_WAIT)
    assert not wait.holds(HOLD, 10.0, busy=True)
    assert wait.answer_said() is False  # stuck: what is left is not said over it


def test_a_long_answer_that_held_the_hold_still_then_says_what_is_left() -> None:
    wait = NarratorWait()
    wait.stand_still(left_after=True)
    pass_answer(wait, 4.0, busy=True)
    assert wait.answer_said() is True
    assert not wait.answering


def test_a_long_answer_said_in_a_moment_does_not_say_what_is_left() -> None:
    wait = NarratorWait()
    wait.stand_still(left_after=True)
    pass_answer(wait, LEFT_SAID_AFTER / 2, busy=True)
    assert wait.answer_said() is False


def test_the_line_said_after_stands_still_for_its_length_even_before_the_narrator_has_it(
) -> None:
    wait = NarratorWait()
    wait.stand_still(left_after=False, at_least=2.5)
    assert wait.holds(HOLD, 10.0, busy=False)  # not yet with the narrator: still waits
    assert wait.wait_for_answer(1.0, busy=False) == 1.0
    assert wait.wait_for_answer(5.0, busy=False) == pytest.approx(1.5)
    assert wait.wait_for_answer(5.0, busy=False) == 0.0
    assert wait.answer_said() is False  # the line about what is left is not said twice


def test_a_pause_cuts_the_answer_off_but_keeps_what_was_waited() -> None:
    wait = NarratorWait()
    wait.stand_still(left_after=True)
    wait.wait_for_answer(2.0, busy=True)
    wait.cut_off()
    assert not wait.answering
    assert not wait.holds(HOLD, 10.0, busy=True)
    assert wait.waited == 2.0
