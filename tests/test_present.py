"""The session screen's words, worked out from the session's view without drawing it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from voicecoach.core.commands import Command, normalize, parse_phrase
from voicecoach.core.session import PhaseKind, SegmentKind, Session
from voicecoach.frontends.listener_words import NEAR_MISSES, listener_text, near_miss_hint
from voicecoach.frontends.tui.present import heard_text, phase_display
from voicecoach.speech_in.events import (
    Heard,
    ListenerState,
    ListenerStatus,
    Rejected,
    RejectReason,
)
from voicecoach.storage.routine_files import resolve_routine


def test_a_step_of_one_rep_says_rep_in_the_singular() -> None:
    start = Session(resolve_routine("back-pain", reps=1), 0.0).view()
    reading = replace(start, segment_kind=SegmentKind.STEP, phase=PhaseKind.READING,
                      reps_total=1)
    assert phase_display(reading, None).label == "LISTEN — then 1 rep"


def test_a_step_only_shown_says_read_where_a_spoken_one_says_listen() -> None:
    start = Session(resolve_routine("back-pain"), 0.0).view()
    holding_next = replace(start, segment_kind=SegmentKind.STEP, phase=PhaseKind.READING)
    assert phase_display(holding_next, 20.0).label == "LISTEN — then hold 0:20"
    assert phase_display(holding_next, 20.0, spoken=False).label == "READ — then hold 0:20"
    assert phase_display(start, None, spoken=False).label == "READ"


@pytest.mark.parametrize(("state", "detail", "shown"), [
    (ListenerState.NO_MODEL, "No Vosk speech model at /nowhere (--model): no such folder. "
     "Run `voicecoach model install` to install it there.",
     "no speech model: no Vosk speech model at /nowhere (--model): no such folder. "
     "Run `voicecoach model install` to install it there — use the keys"),
    (ListenerState.NO_MODEL, "The speech model at /m is damaged: am/final.mdl: missing.",
     "no speech model: the speech model at /m is damaged: am/final.mdl: missing — use the keys"),
    (ListenerState.NO_MICROPHONE, "PortAudio error: no device",
     "no microphone: PortAudio error: no device — use the keys"),
    (ListenerState.NO_MICROPHONE, "ALSA lib failed",
     "no microphone: ALSA lib failed — use the keys"),
])
def test_a_listener_problem_reads_on_after_its_state(state: ListenerState, detail: str,
                                                     shown: str) -> None:
    assert listener_text(ListenerStatus(state, detail)) == shown


def test_hint_rows_keep_each_phrase_whole_and_leave_room_for_the_last_separator() -> None:
    from voicecoach.frontends.tui.present import hint_rows

    words = ["pause", "resume", "time left", "commands"]
    assert hint_rows(words, " · ", 80) == [words]
    # "Say: pause · resume ·" is 21 columns; "time left" and its " ·" would pass 24
    assert hint_rows(words, " · ", 24) == [["pause", "resume"], ["time left", "commands"]]
    assert hint_rows(words, " · ", 5) == [["pause"], ["resume"], ["time left"], ["commands"]]
    assert hint_rows(["pause", "resume"], " · ", 19) == [["pause", "resume"]]  # exactly


@pytest.mark.parametrize(("command", "text", "shown"), [
    (Command.HELP, "commands", "heard: commands ✓"),  # not "help", no phrase
    (Command.TIME_LEFT, "how much longer", "heard: how much longer → time left"),
    (Command.WHATS_NEXT, "coming up", "heard: coming up → what comes next"),
    (Command.STOP, "that hurts", "heard: that hurts → stop"),
    (Command.WHATS_NEXT, "what comes next", "heard: what comes next ✓"),  # said as shown
    (Command.PAUSE, "okay pause", "heard: pause ✓"),
])
def test_a_command_heard_is_named_by_the_words_for_it(command: Command, text: str,
                                                      shown: str) -> None:
    """Not by its internal name ("time-left", "whats-next", "help")."""
    assert heard_text(Heard(command, text, 1.0, 1.0)) == shown
    assert heard_text(Rejected(text, 1.0, RejectReason.FAINT)) == f"heard: {text}? too faint"


def test_a_long_path_or_name_breaks_after_a_separator_never_inside_a_word() -> None:
    from voicecoach.frontends.tui.present import wrap_text

    text = "no model at /home/ann/voicecoach/empty: install vosk-model-small-en-us-0.15 now"
    assert wrap_text(text, 22) == ["no model at", "/home/ann/voicecoach/", "empty: install",
                                   "vosk-model-small-en-", "us-0.15 now"]
    assert wrap_text("Lean in until you feel it", 13) == ["Lean in until", "you feel it"]
    assert wrap_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]  # no separator: anywhere
    assert wrap_text("", 10) == [""]


def test_text_cut_short_ends_with_an_ellipsis_after_a_whole_word() -> None:
    from voicecoach.frontends.tui.present import clamp_lines

    lines = ["Lean in until you feel a good", "stretch in your right glute, and",
             "stay there."]
    assert clamp_lines(lines, 3, 33) == lines
    assert clamp_lines(lines, 2, 33) == ["Lean in until you feel a good",
                                         "stretch in your right glute, and…"]
    assert clamp_lines(lines, 2, 32) == ["Lean in until you feel a good",
                                         "stretch in your right glute…"]  # no ",…"
    assert clamp_lines(lines, 1, 33) == ["Lean in until you feel a good…"]
    assert clamp_lines(lines, 1, 29) == ["Lean in until you feel a…"]  # room for "…"
    assert clamp_lines(lines, 0, 33) == []


def test_the_step_and_the_easier_version_give_way_in_turn() -> None:
    from voicecoach.frontends.tui.present import share_rows

    assert share_rows(4, 3, 13) == (4, 3)  # both fit
    assert share_rows(4, 3, 5) == (3, 2)  # the summary to at most half
    assert share_rows(1, 3, 5) == (1, 3)  # what the step leaves
    assert share_rows(4, 3, 2) == (1, 1)
    assert share_rows(4, 3, 1) == (1, 0)  # one row: the step's
    assert share_rows(4, 3, 0) == (0, 0)


def test_the_footer_keeps_the_keys_that_fit_whole_and_the_calendar_its_latest_weeks(
        ) -> None:
    from voicecoach.frontends.tui.history import weeks_that_fit
    from voicecoach.frontends.tui.present import keys_that_fit

    widths = [11, 6, 10, 6, 6, 8, 8]  # space pause, q stop, ... e easier, h harder
    assert keys_that_fit(widths, 60) == 6  # "h harder" would end at column 61
    assert keys_that_fit(widths, 61) == 7
    assert keys_that_fit(widths, 5) == 0
    assert weeks_that_fit(7, 1, 0) == 6  # under the weekdays' row
    assert weeks_that_fit(27, 3, 1) == 6 and weeks_that_fit(26, 3, 1) == 5


@pytest.mark.parametrize(("text", "say"), [
    ("what next", "what comes next"),
    ("what … next", "what comes next"),  # "…": a word outside the grammar
    ("um what next please", "what comes next"),  # filler words
    ("how longer", "time left"),
    ("how many", "how many left"),
    ("slow …", "slow down"),
    ("faster", "go faster"),
])
def test_a_near_miss_says_the_words_to_say_on_a_line_of_its_own(text: str, say: str) -> None:
    """On a line of its own: the panel's 21 columns (60x20) never break the phrase."""
    rejected = Rejected(text, 1.0, RejectReason.NOT_A_COMMAND)
    assert heard_text(rejected) == f"heard: {text}?\nsay “{say}”"
    assert near_miss_hint(replace(rejected, reason=RejectReason.EXTRA_WORDS)) == f"say “{say}”"


@pytest.mark.parametrize(("text", "reason"), [
    ("how", RejectReason.NOT_A_COMMAND),  # a lost "help", or "how long", "how many"
    ("…", RejectReason.NOT_A_COMMAND),  # a "quit", or anything outside the grammar
    ("back pain", RejectReason.NOT_A_COMMAND),
    ("what next", RejectReason.NARRATOR_SAID_IT),  # the narrator's words: no hint
    ("what next", RejectReason.FAINT),  # someone else's
])
def test_no_hint_where_no_one_command_is_meant_or_the_person_did_not_say_it(
        text: str, reason: RejectReason) -> None:
    assert near_miss_hint(Rejected(text, 1.0, reason)) is None
    assert "say" not in heard_text(Rejected(text, 1.0, reason))


def test_the_near_misses_are_normalized_and_none_is_a_command() -> None:
    """Else one would never match, or would hint at the command it is."""
    for text in NEAR_MISSES:
        assert normalize(text) == text and parse_phrase(text) is None, text
