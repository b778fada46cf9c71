"""Everything the coach says, in one place: pure functions from the routine and the moment
to spoken lines.

The session decides *when* to speak; this module decides the *words* (and what kind of
line each is, so a narrator profile can choose how chatty to be). Counts during a hold or
a set of reps come with the second of the phase at which they are said.
"""

from __future__ import annotations

from voicecoach.core.commands import PHRASES, Command
from voicecoach.core.cues import Say, SayKind
from voicecoach.core.plan import (
    Phase,
    PhaseKind,
    Segment,
    SegmentKind,
    rep_count,
    side_name,
    step_of,
)
from voicecoach.core.routine import Exercise, Routine
from voicecoach.core.words import duration_words, number_word

# ----- reading a segment --------------------------------------------------------------


def reading_lines(routine: Routine, segment: Segment, *, easier: bool) -> list[Say]:
    """The lines read at the start of ``segment`` (``easier``: on the modification)."""
    exercise = routine.exercises[segment.exercise]
    side = side_name(routine, segment)
    if segment.kind is SegmentKind.INTRO:
        return intro_lines(routine, segment.exercise, easier=easier, side=side)
    if segment.kind is SegmentKind.SWITCH:
        return [switch_line(exercise, side)]
    if segment.kind is SegmentKind.REST:
        return [rest_line(exercise)]
    step = step_of(routine, segment)
    if step is None:
        raise ValueError(f"a {segment.kind} segment without a step")
    return [Say(step.spoken(easier=easier, side=side), SayKind.INSTRUCTION)]


def segment_text(routine: Routine, segment: Segment, *, easier: bool) -> str:
    """What ``segment`` reads, as one paragraph for the screen."""
    return " ".join(line.text for line in reading_lines(routine, segment, easier=easier))


def intro_lines(routine: Routine, index: int, *, easier: bool, side: str | None) -> list[Say]:
    """An exercise's introduction: its number, name and purpose; its variant; its side."""
    exercise = routine.exercises[index]
    count = len(routine.exercises)
    lines = [Say(f"Exercise {number_word(index + 1)} of {number_word(count)}: "
                 f"{exercise.name}. {exercise.purpose}", SayKind.ANNOUNCE)]
    if easier:
        lines.append(Say(f"You're on the easier version: {exercise.easier.summary}",
                         SayKind.ANNOUNCE))
    if side:
        lines.append(Say(f"We'll start with your {side} side.", SayKind.ANNOUNCE))
    return lines


def switch_line(exercise: Exercise, side: str | None) -> Say:
    """Between the sides of an exercise."""
    return Say(f"{exercise.switch_text} Now your {side} side.", SayKind.ANNOUNCE)


def rest_line(upcoming: Exercise) -> Say:
    """The rest before ``upcoming``."""
    return Say(f"Rest. Next up: {upcoming.name}.", SayKind.ANNOUNCE)


# ----- phases -------------------------------------------------------------------------


def phase_start_lines(routine: Routine, segment: Segment, phase: Phase, *,
                      easier: bool) -> list[Say]:
    """What is said as ``phase`` of ``segment`` begins."""
    if phase.kind in (PhaseKind.READING, PhaseKind.REST):
        return reading_lines(routine, segment, easier=easier)
    if phase.kind is PhaseKind.HOLD:
        return [Say(f"Hold for {duration_words(phase.duration)}.", SayKind.COUNT)]
    count = rep_count(phase.duration, routine.rep_seconds)
    return [Say(f"{number_word(count).capitalize()} times. Begin.", SayKind.COUNT)]


def phase_counts(phase: Phase, rep_seconds: float) -> list[tuple[float, Say]]:
    """(second of the phase, line) for the counts said during a hold or a set of reps."""
    if phase.kind is PhaseKind.HOLD:
        return hold_counts(phase.duration)
    if phase.kind is PhaseKind.REPS:
        return rep_counts(rep_count(phase.duration, rep_seconds), rep_seconds)
    return []


def hold_counts(duration: float) -> list[tuple[float, Say]]:
    """A hold: "halfway" on long ones, "ten seconds left", the last five seconds, release."""
    events: list[tuple[float, Say]] = []
    if duration >= 30:
        events.append((duration / 2, Say("Halfway. Keep breathing slowly.", SayKind.ENCOURAGE)))
    if duration > 20:
        events.append((duration - 10, Say("Ten seconds left.", SayKind.COUNT)))
    for left in range(min(5, int(duration) - 1), 0, -1):
        events.append((duration - left, Say(f"{number_word(left).capitalize()}.",
                                            SayKind.COUNT)))
    events.append((duration, Say("And release.", SayKind.COUNT)))
    return events


def rep_counts(total: int, tempo: float) -> list[tuple[float, Say]]:
    """Each rep counted at the end of its ``tempo`` seconds; the last two marked."""
    events: list[tuple[float, Say]] = []
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


# ----- commands and the session's course ------------------------------------------------


def streak_line(days_in_a_row: int) -> Say:
    """Said as a session starts, when there is history: the streak, counting today.

    Encouragement, so a terse narrator leaves it out.
    """
    if days_in_a_row < 1:
        raise ValueError(f"a streak counting today is at least one day, not {days_in_a_row}")
    if days_in_a_row == 1:
        return Say("Day one of a new streak.", SayKind.ENCOURAGE)
    return Say(f"{_ordinal_word(days_in_a_row).capitalize()} day in a row.", SayKind.ENCOURAGE)


_IRREGULAR_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                       "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def _ordinal_word(n: int) -> str:
    """``n`` as an ordinal in words: "third", "twenty-first", "fortieth"."""
    words = number_word(n)
    if words.isdigit():
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    head, sep, last = words.rpartition("-" if "-" in words.split(" ")[-1] else " ")
    if last in _IRREGULAR_ORDINALS:
        last = _IRREGULAR_ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def welcome_back() -> Say:
    """Said when a saved session is resumed."""
    return Say("Welcome back. Picking up where you left off.", SayKind.ANNOUNCE)


def paused() -> Say:
    """Said on pause."""
    return Say("Paused. Take your time.", SayKind.ANNOUNCE)


def resuming() -> Say:
    """Said on resume during reading (the lines are then read again)."""
    return Say("Resuming.", SayKind.ANNOUNCE)


def resuming_timed(kind: PhaseKind, seconds_left: float) -> Say:
    """Said on resume during a hold, a set of reps or a rest: how much of it is left."""
    left = duration_words(max(1.0, round(seconds_left)))
    what = {PhaseKind.HOLD: "left in this hold", PhaseKind.REPS: "left in this set",
            PhaseKind.REST: "of rest left"}[kind]
    return Say(f"Resuming. {left} {what}.", SayKind.ANNOUNCE)


def good() -> Say:
    """Said when "done" ends a hold or a set early."""
    return Say("Good.", SayKind.ENCOURAGE)


def stopped() -> Say:
    """Said when the person stops the session."""
    return Say("Stopping here. Well done for what you did.", SayKind.ANNOUNCE)


def finished() -> Say:
    """Said at the end of the whole routine."""
    return Say("That's the whole routine. Well done.", SayKind.ANNOUNCE)


def already_on(*, easier: bool) -> Say:
    """Said when asked for the variant already in use."""
    which = "easier" if easier else "full"
    return Say(f"You're already on the {which} version.", SayKind.INFO)


def variant_changed(exercise: Exercise, *, easier: bool) -> Say:
    """Said on switching to the easier modification or back to the full exercise."""
    if easier:
        return Say(f"Easier version: {exercise.easier.summary}", SayKind.ANNOUNCE)
    return Say(f"Back to the full version of the {exercise.name}.", SayKind.ANNOUNCE)


def help_text() -> str:
    """The commands, as a sentence to say aloud."""
    names = [PHRASES[c][0] for c in Command]
    return "You can say: " + ", ".join(names[:-1]) + f", or {names[-1]}."


def help_line() -> Say:
    """The answer to "help"."""
    return Say(help_text(), SayKind.INFO)


def time_left_text(remaining_seconds: float, phase: Phase, elapsed: float,
                   rep_seconds: float) -> str:
    """The session's time left to the minute, plus what is left of a hold, rest or set."""
    total = duration_words(60 * max(1, round(remaining_seconds / 60)))
    text = f"About {total} left in the session."
    if phase.kind in (PhaseKind.HOLD, PhaseKind.REST):
        left = duration_words(max(1.0, round(phase.duration - elapsed)))
        text += f" {left} left in this {'hold' if phase.kind is PhaseKind.HOLD else 'rest'}."
    elif phase.kind is PhaseKind.REPS:
        step_reps = rep_count(phase.duration, rep_seconds)
        done = int(elapsed // rep_seconds)
        text += f" {number_word(step_reps - done).capitalize()} reps to go."
    return text


def time_left_line(remaining_seconds: float, phase: Phase, elapsed: float,
                   rep_seconds: float) -> Say:
    """The answer to "how long"."""
    return Say(time_left_text(remaining_seconds, phase, elapsed, rep_seconds), SayKind.INFO)


# ----- labels ---------------------------------------------------------------------------


def segment_label(routine: Routine, segment: Segment) -> str:
    """A short label for logs, e.g. "Hip 90/90 Stretch, right side, step 3"."""
    exercise = routine.exercises[segment.exercise]
    side = side_name(routine, segment)
    parts = [exercise.name] + ([f"{side} side"] if side else [])
    if segment.kind is SegmentKind.STEP and segment.step is not None:
        parts.append(f"step {segment.step + 1}")
    elif segment.kind is not SegmentKind.INTRO:
        parts.append(segment.kind.value)
    return ", ".join(parts)
