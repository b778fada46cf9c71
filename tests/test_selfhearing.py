"""The narrator cannot command itself; a person still can, mid-line. Pure, fake times."""

from __future__ import annotations

import threading

from voicecoach.core.commands import Command
from voicecoach.speech_in.events import Heard
from voicecoach.speech_in.selfhearing import SelfHearingFilter, SpeechActivity


def heard(command: Command, text: str, start: float, end: float) -> Heard:
    return Heard(command, text, at=end + 0.15, confidence=1.0, start=start, end=end)


def narrating(text: str, start: float, end: float, *, ended: bool = True) -> SpeechActivity:
    activity = SpeechActivity()
    activity.line_started(text, start, end)
    if ended:
        activity.line_ended(text, end)
    return activity


def test_a_command_word_in_the_line_being_spoken_is_ignored() -> None:
    guard = SelfHearingFilter(narrating("Pause when you feel a good stretch.", 10.0, 13.0))
    assert not guard.allow(heard(Command.PAUSE, "pause", 10.0, 10.4))
    guard = SelfHearingFilter(narrating("Rest. Next up: Active Hamstring Stretch.", 20.0, 23.0))
    assert not guard.allow(heard(Command.NEXT, "next", 20.6, 20.9))


def test_inflected_forms_in_the_line_count() -> None:
    guard = SelfHearingFilter(narrating("Paused. Say resume when you are ready.", 10.0, 13.0))
    assert not guard.allow(heard(Command.PAUSE, "pause", 10.0, 10.4))
    guard = SelfHearingFilter(narrating("Keep stretching, waiting for the count.", 10.0, 13.0))
    assert not guard.allow(heard(Command.PAUSE, "wait", 11.0, 11.3))
    assert guard.allow(heard(Command.STOP, "stop", 11.0, 11.3))


def test_the_lines_word_said_seconds_after_the_narrator_said_it_is_the_persons() -> None:
    line = ("Pause when you feel a good stretch in your right glute, and hold there while "
            "breathing slowly.")
    guard = SelfHearingFilter(narrating(line, 10.0, 16.0))
    assert not guard.allow(heard(Command.PAUSE, "pause", 10.1, 10.5))
    assert guard.allow(heard(Command.PAUSE, "pause", 13.0, 13.4))
    guard = SelfHearingFilter(narrating("Lying on your back, bring your right leg up, arms "
                                        "extended straight, not bent.", 10.0, 15.0),
                              person_spoke=lambda t0, t1: True)
    assert not guard.allow(heard(Command.BACK, "back", 10.8, 11.1))
    assert guard.allow(heard(Command.BACK, "go back", 13.5, 14.0))


def test_a_different_command_during_the_line_is_obeyed() -> None:
    guard = SelfHearingFilter(narrating("Pause when you feel a good stretch.", 10.0, 13.0))
    assert guard.allow(heard(Command.STOP, "stop", 11.0, 11.4))
    assert guard.allow(heard(Command.STOP, "that hurts", 11.0, 11.6))


def test_the_tail_covers_echo_and_latency_after_the_line() -> None:
    guard = SelfHearingFilter(narrating("The bridge comes next.", 10.0, 12.0), tail=0.35)
    assert not guard.allow(heard(Command.NEXT, "next", 12.2, 12.3))
    assert guard.allow(heard(Command.NEXT, "next", 12.5, 12.8))


def test_before_the_line_and_long_after_it_commands_pass() -> None:
    guard = SelfHearingFilter(narrating("Pause when you feel a good stretch.", 10.0, 13.0))
    assert guard.allow(heard(Command.PAUSE, "pause", 8.0, 8.4))
    assert guard.allow(heard(Command.PAUSE, "pause", 20.0, 20.4))


def test_a_line_cut_off_early_stops_counting_at_the_cut() -> None:
    activity = SpeechActivity()
    activity.line_started("Keep going, slowly, keep going.", 10.0, 16.0)
    activity.line_ended("Keep going, slowly, keep going.", 11.0)
    guard = SelfHearingFilter(activity, tail=0.35)
    assert guard.allow(heard(Command.RESUME, "keep going", 12.0, 12.6))


def test_a_line_still_playing_counts_past_its_expected_end() -> None:
    activity = narrating("Wait for the count before you release.", 10.0, 12.0, ended=False)
    guard = SelfHearingFilter(activity)
    assert not guard.allow(heard(Command.PAUSE, "wait", 13.0, 13.3))
    assert activity.speaking(13.0)
    activity.line_ended("Wait for the count before you release.", 13.5)
    assert not activity.speaking(14.0)
    assert guard.allow(heard(Command.PAUSE, "wait", 14.5, 14.8))


def test_filler_words_do_not_tie_a_command_to_a_line() -> None:
    guard = SelfHearingFilter(narrating("Okay, now lie on your back.", 10.0, 12.0))
    assert guard.allow(heard(Command.STOP, "okay stop", 10.5, 11.0))
    assert not guard.allow(heard(Command.BACK, "okay back", 10.5, 11.0))


def test_an_utterance_overlapping_the_start_of_a_line_counts() -> None:
    guard = SelfHearingFilter(narrating("Stop if you feel any sharp pain.", 10.0, 12.0))
    assert not guard.allow(heard(Command.STOP, "stop", 9.8, 10.2))


def test_without_word_times_the_emit_time_is_used() -> None:
    guard = SelfHearingFilter(narrating("Next up, the bridge.", 10.0, 12.0))
    assert not guard.allow(Heard(Command.NEXT, "next", at=11.0, confidence=1.0))
    assert guard.allow(Heard(Command.NEXT, "next", at=15.0, confidence=1.0))


def test_speaking_reflects_lines_and_tail() -> None:
    activity = narrating("Hold for sixty seconds.", 10.0, 12.0)
    assert not activity.speaking(9.9)
    assert activity.speaking(11.0)
    assert not activity.speaking(12.2)
    assert activity.speaking(12.2, tail=0.35)


def test_old_lines_are_forgotten() -> None:
    activity = SpeechActivity(keep=30.0)
    activity.line_started("Next up.", 0.0, 1.0)
    activity.line_ended("Next up.", 1.0)
    activity.line_started("Good.", 100.0, 101.0)
    assert activity.lines_during(0.0, 2.0) == []


def test_activity_is_safe_to_update_from_other_threads() -> None:
    activity = SpeechActivity(keep=1e9)

    def narrate(offset: float) -> None:
        for i in range(500):
            t = offset + i
            activity.line_started(f"line {t}", t, t + 0.5)
            activity.line_ended(f"line {t}", t + 0.5)

    threads = [threading.Thread(target=narrate, args=(k * 1000.0,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(200):
        activity.speaking(1500.2)
    for thread in threads:
        thread.join()
    assert len(activity.lines_during(0, 5000)) == 2000
    assert all(line.ended for line in activity.lines_during(0, 5000))


def test_while_the_narrator_speaks_only_stop_and_pause_get_through() -> None:
    guard = SelfHearingFilter(narrating("Sit on the floor with your right leg in front.", 10, 14))
    assert guard.allow(heard(Command.STOP, "stop", 11.0, 11.4))
    assert guard.allow(heard(Command.PAUSE, "wait", 11.0, 11.4))
    for command, text in [(Command.RESUME, "resume"), (Command.NEXT, "next"),
                          (Command.EASIER, "easier"), (Command.HELP, "help")]:
        assert not guard.allow(heard(command, text, 12.0, 12.4))
        assert guard.allow(heard(command, text, 15.0, 15.4))


def test_with_double_talk_evidence_any_command_over_narration_needs_the_person() -> None:
    from voicecoach.core.commands import Command
    from voicecoach.speech_in.events import Heard

    activity = narrating("Rest. Next up: Active Hamstring Stretch.", 10.0, 13.0)
    spoke: list[tuple[float, float]] = []
    guard = SelfHearingFilter(activity, person_spoke=lambda t0, t1: (t0, t1) in spoke)
    stop = Heard(Command.STOP, "stop", 12.2, 1.0, 11.4, 12.0)
    assert not guard.allow(stop)  # "Stretch" heard as "stop": no sign of the person
    spoke.append((11.4, 12.0))
    assert guard.allow(stop)
    easier = Heard(Command.EASIER, "easier", 12.2, 1.0, 11.4, 12.0)
    assert guard.allow(easier)  # any command, once the person was heard over the line
    again = Heard(Command.NEXT, "next", 12.2, 1.0, 11.4, 12.0)
    assert not guard.allow(again)  # but never a word of the line itself
    hold_on = Heard(Command.PAUSE, "hold on", 31.0, 1.0, 30.0, 30.6, shares_narration=True)
    holding = narrating("Hold for twenty seconds.", 30.0, 31.6)
    assert SelfHearingFilter(holding, person_spoke=lambda *_: True).allow(hold_on)
    assert not SelfHearingFilter(holding, person_spoke=lambda *_: False).allow(hold_on)
    assert not SelfHearingFilter(holding).allow(hold_on)  # a pause, but with no evidence
    resuming = SelfHearingFilter(narrating("Resuming.", 20.0, 20.8), person_spoke=lambda *_: True)
    assert not resuming.allow(heard(Command.RESUME, "resume", 20.1, 20.6))  # nor its stem
    assert resuming.allow(heard(Command.PAUSE, "pause", 20.1, 20.6))


def test_evidence_is_looked_for_where_the_command_was_said_not_where_its_word_began() -> None:
    """The decoder stretched "harder" back over the quiet before it (9.5 s to 11.6 s). The
    person spoke a quarter of a second before its end; long before, the detector misjudged
    a few blocks of echo, which alone must not pass a command."""
    from voicecoach.speech_in.doubletalk import DoubleTalk

    activity = SpeechActivity()
    activity.line_started("Sit up on a folded towel and lean only a little.", 8.0, 14.0)
    misjudged = {round(9.6 + 0.1 * k, 2) for k in range(8)}

    def guard(person_from: float | None) -> SelfHearingFilter:
        detector = DoubleTalk(block_seconds=0.02)
        for block in range(1, 586):
            at = round(block * 0.02, 2)
            person = person_from is not None and person_from < at <= person_from + 0.25
            detector.feed_power(1e-3 if person or at in misjudged else 1e-5, 1e-2, at)
        return SelfHearingFilter(activity, person_spoke=detector.person_spoke)

    harder = Heard(Command.HARDER, "harder", 11.64, 1.0, 9.46, 11.56)
    assert guard(person_from=11.2).allow(harder)
    assert not guard(person_from=None).allow(harder)
