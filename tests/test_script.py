"""What the coach says, on its own: every line from the routine and the moment, no session."""

from __future__ import annotations

import pytest

from voicecoach.core import script
from voicecoach.core.commands import PHRASES, Command, parse_phrase
from voicecoach.core.cues import Say, SayKind
from voicecoach.core.plan import Phase, PhaseKind, Segment, SegmentKind, build_plan
from voicecoach.core.routine_toml import parse_routine

ROUTINE = parse_routine("""
name = "two"
title = "Two"
hold_seconds = 60
reps = 4
rep_seconds = 2

[[exercises]]
name = "Holder"
purpose = "Hold it."
sides = ["right", "left"]
[exercises.easier]
summary = "Go gently."
[[exercises.steps]]
text = "Reach to your {side} side, away from your {other} hand."
easier = "Reach a little to your {side} side."
hold = true

[[exercises]]
name = "Rocker"
purpose = "Rock it."
[exercises.easier]
summary = "Rock less."
[[exercises.steps]]
text = "Rock with my count."
reps = true
""", "two.toml")

INTRO = Segment(SegmentKind.INTRO, 0, 0)
STEP_RIGHT = Segment(SegmentKind.STEP, 0, 0, 0)
SWITCH = Segment(SegmentKind.SWITCH, 0, 1)
REST = Segment(SegmentKind.REST, 1)
ROCK = Segment(SegmentKind.STEP, 1, None, 0)


def texts(lines: list[Say]) -> list[str]:
    return [line.text for line in lines]


def test_intro_names_the_exercise_its_variant_and_first_side() -> None:
    assert script.reading_lines(ROUTINE, INTRO, easier=False) == [
        Say("Exercise one of two: Holder. Hold it.", SayKind.ANNOUNCE),
        Say("We'll start with your right side.", SayKind.ANNOUNCE),
    ]
    assert texts(script.reading_lines(ROUTINE, INTRO, easier=True)) == [
        "Exercise one of two: Holder. Hold it.",
        "You're on the easier version: Go gently.",
        "We'll start with your right side.",
    ]
    symmetric = Segment(SegmentKind.INTRO, 1)
    assert texts(script.reading_lines(ROUTINE, symmetric, easier=False)) == [
        "Exercise two of two: Rocker. Rock it."]


def test_a_step_is_read_for_its_side_and_variant() -> None:
    assert script.reading_lines(ROUTINE, STEP_RIGHT, easier=False) == [
        Say("Reach to your right side, away from your left hand.", SayKind.INSTRUCTION)]
    left = Segment(SegmentKind.STEP, 0, 1, 0)
    assert texts(script.reading_lines(ROUTINE, left, easier=True)) == [
        "Reach a little to your left side."]


def test_switch_and_rest_lines() -> None:
    assert texts(script.reading_lines(ROUTINE, SWITCH, easier=False)) == [
        "Switch sides. Now your left side."]
    rest = script.reading_lines(ROUTINE, REST, easier=False)
    assert rest == [script.rest_line(ROUTINE.exercises[1])]
    assert rest == [Say("Rest. Then: Rocker.", SayKind.ANNOUNCE)]
    # The rest phase begins with the very same line, written once.
    assert script.phase_start_lines(ROUTINE, REST, Phase(PhaseKind.REST, 15.0),
                                    easier=False) == rest


def test_segment_text_joins_the_lines() -> None:
    assert script.segment_text(ROUTINE, INTRO, easier=False) == (
        "Exercise one of two: Holder. Hold it. We'll start with your right side.")


def test_phase_start_lines_for_a_hold_and_for_reps() -> None:
    hold = script.phase_start_lines(ROUTINE, STEP_RIGHT, Phase(PhaseKind.HOLD, 90.0),
                                    easier=False)
    assert hold == [Say("Hold for a minute and a half.", SayKind.COUNT)]
    reps = script.phase_start_lines(ROUTINE, ROCK, Phase(PhaseKind.REPS, 8.0), easier=False)
    assert reps == [Say("Four times. Begin.", SayKind.COUNT)]
    reading = script.phase_start_lines(ROUTINE, ROCK, Phase(PhaseKind.READING, 3.0),
                                       easier=False)
    assert texts(reading) == ["Rock with my count."]


def test_a_long_hold_counts_halfway_ten_seconds_the_last_five_and_release() -> None:
    counts = {moment: line.text for moment, line in script.hold_counts(60.0)}
    assert counts == {30.0: "Halfway. Keep breathing slowly.", 50.0: "Ten seconds left.",
                      55.0: "Five.", 56.0: "Four.", 57.0: "Three.", 58.0: "Two.",
                      59.0: "One.", 60.0: "And release."}
    kinds = {line.text: line.kind for _, line in script.hold_counts(60.0)}
    assert kinds["Halfway. Keep breathing slowly."] is SayKind.ENCOURAGE
    assert kinds["Five."] is SayKind.COUNT


def test_a_short_hold_only_counts_down() -> None:
    counts = [(moment, line.text) for moment, line in script.hold_counts(4.0)]
    assert counts == [(1.0, "Three."), (2.0, "Two."), (3.0, "One."), (4.0, "And release.")]


def test_reps_are_counted_at_the_tempo_and_the_last_two_marked() -> None:
    counts = [(moment, line.text) for moment, line in script.rep_counts(4, 2.0)]
    assert counts == [(2.0, "One."), (4.0, "Two."), (6.0, "Three. Last one."),
                      (8.0, "Four. Good.")]
    assert script.phase_counts(Phase(PhaseKind.REPS, 8.0), 2.0) == script.rep_counts(4, 2.0)
    assert script.phase_counts(Phase(PhaseKind.READING, 8.0), 2.0) == []


@pytest.mark.parametrize(("kind", "left", "expected"), [
    (PhaseKind.HOLD, 19.6, "Resuming. Twenty seconds left in this hold."),
    (PhaseKind.REPS, 0.2, "Resuming. One rep to go."),
    (PhaseKind.REPS, 7.0, "Resuming. Four reps to go."),  # 12 s at 2 s a rep, 2 done
    (PhaseKind.REST, 10.0, "Resuming. Ten seconds left in this rest."),
    (PhaseKind.HOLD, 90.0, "Resuming. A minute and a half left in this hold."),
    (PhaseKind.HOLD, 12.5, "Resuming. Thirteen seconds left in this hold."),  # as 0:13
    (PhaseKind.HOLD, 3.2 + 5, "Resuming. Nine seconds left in this hold."),
    # a count is about to say it: not "Five seconds left in this hold.", then "Five."
    (PhaseKind.HOLD, 5.5, "Resuming."),
    (PhaseKind.HOLD, 10.8, "Resuming."),  # "Ten seconds left." in 0.8 s
    (PhaseKind.HOLD, 0.5, "Resuming."),  # "And release."
    (PhaseKind.REST, 5.5, "Resuming. Six seconds left in this rest."),  # a rest: no counts
])
def test_resuming_a_timed_phase_says_what_is_left(kind: PhaseKind, left: float,
                                                  expected: str) -> None:
    """In a set, the reps to go, not seconds ("Ten seconds left in this set" was said)."""
    phase = Phase(kind, 12.0 if kind is PhaseKind.REPS else 100.0)
    said = script.resuming_timed(phase, phase.duration - left, 2.0)
    assert said == Say(expected, SayKind.ANNOUNCE)


def test_going_on_after_an_answer_leaves_the_time_left_to_a_count_about_to_say_it() -> None:
    hold = Phase(PhaseKind.HOLD, 60.0)
    assert script.going_on_after_an_answer(hold, 40.0, 3.0) == Say(
        "Twenty seconds left in this hold.", SayKind.ANNOUNCE)
    assert script.going_on_after_an_answer(hold, 54.5, 3.0) is None  # "Five." in 0.5 s
    assert script.going_on_after_an_answer(hold, 52.0, 3.0) == Say(
        "Eight seconds left in this hold.", SayKind.ANNOUNCE)


def test_time_left_rounds_the_session_to_minutes_and_tells_the_phase() -> None:
    hold = script.time_left_text(150.0, Phase(PhaseKind.HOLD, 60.0), 15.0, 3.0)
    assert hold == "About two minutes left in the session. Forty-five seconds left in this hold."
    rest = script.time_left_text(600.0, Phase(PhaseKind.REST, 90.0), 0.0, 3.0)
    assert rest == "About ten minutes left in the session. A minute and a half left in this rest."
    reps = script.time_left_text(40.0, Phase(PhaseKind.REPS, 30.0), 7.0, 3.0)
    assert reps == "About one minute left in the session. Eight reps to go."
    last = script.time_left_text(20.0, Phase(PhaseKind.HOLD, 30.0), 26.8, 3.0)
    assert last == "Less than a minute left in the session. Four seconds left in this hold."
    reading = script.time_left_line(600.0, Phase(PhaseKind.READING, 5.0), 1.0, 3.0)
    assert reading == Say("About ten minutes left in the session.", SayKind.INFO)


def test_help_names_every_command_once() -> None:
    text = script.help_text()
    assert text.startswith("You can say: next, back, pause,") and text.endswith(", or time left.")
    assert all(PHRASES[command][0] in text for command in Command)
    assert script.help_line() == Say(text, SayKind.INFO)


def test_variant_lines() -> None:
    holder = ROUTINE.exercises[0]
    assert script.variant_changed(holder, easier=True).text == "Easier version: Go gently."
    assert script.variant_changed(holder, easier=False).text == (
        "The full version of the Holder again.")
    assert script.already_on(easier=True) == Say("You're already on the easier version.",
                                                 SayKind.INFO)
    assert script.already_on(easier=False).text == "You're already on the full version."


def test_course_lines() -> None:
    assert script.paused().text == "Paused. Take your time."
    assert script.resuming().text == "Resuming."
    offer = script.carry_on_offer().text
    assert offer.startswith("Say continue ")  # the word first: a reply is not the coach's
    assert parse_phrase("continue") is Command.RESUME
    assert script.welcome_back("Holder, right side, step 2").text == (
        "Welcome back. Picking up at Holder, right side, step 2.")
    assert script.finished(all_done=False).text == (
        "That's the end of the routine. Well done for what you did.")
    assert script.finished(anything_done=False).text == "That's the end of the routine."
    assert script.good() == Say("Good.", SayKind.ENCOURAGE)
    assert script.stopped().text == "Stopping here. Well done for what you did."
    assert script.stopped(anything_done=False).text == "Stopping here."
    assert script.finished().text == "That's the whole routine. Well done."
    assert script.finished(anything_done=False).text == "That's the end of the routine."


def test_segment_labels() -> None:
    labels = [script.segment_label(ROUTINE, segment) for segment in build_plan(ROUTINE)]
    assert labels == ["Holder, right side", "Holder, right side, step 1",
                      "Holder, left side, switch", "Holder, left side, step 1",
                      "Rocker, rest", "Rocker", "Rocker, step 1"]


def test_the_pause_line_does_not_say_the_word_that_resumes() -> None:
    """The person answers the pause line with "resume" as it ends: no phrase of resume may
    be in it, or the self-hearing filter would drop the person's own word."""
    from voicecoach.core.commands import PHRASES, Command
    from voicecoach.speech_in.overlap import in_line, words_of

    line = words_of(script.paused().text)
    for phrase in PHRASES[Command.RESUME]:
        assert not any(in_line(word, line) for word in phrase.split()), phrase


# ----- pace and what is to come -----------------------------------------------------------


@pytest.mark.parametrize(("seconds", "words"), [
    (4.0, "four seconds"), (2.5, "two and a half seconds"), (1.0, "one second"),
    (0.5, "half a second"), (3.2, "three point two seconds"), (60.0, "sixty seconds"),
])
def test_tempo_words(seconds: float, words: str) -> None:
    assert script.tempo_words(seconds) == words


def test_tempo_lines_are_brief() -> None:
    assert script.tempo_changed(4.0, slower=True) == Say("A bit slower: four seconds a rep.",
                                                         SayKind.ANNOUNCE)
    assert script.tempo_changed(1.5, slower=False).text == (
        "A bit faster: one and a half seconds a rep.")
    assert script.tempo_at_limit(6.0, slower=True) == Say(
        "That's the slowest: six seconds a rep.", SayKind.INFO)
    assert script.tempo_at_limit(1.5, slower=False).text == (
        "That's the fastest: one and a half seconds a rep.")
    assert script.tempo_needs_reps().kind is SayKind.INFO


def test_whats_next_for_each_kind_of_segment() -> None:
    def said(upcoming: Segment | None, easier: bool = False) -> str:
        line = script.whats_next_line(ROUTINE, upcoming, easier=easier)
        assert line.kind is SayKind.INFO
        return line.text

    assert said(STEP_RIGHT) == (
        "After this, step one: Reach to your right side, away from your left hand.")
    assert said(STEP_RIGHT, easier=True) == (
        "After this, step one: Reach a little to your right side.")
    assert said(SWITCH) == "After this: your left side."
    assert said(REST) == "After this: a rest, then Rocker."
    assert said(Segment(SegmentKind.INTRO, 1)) == "After this: Rocker."
    assert said(ROCK) == "After this, step one: Rock with my count."
    assert said(None) == "Nothing more: this is the last step of the routine."
    # read as soon as this reading ends: its number only, not its sentence twice
    assert script.whats_next_line(ROUTINE, STEP_RIGHT, easier=False, read_next=True) == Say(
        "Step one comes right after this.", SayKind.INFO)


def test_whats_next_says_only_the_first_sentence_of_a_step() -> None:
    routine = parse_routine("""
name = "long"
title = "Long"
[[exercises]]
name = "Lunge"
purpose = "Open the hips."
[exercises.easier]
summary = "Less deep."
[[exercises.steps]]
text = "Step forward 1.5 feet. Sink down slowly! Keep your back straight."
""", "long.toml")
    line = script.whats_next_line(routine, Segment(SegmentKind.STEP, 0, None, 0), easier=False)
    assert line.text == "After this, step one: Step forward 1.5 feet."


def test_how_many_left_in_reps_a_hold_a_rest_and_while_reading() -> None:
    reps = Phase(PhaseKind.REPS, 30.0)  # ten reps at 3 s
    assert script.how_many_left_line(600.0, reps, 7.0, 3.0) == Say("Eight reps to go.",
                                                                    SayKind.INFO)
    assert script.how_many_left_line(600.0, reps, 27.5, 3.0).text == "One rep to go."
    assert script.how_many_left_line(600.0, reps, 0.0, 3.0).text == "Ten reps to go."
    hold = Phase(PhaseKind.HOLD, 60.0)
    assert script.how_many_left_line(600.0, hold, 15.0, 3.0).text == (
        "Forty-five seconds left in this hold.")
    rest = Phase(PhaseKind.REST, 15.0)
    assert script.how_many_left_line(600.0, rest, 5.0, 3.0).text == (
        "Ten seconds left in this rest.")
    reading = Phase(PhaseKind.READING, 5.0)
    assert script.how_many_left_line(600.0, reading, 1.0, 3.0) == script.time_left_line(
        600.0, reading, 1.0, 3.0)


def test_reps_done_and_left_at_a_changed_tempo() -> None:
    reps = Phase(PhaseKind.REPS, 4 * 2.5)
    assert script.reps_done(reps, 5.0, 2.5) == 2  # exactly at the second count
    assert script.reps_done(reps, 4.99, 2.5) == 1
    assert script.reps_done(reps, 10.0, 2.5) == 4
    assert script.reps_left(reps, 5.0, 2.5) == 2
    assert script.time_left_text(60.0, reps, 7.6, 2.5).endswith(" One rep to go.")


def test_help_names_the_pace_commands_before_time_left() -> None:
    assert script.help_text().endswith(
        "commands, slow down, go faster, what comes next, how many left, or time left.")
