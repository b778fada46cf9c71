"""Everything the coach says, in one place: pure functions from the routine and the moment
to spoken lines.

The session decides *when* to speak; this module decides the *words* (and what kind of
line each is, so a narrator profile can choose how chatty to be). Counts during a hold or
a set of reps come with the second of the phase at which they are said.
"""

from __future__ import annotations

import math

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
    """The rest before ``upcoming``. Not "Next up": a person's "next" (skip the rest), said
    as the rest begins, would be the narrator's word by its time. Not "After this": in
    the session benchmark its "After" and a person's "hold on" came out as "harder"."""
    return Say(f"Rest. Then: {upcoming.name}.", SayKind.ANNOUNCE)


# ----- phases -------------------------------------------------------------------------


def phase_start_lines(routine: Routine, segment: Segment, phase: Phase, *,
                      easier: bool, rep_seconds: float | None = None) -> list[Say]:
    """What is said as ``phase`` of ``segment`` begins (reps at ``rep_seconds`` a rep: the
    routine's tempo if None)."""
    if phase.kind in (PhaseKind.READING, PhaseKind.REST):
        return reading_lines(routine, segment, easier=easier)
    if phase.kind is PhaseKind.HOLD:
        return [Say(f"Hold for {duration_words(phase.duration)}.", SayKind.COUNT)]
    tempo = routine.rep_seconds if rep_seconds is None else rep_seconds
    count = rep_count(phase.duration, tempo)
    return [Say(f"{number_word(count).capitalize()} times. Begin.", SayKind.COUNT)]


def phase_counts(phase: Phase, rep_seconds: float) -> list[tuple[float, Say]]:
    """(second of the phase, line) for the counts said during a hold or a set of reps."""
    if phase.kind is PhaseKind.HOLD:
        return hold_counts(phase.duration)
    if phase.kind is PhaseKind.REPS:
        return rep_counts(rep_count(phase.duration, rep_seconds), rep_seconds)
    return []


COUNTDOWN_SECONDS = 5
"""A hold's last seconds, counted down one by one."""


def hold_counts(duration: float) -> list[tuple[float, Say]]:
    """A hold: "halfway" on long ones, "ten seconds left", the last five seconds, release."""
    events: list[tuple[float, Say]] = []
    if duration >= 30:
        events.append((duration / 2, Say("Halfway. Keep breathing slowly.", SayKind.ENCOURAGE)))
    if duration > 20:
        events.append((duration - 10, Say("Ten seconds left.", SayKind.COUNT)))
    for left in range(min(COUNTDOWN_SECONDS, int(duration) - 1), 0, -1):
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


def welcome_back(where: str) -> Say:
    """Said when a saved session is resumed at ``where`` (:func:`segment_label`: "Hip
    90/90 Stretch, right side, step 4"), so the person knows which stretch to set up."""
    return Say(f"Welcome back. Picking up at {where}.", SayKind.ANNOUNCE)


def carry_on_offer() -> Say:
    """Said as a session starts in the full screen while a session saved before can be
    carried on from: how, hands-free. The word comes first, so the person's own answer,
    said once the line has ended, is not taken for the narrator's."""
    return Say("Say continue to carry on from your unfinished session.", SayKind.ANNOUNCE)


def moved_while_paused(where: str) -> Say:
    """Said when "next", "back" or "done" moves the session while it is paused: where it
    now is (it reads that step once it goes on). Not "still paused": it would sound like
    "pause" to the listener."""
    return Say(f"{where}. Ready when you are.", SayKind.ANNOUNCE)  # no command word


def paused() -> Say:
    """Said on pause."""
    return Say("Paused. Take your time.", SayKind.ANNOUNCE)


def resuming() -> Say:
    """Said on resume during reading (the lines are then read again)."""
    return Say("Resuming.", SayKind.ANNOUNCE)


COUNT_SAYS_IT_WITHIN = 2.0
"""Seconds: a hold's count due this soon ("Ten seconds left.", "Five.") says what is left
itself, so a line going on does not say it first ("Five seconds left in this hold.",
then at once "Five.")."""


def resuming_timed(phase: Phase, elapsed: float, rep_seconds: float) -> Say:
    """Said on resume during a hold, a set of reps or a rest: how much of it is left (in
    a set, the reps), unless a count is about to say so."""
    if _count_due_soon(phase, elapsed):
        return resuming()
    return Say(f"Resuming. {left_in_phase(phase, elapsed, rep_seconds)}", SayKind.ANNOUNCE)


def going_on_after_an_answer(phase: Phase, elapsed: float, rep_seconds: float) -> Say | None:
    """Said when a hold or set that stood still for a long answer (the step again, the
    next step, the commands) goes on: how much of it is left; nothing if a count is about
    to say so."""
    if _count_due_soon(phase, elapsed):
        return None
    return Say(left_in_phase(phase, elapsed, rep_seconds), SayKind.ANNOUNCE)


def _count_due_soon(phase: Phase, elapsed: float) -> bool:
    """A count telling a hold's time left is due within :data:`COUNT_SAYS_IT_WITHIN`."""
    return phase.kind is PhaseKind.HOLD and any(
        line.kind is SayKind.COUNT and elapsed < moment < elapsed + COUNT_SAYS_IT_WITHIN
        for moment, line in hold_counts(phase.duration))


def left_in_phase(phase: Phase, elapsed: float, rep_seconds: float) -> str:
    """What is left of a hold, rest or set ``elapsed`` seconds into it: "Twelve seconds
    left in this hold." / "Eight reps to go."."""
    if phase.kind is PhaseKind.REPS:
        return _reps_to_go(reps_left(phase, elapsed, rep_seconds))
    left = duration_words(whole_seconds_left(phase.duration - elapsed)).capitalize()
    return f"{left} left in this {'rest' if phase.kind is PhaseKind.REST else 'hold'}."


def good() -> Say:
    """Said when "done" ends a hold or a set early."""
    return Say("Good.", SayKind.ENCOURAGE)


def stopped(*, anything_done: bool = True) -> Say:
    """Said when the person stops the session (no praise when nothing was done)."""
    praise = " Well done for what you did." if anything_done else ""
    return Say(f"Stopping here.{praise}", SayKind.ANNOUNCE)


def finished(*, anything_done: bool = True, all_done: bool = True) -> Say:
    """Said at the end of the routine: "the whole routine" only when every exercise was
    done (as the end screen's "3 of 4 done" has it); no praise when none was."""
    if not anything_done:
        return Say("That's the end of the routine.", SayKind.ANNOUNCE)
    if not all_done:
        return Say("That's the end of the routine. Well done for what you did.",
                   SayKind.ANNOUNCE)
    return Say("That's the whole routine. Well done.", SayKind.ANNOUNCE)


def already_on(*, easier: bool) -> Say:
    """Said when asked for the variant already in use."""
    which = "easier" if easier else "full"
    return Say(f"You're already on the {which} version.", SayKind.INFO)


def variant_changed(exercise: Exercise, *, easier: bool, named: bool = False) -> Say:
    """Said on switching to the easier modification or back to the full exercise;
    ``named``: say which exercise (asked in a rest, it is the one to come)."""
    if easier:
        which = f" of the {exercise.name}" if named else ""
        return Say(f"Easier version{which}: {exercise.easier.summary}", SayKind.ANNOUNCE)
    return Say(f"The full version of the {exercise.name} again.", SayKind.ANNOUNCE)


def help_text() -> str:
    """The commands, as a sentence to say aloud."""
    names = [PHRASES[c][0] for c in Command]
    return "You can say: " + ", ".join(names[:-1]) + f", or {names[-1]}."


def help_line() -> Say:
    """The answer to "help"."""
    return Say(help_text(), SayKind.INFO)


def whole_seconds_left(seconds: float) -> int:
    """``seconds`` left, as whole seconds rounded up, at least one: as the screen's clock
    shows them (0:04 while 3.2 s are left is "four seconds")."""
    return max(1, math.ceil(seconds - 1e-6))


def time_left_text(remaining_seconds: float, phase: Phase, elapsed: float,
                   rep_seconds: float) -> str:
    """The session's time left to the minute ("less than a minute" under half a minute),
    plus what is left of a hold, rest or set."""
    minutes = round(remaining_seconds / 60)
    text = (f"About {duration_words(60 * minutes)} left in the session." if minutes
            else "Less than a minute left in the session.")
    if phase.kind is not PhaseKind.READING:
        text += " " + left_in_phase(phase, elapsed, rep_seconds)
    return text


def time_left_line(remaining_seconds: float, phase: Phase, elapsed: float,
                   rep_seconds: float) -> Say:
    """The answer to "how long"."""
    return Say(time_left_text(remaining_seconds, phase, elapsed, rep_seconds), SayKind.INFO)


# ----- pace and what is to come ---------------------------------------------------------


def reps_done(phase: Phase, elapsed: float, rep_seconds: float) -> int:
    """Reps completed ``elapsed`` seconds into a reps ``phase`` at ``rep_seconds`` a rep."""
    total = rep_count(phase.duration, rep_seconds)
    return min(total, int(elapsed / rep_seconds + 1e-9))


def reps_left(phase: Phase, elapsed: float, rep_seconds: float) -> int:
    """Reps still to do ``elapsed`` seconds into a reps ``phase``."""
    return rep_count(phase.duration, rep_seconds) - reps_done(phase, elapsed, rep_seconds)


def _reps_to_go(left: int) -> str:
    """ "Eight reps to go." / "One rep to go." """
    return f"{number_word(left).capitalize()} rep{'' if left == 1 else 's'} to go."


def tempo_words(seconds_per_rep: float) -> str:
    """A tempo as spoken: "four seconds", "two and a half seconds", "three point two
    seconds", "half a second"."""
    tenths = round(seconds_per_rep * 10)
    whole, fraction = divmod(tenths, 10)
    if fraction == 5:
        return "half a second" if whole == 0 else f"{number_word(whole)} and a half seconds"
    if fraction:
        return f"{number_word(whole)} point {number_word(fraction)} seconds"
    return f"{number_word(whole)} second" + ("" if whole == 1 else "s")


def tempo_changed(seconds_per_rep: float, *, slower: bool) -> Say:
    """Said back on "slow down" / "go faster": the new tempo.

    Not "Faster: ..." nor "Next: ...": a line that opens with a command phrase and a pause
    is heard by the listener as that command (the listener benchmark's narration).
    """
    which = "slower" if slower else "faster"
    return Say(f"A bit {which}: {tempo_words(seconds_per_rep)} a rep.", SayKind.ANNOUNCE)


def tempo_at_limit(seconds_per_rep: float, *, slower: bool) -> Say:
    """Said when the tempo cannot go further that way."""
    which = "slowest" if slower else "fastest"
    return Say(f"That's the {which}: {tempo_words(seconds_per_rep)} a rep.", SayKind.INFO)


def tempo_needs_reps() -> Say:
    """Said on "slow down" / "go faster" in an exercise that counts no reps."""
    return Say("The tempo is for reps, and there are none here.", SayKind.INFO)


def whats_next_line(routine: Routine, upcoming: Segment | None, *, easier: bool,
                    read_next: bool = False) -> Say:
    """The answer to "what comes next": the segment after the current one (``upcoming``,
    None at the end of the routine); a step by its number and first sentence, or only its
    number when it is ``read_next``, as soon as this reading ends (during an introduction
    the sentence was said, then read again a few seconds later). "After this", not "Next"
    (heard as the command that skips) nor "Coming up" (a phrase of this command, and once
    heard as "continue" by one of the test voices)."""
    if upcoming is None:
        return Say("Nothing more: this is the last step of the routine.", SayKind.INFO)
    exercise = routine.exercises[upcoming.exercise]
    if upcoming.kind is SegmentKind.REST:
        return Say(f"After this: a rest, then {exercise.name}.", SayKind.INFO)
    if upcoming.kind is SegmentKind.INTRO:
        return Say(f"After this: {exercise.name}.", SayKind.INFO)
    if upcoming.kind is SegmentKind.SWITCH:
        return Say(f"After this: your {side_name(routine, upcoming)} side.", SayKind.INFO)
    step = step_of(routine, upcoming)
    if step is None or upcoming.step is None:
        raise ValueError(f"a {upcoming.kind} segment without a step")
    number = number_word(upcoming.step + 1)
    if read_next:
        return Say(f"Step {number} comes right after this.", SayKind.INFO)
    text = _first_sentence(step.spoken(easier=easier, side=side_name(routine, upcoming)))
    return Say(f"After this, step {number}: {text}", SayKind.INFO)


def _first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence."""
    for index, char in enumerate(text):
        if char in ".!?" and (index + 1 == len(text) or text[index + 1] == " "):
            return text[:index + 1]
    return text


def how_many_left_line(remaining_seconds: float, phase: Phase, elapsed: float,
                       rep_seconds: float) -> Say:
    """The answer to "how many left": the reps still to do in a set; otherwise what is
    left of a hold or rest; otherwise (while a step is read) the session's time left."""
    if phase.kind is not PhaseKind.READING:
        return Say(left_in_phase(phase, elapsed, rep_seconds), SayKind.INFO)
    return time_left_line(remaining_seconds, phase, elapsed, rep_seconds)


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
