"""The session screen's words, worked out from the session's view without drawing it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from voicecoach.core.commands import Command
from voicecoach.core.session import PhaseKind, SegmentKind, Session
from voicecoach.frontends.listener_words import listener_text
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
