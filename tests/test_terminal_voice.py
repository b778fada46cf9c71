"""The plain-terminal front end (``--no-tui``) on listener events: what it prints and does."""

from __future__ import annotations

import io

from tests.support.fakes import FakeClock, RecordingSpeaker
from voicecoach.core.commands import Command
from voicecoach.core.session import Session
from voicecoach.drivers.live import SessionRunner
from voicecoach.frontends.terminal import TerminalFrontEnd
from voicecoach.speech_in.events import (
    Heard,
    Level,
    ListenerState,
    ListenerStatus,
    Rejected,
    RejectReason,
)
from voicecoach.storage.routine_files import resolve_routine


def test_listener_events_are_printed_and_a_spoken_stop_ends_the_session() -> None:
    clock = FakeClock()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock)
    printed: list[str] = []
    front = TerminalFrontEnd(runner, stdin=io.StringIO(), out=printed.append,
                             tick_interval=0.01)
    for event in (
        ListenerStatus(ListenerState.LISTENING),
        Level(-30.0),
        ListenerStatus(ListenerState.IGNORING, "narrator speaking"),  # not worth telling
        ListenerStatus(ListenerState.LISTENING),  # unchanged since last told
        Rejected("back pain", clock(), RejectReason.NOT_A_COMMAND),
        Rejected("next", clock(), RejectReason.FAINT),
        ListenerStatus(ListenerState.NO_MICROPHONE, "the audio input stopped"),
        Heard(Command.STOP, "that hurts", clock(), 0.9),
    ):
        front.post_voice(event)

    assert front.run() == 0
    assert [line for line in printed if line.startswith("[")] == [
        "[listener] listening: ",
        "[heard] back pain?",
        "[heard] next? (fainter than your commands: say it again)",
        "[listener] no-microphone: the audio input stopped",
        "[heard] that hurts -> stop",
    ]
    assert runner.summary is not None
    assert printed[-1].startswith("Session over.")
