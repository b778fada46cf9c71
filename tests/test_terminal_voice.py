"""The plain-terminal front end (``--no-tui``) on listener events: what it prints and does."""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Callable

import pytest

from tests.support.fakes import FakeClock, RecordingSpeaker
from voicecoach.core.commands import Command
from voicecoach.core.cues import SayKind
from voicecoach.core.session import Session
from voicecoach.drivers.live import SessionRunner
from voicecoach.frontends.plain_wrap import MIN_COLUMNS, terminal_columns, wrapped_line
from voicecoach.frontends.terminal import KEY_HELP, QUIT_SIGNALS, TerminalFrontEnd, caught
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
    master, replica = os.openpty()  # a terminal, so its keys are there to use
    stdin = os.fdopen(replica, "r")
    front = TerminalFrontEnd(runner, stdin=stdin, out=printed.append, tick_interval=0.01)
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

    try:
        assert front.run() == 0
    finally:
        stdin.close()
        os.close(master)
    assert [line for line in printed if line.startswith("[")] == [
        "[listener] listening",
        "[heard] back pain?",
        "[heard] next? (fainter than your commands: say it again)",
        "[listener] no microphone: the audio input stopped — use the keys",
        "[heard] that hurts -> stop",
    ]
    assert runner.summary is not None
    assert not any(line.startswith("Session over") for line in printed)  # the caller's
    # ending line says how it went, once


@pytest.mark.parametrize("signum", QUIT_SIGNALS)
def test_ctrl_c_kill_or_a_hangup_quits_mid_session(signum: signal.Signals) -> None:
    clock = FakeClock()

    def first_line(text: str | None) -> None:  # the session starts saying it in run()
        if len(speaker.lines) == 1:
            assert signal.getsignal(signum) not in (signal.SIG_DFL, signal.default_int_handler), (
                "not caught: it would end the tests")
            signal.raise_signal(signum)

    speaker = RecordingSpeaker(on_caption=first_line)
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), speaker, clock)
    before = signal.getsignal(signum)
    if before == signal.SIG_IGN:  # the tests run under nohup: a terminal's hangup, as ever
        signal.signal(signum, signal.SIG_DFL)
    front = TerminalFrontEnd(runner, stdin=io.StringIO(), out=lambda line: None,
                             tick_interval=0.01)

    try:
        assert front.run() == 128 + signum
        assert runner.summary is None  # quit, not stopped: nothing goes to the history
        # A terminal gone hangs up more than once: the next must not cut the ending line.
        after = signal.SIG_IGN if signum == signal.SIGHUP else before
        assert signal.getsignal(signum) == after
    finally:
        signal.signal(signum, before)


def test_a_signal_ignored_stays_ignored() -> None:
    """``nohup voicecoach run --no-tui``: a closed terminal does not end the session."""
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with caught(QUIT_SIGNALS) as noted:
            signal.raise_signal(signal.SIGHUP)
        assert noted == [] and signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


@pytest.mark.parametrize(("voice", "status", "spoken"), [
    (True, None, True),
    (False, None, False),  # --no-listen
    (True, ListenerStatus(ListenerState.NO_MODEL, "no speech model"), False),
    (True, ListenerStatus(ListenerState.NO_MICROPHONE, "none"), False),
])
def test_question_mark_says_the_words_only_when_they_can_be_heard(
        voice: bool, status: ListenerStatus | None, spoken: bool) -> None:
    """? reads the commands aloud; with voice off, no speech model or no microphone, it
    prints the keys."""
    clock = FakeClock()
    speaker = RecordingSpeaker()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), speaker, clock)
    printed: list[str] = []
    front = TerminalFrontEnd(runner, stdin=io.StringIO(), out=printed.append, voice=voice)
    runner.start()
    if status is not None:
        front.post_voice(status)
        front._drain_voice()
    printed.clear()
    front._key("?")  # what a typed "?" calls (keys are read only from a terminal)
    runner.tick()
    said = [text for text, _ in speaker.lines if text.startswith("You can say")]
    assert bool(said) is spoken, speaker.lines
    assert (printed == [KEY_HELP]) is not spoken, printed


class LateCaptions(RecordingSpeaker):
    """A narrator whose captions come when it gets to a line (its own thread, in the app):
    here, only once it is drained."""

    def __init__(self, show: Callable[[str], None]) -> None:
        super().__init__()
        self.show = show
        self.waiting: list[str] = []

    def say(self, text: str, kind: SayKind) -> None:
        super().say(text, kind)
        self.waiting.append(text)

    def drain(self, timeout: float = 5.0) -> bool:
        for text in self.waiting:
            self.show(f"  caption: {text}")
        self.waiting.clear()
        return True


def test_the_coachs_closing_words_are_shown_before_the_ending_line() -> None:
    printed: list[str] = []
    clock = FakeClock()
    speaker = LateCaptions(printed.append)
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), speaker, clock)
    front = TerminalFrontEnd(runner, stdin=io.StringIO(), out=printed.append,
                             tick_interval=0.01)
    front.post_voice(Heard(Command.STOP, "stop", clock(), 0.9))
    assert front.run() == 0
    # shown before run() returns, so before the ending line its caller prints
    assert any(line.startswith("  caption: Stopping here.") for line in printed), printed


@pytest.mark.parametrize(("voice", "line"), [
    (True, "keys: none read, the input is not a terminal (say the commands; Ctrl-C quits)"),
    (False, "keys: none read, the input is not a terminal (Ctrl-C quits)"),
])
def test_input_from_a_pipe_is_said_to_read_no_keys(voice: bool, line: str) -> None:
    clock = FakeClock()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock)
    printed: list[str] = []
    TerminalFrontEnd(runner, stdin=io.StringIO(" nq"), out=printed.append,
                     voice=voice).show_keys()
    assert printed == [line]


def test_no_model_and_no_keys_does_not_send_the_person_to_the_keys() -> None:
    """With the input a pipe there are no keys to use: the listener's trouble says what
    happens instead (the full screen, with keys, says "use the keys": test_present)."""
    clock = FakeClock()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock)
    printed: list[str] = []
    front = TerminalFrontEnd(runner, stdin=io.StringIO(), out=printed.append, voice=True)
    front.post_voice(ListenerStatus(ListenerState.NO_MODEL, "No Vosk speech model at /m"))
    front.post_voice(Heard(Command.STOP, "stop", clock(), 0.9))
    assert front.run() == 0
    assert ("[listener] no speech model: no Vosk speech model at /m — the session goes on "
            "without commands (Ctrl-C quits)") in printed, printed
    assert not any("use the keys" in line for line in printed)


def plain_front(columns: int | None, *, voice: bool = True
                ) -> tuple[TerminalFrontEnd, list[str], FakeClock]:
    """A plain front end, its printed lines and its clock; ``columns``: its width."""
    clock = FakeClock()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock)
    printed: list[str] = []
    front = TerminalFrontEnd(runner, stdin=io.StringIO(), out=printed.append,
                             columns=lambda: columns, voice=voice)
    return front, printed, clock


def test_a_near_miss_says_the_words_to_say() -> None:
    front, printed, clock = plain_front(None)
    front.post_voice(Rejected("what next", clock(), RejectReason.NOT_A_COMMAND))
    front.post_voice(Rejected("how longer", clock(), RejectReason.EXTRA_WORDS))
    front.post_voice(Rejected("how", clock(), RejectReason.NOT_A_COMMAND))  # which one?
    front._drain_voice()
    assert printed == ["[heard] what next? — say “what comes next”",
                       "[heard] how longer? — say “time left”", "[heard] how?"]


CAPTION = ("Lie on your back, knees bent to 90 degrees, and let both knees fall slowly "
           "to the right.")


def test_long_lines_break_between_words_at_the_terminals_width() -> None:
    """Not "90 deg|rees" at the edge: each line at most 40 columns, the words whole, the
    lines after the first indented under the text after the prefix."""
    front, printed, clock = plain_front(40, voice=False)
    front.show_caption(CAPTION)
    front.post_voice(Rejected("what next", clock(), RejectReason.NOT_A_COMMAND))
    front._drain_voice()
    front._key("?")  # with voice off, the keys are printed
    caption, near_miss, keys = (line.split("\n") for line in printed)
    assert caption == ["  \N{SPEAKING HEAD IN SILHOUETTE} Lie on your back, knees bent to 90",
                       "    degrees, and let both knees fall",
                       "    slowly to the right."]
    assert near_miss == ["[heard] what next? — say “what comes", "        next”"]
    assert keys[0] == "keys: space pause/resume, n next,"
    assert all(line.startswith("      ") and len(line) <= 40 for line in keys[1:]), keys
    assert " ".join(line.strip() for line in keys) == KEY_HELP
    assert "      ? commands, t time left," in keys  # a key kept with its words


def test_without_a_width_the_keys_are_one_line_with_spaces() -> None:
    front, printed, _clock = plain_front(None, voice=False)
    front._key("?")
    assert printed == [KEY_HELP]


def test_no_width_keeps_each_line_whole() -> None:
    """Into a pipe or a file (no terminal): one line each, as they were."""
    front, printed, _clock = plain_front(None)
    front.show_caption(CAPTION)
    front.show_caption("")  # the narrator quiet: nothing
    assert printed == [f"  \N{SPEAKING HEAD IN SILHOUETTE} {CAPTION}"]


def test_the_width_is_the_terminals_but_never_under_forty_and_none_for_a_pipe(
        monkeypatch: pytest.MonkeyPatch) -> None:
    master, replica = os.openpty()
    terminal = os.fdopen(replica, "w")
    try:
        monkeypatch.setenv("COLUMNS", "100")
        assert terminal_columns(terminal) == 100
        monkeypatch.setenv("COLUMNS", "20")
        assert terminal_columns(terminal) == MIN_COLUMNS == 40
        assert terminal_columns(io.StringIO()) is None
    finally:
        terminal.close()
        os.close(master)


def test_a_word_longer_than_a_line_stays_whole() -> None:
    """A path is not cut: it runs past the edge, as the terminal then wraps it."""
    path = "/home/ann/.local/share/voicecoach/models/vosk-model-small-en-us-0.15"
    assert wrapped_line("voicecoach: ", f"no model at {path} here", 40).split("\n") == [
        "voicecoach: no model at", f"            {path}", "            here"]
