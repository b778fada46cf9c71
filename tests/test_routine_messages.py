"""How a routine's numbers read in its error messages: as a person writes them, with no
brackets inside brackets, and a word of the command line's --hold named as such."""

from __future__ import annotations

import pytest

from tests.support.routines import TINY_ROUTINE
from voicecoach.core.routine_rules import HOLD_SECONDS, REPS, RoutineError, shown_number
from voicecoach.core.routine_toml import parse_routine

ROUTINE = TINY_ROUTINE  # a 5-second hold on its one step


PLACE = "r.toml:13: exercise 1 (Neck roll), step 1, field"


def error_of(text: str) -> str:
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.toml")
    return str(caught.value)


@pytest.mark.parametrize(("value", "shown"), [
    (90, "90"), (1000000000, "1000000000"), (0.5, "0.5"), (2.0, "2.0"), (99999.0, "99999.0"),
    (1e9, "1e9"), (-1e9, "-1e9"), (1.5e9, "1.5e9"), (1e300, "1e300"), (1234567.0, "1234567.0"),
    (2.5e-7, "2.5e-7"), (0.0001, "0.0001"), (float("nan"), "nan"), (float("-inf"), "-inf"),
])
def test_numbers_are_shown_as_a_person_writes_them(value: float, shown: str) -> None:
    assert shown_number(value) == shown


@pytest.mark.parametrize(("value", "message"), [
    ("1e9", f"{PLACE} 'hold': must be from 1 to 1800 seconds (30 minutes), got 1e9"),
    ("1000000000.0", f"{PLACE} 'hold': must be from 1 to 1800 seconds (30 minutes), got 1e9"),
    ("-5", f"{PLACE} 'hold': must be positive, got -5 "
           "(allowed: from 1 to 1800 seconds, that is up to 30 minutes)"),
])
def test_a_hold_out_of_bounds_reads_cleanly(value: str, message: str) -> None:
    assert error_of(ROUTINE.replace("hold = 5", f"hold = {value}")) == message


def test_bounds_in_brackets_have_no_brackets_of_their_own() -> None:
    aside = HOLD_SECONDS.problem(0)
    assert aside == ("must be positive, got 0 "
                     "(allowed: from 1 to 1800 seconds, that is up to 30 minutes)")
    assert REPS.problem(-1) == "must be positive, got -1 (allowed: from 1 to 500)"


@pytest.mark.parametrize(("line", "message"), [
    ('hold = "long"', f"{PLACE} 'hold': must be a number from 1 to 1800 seconds (30 minutes), "
                      "got 'long' ('short' and 'long' are words of the command line's --hold "
                      "only; in a file write the seconds: 120)"),
    ('hold = "Short"', f"{PLACE} 'hold': must be a number from 1 to 1800 seconds (30 "
                       "minutes), got 'Short' ('short' and 'long' are words of the command "
                       "line's --hold only; in a file write the seconds: 60)"),
    ('reps = "long"', f"{PLACE} 'reps': must be a whole number from 1 to 500, got 'long'"),
])
def test_a_word_of_the_command_line_in_a_file_says_it_is_the_command_lines(
        line: str, message: str) -> None:
    assert error_of(ROUTINE.replace("hold = 5", line)) == message


def test_the_routines_hold_in_words_says_the_same() -> None:
    text = ROUTINE.replace('title = "Tiny"', 'title = "Tiny"\nhold_seconds = "long"')
    assert error_of(text).endswith(
        "got 'long' ('short' and 'long' are words of the command line's --hold only; in a "
        "file write the seconds: 120)")
