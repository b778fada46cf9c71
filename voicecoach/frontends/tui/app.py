"""The Textual app: draws the session's view, turns keys into commands, shows the listener.

Timing belongs to the engine: an interval timer calls ``runner.tick()`` and everything
shown comes from ``runner.session.view()``. Other threads talk to the app only through
``post_voice`` and ``post_caption``, which post Textual messages (thread-safe); widgets
are touched on the app's thread alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from voicecoach.core.commands import Command
from voicecoach.core.cues import Cue
from voicecoach.core.session import SegmentKind, SessionView
from voicecoach.core.words import counted
from voicecoach.drivers.live import SessionRunner
from voicecoach.frontends.listener_words import listener_text
from voicecoach.frontends.tui.history import HistoryScreen
from voicecoach.frontends.tui.screens import (
    ConfirmStop,
    KeysScreen,
    SessionScreen,
    SummaryScreen,
)
from voicecoach.frontends.tui.themes import THEME_VARIABLE_DEFAULTS, THEMES
from voicecoach.frontends.tui.widgets import CaptionBar, SessionBody, TopBar
from voicecoach.speech_in.events import (
    Heard,
    Level,
    ListenerEvent,
    ListenerState,
    ListenerStatus,
    Rejected,
    RejectReason,
)
from voicecoach.speech_out.speaker import SPEECH_BACK, SPEECH_LOST
from voicecoach.storage.history_stats import progress_report

LARGE_SIZE = (110, 36)
"""At least this many columns and rows: the roomy layout (class ``-large``)."""
OBEYED_SHOWN_FOR = 5.0
"""Seconds a command obeyed stays the phrase shown, whatever is heard and let go meanwhile."""


class VoiceEvent(Message):
    """An event from the listener thread: Heard, Rejected, Level or ListenerStatus."""

    def __init__(self, event: ListenerEvent) -> None:
        super().__init__()
        self.event = event


class CaptionChanged(Message):
    """The narrator started a line (text) or went quiet (None)."""

    def __init__(self, text: str | None) -> None:
        super().__init__()
        self.text = text


class VoiceCoachApp(App[None]):
    """The session's terminal UI."""

    CSS_PATH = "app.tcss"
    TITLE = "voicecoach"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit", show=False, system=True, priority=True),
    ]
    """Ctrl+C does what Ctrl+Q does (leaves, the place kept), as in ``--no-tui``: not
    Textual's note on how to quit, over the caption, while the session runs on."""

    listener_status: var[ListenerStatus] = var(ListenerStatus(ListenerState.STARTING))
    """What the listener is doing (the listener panel follows these three)."""
    mic_level: var[float | None] = var(None)
    """The microphone's last level in dBFS; None when there is none to show."""
    last_heard: var[Heard | Rejected | None] = var(None)
    """The last phrase heard, acted on or not."""

    def __init__(self, runner: SessionRunner, *, clock: Callable[[], float],
                 theme: str = "dark", listener_status: ListenerStatus | None = None,
                 tick_interval: float = 0.1,
                 wall_clock: Callable[[], datetime] | None = None,
                 opening_notices: Sequence[str] = (), carry_on_saved: bool = False) -> None:
        super().__init__()
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r} (choose from {', '.join(THEMES)})")
        self.runner = runner
        self.clock = clock
        self.tick_interval = tick_interval
        self.wall_clock = wall_clock or _local_now
        """The date and time zone the history screen counts days in (aware datetimes)."""
        self.notices: list[str] = []
        self.opening_notices = list(opening_notices)
        """What the start said about the saved session (resumed, set aside, another one
        saved): shown above the other notices until the session moves on from where it
        started, so that no device notice pushes them out of sight."""
        self.carry_on_saved = carry_on_saved
        """A session saved before this one can be carried on from (c), until this one
        moves on a step (then this one's place is saved over it)."""
        self.carried_on = False
        """c was pressed: the app closed for the saved session to be carried on from."""
        self.on_ready: list[Callable[[], None]] = []
        """Called on the app's thread once it runs (the CLI connects its relays here)."""
        if listener_status is not None:
            self.listener_status = listener_status
        self.caption: str | None = None
        self._theme_name = theme
        self._paused_in_footer = False
        self._resume_after_asking = False
        """The stop question paused the session, so "carry on" resumes it."""
        self._heard_at: float | None = None
        """When the last command heard was obeyed (the runner's clock)."""

    # ----- thread-safe entry points -----------------------------------------------------

    def post_voice(self, event: ListenerEvent) -> None:
        """From any thread: a listener event (Heard, Rejected, Level, ListenerStatus)."""
        self.post_message(VoiceEvent(event))

    def post_caption(self, text: str | None) -> None:
        """From any thread: the narrator's current line, or None when it is quiet."""
        self.post_message(CaptionChanged(text))

    def quit_on(self, *signums: signal.Signals) -> None:
        """From now on, each of ``signums`` ends the app as Ctrl+Q does, with the return
        code 128 + the signal's number; those ignored (``nohup``) stay ignored. Call it on
        the app's thread once it runs: the handlers run in its event loop (which removes
        them when it closes)."""
        loop = asyncio.get_running_loop()
        for signum in signums:
            if signal.getsignal(signum) != signal.SIG_IGN:
                loop.add_signal_handler(signum, partial(self.exit, return_code=128 + signum))

    # ----- lifecycle --------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The app's own style variables, as the dark theme has them (a theme may set
        its own: the high-contrast one does)."""
        return dict(THEME_VARIABLE_DEFAULTS)

    def get_default_screen(self) -> Screen[Any]:
        """The session screen is the app's base screen."""
        return SessionScreen()

    def on_mount(self) -> None:
        """Apply the theme, start the session and the tick."""
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = THEMES[self._theme_name].name
        self._fit_layout()
        self._after(self.runner.start())
        self.set_interval(self.tick_interval, self.tick)
        for hook in self.on_ready:
            hook()

    def on_resize(self, event: events.Resize) -> None:
        """Switch between the compact and the roomy layout, by the size the terminal has
        now (``self.size`` still reads the size before it)."""
        self._fit_layout(event.size)

    def _fit_layout(self, size: Size | None = None) -> None:
        width, height = size or self.size
        self.set_class(width >= LARGE_SIZE[0] and height >= LARGE_SIZE[1], "-large")

    # ----- the session ------------------------------------------------------------------

    def tick(self) -> None:
        """Advance the session to now (the interval timer calls this) and redraw."""
        if not self.runner.finished:
            self._after(self.runner.tick())

    def key_command(self, command: Command) -> None:
        """A command key was pressed."""
        self._run(command, "key")

    def action_command(self, name: str) -> None:
        """The session screen's command keys (a command by its value, e.g. "next")."""
        self.key_command(Command(name))

    def action_toggle_pause(self, shown: str = "") -> None:
        """Space: pause when running, resume when paused (``shown``: the footer's word for
        it, "pause" or "resume", of which :meth:`check_action` shows the one that fits)."""
        if not self.runner.finished:
            self._after(self.runner.toggle_pause("key"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space's binding that fits: "pause" while running, "resume" while paused."""
        if action == "toggle_pause" and parameters:
            return parameters[0] == ("resume" if self.runner.session.paused else "pause")
        return True

    def action_help(self) -> None:
        """?: say the voice commands and show every key (only the keys, without voice)."""
        voice = not self.listener_status.state.deaf
        if voice:
            self.key_command(Command.HELP)
        if not self.runner.finished:
            self.push_screen(KeysScreen(voice=voice))

    def action_carry_on_saved(self) -> None:
        """c (or a spoken "continue" while running): close, for the session saved before
        to carry on (the caller resumes it), while this one has not moved on a step; else
        nothing."""
        if self.carry_on_saved and not self.runner.moved_on and not self.runner.finished:
            self.carried_on = True
            self.exit(return_code=0)

    def _carries_on_saved(self) -> bool:
        """A spoken "resume" carries on from the session saved before: it is offered, and
        this one runs (paused, "resume" resumes it as ever)."""
        return (self.carry_on_saved and not self.runner.moved_on
                and not self.runner.finished and not self.runner.session.paused)

    def action_ask_stop(self) -> None:
        """q: pause (as space does, so the narrator stops) and ask; stop only after a yes
        (y or q again). On no, resume, unless it was paused before or a spoken "pause" or
        "resume" meanwhile chose for the person."""
        self._resume_after_asking = not self.runner.session.paused
        if self._resume_after_asking:
            self._run(Command.PAUSE, "key")

        def answered(stop: bool | None) -> None:
            if stop:
                self._run(Command.STOP, "key")
            elif self._resume_after_asking and self.runner.session.paused:
                self._run(Command.RESUME, "key")
            self._resume_after_asking = False

        self.push_screen(ConfirmStop(forgets_place=self.runner.stop_forgets_place,
                                     saves=self.runner.progress is not None), answered)

    def action_show_history(self) -> None:
        """H: the history screen over the session or the summary (Escape closes it)."""
        if isinstance(self.screen, HistoryScreen):
            return
        history = self.runner.history
        try:
            entries, skipped = history.read() if history is not None else ([], [])
        except OSError as error:
            self._notice_once(f"Cannot read the history {error.filename}: {error.strerror}")
            return
        if skipped and history is not None:
            lines = counted(len(skipped), "line")
            self._notice_once(f"{lines} of the history {history.path} could not be read: left"
                              " out (`voicecoach history` names them)")
        self.push_screen(HistoryScreen(progress_report(entries, self.wall_clock())))

    def _shows(self, rejected: Rejected) -> bool:
        """Whether what was heard and let go replaces the last phrase shown: not the
        narrator's own words, and not over a command obeyed in the last
        :data:`OBEYED_SHOWN_FOR` seconds (the echo's scraps, "done?", had replaced it within
        a second, reading from across the room as something obeyed)."""
        if rejected.reason is RejectReason.NARRATOR_SAID_IT:
            return False
        return (self._heard_at is None
                or self.runner.clock() - self._heard_at >= OBEYED_SHOWN_FOR)

    def _close_what_voice_answers(self, command: Command) -> None:
        """A spoken command answers the stop question (anything but "stop" carries on:
        it was left open over a session a spoken "resume" had set going) and closes the
        keys, as a key pressed there does; "commands" leaves them open."""
        screen = self.screen  # one at a time: the keys close before q can ask
        if isinstance(screen, ConfirmStop) and command is not Command.STOP:
            screen.dismiss(False)
        elif isinstance(screen, KeysScreen) and command is not Command.HELP:
            screen.dismiss()

    def add_notice(self, notice: str) -> None:
        """From any thread: a notice, shown from the next tick. Once speech is back, the
        notice that it was lost goes (and the other way round): they had piled up."""
        opposite = {SPEECH_BACK: SPEECH_LOST, SPEECH_LOST: SPEECH_BACK}.get(notice)
        if opposite in self.notices:
            self.notices.remove(opposite)
        if notice not in self.notices:
            self.notices.append(notice)

    def _notice_once(self, notice: str) -> None:
        """A notice shown once, however often what causes it happens (H pressed again)."""
        if notice not in self.notices:
            self.notices.append(notice)
            self.refresh_view()

    def _run(self, command: Command, source: str, text: str | None = None) -> None:
        if not self.runner.finished:
            self._after(self.runner.command(command, source, text))

    def _after(self, cues: list[Cue]) -> None:
        """Redraw after the runner moved; show the summary once the session ended."""
        self.refresh_view()
        if self.runner.session.paused != self._paused_in_footer:  # space's word flips
            self._paused_in_footer = self.runner.session.paused
            self.refresh_bindings()
        summary = self.runner.summary
        shown = any(isinstance(screen, SummaryScreen) for screen in self.screen_stack)
        if summary is not None and not shown:
            while isinstance(self.screen, ConfirmStop | KeysScreen):
                self.pop_screen()
            self.push_screen(SummaryScreen(summary))

    @property
    def session_screen(self) -> SessionScreen | None:
        """The session screen, once mounted."""
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                return screen
        return None

    def refresh_view(self) -> None:
        """Draw the engine's current view."""
        screen = self.session_screen
        if screen is None or not screen.is_mounted:
            return
        with contextlib.suppress(NoMatches):  # NoMatches: the app is closing
            self._draw(screen)

    def _draw(self, screen: SessionScreen) -> None:
        view = self.runner.session.view()
        screen.query_one(TopBar).show(view)
        screen.query_one(SessionBody).show(view, self._hold_seconds(view),
                                           self.runner.speaker.audible)
        screen.query_one("#paused-banner").display = view.paused and not view.finished
        screen.set_class(view.paused, "-paused")
        screen.set_class(view.easier, "-easier")
        shown = self.notices[::-1]  # newest first
        if screen.has_class("-narrow") and self.listener_status.state.unavailable:
            shown.insert(0, listener_text(self.listener_status))  # its panel is hidden
        if not self.runner.moved_on:  # a choice to make now: above all (one line if short)
            shown[:0] = self.opening_notices
        notices = screen.query_one("#notices", Static)
        notices.display = bool(shown)
        if shown:
            notices.update(Content("\n".join(shown)))
        screen.query_one(CaptionBar).show(self.caption)

    def _hold_seconds(self, view: SessionView) -> float | None:
        """The current step's hold, to preview while its text is read."""
        if view.segment_kind is not SegmentKind.STEP or view.step_number is None:
            return None
        exercise = self.runner.session.routine.exercises[view.exercise_index]
        return exercise.steps[view.step_number - 1].hold_seconds

    # ----- listener and narrator events -------------------------------------------------

    @on(VoiceEvent)
    def _voice(self, message: VoiceEvent) -> None:
        match message.event:
            case Heard(command=command, text=text) as heard:
                self.last_heard = heard
                self._heard_at = self.runner.clock()
                if command in (Command.PAUSE, Command.RESUME):  # the person's own choice
                    self._resume_after_asking = False
                if command is Command.RESUME and self._carries_on_saved():
                    self.action_carry_on_saved()  # "continue" while it is offered
                    return
                self._close_what_voice_answers(command)
                self._run(command, "voice", text)
                if command is Command.HELP and not self.runner.finished \
                        and not isinstance(self.screen, KeysScreen):
                    self.push_screen(KeysScreen(voice=True))  # as ? shows them
            case Rejected() as rejected if self._shows(rejected):
                self.last_heard = rejected
            case Level(rms_dbfs=rms_dbfs):
                self.mic_level = rms_dbfs
                if self.listener_status.state is ListenerState.STARTING:
                    # sound is coming in: the mic works
                    self.listener_status = ListenerStatus(ListenerState.LISTENING)
            case ListenerStatus(state=state) as status:
                self.listener_status = status
                if state.unavailable:
                    self.mic_level = None

    @on(CaptionChanged)
    def _caption(self, message: CaptionChanged) -> None:
        self.caption = message.text
        screen = self.session_screen
        if screen is not None and screen.is_mounted:
            screen.query_one(CaptionBar).show(self.caption)


def create_app(runner: SessionRunner, *, clock: Callable[[], float], theme: str = "dark",
               listener_status: ListenerStatus | None = None,
               tick_interval: float = 0.1,
               wall_clock: Callable[[], datetime] | None = None,
               opening_notices: Sequence[str] = (),
               carry_on_saved: bool = False) -> VoiceCoachApp:
    """The app, for the CLI and the tests alike; adapters come in through ``runner``.

    ``wall_clock`` gives the local date and time for the history screen (default: now);
    ``opening_notices``, what the start said about the saved session; ``carry_on_saved``,
    whether c may close it to carry on from a session saved before.
    """
    return VoiceCoachApp(runner, clock=clock, theme=theme, listener_status=listener_status,
                         tick_interval=tick_interval, wall_clock=wall_clock,
                         opening_notices=opening_notices, carry_on_saved=carry_on_saved)


def _local_now() -> datetime:
    """Now, in the local time zone."""
    return datetime.now().astimezone()
