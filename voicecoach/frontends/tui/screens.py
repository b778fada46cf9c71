"""The app's screens: the session, the stop confirmation, every key and the end summary."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from voicecoach.core.commands import KEY_CHARS, KEYS, Command, key_label
from voicecoach.core.record import Summary
from voicecoach.frontends.tui.present import PAUSED_SAY, summary_text
from voicecoach.frontends.tui.widgets import (
    CaptionBar,
    HintBar,
    PausedBanner,
    SessionBody,
    TopBar,
    WholeKeysFooter,
)

FOOTER_COMMANDS: frozenset[Command] = frozenset({
    Command.NEXT, Command.BACK, Command.EASIER, Command.HARDER, Command.REPEAT,
    Command.DONE, Command.STOP, Command.HELP,
})
"""The command keys shown in the footer (with space, they fit 80 columns); "?" lists
every key on the keys screen."""


def command_bindings() -> list[Binding]:
    """Space for pause/resume, then one key per command from ``commands.KEYS``.

    The actions are the app's (``app.``): it owns the session. Only the
    ``FOOTER_COMMANDS`` are shown in the footer; the keys screen shows them all.
    """
    bindings = [  # one shown at a time: the footer says what space does now
        Binding("space", "app.toggle_pause('pause')", "pause", key_display="space"),
        Binding("space", "app.toggle_pause('resume')", "resume", key_display="space"),
    ]
    # Stop and help first: a narrow footer drops its last keys, and those two must stay.
    first = (Command.STOP, Command.HELP)
    for key, command in sorted(KEYS.items(), key=lambda item: item[1] not in first):
        bindings.append(Binding(key, _command_action(command), key_label(command),
                                key_display=KEY_CHARS.get(key),
                                show=command in FOOTER_COMMANDS))
    return bindings


def _command_action(command: Command) -> str:
    """The app action for a command's key: q asks first, ? also shows every key."""
    if command is Command.STOP:
        return "app.ask_stop"
    if command is Command.HELP:
        return "app.help"
    return f"app.command('{command.value}')"


HISTORY_BINDING = Binding("H", "app.show_history", "history", key_display="H", show=False)
"""Shift+H opens the history screen (h alone is "harder"); the keys screen lists it."""

CARRY_ON_BINDING = Binding("c", "app.carry_on_saved", "carry on", show=False)
"""c carries on from a session saved before, while the notice that says so is shown."""

NARROW_BELOW = 60
"""Fewer columns than this: the screen has the class ``-narrow`` (no side column: beside
it, at 50 columns, the exercise and the time left were cut)."""
SHORT_BELOW = 18
"""Fewer rows than this: the screen has the class ``-short`` (the counter first; one
notice line, the newest)."""
LOW_BELOW = 24
"""Fewer rows than this and not short: the class ``-low`` (no blank rows around the
counter; on the summary, none between its rows)."""


class SessionScreen(Screen[None]):
    """The running session: what to do now, the counter, the routine and the listener."""

    BINDINGS: ClassVar[list[BindingType]] = [*command_bindings(), HISTORY_BINDING,
                                             CARRY_ON_BINDING]
    # Textual declares these without a valid ClassVar, so mypy refuses one here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_BELOW, "-low"),  # noqa: RUF012
                            (LOW_BELOW, "-tall")]

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield Static(id="notices")
        yield PausedBanner(PAUSED_SAY, id="paused-banner")
        yield SessionBody(id="body")
        yield CaptionBar(id="caption")
        yield HintBar(id="hints")
        yield WholeKeysFooter(compact=True)


STOP_KEYS = "y or q = stop · n, space = carry on"
KEEP_PLACE_KEY = "Ctrl+Q = quit and keep your place"
"""The stop question's answers (two lines: the box fits a 40-column terminal)."""


QUIT_LABEL = "quit, place kept"
"""What Ctrl+Q does, on the keys screen: leaves at once, the place kept for --resume (q
stops, which forgets it)."""


class ConfirmStop(ModalScreen[bool]):
    """ "Stop the session?" — only for the q key (a spoken "stop" stops at once): y or a
    second q stops, n, space or escape carries on, and it says that Ctrl+Q keeps the
    place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "yes, stop"),
        Binding("q", "answer(True)", "stop", show=False),
        Binding("n", "answer(False)", "no, carry on"),
        Binding("escape", "answer(False)", "no", show=False),
        Binding("space", "answer(False)", "no", show=False),  # the screen behind says so
    ]

    def __init__(self, *, forgets_place: bool = True, saves: bool = True) -> None:
        super().__init__()
        self.forgets_place = forgets_place
        """Whether stopping clears the saved place (said, so that Ctrl+Q is chosen instead)."""
        self.saves = saves
        """Whether this session saves its place at all (not while another session of its
        routine does): only then does Ctrl+Q keep it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static("Stop the session?", id="confirm-question")
            if self.forgets_place:
                yield Static("Your place is not kept.", id="confirm-forgets")
            keys = f"{STOP_KEYS}\n{KEEP_PLACE_KEY}" if self.saves else STOP_KEYS
            yield Static(keys, id="confirm-keys")

    def action_answer(self, stop: bool) -> None:
        """Close with the answer."""
        self.dismiss(stop)


def key_column(rows: list[tuple[str, str]]) -> Content:
    """One (key, what it does) a line: the key right-aligned."""
    width = max((len(key) for key, _ in rows), default=0)
    return Content("\n").join(
        Content.assemble((key.rjust(width), "bold $accent"), "  ", label)
        for key, label in rows)


def key_rows(*, voice: bool, terse: bool = False
             ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every session key with what it does (the words to say for it), the footer's first
    and then the others; without ``voice``, space only pauses and nothing is said
    (``terse``: nor is "a key only" said of H and Ctrl+Q, for a narrow screen)."""
    footer = [("space", "pause · resume" if voice else "pause")]
    others: list[tuple[str, str]] = []
    for key, command in KEYS.items():
        (footer if command in FOOTER_COMMANDS else others).append(
            (KEY_CHARS.get(key, key), key_label(command)))
    only = " (a key only)" if voice and not terse else ""
    others.append(("H", f"history{only}"))
    others.append(("Ctrl+Q", QUIT_LABEL + only))
    return footer, others


def columns_width(footer: list[tuple[str, str]], others: list[tuple[str, str]]) -> int:
    """The columns the keys screen's two columns of rows take side by side."""
    def width(rows: list[tuple[str, str]]) -> int:
        keys = max(len(key) for key, _ in rows)
        return keys + 2 + max(len(label) for _, label in rows)

    return width(footer) + KEYS_GAP + width(others)


KEYS_GAP = 4
"""Columns between the keys screen's two columns (``#keys-more``'s margin)."""
KEYS_FRAME = 2 + 2 * 2
"""The keys box's border and padding, left and right, in columns."""
TIGHT_FRAME = 2 + 2 * 1
"""The same with the class ``-tight``."""
LIST_FRAME_ROWS = 2
"""The keys box's border, top and bottom, in rows, around the one list (always tight)."""
KEYS_MORE = " · ↑↓ more"
"""After the keys screen's title where its one list is cut (a small terminal): the arrow,
page and home/end keys scroll it (the title and how to close it still fit 40 columns)."""


class KeysScreen(ModalScreen[None]):
    """Every session key: the footer's on the left, the others on the right ("?" opens it).

    Any key closes it and, unless it is escape or "?", then does what it does.
    """

    CLOSE_ONLY: ClassVar[frozenset[str]] = frozenset({"escape", "question_mark"})
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_BELOW, "-tall")]  # noqa: RUF012

    def __init__(self, *, voice: bool = True) -> None:
        super().__init__()
        self.voice = voice
        """Whether what is said is heard (else the screen offers only the keys)."""

    def compose(self) -> ComposeResult:
        footer, others = key_rows(voice=self.voice)
        tight = columns_width(footer, others) + KEYS_FRAME > self.app.size.width * 9 // 10
        if tight:  # no "(a key only)", a narrower frame, and the whole width (not 90%)
            footer, others = key_rows(voice=self.voice, terse=True)
        self.set_class(tight, "-tight")
        side_by_side = columns_width(footer, others) + TIGHT_FRAME <= self.app.size.width
        # The title and how to close it on the border: a small terminal keeps them in view.
        with Vertical(id="keys-box") as box:
            box.border_title = "Keys — or say the words" if self.voice else "Keys"
            box.border_subtitle = "press a key to use it · esc closes"
            if side_by_side:
                with Horizontal(id="keys-columns"):
                    yield Static(key_column(footer), classes="keys-column")
                    yield Static(key_column(others), classes="keys-column", id="keys-more")
            else:  # one list, the keys aligned, the footer's first; ↑↓ or the wheel scroll it
                rows = footer + others
                if len(rows) + LIST_FRAME_ROWS > self.app.size.height:
                    box.border_title += KEYS_MORE
                with VerticalScroll(id="keys-list", can_focus=False):  # keys close the screen
                    yield Static(key_column(rows), classes="keys-column")

    def on_resize(self) -> None:
        """Lay the keys out again for the new size."""
        self.refresh(recompose=True)

    def on_key(self, event: events.Key) -> None:
        """Close, then pass the key on to the session; the arrow, page and home/end keys
        scroll the list instead while it is cut."""
        event.stop()
        if self._scrolled(event.key):
            return
        self.dismiss()
        if event.key not in self.CLOSE_ONLY:
            self.app.simulate_key(event.key)

    def _scrolled(self, key: str) -> bool:
        """Scroll the one list for ``key`` if it is a scrolling key and the list is cut;
        whether it did (the session has no use for those keys)."""
        for keys in self.query("#keys-list").results(VerticalScroll):
            page = max(1, keys.scrollable_content_region.height - 1)
            step = {"up": -1, "down": 1, "pageup": -page, "pagedown": page,
                    "home": -keys.max_scroll_y, "end": keys.max_scroll_y}.get(key)
            if step is not None and keys.max_scroll_y > 0:
                keys.scroll_relative(y=step, animate=False)
                return True
        return False


class SummaryScreen(Screen[None]):
    """The end of the session: time, what was done, easier and skipped."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "close", "exit"),
        Binding("enter", "close", "exit"),
        Binding("escape", "close", "exit", show=False),
        replace(HISTORY_BINDING, show=True),  # the footer has room for it here
    ]

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_BELOW, "-low"),  # noqa: RUF012
                            (LOW_BELOW, "-tall")]

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        shown = summary_text(self.summary)
        with VerticalScroll(id="summary-box"):  # the arrow keys reach what a small one cuts
            headline = Static(Content(shown.headline), id="summary-headline")
            headline.set_class(self.summary.stopped, "-stopped")
            yield headline
            for label, value in shown.lines:
                with Horizontal(classes="summary-row"):
                    yield Static(Content(label), classes="summary-label")
                    yield Static(Content(value), classes="summary-value")
            yield Static("press q or enter to exit", id="summary-exit")
        yield WholeKeysFooter(compact=True)

    def action_close(self) -> None:
        """Leave the app."""
        self.app.exit(return_code=0)
