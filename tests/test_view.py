"""The projection from session state to a view, on its own: states built by hand."""

from __future__ import annotations

from voicecoach.core.plan import Phase, PhaseKind, SegmentKind, build_plan
from voicecoach.core.routine_toml import parse_routine
from voicecoach.core.state import SessionState
from voicecoach.core.view import ExerciseState, exercise_statuses, project

ROUTINE = parse_routine("""
name = "three"
title = "Three"
hold_seconds = 30
reps = 5
rep_seconds = 2

[[exercises]]
name = "First"
purpose = "One."
sides = ["right", "left"]
[exercises.easier]
summary = "Less."
[[exercises.steps]]
text = "Hold it on your {side} side."
hold = true

[[exercises]]
name = "Second"
purpose = "Two."
[exercises.easier]
summary = "Less."
[[exercises.steps]]
text = "Rock."
reps = true
[[exercises.steps]]
text = "Relax."

[[exercises]]
name = "Third"
purpose = "Three."
[exercises.easier]
summary = "Less."
[[exercises.steps]]
text = "Breathe."
""", "three.toml")

PLAN = build_plan(ROUTINE)
"""0 intro, 1 step R, 2 switch, 3 step L, 4 rest, 5 intro, 6 rock, 7 relax, 8 rest,
9 intro, 10 breathe."""


def states(state: SessionState) -> list[ExerciseState]:
    return [status.state for status in exercise_statuses(ROUTINE, PLAN, state)]


def test_the_plan_is_as_the_tests_assume() -> None:
    assert [s.kind for s in PLAN] == [
        SegmentKind.INTRO, SegmentKind.STEP, SegmentKind.SWITCH, SegmentKind.STEP,
        SegmentKind.REST, SegmentKind.INTRO, SegmentKind.STEP, SegmentKind.STEP,
        SegmentKind.REST, SegmentKind.INTRO, SegmentKind.STEP]


def test_at_the_start_the_first_is_current_and_the_rest_upcoming() -> None:
    assert states(SessionState()) == [ExerciseState.CURRENT, ExerciseState.UPCOMING,
                                      ExerciseState.UPCOMING]


def test_done_skipped_and_passed_over_exercises() -> None:
    both_sides = SessionState(segment=6, completed={0, 1, 2, 3, 4, 5})
    assert states(both_sides) == [ExerciseState.DONE, ExerciseState.CURRENT,
                                  ExerciseState.UPCOMING]
    one_side_cut = SessionState(segment=6, completed={1}, skipped={3})
    assert states(one_side_cut)[0] is ExerciseState.SKIPPED
    passed_over = SessionState(segment=9)  # none of the first two were run at all
    assert states(passed_over)[:2] == [ExerciseState.SKIPPED, ExerciseState.SKIPPED]


def test_after_the_end_nothing_is_current_and_the_rest_was_not_reached() -> None:
    stopped = SessionState(segment=10, finished=True, stopped=True, completed={1, 3},
                           skipped={6})
    assert states(stopped) == [ExerciseState.DONE, ExerciseState.SKIPPED,
                               ExerciseState.NOT_REACHED]
    all_done = SessionState(segment=10, finished=True, completed={1, 3, 6, 7, 10})
    assert states(all_done) == [ExerciseState.DONE] * 3


def test_easier_is_per_exercise() -> None:
    statuses = exercise_statuses(ROUTINE, PLAN, SessionState(easier={1}))
    assert [s.easier for s in statuses] == [False, True, False]
    assert [s.name for s in statuses] == ["First", "Second", "Third"]


def test_a_step_on_its_hold_shows_side_step_and_timing() -> None:
    state = SessionState(segment=3, phase=1, elapsed=12.0, paused=True, active_seconds=80.0,
                         easier={0})
    view = project(ROUTINE, PLAN, state, Phase(PhaseKind.HOLD, 30.0), "Hold it.", 95.0)
    assert (view.exercise_index, view.exercise_count, view.exercise_name) == (0, 3, "First")
    assert (view.side, view.segment_kind, view.phase) == ("left", SegmentKind.STEP,
                                                          PhaseKind.HOLD)
    assert (view.step_number, view.step_count, view.text) == (1, 1, "Hold it.")
    assert view.phase_remaining == 18.0 and view.remaining_seconds == 95.0
    assert view.paused and view.easier and not view.finished
    assert (view.rep, view.reps_total) == (None, None)
    assert view.next_up == "Second" and view.routine_title == "Three"


def test_reps_count_up_from_one_and_stop_at_the_total() -> None:
    def rep_at(elapsed: float) -> int | None:
        state = SessionState(segment=6, phase=1, elapsed=elapsed)
        return project(ROUTINE, PLAN, state, Phase(PhaseKind.REPS, 10.0), "", 0.0).rep

    assert [rep_at(t) for t in (0.0, 1.9, 2.0, 9.9, 10.0)] == [1, 1, 2, 5, 5]
    reading = project(ROUTINE, PLAN, SessionState(segment=6),
                      Phase(PhaseKind.READING, 2.0), "Rock.", 0.0)
    assert (reading.rep, reading.reps_total) == (None, 5)


def test_a_rest_shows_the_exercise_to_come_and_the_last_has_none() -> None:
    rest = project(ROUTINE, PLAN, SessionState(segment=8), Phase(PhaseKind.REST, 15.0), "", 1)
    assert (rest.exercise_name, rest.next_up, rest.step_number) == ("Third", "Third", None)
    last = project(ROUTINE, PLAN, SessionState(segment=10), Phase(PhaseKind.READING, 2.0),
                   "", 1)
    assert last.next_up is None and last.side is None and last.step_letter == ""
