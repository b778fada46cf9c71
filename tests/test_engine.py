"""The session engine, on a fake clock: every command in every phase, exact timing."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.routines import NECK_ROUTINE
from voicecoach.core import script
from voicecoach.core.commands import Command
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
from voicecoach.core.plan import (
    PhaseKind,
    SegmentKind,
    SessionSettings,
    build_plan,
    segment_phases,
)
from voicecoach.core.record import Snapshot, StepRecord, Summary, TempoChange
from voicecoach.core.routine import Exercise, Modification, Routine, Step
from voicecoach.core.routine_rules import MAX_EXERCISES, MAX_STEPS
from voicecoach.core.routine_toml import parse_routine
from voicecoach.core.session import NARRATOR_WAIT, Session, SessionView
from voicecoach.core.state import SessionState
from voicecoach.core.view import ExerciseState, exercise_statuses
from voicecoach.storage.progress import ProgressStore
from voicecoach.storage.routine_files import resolve_routine

WORD = 0.5
"""Seconds per word of the test speech estimate (simple to reason about)."""


def fixed_speech(text: str) -> float:
    return WORD * len(text.split())


SETTINGS = SessionSettings(speech_seconds=fixed_speech, reading_gap=1.0)

SMALL = """
name = "small"
title = "Small"
hold_seconds = 60
reps = 4
rep_seconds = 2
rest_seconds = 10

[[exercises]]
name = "Holder"
purpose = "Hold it."
sides = ["right", "left"]
[exercises.easier]
summary = "Go gently."
[[exercises.steps]]
text = "Get ready on your {side} side."
easier = "Get ready gently on your {side} side."
[[exercises.steps]]
text = "Hold the stretch."
hold = true

[[exercises]]
name = "Rocker"
purpose = "Rock it."
[exercises.easier]
summary = "Rock less."
[[exercises.steps]]
text = "Rock with my count."
reps = true
"""


def small(**overrides: float) -> Session:
    return Session(parse_routine(SMALL, "small.toml", **overrides), 0.0, SETTINGS)  # type: ignore[arg-type]


def says(cues: list[Cue]) -> list[str]:
    return [cue.text for cue in cues if isinstance(cue, Say)]


def run_until(session: Session, predicate: Callable[[SessionView], bool], start: float,
              step: float = 0.25, limit: float = 5000.0) -> tuple[float, list[Cue]]:
    """Tick until predicate(view) holds; return the time and every cue on the way."""
    now = start
    seen: list[Cue] = []
    while not predicate(session.view()):
        now += step
        assert now < limit, "condition never reached"
        seen += session.tick(now)
    return now, seen


def in_hold(view: SessionView) -> bool:
    return view.phase is PhaseKind.HOLD


def test_plan_has_intro_steps_per_side_switch_and_rest() -> None:
    plan = build_plan(parse_routine(SMALL))
    kinds = [(s.kind, s.exercise, s.side, s.step) for s in plan]
    assert kinds == [
        (SegmentKind.INTRO, 0, 0, None),
        (SegmentKind.STEP, 0, 0, 0), (SegmentKind.STEP, 0, 0, 1),
        (SegmentKind.SWITCH, 0, 1, None),
        (SegmentKind.STEP, 0, 1, 0), (SegmentKind.STEP, 0, 1, 1),
        (SegmentKind.REST, 1, None, None),
        (SegmentKind.INTRO, 1, None, None),
        (SegmentKind.STEP, 1, None, 0),
    ]


def test_start_announces_the_first_exercise_and_side() -> None:
    session = small()
    cues = session.tick(0.0)
    assert isinstance(cues[0], SegmentStarted)
    assert says(cues) == ["Exercise one of two: Holder. Hold it.",
                          "We'll start with your right side."]


def test_hold_counts_aloud_at_the_right_moments() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    timeline: dict[float, str] = {}
    now = start
    while session.view().phase is PhaseKind.HOLD:
        now += 0.25
        for text in says(session.tick(now)):
            timeline.setdefault(round(now - start, 2), text)
    assert timeline[30.0] == "Halfway. Keep breathing slowly."
    assert timeline[50.0] == "Ten seconds left."
    assert [timeline[t] for t in (55.0, 56.0, 57.0, 58.0, 59.0)] == [
        "Five.", "Four.", "Three.", "Two.", "One."]
    assert timeline[60.0] == "And release."


def test_hold_start_says_its_length() -> None:
    session = small()
    _, cues = run_until(session, in_hold, 0.0)
    assert says(cues)[-1] == "Hold for one minute."


def test_pause_freezes_a_hold_exactly() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0, step=0.5)
    session.tick(start + 40)
    cues = session.handle(Command.PAUSE, start + 40)
    assert Silence("pause") in cues and Paused() in cues
    assert session.tick(start + 57) == []  # nothing moves while paused
    assert session.view().phase_elapsed == pytest.approx(40)
    cues = session.handle(Command.RESUME, start + 57)
    assert Resumed(17.0) in cues
    assert "Resuming. Twenty seconds left in this hold." in says(cues)
    session.tick(start + 76.5)
    assert session.view().phase is PhaseKind.HOLD
    cues = session.tick(start + 77)
    assert "And release." in says(cues)
    assert session.view().phase is PhaseKind.READING


def test_pause_twice_and_resume_while_running_are_refused() -> None:
    session = small()
    session.handle(Command.PAUSE, 1.0)
    assert session.handle(Command.PAUSE, 2.0)[-1] == CommandHandled(Command.PAUSE, False)
    session.handle(Command.RESUME, 3.0)
    assert session.handle(Command.RESUME, 4.0)[-1] == CommandHandled(Command.RESUME, False)


def test_pause_during_reading_rereads_the_line_on_resume() -> None:
    session = small()
    session.tick(2.0)
    session.handle(Command.PAUSE, 2.0)
    cues = session.handle(Command.RESUME, 9.0)
    assert says(cues)[:2] == ["Resuming.", "Exercise one of two: Holder. Hold it."]
    assert session.view().phase_elapsed == 0.0


def test_per_side_timing_and_switch() -> None:
    session = small()
    _, cues = run_until(session, lambda v: v.segment_kind is SegmentKind.SWITCH, 0.0)
    assert "Switch sides. Now your left side." in says(cues)
    assert session.view().side == "left"
    _, cues = run_until(session, in_hold, session._now)
    assert "Get ready on your left side." in says(cues)
    hold_start = session._now
    _, _ = run_until(session, lambda v: v.phase is not PhaseKind.HOLD, hold_start)
    assert session._now - hold_start == pytest.approx(60.0, abs=0.25)


def test_reps_count_one_by_one_with_last_one() -> None:
    session = small()
    _, _ = run_until(session, lambda v: v.phase is PhaseKind.REPS, 0.0)
    start = session._now
    texts = []
    now = start
    while not session.finished:
        now += 0.5
        texts += says(session.tick(now))
    assert texts[:4] == ["One.", "Two.", "Three. Last one.", "Four. Good."]
    assert now - start == pytest.approx(8.0, abs=0.5)


def test_rep_view_counts_up() -> None:
    session = small()
    run_until(session, lambda v: v.phase is PhaseKind.REPS, 0.0)
    start = session._now
    assert session.view(start + 0.1).rep == 1
    assert session.view(start + 4.1).rep == 3
    assert session.view().reps_total == 4


def test_overrides_change_hold_and_reps() -> None:
    session = small(hold_seconds=120, reps=6)
    _, cues = run_until(session, in_hold, 0.0)
    assert says(cues)[-1] == "Hold for two minutes."
    assert session.view().phase_duration == 120


def test_a_routine_skipped_to_its_end_gets_no_praise() -> None:
    """"That's the end of the routine." without "Well done." when nothing was done."""
    session = small()
    said: list[str] = []
    now = 0.0
    while not session.finished:
        now += 1.0
        said += says(session.handle(Command.NEXT, now))
    assert said[-1] == "That's the end of the routine."
    assert session.summary().completed == ()


def test_next_skips_and_back_returns() -> None:
    session = small()
    cues = session.handle(Command.NEXT, 1.0)
    assert Silence("next") in cues
    assert session.view().step_number == 1
    session.handle(Command.NEXT, 2.0)
    assert session.view().step_number == 2
    session.handle(Command.BACK, 3.0)
    view = session.view()
    assert view.step_number == 1 and view.phase is PhaseKind.READING
    session.handle(Command.BACK, 4.0)
    assert session.view().segment_kind is SegmentKind.INTRO
    session.handle(Command.BACK, 5.0)  # at the very start: stays, restarts
    assert session.view().segment_kind is SegmentKind.INTRO


def test_back_skips_rest_and_switch() -> None:
    session = small()
    run_until(session, lambda v: v.segment_kind is SegmentKind.INTRO and v.exercise_index == 1,
              0.0)
    session.handle(Command.BACK, session._now)
    view = session.view()
    assert (view.exercise_index, view.side, view.step_number) == (0, "left", 2)


def test_done_ends_a_hold_early_and_counts_it_done() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    hold = session.snapshot().segment
    cues = session.handle(Command.DONE, start + 5)
    assert "Good." in says(cues)
    assert session.view().segment_kind is SegmentKind.SWITCH
    saved = session.snapshot()
    assert hold in saved.completed and hold not in saved.skipped


def test_next_while_a_step_with_nothing_to_hold_is_read_leaves_the_exercise_done() -> None:
    """"next" or "done" said over "Get ready…" (the person is ready) passes over nothing
    the exercise asked for: with every hold held, the exercise is done, not skipped."""
    session = small(hold_seconds=5)
    now = 0.0
    for side, command in (("right", Command.NEXT), ("left", Command.DONE)):
        def getting_ready(view: SessionView, side: str = side) -> bool:
            return (view.side == side and view.phase is PhaseKind.READING
                    and view.step_number == 1)

        now, _ = run_until(session, getting_ready, now)
        session.handle(command, now + 0.5)
        now, _ = run_until(session, in_hold, now + 0.5)
    now, _ = run_until(session, lambda v: v.exercise_index == 1, now)
    assert session.view().exercises[0].state is ExerciseState.DONE
    assert session.snapshot().skipped == frozenset()


def test_stop_over_a_step_that_is_only_read_does_not_count_it_done() -> None:
    session = small(hold_seconds=5)
    now, _ = run_until(session, lambda v: v.phase is PhaseKind.READING
                       and v.step_number == 1, 0.0)
    session.handle(Command.STOP, now + 0.5)
    summary = session.summary()
    assert summary.completed == () and summary.skipped == ()
    assert summary.stopped_in == "Holder"


def test_stop_in_a_hold_lists_the_exercise_as_stopped_in_not_skipped() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.STOP, start + 5)
    summary = session.summary()
    assert (summary.stopped_in, summary.skipped, summary.not_reached) == (
        "Holder", (), ("Rocker",))
    assert [(r.exercise, r.done) for r in summary.steps] == []
    assert Summary.from_json(summary.to_json()) == summary


def test_stop_in_an_exercise_already_skipped_in_part_leaves_it_skipped() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.NEXT, start + 5)  # the right side's hold passed over
    now, _ = run_until(session, in_hold, start + 5)
    session.handle(Command.STOP, now + 1)
    summary = session.summary()
    assert summary.skipped == ("Holder",) and summary.stopped_in is None


def test_next_during_a_hold_marks_it_skipped() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.NEXT, start + 5)
    assert 2 in session.snapshot().skipped
    assert session.view().exercises[0].state is ExerciseState.CURRENT  # still in progress
    session.handle(Command.STOP, start + 6)
    summary = session.summary()
    assert summary.skipped == ("Holder",) and summary.not_reached == ("Rocker",)
    assert summary.completed == () and summary.stopped is True


def test_easier_switches_at_once_rereads_and_holds_for_the_session() -> None:
    session = small()
    session.handle(Command.NEXT, 1.0)  # step 1 of the right side
    cues = session.handle(Command.EASIER, 2.0)
    assert VariantChanged("Holder", True) in cues
    assert says(cues)[:2] == ["Easier version: Go gently.", "Get ready gently on your right side."]
    assert session.view().easier
    assert session.handle(Command.EASIER, 3.0)[-1] == CommandHandled(Command.EASIER, False)
    _, cues = run_until(session, lambda v: v.side == "left" and v.step_number == 1, 3.0)
    assert "Get ready gently on your left side." in says(cues)
    cues = session.handle(Command.HARDER, session._now)
    assert VariantChanged("Holder", False) in cues
    assert "Get ready on your left side." in says(cues)
    assert session.handle(Command.HARDER, session._now)[-1] == CommandHandled(
        Command.HARDER, False)


def test_easier_during_the_introduction_says_the_easier_version_once() -> None:
    """The introduction read again says it: "Easier version: …" before it made it twice."""
    session = small()  # in the first exercise's introduction
    cues = session.handle(Command.EASIER, 1.0)
    assert VariantChanged("Holder", True) in cues
    assert [line for line in says(cues) if "Go gently." in line] == [
        "You're on the easier version: Go gently."]
    assert says(cues)[0].startswith("Exercise one of two: Holder.")
    cues = session.handle(Command.HARDER, 2.0)
    assert says(cues)[0] == "The full version of the Holder again."


def test_easier_during_hold_keeps_the_timer() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.tick(start + 20)
    session.handle(Command.EASIER, start + 20)
    view = session.view()
    assert view.phase is PhaseKind.HOLD and view.phase_elapsed == pytest.approx(20)
    assert view.easier


def test_repeat_rereads_the_step() -> None:
    session = small()
    session.handle(Command.NEXT, 1.0)
    session.tick(2.5)
    cues = session.handle(Command.REPEAT, 2.5)
    assert Silence("repeat") in cues
    assert says(cues) == ["Get ready on your right side."]
    assert session.view().phase_elapsed == 0.0
    start, _ = run_until(session, in_hold, 2.5)
    cues = session.handle(Command.REPEAT, start + 3)
    assert says(cues) == ["Hold the stretch."]
    assert session.view().phase_elapsed == pytest.approx(3)


def test_help_and_time_left_speak_without_moving() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    cues = session.handle(Command.HELP, start + 1)
    assert says(cues)[0].startswith("You can say: next, back, pause, resume, easier")
    assert says(cues)[0].endswith("or time left.")
    cues = session.handle(Command.TIME_LEFT, start + 15)
    text = says(cues)[0]
    assert text.startswith("About ") and ". Forty-five seconds left in this hold." in text
    assert all(s.kind is SayKind.INFO for s in cues if isinstance(s, Say))
    assert session.view().phase_elapsed == pytest.approx(15)


def test_stop_ends_at_once() -> None:
    session = small()
    session.tick(0.0)
    cues = session.handle(Command.STOP, 3.0)
    assert cues[0] == Silence("stop")
    assert Finished(True) in cues
    assert session.finished and session.view().stopped
    assert session.handle(Command.NEXT, 4.0)[-1] == CommandHandled(Command.NEXT, False)


@pytest.mark.parametrize("phase", [PhaseKind.READING, PhaseKind.HOLD, PhaseKind.REST,
                                   PhaseKind.REPS])
@pytest.mark.parametrize("command", list(Command))
def test_every_command_in_every_phase(phase: PhaseKind, command: Command) -> None:
    """No command crashes in any phase and each is answered: a question costs no time,
    stop ends, pause freezes, and a move cuts what is being said."""
    session = small()
    now, _ = run_until(session, lambda v: v.phase is phase, 0.0)
    if phase is PhaseKind.READING:
        now, _ = run_until(session, lambda v: v.segment_kind is SegmentKind.STEP, now)
    before = session.view()
    cues = session.handle(command, now + 0.5)
    handled = [c for c in cues if isinstance(c, CommandHandled)]
    assert handled and handled[-1].command is command
    after = session.view()
    if command in (Command.HELP, Command.TIME_LEFT, Command.WHATS_NEXT,
                   Command.HOW_MANY_LEFT):
        assert after.phase_elapsed == pytest.approx(before.phase_elapsed + 0.5)
    if command is Command.STOP:
        assert after.finished
    if command is Command.PAUSE:
        assert after.paused
        assert session.tick(now + 10) == [] and session.view().phase_elapsed == after.phase_elapsed
    if command in (Command.NEXT, Command.DONE, Command.BACK):
        assert Silence(command.value) in cues


def reading_before_the_hold(view: SessionView) -> bool:
    return view.phase is PhaseKind.READING and view.text == "Hold the stretch."


def test_a_reading_waits_at_its_end_for_the_narrator() -> None:
    """An answer said over a step (here "time left") must not run on into the hold: the
    hold begins once the narrator has said everything, and the wait is no active time."""
    session = small()
    now, _ = run_until(session, reading_before_the_hold, 0.0)
    reading = session.view().phase_remaining
    session.handle(Command.TIME_LEFT, now)
    session.narrator_busy = True  # still reading, the answer behind the step
    cues = session.tick(now + reading + 5.0)
    view = session.view()
    assert view.phase is PhaseKind.READING and not any(isinstance(c, Say) for c in cues)
    assert view.phase_elapsed == pytest.approx(view.phase_duration)
    active = view.active_seconds
    session.narrator_busy = False
    cues = session.tick(now + reading + 5.5)
    view = session.view()
    assert view.phase is PhaseKind.HOLD and says(cues)[0].startswith("Hold for")
    assert view.phase_elapsed == pytest.approx(0.5)  # the hold from its start
    assert view.active_seconds == pytest.approx(active + 0.5)  # the 5 s waited: not counted


def test_a_narrator_that_never_finishes_holds_a_reading_for_a_while_only() -> None:
    session = small()
    now, _ = run_until(session, reading_before_the_hold, 0.0)
    reading = session.view().phase_remaining
    session.narrator_busy = True
    session.tick(now + reading + NARRATOR_WAIT - 1.0)
    assert session.view().phase is PhaseKind.READING
    session.tick(now + reading + NARRATOR_WAIT + 1.0)
    assert session.view().phase is PhaseKind.HOLD


def test_after_an_answer_near_a_holds_end_the_countdown_says_what_is_left() -> None:
    """Read again with 6 s of the hold left, the step is followed by "Five." a second on,
    not by "Six seconds left in this hold." and then at once "Five."."""
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.tick(start + 54)
    assert says(session.handle(Command.REPEAT, start + 54)) == ["Hold the stretch."]
    session.narrator_busy = True
    session.tick(start + 58)
    session.narrator_busy = False
    assert says(session.tick(start + 58.5)) == []
    assert not session.view().waiting_for_narrator
    assert says(session.tick(start + 59.5)) == ["Five."]


def test_a_busy_narrator_does_not_hold_back_a_hold() -> None:
    """A hold is timed by the clock: an answer said during it does not lengthen it."""
    session = small()
    now, _ = run_until(session, in_hold, 0.0)
    session.narrator_busy = True
    hold = session.view().phase_duration
    session.tick(now + hold + 0.5)
    assert session.view().phase is not PhaseKind.HOLD


def test_a_hold_stands_still_while_its_step_is_read_again() -> None:
    """"repeat" during a hold: the narrator reads the step over the hold, so the hold's
    clock stops until it has finished, then goes on from where it was and says what is
    left (no count is lost under the reading, no seconds of the hold pass unguided)."""
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.tick(start + 20)
    cues = session.handle(Command.REPEAT, start + 20)
    assert says(cues) == ["Hold the stretch."]
    session.narrator_busy = True
    cues = session.tick(start + 26)
    view = session.view()
    assert not says(cues)
    assert view.phase is PhaseKind.HOLD and view.phase_elapsed == pytest.approx(20)
    session.narrator_busy = False
    cues = session.tick(start + 26.5)
    assert says(cues) == ["Forty seconds left in this hold."]
    assert session.view().waiting_for_narrator  # for that line too (6 words: 3 s)
    session.tick(start + 29)  # (from 26 s on, when the narrator was last seen busy)
    assert session.view().phase_elapsed == pytest.approx(20)
    session.tick(start + 29.5)
    view = session.view()
    assert view.phase_elapsed == pytest.approx(20.5) and not view.waiting_for_narrator


@pytest.mark.parametrize("command", [Command.EASIER, Command.HELP, Command.WHATS_NEXT])
def test_a_set_stands_still_while_the_narrator_reads_what_was_asked(
        command: Command) -> None:
    """The easier version, the list of commands or the next step, read over a set: its
    counts wait, and the first after "Three reps to go." comes a whole rep later."""
    session = small()
    start, _ = run_until(session, in_reps, 0.0)
    session.tick(start + 2)
    session.handle(command, start + 2)
    session.narrator_busy = True
    assert not says(session.tick(start + 12))
    view = session.view()
    assert view.rep == 2 and view.waiting_for_narrator
    session.narrator_busy = False
    assert says(session.tick(start + 12.25)) == ["Three reps to go."]
    assert not says(session.tick(start + 15.75))  # 2 s for that line, a rep of 2 s
    assert says(session.tick(start + 16)) == ["Two."]


@pytest.mark.parametrize("command", [Command.SLOWER, Command.TIME_LEFT])
def test_a_short_answer_over_a_set_costs_no_count(command: Command) -> None:
    """"slow down" or "time left" said in a set: the count waits for the answer and says
    nothing more (the answer said what changed or what is left)."""
    session = small()
    start, _ = run_until(session, in_reps, 0.0)
    session.tick(start + 2)
    assert says(session.handle(command, start + 2))
    elapsed = session.view().phase_elapsed  # (slower: the same share of a slower set)
    session.narrator_busy = True
    session.tick(start + 5.5)
    assert session.view().phase_elapsed == pytest.approx(elapsed)
    session.narrator_busy = False
    cues = session.tick(start + 5.75)
    assert not says(cues) and session.view().phase_elapsed == pytest.approx(elapsed + 0.25)


def test_a_moment_of_reading_again_says_nothing_more() -> None:
    """Under a second of standing still (a narrator that says it was done at once): the
    hold goes on without a line about what is left."""
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.REPEAT, start + 5)
    session.narrator_busy = True
    session.tick(start + 5.5)
    session.narrator_busy = False
    assert not says(session.tick(start + 6))
    assert session.view().phase_elapsed == pytest.approx(5.5)


def test_a_command_with_nothing_to_say_does_not_stop_a_hold() -> None:
    """Only an answer stands a hold still: a busy narrator saying its own count does not."""
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.PAUSE, start + 5)
    session.handle(Command.RESUME, start + 5)  # "Resuming. …": stands still for it
    session.narrator_busy = False
    session.tick(start + 6)
    session.narrator_busy = True  # a count, with nothing asked
    session.tick(start + 8)
    assert session.view().phase_elapsed == pytest.approx(8)


def test_a_pause_during_a_reading_again_says_what_is_left_once() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.REPEAT, start + 5)
    session.narrator_busy = True
    session.tick(start + 7)
    session.handle(Command.PAUSE, start + 7)
    session.narrator_busy = False
    cues = session.handle(Command.RESUME, start + 20)
    cues += session.tick(start + 21)
    assert says(cues) == ["Resuming. Fifty-five seconds left in this hold."]


def test_a_narrator_that_never_finishes_holds_a_hold_for_a_while_only() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.REPEAT, start + 5)
    session.narrator_busy = True
    session.tick(start + 5 + NARRATOR_WAIT + 3)
    assert session.view().phase_elapsed == pytest.approx(8)


def test_time_never_goes_backwards() -> None:
    session = small()
    session.tick(5.0)
    with pytest.raises(ValueError):
        session.tick(4.0)


def test_snapshot_restores_position_and_variant() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.EASIER, start + 1)
    snap = session.snapshot()
    restored = Session.restore(parse_routine(SMALL, "small.toml"), snap, 1000.0, SETTINGS)
    cues = restored.tick(1000.0)
    assert says(cues)[0] == "Welcome back. Picking up at Holder, right side, step 2."
    view = restored.view()
    assert (view.step_number, view.side, view.easier) == (2, "right", True)
    assert view.phase is PhaseKind.READING  # the interrupted step starts over


def test_back_pain_total_duration_at_defaults() -> None:
    """The built-in routine's length follows from its content and the defaults."""
    routine = resolve_routine("back-pain")
    session = Session(routine, 0.0, SETTINGS)
    numbers = ["one", "two", "three", "four"]
    reading = 0.0
    for index, exercise in enumerate(routine.exercises):
        intro = f"Exercise {numbers[index]} of four: {exercise.name}. {exercise.purpose}"
        reading += fixed_speech(intro) + fixed_speech("We'll start with your right side.") + 1
        for side in exercise.sides:
            reading += sum(fixed_speech(s.spoken(easier=False, side=side)) + 1
                           for s in exercise.steps)
        reading += fixed_speech(f"{exercise.switch_text} Now your left side.") + 1
    holds = 2 * 3 * 60  # 90/90 (C) and (E), couch (D), on both sides, one minute each
    reps = 2 * 2 * 10 * 3  # hamstring and adductors, both sides, 10 reps at 3 s
    rests = 3 * 15
    expected = reading + holds + reps + rests
    assert session.total_seconds() == pytest.approx(expected)
    now = 0.0
    while not session.finished:
        now += 0.5
        session.tick(now)
    assert now == pytest.approx(expected, abs=0.5)
    assert 12 * 60 < expected < 20 * 60


def test_back_pain_holds_and_reps_follow_overrides() -> None:
    routine = resolve_routine("back-pain", hold_seconds=120, reps=15)
    holds = [s.hold_seconds for e in routine.exercises for s in e.steps if s.hold_seconds]
    reps = [s.reps for e in routine.exercises for s in e.steps if s.reps]
    assert holds == [120, 120, 120] and reps == [15, 15]


def test_moving_while_paused_says_where_and_resume_reads_the_new_step() -> None:
    """Paused, "next" says where it moved to (it had said nothing, its "heard: next ✓"
    the only sign), and reads the step only once the session goes on."""
    session = small()
    session.tick(0.0)
    session.handle(Command.PAUSE, 1.0)
    cues = session.handle(Command.NEXT, 2.0)
    assert says(cues) == ["Holder, right side, step 1. Ready when you are."] and session.paused
    assert session.view().step_number == 1
    cues = session.handle(Command.EASIER, 3.0)
    assert says(cues) == ["Easier version: Go gently."]
    cues = session.handle(Command.RESUME, 10.0)
    assert says(cues) == ["Resuming.", "Get ready gently on your right side."]
    assert says(session.handle(Command.TIME_LEFT, 11.0))


def test_a_snapshot_survives_json_and_restores_the_same_place() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.EASIER, start + 1)
    session.handle(Command.NEXT, start + 2)
    snap = session.snapshot()
    again = Snapshot.from_json(json.loads(json.dumps(snap.to_json())))
    assert again == snap
    restored = Session.restore(parse_routine(SMALL, "small.toml"), again, 50.0, SETTINGS)
    view = restored.view()
    assert (view.segment_kind, view.side, view.easier) == (SegmentKind.SWITCH, "left", True)
    assert restored.snapshot().skipped == snap.skipped == frozenset({2})


@pytest.mark.parametrize("change", [
    {"routine": "other"},
    {"segment": 9},
    {"easier": frozenset({2})},
    {"completed": frozenset({0, 9})},
    {"skipped": frozenset({10**400})},
])
def test_restore_refuses_a_snapshot_that_does_not_fit(change: dict[str, object]) -> None:
    snap = replace(small().snapshot(), **change)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Session.restore(parse_routine(SMALL, "small.toml"), snap, 0.0, SETTINGS)


def test_a_whole_run_is_summed_up_as_done() -> None:
    session = small()
    run_until(session, lambda v: v.finished, 0.0, step=0.5)
    summary = session.summary()
    assert summary == Summary(routine="small", title="Small",
                              active_seconds=summary.active_seconds, stopped=False,
                              completed=("Holder", "Rocker"), easier=(), skipped=(),
                              not_reached=(),
                              steps=(StepRecord("Holder", "right", 2, "hold", 60.0, 60.0),
                                     StepRecord("Holder", "left", 2, "hold", 60.0, 60.0),
                                     StepRecord("Rocker", None, 1, "reps", 4.0, 4.0)))
    assert summary.active_seconds == pytest.approx(session.total_seconds(), abs=0.5)


def test_the_rest_line_is_said_once_and_times_the_rest() -> None:
    quick_rest = parse_routine(SMALL.replace("rest_seconds = 10", "rest_seconds = 1"))
    session = Session(quick_rest, 0.0, SETTINGS)
    _, cues = run_until(session, lambda v: v.segment_kind is SegmentKind.REST, 0.0, step=0.5)
    assert says(cues).count("Rest. Then: Rocker.") == 1
    # The line takes longer to say than the 1 s rest: the rest lasts as long as the line.
    assert session.view().phase_duration == fixed_speech("Rest. Then: Rocker.")


# ----- views cost the same on a routine of any size ---------------------------------------


def largest_routine() -> Routine:
    """A routine at the size caps: 200 exercises of 50 steps, on two sides."""
    def exercise(index: int) -> Exercise:
        steps = tuple(Step("", f"Step {n} on your {{side}} side.",
                           hold_seconds=30.0 if n % 2 else None, reps=None if n % 2 else 5)
                      for n in range(MAX_STEPS))
        return Exercise(f"Exercise {index}", "Purpose.", steps, Modification("Less.", False),
                        sides=("right", "left"))
    return Routine("big", "Big", "", tuple(exercise(i) for i in range(MAX_EXERCISES)))


def average_seconds(calls: int, action: Callable[[int], object]) -> float:
    start = time.perf_counter()
    for index in range(calls):
        action(index)
    return (time.perf_counter() - start) / calls


def test_views_stay_fast_on_the_largest_routine() -> None:
    session = Session(largest_routine(), 0.0, SETTINGS)
    assert len(session.plan) > 20_000
    session.view(0.0)  # the first view works the durations out once
    assert average_seconds(50, lambda i: session.view(0.1 * (i + 1))) < 0.005
    now = 5.0
    assert average_seconds(50, lambda i: (session.handle(Command.NEXT, now), session.view())) \
        < 0.05
    assert average_seconds(20, lambda i: (session.handle(
        Command.EASIER if i % 2 == 0 else Command.HARDER, now), session.view())) < 0.05


def fresh_phases(session: Session, index: int, easier: frozenset[int]) -> list[float]:
    """The durations of a segment's phases, worked out from scratch."""
    segment = session.plan[index]
    lines = script.reading_lines(session.routine, segment, easier=segment.exercise in easier)
    spoken = sum(SETTINGS.speech_seconds(line.text) for line in lines)
    return [p.duration for p in segment_phases(session.routine, segment, spoken,
                                               SETTINGS.reading_gap)]


@pytest.mark.parametrize("commands", [
    [Command.EASIER, Command.NEXT, Command.NEXT, Command.HARDER, Command.BACK, Command.DONE],
    [Command.NEXT] * 4 + [Command.EASIER, Command.BACK, Command.BACK, Command.HARDER],
    [Command.EASIER, Command.NEXT, Command.NEXT, Command.NEXT, Command.NEXT, Command.NEXT,
     Command.EASIER, Command.STOP],
])
def test_kept_durations_and_statuses_match_a_fresh_count(commands: list[Command]) -> None:
    session = small()
    now = 0.0
    for command in commands:
        now += 3.0
        session.handle(command, now)
        snap = session.snapshot()
        phases = [fresh_phases(session, i, snap.easier) for i in range(len(session.plan))]
        durations = [sum(p) for p in phases]
        assert [session.segment_duration(i) for i in range(len(session.plan))] == durations
        assert session.total_seconds() == pytest.approx(sum(durations))
        view = session.view()
        if not snap.finished:
            left = sum(phases[snap.segment][snap.phase:]) - snap.elapsed
            assert view.remaining_seconds == pytest.approx(
                left + sum(durations[snap.segment + 1:]))
        state = SessionState(segment=snap.segment, finished=snap.finished,
                             easier=set(snap.easier), completed=set(snap.completed),
                             skipped=set(snap.skipped))
        assert view.exercises == exercise_statuses(session.routine, session.plan, state)


def test_saved_progress_out_of_range_starts_over(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.path_for("small").write_text('{"routine": "small", "segment": 1e400}')
    assert store.load("small") is None
    huge = replace(small().snapshot(), segment=10**400)
    store.save(huge)
    loaded = store.load("small")
    assert loaded is not None and loaded.segment == 10**400
    with pytest.raises(ValueError, match="does not match"):
        Session.restore(parse_routine(SMALL, "small.toml"), loaded, 0.0, SETTINGS)


# ----- the pace by voice: tempo, reps and holds as done, what's next, how many left --------

PACED = """
name = "paced"
title = "Paced"
hold_seconds = 30
reps = 4
rep_seconds = 2
rest_seconds = 10

[[exercises]]
name = "Rocker"
purpose = "Rock it."
sides = ["right", "left"]
[exercises.easier]
summary = "Rock less."
[[exercises.steps]]
text = "Rock on your {side} side. Keep it small."
reps = true

[[exercises]]
name = "Holder"
purpose = "Hold it."
[exercises.easier]
summary = "Go gently."
[[exercises.steps]]
text = "Hold the stretch."
hold = true

[[exercises]]
name = "Lifter"
purpose = "Lift it."
[exercises.easier]
summary = "Lift less."
[[exercises.steps]]
text = "Lift with my count."
reps = true
"""


def paced(**overrides: float) -> Session:
    routine = parse_routine(PACED, "paced.toml", **overrides)  # type: ignore[arg-type]
    return Session(routine, 0.0, SETTINGS)


def in_reps(view: SessionView) -> bool:
    return view.phase is PhaseKind.REPS


def timeline(session: Session, start: float, until: Callable[[SessionView], bool],
             step: float = 0.25) -> dict[float, str]:
    """{seconds after ``start``: line} for the lines said until ``until(view)`` holds."""
    said: dict[float, str] = {}
    now = start
    while not until(session.view()):
        now += step
        for text in says(session.tick(now)):
            said.setdefault(round(now - start, 2), text)
    return said


def test_slowing_down_at_a_count_moves_the_next_counts_to_the_new_tempo() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    assert session.view().seconds_per_rep == 2.0
    assert says(session.tick(start + 2)) == ["One."]
    assert says(session.tick(start + 4)) == ["Two."]
    cues = session.handle(Command.SLOWER, start + 4)
    assert says(cues) == ["A bit slower: two and a half seconds a rep."]
    assert cues[-1] == CommandHandled(Command.SLOWER, True)
    view = session.view()
    assert (view.rep, view.seconds_per_rep) == (3, 2.5)
    assert view.phase_remaining == pytest.approx(2 * 2.5)
    said = timeline(session, start + 4, lambda v: not in_reps(v))
    assert said == {2.5: "Three. Last one.", 5.0: "Four. Good."}


def test_speeding_up_in_the_middle_of_a_rep_keeps_the_part_of_it_done() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    session.tick(start + 3)  # one and a half reps at 2 s
    assert says(session.handle(Command.FASTER, start + 3)) == [
        "A bit faster: one and a half seconds a rep."]
    # Half of rep two is left: 0.75 s at 1.5 s a rep; then 1.5 s a rep.
    said = timeline(session, start + 3, lambda v: not in_reps(v))
    assert said == {0.75: "Two.", 2.25: "Three. Last one.", 3.75: "Four. Good."}


def test_the_tempo_holds_for_the_exercise_and_not_for_the_next_one() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    session.handle(Command.SLOWER, start + 1)
    session.handle(Command.SLOWER, start + 1)
    # The left side counts its four reps at three seconds from the start.
    left, _ = run_until(session, lambda v: in_reps(v) and v.side == "left", start + 1)
    assert session.view().seconds_per_rep == 3.0
    said = timeline(session, left, lambda v: not in_reps(v))
    assert said == {3.0: "One.", 6.0: "Two.", 9.0: "Three. Last one.", 12.0: "Four. Good."}
    lifter, _ = run_until(session, in_reps, session._now)
    assert session.view().exercise_name == "Lifter"
    assert session.view().seconds_per_rep == 2.0
    said = timeline(session, lifter, lambda v: v.finished)
    assert said == {2.0: "One.", 4.0: "Two.", 6.0: "Three. Last one.", 8.0: "Four. Good."}
    assert session.summary().tempo == (TempoChange("Rocker", 3.0),)


def test_the_tempo_stays_within_its_bounds() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    assert says(session.handle(Command.FASTER, start)) == [
        "A bit faster: one and a half seconds a rep."]
    cues = session.handle(Command.FASTER, start)
    assert says(cues) == ["That's the fastest: one and a half seconds a rep."]
    assert cues[-1] == CommandHandled(Command.FASTER, False)
    for _ in range(9):  # 1.5 -> 6.0
        assert session.handle(Command.SLOWER, start)[-1].accepted  # type: ignore[union-attr]
    assert session.view().seconds_per_rep == 6.0
    cues = session.handle(Command.SLOWER, start)
    assert says(cues) == ["That's the slowest: six seconds a rep."]
    assert cues[-1] == CommandHandled(Command.SLOWER, False)


@pytest.mark.parametrize(("tempo", "command", "said"), [
    (10.0, Command.SLOWER, "That's the slowest: ten seconds a rep."),
    (10.0, Command.FASTER, "A bit faster: nine and a half seconds a rep."),
    (1.0, Command.FASTER, "That's the fastest: one second a rep."),
    (1.0, Command.SLOWER, "A bit slower: one and a half seconds a rep."),
])
def test_a_routine_tempo_outside_the_bounds_stays_reachable(tempo: float, command: Command,
                                                             said: str) -> None:
    session = paced(rep_seconds=tempo)
    start, _ = run_until(session, in_reps, 0.0)
    assert says(session.handle(command, start)) == [said]


def test_back_to_the_routines_tempo_is_no_tempo_change() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    session.handle(Command.SLOWER, start)
    assert session.summary().tempo == (TempoChange("Rocker", 2.5),)
    session.handle(Command.FASTER, start)
    assert session.summary().tempo == ()


def test_tempo_outside_reps_sets_the_next_reps_of_the_exercise() -> None:
    session = paced()
    session.handle(Command.NEXT, 1.0)  # reading the reps step
    assert session.view().phase is PhaseKind.READING
    assert says(session.handle(Command.SLOWER, 2.0)) == [
        "A bit slower: two and a half seconds a rep."]
    start, cues = run_until(session, in_reps, 2.0)
    assert says(cues)[-1] == "Four times. Begin."
    said = timeline(session, start, lambda v: not in_reps(v))
    assert said == {2.5: "One.", 5.0: "Two.", 7.5: "Three. Last one.", 10.0: "Four. Good."}


def test_tempo_during_a_rest_is_for_the_exercise_to_come() -> None:
    session = paced()
    run_until(session, lambda v: v.segment_kind is SegmentKind.REST
              and v.exercise_name == "Lifter", 0.0)
    session.handle(Command.FASTER, session._now)
    assert session.summary().tempo == (TempoChange("Lifter", 1.5),)


def test_tempo_in_an_exercise_without_reps_is_refused_briefly() -> None:
    session = paced()
    run_until(session, lambda v: v.exercise_name == "Holder" and v.phase is PhaseKind.HOLD,
              0.0)
    elapsed = session.view().phase_elapsed
    cues = session.handle(Command.SLOWER, session._now)
    assert says(cues) == ["The tempo is for reps, and there are none here."]
    assert cues[-1] == CommandHandled(Command.SLOWER, False)
    assert session.view().phase_elapsed == elapsed and session.summary().tempo == ()


def test_tempo_while_paused_is_said_and_the_count_goes_on_from_the_same_place() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    session.tick(start + 4)
    session.handle(Command.PAUSE, start + 4)
    assert says(session.handle(Command.SLOWER, start + 9)) == [
        "A bit slower: two and a half seconds a rep."]
    assert session.paused and session.view().rep == 3
    session.handle(Command.RESUME, start + 20)
    said = timeline(session, start + 20, lambda v: not in_reps(v))
    assert said == {2.5: "Three. Last one.", 5.0: "Four. Good."}


def test_kept_durations_follow_the_tempo() -> None:
    session = paced()
    before = session.total_seconds()
    start, _ = run_until(session, in_reps, 0.0)
    session.tick(start + 4)
    left_before = session.remaining_seconds()
    session.handle(Command.SLOWER, start + 4)
    # Two reps left on the right side and four on the left, half a second slower each.
    assert session.remaining_seconds() == pytest.approx(left_before + 6 * 0.5)
    assert session.total_seconds() == pytest.approx(before + 8 * 0.5)
    assert session.segment_duration(1) == pytest.approx(
        fixed_speech("Rock on your right side. Keep it small.") + 1 + 4 * 2.5)


def test_done_after_some_reps_records_the_reps_done_per_side() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    session.tick(start + 9)  # the four reps took 8 s
    assert session.view().phase is not PhaseKind.REPS  # the right side ran to its end
    left, _ = run_until(session, lambda v: in_reps(v) and v.side == "left", start + 9)
    session.tick(left + 5.9)  # two reps done, the third under way
    cues = session.handle(Command.DONE, left + 5.9)
    assert "Good." in says(cues)
    steps = session.summary().steps
    assert steps == (StepRecord("Rocker", "right", 1, "reps", 4.0, 4.0),
                     StepRecord("Rocker", "left", 1, "reps", 2.0, 4.0))
    assert session.summary().completed == ("Rocker",)  # "done" counts the set as done


def test_done_at_a_slower_tempo_counts_the_reps_at_that_tempo() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    session.tick(start + 2)  # one rep at 2 s
    session.handle(Command.SLOWER, start + 2)  # 2.5 s a rep from here
    session.tick(start + 7.1)  # two more reps (5 s)
    session.handle(Command.DONE, start + 7.1)
    assert session.summary().steps == (StepRecord("Rocker", "right", 1, "reps", 3.0, 4.0),)


def test_a_hold_records_its_length_without_the_pause() -> None:
    session = paced()
    start, _ = run_until(session, lambda v: v.phase is PhaseKind.HOLD, 0.0)
    session.tick(start + 10)
    session.handle(Command.PAUSE, start + 10)
    session.handle(Command.RESUME, start + 70)  # a minute's pause
    session.tick(start + 82.5)
    session.handle(Command.DONE, start + 82.5)
    assert session.summary().steps[-1] == StepRecord("Holder", None, 1, "hold", 22.5, 30.0)


def test_a_hold_run_to_its_end_records_its_length_even_with_a_pause() -> None:
    session = paced()
    start, _ = run_until(session, lambda v: v.phase is PhaseKind.HOLD, 0.0)
    session.handle(Command.PAUSE, start + 5)
    session.handle(Command.RESUME, start + 50)
    run_until(session, lambda v: v.phase is not PhaseKind.HOLD, start + 50)
    assert session.summary().steps[-1] == StepRecord("Holder", None, 1, "hold", 30.0, 30.0)


def test_skipped_and_repeated_steps_are_recorded_once_as_last_done() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    session.tick(start + 2.5)
    session.handle(Command.DONE, start + 2.5)  # one rep
    session.handle(Command.NEXT, start + 3)  # the switch: passed over
    session.handle(Command.NEXT, start + 4)  # the left side: skipped, not recorded
    assert session.summary().steps == (StepRecord("Rocker", "right", 1, "reps", 1.0, 4.0),)
    session.handle(Command.BACK, start + 5)  # back to the left side's step
    session.handle(Command.BACK, start + 6)  # and to the right side's step: redone
    again, _ = run_until(session, in_reps, start + 6)
    session.tick(again + 6.5)
    session.handle(Command.DONE, again + 6.5)
    assert session.summary().steps == (StepRecord("Rocker", "right", 1, "reps", 3.0, 4.0),)


def test_tempo_and_records_survive_saved_progress() -> None:
    session = paced()
    start, _ = run_until(session, in_reps, 0.0)
    session.handle(Command.FASTER, start)
    session.tick(start + 3.1)
    session.handle(Command.DONE, start + 3.1)  # two reps at 1.5 s
    snap = session.snapshot()
    assert (snap.tempo, snap.done) == (((0, 1.5),), ((1, 2.0),))
    again = Snapshot.from_json(json.loads(json.dumps(snap.to_json())))
    assert again == snap
    restored = Session.restore(parse_routine(PACED, "paced.toml"), again, 100.0, SETTINGS)
    left, _ = run_until(restored, in_reps, 100.0)
    assert restored.view().seconds_per_rep == 1.5
    run_until(restored, lambda v: v.exercise_name == "Holder", left)
    summary = restored.summary()
    assert summary.tempo == (TempoChange("Rocker", 1.5),)
    assert summary.steps == (StepRecord("Rocker", "right", 1, "reps", 2.0, 4.0),
                             StepRecord("Rocker", "left", 1, "reps", 4.0, 4.0))


def test_a_saved_tempo_beyond_todays_bounds_is_left_out() -> None:
    snap = replace(paced().snapshot(), tempo=((0, 1.5), (2, 9.0)), done=((1, 3.0), (0, 5.0)))
    restored = Session.restore(parse_routine(PACED, "paced.toml"), snap, 0.0, SETTINGS)
    after = restored.snapshot()
    assert (after.tempo, after.done) == (((0, 1.5),), ((1, 3.0),))  # the intro has no reps
    with pytest.raises(ValueError):
        Session.restore(parse_routine(PACED, "paced.toml"), replace(snap, tempo=((3, 2.0),)),
                        0.0, SETTINGS)
    with pytest.raises(ValueError):
        Session.restore(parse_routine(PACED, "paced.toml"), replace(snap, done=((99, 2.0),)),
                        0.0, SETTINGS)


def test_whats_next_names_the_next_step_side_rest_or_exercise() -> None:
    session = paced()
    session.tick(0.0)
    asked: list[str] = []

    def ask() -> None:
        cues = session.handle(Command.WHATS_NEXT, session._now)
        assert all(c.kind is SayKind.INFO for c in cues if isinstance(c, Say))
        asked.extend(says(cues))

    ask()  # the intro
    run_until(session, in_reps, 0.0)
    ask()  # the right side's reps
    run_until(session, lambda v: v.segment_kind is SegmentKind.SWITCH, session._now)
    ask()
    run_until(session, lambda v: in_reps(v) and v.side == "left", session._now)
    ask()
    run_until(session, lambda v: v.segment_kind is SegmentKind.REST, session._now)
    ask()
    run_until(session, lambda v: v.exercise_name == "Lifter" and in_reps(v), session._now)
    ask()
    assert asked == [
        "Step one comes right after this.",  # asked in the introduction, read next
        "After this: your left side.",
        "Step one comes right after this.",  # "Switch sides." and then step one
        "After this: a rest, then Holder.",
        "After this: Holder.",
        "Nothing more: this is the last step of the routine.",
    ]


def test_whats_next_is_answered_while_paused() -> None:
    session = small()
    session.tick(0.0)
    start, _ = run_until(session, in_hold, 0.0)  # the right side's hold: its switch next
    session.handle(Command.EASIER, start + 1.0)
    session.handle(Command.PAUSE, start + 2.0)
    assert session.view().easier
    session.handle(Command.NEXT, start + 3.0)  # to "Switch sides", paused: step one next
    assert says(session.handle(Command.WHATS_NEXT, start + 4.0)) == [
        "Step one comes right after this."]
    assert session.paused


def test_how_many_left_counts_reps_then_tells_the_hold_or_the_session() -> None:
    session = paced()
    session.tick(0.0)
    cues = session.handle(Command.HOW_MANY_LEFT, 1.0)  # reading: the session's time left
    assert says(cues) == [script.time_left_text(session.remaining_seconds(),
                                                session._phase(), 1.0, 2.0)]
    start, _ = run_until(session, in_reps, 1.0)
    session.tick(start + 2.5)
    assert says(session.handle(Command.HOW_MANY_LEFT, start + 2.5)) == ["Three reps to go."]
    session.tick(start + 6.5)
    assert says(session.handle(Command.HOW_MANY_LEFT, start + 6.5)) == ["One rep to go."]
    hold, _ = run_until(session, lambda v: v.phase is PhaseKind.HOLD, start + 6.5)
    session.tick(hold + 12)
    assert says(session.handle(Command.HOW_MANY_LEFT, hold + 12)) == [
        "Eighteen seconds left in this hold."]
    session.handle(Command.PAUSE, hold + 13)
    assert says(session.handle(Command.HOW_MANY_LEFT, hold + 20)) == [
        "Seventeen seconds left in this hold."]


# ----- going back and on again: what was done stays done -----------------------------------

NECK_RECORDS = (StepRecord("Neck tilt", "right", 1, "hold", 3.0, 3.0),
                StepRecord("Neck tilt", "left", 1, "hold", 3.0, 3.0),
                StepRecord("Shoulder roll", None, 1, "reps", 2.0, 2.0))
"""Every hold and set of the routine, held and done in full."""


def neck() -> Session:
    return Session(parse_routine(NECK_ROUTINE, "neck.toml"), 0.0, SETTINGS)


def at_switch(view: SessionView) -> bool:
    return view.segment_kind is SegmentKind.SWITCH


def assert_all_done(session: Session, now: float) -> None:
    """Run ``session`` to its end from ``now``: everything done, nothing skipped."""
    run_until(session, lambda v: v.finished, now)
    summary = session.summary()
    assert (summary.completed, summary.skipped) == (("Neck tilt", "Shoulder roll"), ())
    assert summary.steps == NECK_RECORDS
    assert Summary.from_json(summary.to_json()) == summary


def test_back_from_the_switch_and_on_again_keeps_the_hold_held() -> None:
    """The walkthrough: the right side held to its end, "back" at "Switch sides", then
    "next" while the step is read again."""
    session = neck()
    now, _ = run_until(session, at_switch, 0.0)
    session.handle(Command.BACK, now + 0.5)
    view = session.view()
    assert (view.side, view.phase) == ("right", PhaseKind.READING)
    session.handle(Command.NEXT, now + 1)
    assert session.view().segment_kind is SegmentKind.SWITCH
    assert_all_done(session, now + 1)


def test_a_held_hold_gone_back_into_and_passed_over_is_still_held() -> None:
    session = neck()
    now, _ = run_until(session, at_switch, 0.0)
    session.handle(Command.BACK, now)
    now, _ = run_until(session, in_hold, now)
    session.handle(Command.NEXT, now + 1)  # it was held once already
    assert session.snapshot().skipped == frozenset()
    assert_all_done(session, now + 1)


def test_a_held_hold_done_again_keeps_the_last_time() -> None:
    """Held again and ended by "done": still done, and the record is the last time (one
    record per step and side)."""
    session = neck()
    now, _ = run_until(session, at_switch, 0.0)
    session.handle(Command.BACK, now)
    now, _ = run_until(session, in_hold, now)
    session.tick(now + 1)
    session.handle(Command.DONE, now + 1)
    assert session.summary().steps == (StepRecord("Neck tilt", "right", 1, "hold", 1.0, 3.0),)
    assert session.summary().skipped == ()


def test_back_over_several_steps_and_on_again_keeps_them_done() -> None:
    session = neck()
    now, _ = run_until(session, in_reps, 0.0)
    session.handle(Command.BACK, now + 1)  # the set cut short: ahead again, not skipped
    assert session.view().segment_kind is SegmentKind.INTRO
    assert session.snapshot().skipped == frozenset()
    session.handle(Command.BACK, now + 2)  # the left side's hold
    session.handle(Command.BACK, now + 3)  # the right side's hold
    assert (session.view().exercise_name, session.view().side) == ("Neck tilt", "right")
    session.handle(Command.NEXT, now + 4)
    session.handle(Command.NEXT, now + 5)  # the switch
    session.handle(Command.DONE, now + 6)  # the left side, as it is read
    now, _ = run_until(session, in_reps, now + 6)
    assert session.view().exercises[0].state is ExerciseState.DONE
    assert_all_done(session, now)  # the set, done this time
    assert session.snapshot().skipped == frozenset()


def test_a_held_hold_gone_back_into_is_still_held_after_a_resume() -> None:
    session = neck()
    now, _ = run_until(session, at_switch, 0.0)
    session.handle(Command.BACK, now)
    snap = Snapshot.from_json(json.loads(json.dumps(session.snapshot().to_json())))
    assert snap == session.snapshot()
    restored = Session.restore(parse_routine(NECK_ROUTINE, "neck.toml"), snap, 100.0,
                               SETTINGS)
    restored.handle(Command.NEXT, 100.5)
    assert_all_done(restored, 100.5)


def test_a_stop_after_back_from_a_step_not_begun_is_no_skip() -> None:
    """The walkthrough: the right side done, "next" at the switch, "back" from the left
    side's step, then "stop": the exercise was stopped in, nothing of it skipped."""
    session = neck()
    now, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.DONE, now + 1)
    session.handle(Command.NEXT, now + 2)  # the switch
    assert session.view().side == "left"
    session.handle(Command.BACK, now + 3)
    assert session.view().side == "right"
    session.handle(Command.STOP, now + 4)
    summary = session.summary()
    assert summary.skipped == () and summary.stopped_in == "Neck tilt", summary



def test_done_while_a_step_is_read_starts_its_hold_at_once() -> None:
    """ "done" as "I'm in position": the reading is cut and the hold starts (it had
    skipped the hold, and the exercise was listed as skipped)."""
    session = small()
    now, _ = run_until(session, reading_before_the_hold, 0.0)
    cues = session.handle(Command.DONE, now + 0.5)
    assert Silence("done") in cues and says(cues) == ["Hold for one minute."]
    view = session.view()
    assert (view.phase, view.phase_elapsed, view.step_number) == (PhaseKind.HOLD, 0.0, 2)
    assert session.snapshot().skipped == frozenset()


def test_done_while_a_step_with_nothing_to_hold_is_read_moves_on() -> None:
    session = small()
    now, _ = run_until(session, lambda v: v.step_number == 1, 0.0)
    session.handle(Command.DONE, now + 0.5)
    assert session.view().text == "Hold the stretch."


@pytest.mark.parametrize(("held", "recorded"), [(56.0, True), (54.0, False)])
def test_next_in_a_holds_countdown_ends_it_as_done(held: float, recorded: bool) -> None:
    """ "next" once the last five seconds are counted: the hold was all but done, so it
    is recorded and not skipped; earlier, "next" skips it as before."""
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.tick(start + held)
    cues = session.handle(Command.NEXT, start + held)
    assert ("Good." in says(cues)) is recorded
    assert (2 in session.snapshot().skipped) is not recorded
    steps = session.summary().steps
    assert [(r.side, r.done) for r in steps] == ([("right", held)] if recorded else [])


def test_next_in_the_countdown_of_a_short_hold_before_its_middle_skips_it() -> None:
    """A 3 s hold is all countdown: 1 s in, "next" is a skip, not a hold done."""
    session = neck()
    now, _ = run_until(session, in_hold, 0.0)
    session.tick(now + 1)
    assert "Good." not in says(session.handle(Command.NEXT, now + 1))
    assert session.summary().steps == ()


def test_repeat_while_paused_reads_the_step_and_stays_paused() -> None:
    session = small()
    start, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.PAUSE, start + 5)
    assert says(session.handle(Command.REPEAT, start + 6)) == ["Hold the stretch."]
    assert session.paused and session.view().phase_elapsed == pytest.approx(5)


def test_easier_in_a_rest_names_the_exercise_it_is_for() -> None:
    session = small()
    now, _ = run_until(session, lambda v: v.segment_kind is SegmentKind.REST, 0.0)
    assert "Easier version of the Rocker: Rock less." in says(
        session.handle(Command.EASIER, now + 1))


def test_the_end_of_a_routine_with_a_skip_is_not_the_whole_routine() -> None:
    session = small(hold_seconds=5)
    now, _ = run_until(session, in_hold, 0.0)
    session.handle(Command.NEXT, now + 1)  # the right side's hold skipped
    _, cues = run_until(session, lambda v: v.finished, now + 1)
    assert says(cues)[-1] == "That's the end of the routine. Well done for what you did."
