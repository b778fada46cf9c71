"""The plain-terminal front end (``--no-tui``): keys in cbreak mode, captions printed."""

from __future__ import annotations

import contextlib
import os
import queue
import select
import signal
import sys
import termios
import tty
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, TextIO

from voicecoach.core.commands import KEY_CHARS, KEYS, Command, key_label
from voicecoach.core.cues import Finished
from voicecoach.drivers.live import SessionRunner
from voicecoach.frontends.listener_words import listener_text, near_miss_hint
from voicecoach.frontends.plain_wrap import NO_BREAK, wrapped_line
from voicecoach.speech_in.events import (
    Heard,
    Level,
    ListenerEvent,
    ListenerState,
    ListenerStatus,
    Rejected,
    RejectReason,
)

TERMINAL_KEYS: dict[str, Command] = {KEY_CHARS.get(key, key): command
                                     for key, command in KEYS.items()}
"""Single characters typed in the terminal, and their commands (space toggles pause)."""

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""Ctrl-C, kill and a closed terminal: each ends the session as a quit does."""

LAST_WORDS_SECONDS = 8.0
"""How long the summary waits for the coach's closing words (and their caption)."""

KEYS_PREFIX = "keys: "
KEY_ENTRIES = ("space pause/resume", *(f"{char} {key_label(command)}"
                                       for char, command in TERMINAL_KEYS.items()))
KEY_HELP = KEYS_PREFIX + ", ".join(KEY_ENTRIES)
KEY_HELP_HELD = KEYS_PREFIX + ", ".join(entry.replace(" ", NO_BREAK) for entry in KEY_ENTRIES)
"""KEY_HELP, each key kept on one line with its words when it is wrapped ("t time left")."""


NO_KEYS = KEYS_PREFIX + "none read, the input is not a terminal"
"""Instead of the keys, where the input is a pipe or a file (then what still works)."""

CAPTION_PREFIX = "  \N{SPEAKING HEAD IN SILHOUETTE} "
HEARD_PREFIX = "[heard] "
LISTENER_PREFIX = "[listener] "
"""What starts a caption's line, a phrase heard's and the listener's state's (the lines
after the first of a long one are indented as wide)."""


def print_now(line: str) -> None:
    """Print a line at once, also into a pipe or a file (Python buffers those)."""
    print(line, flush=True)


@contextlib.contextmanager
def cbreak(stream: TextIO, on_suspend: Callable[[], None] | None = None) -> Iterator[bool]:
    """Put a terminal in cbreak mode (keys without Enter); yields False if not a tty.

    Ctrl-Z gives the terminal back as it was before stopping, and ``fg`` puts it in cbreak
    mode again (call it on the main thread: it sets the handlers of SIGTSTP and SIGCONT).
    ``on_suspend`` is called just before stopping, in the signal handler: it must only
    note what it needs (no locks).
    """
    if not stream.isatty():
        yield False
        return
    fd = stream.fileno()
    saved = termios.tcgetattr(fd)

    def resume(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(termios.error):  # continued in the background (bg)
            tty.setcbreak(fd, termios.TCSANOW)  # keys typed meanwhile are kept

    def suspend(signum: int, frame: FrameType | None) -> None:
        if on_suspend is not None:
            on_suspend()
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stopped here, as without a handler (or not
        signal.signal(signal.SIGTSTP, suspend)  # at all, with no shell to continue it)
        resume(signum, frame)

    previous = {signal.SIGTSTP: signal.signal(signal.SIGTSTP, suspend),
                signal.SIGCONT: signal.signal(signal.SIGCONT, resume)}
    try:
        tty.setcbreak(fd)
        yield True
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        with contextlib.suppress(termios.error):  # the terminal was closed under it: gone
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)


@contextlib.contextmanager
def caught(signums: tuple[signal.Signals, ...]) -> Iterator[list[int]]:
    """While inside, each of ``signums`` is noted in the list yielded instead of doing what
    it does; those ignored (``nohup``) stay ignored (call it on the main thread). After a
    hangup, SIGHUP stays ignored: a terminal gone sends more than one, and the next must
    not end the process before it has said how the session ended."""
    noted: list[int] = []
    previous = {signum: signal.signal(signum, lambda number, _: noted.append(number))
                for signum in signums if signal.getsignal(signum) != signal.SIG_IGN}
    try:
        yield noted
    finally:
        for signum, handler in previous.items():
            hung_up = signum == signal.SIGHUP and signum in noted
            signal.signal(signum, signal.SIG_IGN if hung_up else handler)


class TerminalFrontEnd:
    """Runs a session until it finishes, from the keyboard and queued voice events."""

    def __init__(self, runner: SessionRunner, *, stdin: TextIO = sys.stdin,
                 out: Callable[[str], None] = print_now,
                 tick_interval: float = 0.1, voice: bool = True,
                 columns: Callable[[], int | None] | None = None) -> None:
        self.runner = runner
        self.columns = columns
        """The width to wrap lines at, asked before each (None, or it returning None: no
        wrapping)."""
        self.voice = voice
        """Voice commands are taken (False: --no-listen, and ? shows the keys only)."""
        self.stdin = stdin
        self.out = out
        self.tick_interval = tick_interval
        self.voice_events: queue.Queue[ListenerEvent] = queue.Queue()
        self._last_state: ListenerState | None = None

    def post_voice(self, event: ListenerEvent) -> None:
        """Thread-safe: a listener event (Heard, Rejected, Level, ListenerStatus) for the loop."""
        self.voice_events.put(event)

    def show_keys(self) -> None:
        """The keys and the words to say, in one line: printed before the first caption;
        where the input is no terminal (a pipe, a file), that no key is read."""
        if self.stdin.isatty():
            self._print(KEY_HELP_HELD)
        else:
            self._print(f"{NO_KEYS} ({'say the commands; ' if self.voice else ''}Ctrl-C "
                        "quits)")

    def show_caption(self, text: str) -> None:
        """What the narrator says, on lines of its own ("" shows nothing)."""
        if text:
            self._print(CAPTION_PREFIX + text, CAPTION_PREFIX)

    def _print(self, line: str, prefix: str = KEYS_PREFIX) -> None:
        """Print ``line``, which starts with ``prefix``, broken between words at the
        terminal's width."""
        columns = self.columns() if self.columns is not None else None
        self.out(wrapped_line(prefix, line.removeprefix(prefix), columns))

    def run(self) -> int:
        """Run the session until it ends, or until one of :data:`QUIT_SIGNALS` quits it
        mid-session; returns the exit status: 0, or 128 + the signal's number."""
        suspended: list[float] = []  # when Ctrl-Z stopped the app (noted in its handler)
        with (caught(QUIT_SIGNALS) as signalled,
              cbreak(self.stdin, lambda: suspended.append(self.runner.clock()))
              as interactive):
            self._watch(self.runner.start())
            while not (self.runner.finished or signalled):
                if interactive:
                    ready, _, _ = select.select([self.stdin], [], [], self.tick_interval)
                    if ready:
                        self._key(os.read(self.stdin.fileno(), 1).decode(errors="ignore"))
                else:
                    with contextlib.suppress(queue.Empty):
                        self._voice(self.voice_events.get(timeout=self.tick_interval))
                if suspended:
                    self._pause_from(suspended.pop(0))
                    suspended.clear()
                self._drain_voice()
                self._watch(self.runner.tick())
        return 128 + signalled[0] if signalled else 0

    def _pause_from(self, moment: float) -> None:
        """Ctrl-Z stopped the app at ``moment``: the session is paused from then on, so the
        time it was stopped is no hold's or rest's (``fg`` carries on paused)."""
        if not self.runner.session.paused:
            self._watch(self.runner.command(Command.PAUSE, "suspend", at=moment))

    def _key(self, char: str) -> None:
        if char == " ":
            self._watch(self.runner.toggle_pause("key"))
        elif char.lower() in TERMINAL_KEYS:
            command = TERMINAL_KEYS[char.lower()]
            if command is Command.HELP and self._deaf():
                self._print(KEY_HELP_HELD)  # nothing to say aloud: the words would not be heard
                return
            self._watch(self.runner.command(command, "key"))

    def _deaf(self) -> bool:
        """Nothing said now is heard: voice is off, or there is no speech model or microphone."""
        return not self.voice or (self._last_state is not None
                                  and self._last_state.deaf)

    def _drain_voice(self) -> None:
        while True:
            try:
                event = self.voice_events.get_nowait()
            except queue.Empty:
                return
            self._voice(event)

    def _voice(self, event: ListenerEvent) -> None:
        match event:
            case Heard(command=command, text=text):
                self._print(f"{HEARD_PREFIX}{text} -> {key_label(command)}", HEARD_PREFIX)
                self._watch(self.runner.command(command, "voice", text))
            case Rejected(text=text, reason=RejectReason.FAINT):
                self._print(f"{HEARD_PREFIX}{text}? ({RejectReason.FAINT}: say it again)",
                            HEARD_PREFIX)
            case Rejected(text=text):
                hint = near_miss_hint(event)
                self._print(f"{HEARD_PREFIX}{text}?" + (f" — {hint}" if hint else ""),
                            HEARD_PREFIX)
            case ListenerStatus(state=state) as status if self._worth_telling(state):
                said = listener_text(status, keys=self.stdin.isatty())
                self._print(LISTENER_PREFIX + said, LISTENER_PREFIX)
            case Level() | ListenerStatus():  # no level meter here; a state not worth telling
                pass

    def _worth_telling(self, state: ListenerState) -> bool:
        """Print a listener state when it changes; not its flips to "ignoring" and back."""
        if state is ListenerState.IGNORING:
            return False
        changed, self._last_state = state != self._last_state, state
        return changed

    def _watch(self, cues: list[Any]) -> None:
        if self.runner.finished and any(isinstance(cue, Finished) for cue in cues):
            # their caption before the ending line, which the caller prints once this ends
            self.runner.speaker.drain(timeout=LAST_WORDS_SECONDS)
