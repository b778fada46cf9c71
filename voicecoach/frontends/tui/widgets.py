"""The session screen's widgets; each draws one part of the state and nothing else."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from voicecoach.core.session import ExerciseStatus, SessionView
from voicecoach.frontends.listener_words import listener_text
from voicecoach.frontends.tui.bigtext import BigText
from voicecoach.frontends.tui.present import (
    EASIER_BADGE,
    PAUSED_KEYS_ONLY,
    PAUSED_SAY,
    SAY,
    WAITING_FOR_NARRATOR,
    clamp_lines,
    easier_badge,
    exercise_line,
    heard_text,
    hint_rows,
    keys_that_fit,
    level_fraction,
    phase_display,
    routine_rows,
    share_rows,
    spoken_hints,
    step_label,
    title_text,
    top_text,
    wrap_text,
)
from voicecoach.speech_in.events import Heard, ListenerState, ListenerStatus, Rejected

HINT_STYLE = "not italic $foreground"
"""A near miss's words to say instead, under the dimmed words heard: read, not skipped."""

class FittedText(Visual):
    """Plain text wrapped at spaces, a word longer than a line (a path, a model's name)
    broken after a "/" or "-" (:func:`~voicecoach.frontends.tui.present.wrap_text`), and
    cut with "…" where the widget is too short for all of it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """The longest line, unwrapped."""
        return max(cell_len(line) for line in self.text.split("\n"))

    def get_height(self, rules: RulesMap, width: int) -> int:
        """All its lines at ``width``."""
        return len(wrap_text(self.text, width))

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        """The lines that fit, the last ending with "…" if some do not."""
        lines = wrap_text(self.text, width)
        if height is not None:
            lines = clamp_lines(lines, height, width)
        return Content("\n".join(lines)).render_strips(width, height, style, options)


class Meter(Widget):
    """A solid horizontal bar, ``fraction`` full, as tall as the widget."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"meter--fill", "meter--empty"}
    DEFAULT_CSS = """
    Meter { height: 1; width: 1fr; }
    Meter > .meter--fill { color: $accent; }
    Meter > .meter--empty { color: $meter-track; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._fraction = 0.0

    @property
    def fraction(self) -> float:
        """How full the bar is, 0..1."""
        return self._fraction

    def update(self, fraction: float) -> None:
        """Fill the bar to ``fraction``."""
        fraction = min(1.0, max(0.0, fraction))
        if round(fraction * 1000) != round(self._fraction * 1000):
            self._fraction = fraction
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """One row of the bar."""
        width = self.size.width
        filled = round(self._fraction * width)
        fill = self.get_component_rich_style("meter--fill")
        empty = self.get_component_rich_style("meter--empty")
        return Strip([Segment("█" * filled, fill), Segment("█" * (width - filled), empty)],
                     width)


class TopBar(Horizontal):
    """Routine, exercise number and time left."""

    def compose(self) -> ComposeResult:
        yield Static(id="top-text")

    def show(self, view: SessionView) -> None:
        """Draw ``view``."""
        top = self.query_one("#top-text", Static)
        width = top.content_region.width or self.size.width or None
        top.update(Content(top_text(view, width)))


class PhasePanel(Vertical):
    """The big counter: a hold or rest countdown, or reps "7/10", with its bar; dimmed,
    with a line saying so, while it stands still until the narrator has finished."""

    def compose(self) -> ComposeResult:
        yield Static(id="phase-label")
        yield BigText(id="clock")
        yield Meter(id="phase-bar")
        yield Static(WAITING_FOR_NARRATOR, id="waiting")

    def show(self, view: SessionView, hold_seconds: float | None, spoken: bool) -> None:
        """Draw ``view`` (``spoken``: the lines are said aloud, not only shown)."""
        shown = phase_display(view, hold_seconds, spoken=spoken)
        self.query_one("#phase-label", Static).update(Content(shown.label))
        clock = self.query_one("#clock", BigText)
        clock.update(shown.big)
        clock.display = bool(shown.big)
        bar = self.query_one("#phase-bar", Meter)
        bar.display = shown.fraction is not None
        bar.update(shown.fraction or 0.0)
        self.set_class(not shown.active, "-preview")
        self.set_class(view.waiting_for_narrator, "-waiting")  # never paused or finished


class ExerciseRow(Horizontal):
    """One exercise: its mark, then its name (wrapped lines stay right of the mark)."""

    def __init__(self, status: ExerciseStatus) -> None:
        super().__init__(classes="exercise")
        self._status = status
        self._mark_state(status)

    def compose(self) -> ComposeResult:
        mark, label = self._parts(self._status)
        yield Static(mark, classes="mark")
        yield Static(label, classes="name")

    def show(self, status: ExerciseStatus) -> None:
        """Draw ``status`` (kept for compose when the row's parts are not there yet)."""
        self._status = status
        self._mark_state(status)
        if not self.children:
            return
        mark, label = self._parts(status)
        self.query_one(".mark", Static).update(mark)
        self.query_one(".name", Static).update(label)

    @staticmethod
    def _parts(status: ExerciseStatus) -> tuple[Content, Content]:
        mark, name, tags = exercise_line(status)
        label = Content.assemble(name, ("  " + tags, "italic $warning") if tags else "")
        return Content(mark), label

    def _mark_state(self, status: ExerciseStatus) -> None:
        for state in ("done", "current", "upcoming", "skipped"):
            self.set_class(status.state == state, f"-{state}")
        self.set_class(status.easier, "-easier")


class RoutineProgress(Vertical):
    """Each exercise of the routine: done ✓, current ▶, to come ·, skipped ✗."""

    def compose(self) -> ComposeResult:
        yield Static("ROUTINE", classes="panel-title")
        yield Vertical(id="exercise-list")

    def show(self, exercises: tuple[ExerciseStatus, ...]) -> None:
        """Draw the list (a new list's rows draw themselves once mounted)."""
        holder = self.query_one("#exercise-list", Vertical)
        rows = list(holder.query_children(ExerciseRow))
        if len(rows) != len(exercises):
            holder.remove_children()
            holder.mount_all(ExerciseRow(status) for status in exercises)
            return
        for row, status in zip(rows, exercises, strict=True):
            row.show(status)


class ListenerPanel(Vertical):
    """The microphone: live level, state, and the last phrase heard.

    It follows the app's ``listener_status``, ``mic_level`` and ``last_heard`` (see
    :class:`~voicecoach.frontends.tui.app.VoiceCoachApp`), from the moment it is mounted.
    """

    def compose(self) -> ComposeResult:
        yield Static("LISTENER", classes="panel-title")
        yield Meter(id="mic-level")
        yield Static(id="listener-state")
        yield Static(id="heard")

    def on_mount(self) -> None:
        """Follow the app's listener state."""
        self.watch(self.app, "listener_status", self.show_status)
        self.watch(self.app, "mic_level", self.show_level)
        self.watch(self.app, "last_heard", self.show_heard)

    def show_level(self, rms_dbfs: float | None) -> None:
        """Move the level bar (empty for None: no level known)."""
        self.query_one("#mic-level", Meter).update(level_fraction(rms_dbfs))

    def show_status(self, status: ListenerStatus) -> None:
        """Show the listener's state (its CSS class is the state's name: ``-no-model``)."""
        label = self.query_one("#listener-state", Static)
        label.update(FittedText(listener_text(status)))  # a path breaks at its "/"
        for state in ListenerState:
            label.set_class(status.state is state, f"-{state}")

    def show_heard(self, event: Heard | Rejected | None) -> None:
        """Show the last phrase heard, dimmed when it was rejected; None shows nothing."""
        if event is None:
            return
        heard = self.query_one("#heard", Static)
        text = heard_text(event)
        hint = text.find("\n") + 1  # a near miss's words to say instead: not dimmed
        heard.update(Content(text).stylize(HINT_STYLE, hint) if hint else Content(text))
        heard.set_class(isinstance(event, Rejected), "-rejected")


class PausedBanner(Static):
    """What to do while paused: say "resume" or press space (only the key while nothing
    said is heard: voice off, no speech model, no microphone)."""

    def on_mount(self) -> None:
        """Follow the app's listener state."""
        self.watch(self.app, "listener_status", self.follow)

    def follow(self, status: ListenerStatus) -> None:
        """Offer the spoken word only when it can be heard."""
        self.update(PAUSED_KEYS_ONLY if status.state.deaf else PAUSED_SAY)


class CaptionBar(Static):
    """What the narrator is saying now (so the session works with the sound off)."""

    def show(self, text: str | None) -> None:
        """Show ``text``, or nothing when the narrator is quiet."""
        self.update(Content(f"“{text}”" if text else ""))
        self.set_class(not text, "-quiet")


class HintBar(Widget):
    """The voice commands, briefly, on one line when the width allows; hidden while nothing
    said is heard (``--no-listen``, no speech model, no microphone until one turns up)."""

    DEFAULT_CSS = """
    HintBar { height: auto; }
    HintBar.-voice-off { display: none; }
    """

    def on_mount(self) -> None:
        """Follow the app's listener state."""
        self.watch(self.app, "listener_status", self.follow)

    def follow(self, status: ListenerStatus) -> None:
        """Hide the hints while nothing said is heard (by a class: small screens hide them
        too)."""
        self.set_class(status.state.deaf, "-voice-off")

    def render(self) -> Content:
        """The hints that fit, with the widest separator that fits on one line; on more
        rows if none does, each row whole phrases."""
        width = self.content_region.width or self.size.width
        words, separator = spoken_hints(width)
        parts: list[str | tuple[str, str]] = [(SAY, "bold")]
        for number, row in enumerate(hint_rows(words, separator, width)):
            if number:
                parts.append((f"{separator.rstrip()}\n", "dim"))  # the row ends after one
            for index, word in enumerate(row):
                if index:
                    parts.append((separator, "dim"))
                parts.append((word, "bold $foreground"))
        return Content.assemble(*parts)


class StepTexts(Vertical):
    """The step's text and, below it, what the easier version changes, in the rows the
    counter leaves: where both do not fit each gives way (fewer lines, ending with "…")."""

    def __init__(self, *children: Widget, id: str | None = None) -> None:
        super().__init__(*children, id=id)
        self._texts: tuple[str, str | None] = ("", None)

    def show(self, text: str, easier: str | None) -> None:
        """Show ``text`` and, unless None, the easier version's summary."""
        self._texts = (text, easier)
        self.query_one("#step-text", Static).update(FittedText(text))
        summary = self.query_one("#easier-summary", Static)
        summary.display = easier is not None
        if easier is not None:
            summary.update(FittedText(f"Easier: {easier}"))
        self._share()

    def on_resize(self, event: events.Resize) -> None:
        """Share the new rows out."""
        self._share()

    def _share(self) -> None:
        text, easier = self._texts
        width, rows = self.size
        if easier is None or not width:
            return
        _, summary_rows = share_rows(len(wrap_text(text, width)),
                                     len(wrap_text(f"Easier: {easier}", width)), rows)
        self.query_one("#easier-summary", Static).styles.height = summary_rows


class SessionBody(Horizontal):
    """The main column (exercise, step, counter) and the side column (routine, listener)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="main"):
            with Horizontal(id="title-row"):
                yield Static(id="exercise-title")
                yield Static(EASIER_BADGE, id="easier-badge")
            yield Static(id="step-label")
            with StepTexts(id="step-texts"):
                yield Static(id="step-text")
                yield Static(id="easier-summary")
            yield PhasePanel(id="phase")  # docked at the bottom: it never gives way
        with Vertical(id="side"):
            yield RoutineProgress(id="routine")
            yield ListenerPanel(id="listener")

    def show(self, view: SessionView, hold_seconds: float | None, spoken: bool) -> None:
        """Draw ``view`` (``spoken``: the lines are said aloud, not only shown)."""
        title = title_text(view)
        self.query_one("#exercise-title", Static).update(Content(title))
        badge = self.query_one("#easier-badge", Static)
        badge.display = view.easier and not view.finished
        badge.update(easier_badge(title, self.query_one("#title-row").content_region.width))
        self.query_one("#step-label", Static).update(Content(step_label(view)))
        easier = view.easier_summary if not view.finished else None
        if easier is not None and easier in view.text:  # the intro says it
            easier = None
        self.query_one(StepTexts).show(view.text, easier)
        self.query_one(PhasePanel).show(view, hold_seconds, spoken)
        self.query_one(RoutineProgress).show(routine_rows(view))


class WholeKeysFooter(Footer):
    """The compact footer, with only the keys whose hint fits whole, the first first (space, stop
    and the commands list lead); the others work all the same, and "?" lists them."""

    async def recompose(self) -> None:
        """The keys again (the bindings changed), as many as fit."""
        await super().recompose()
        self._fit(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        """As many keys as fit the new width."""
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        if not width:
            return
        keys = list(self.query_children(FooterKey))
        widths = [cell_len(key.key_display)
                  + (1 + cell_len(key.description) if key.description else 0)
                  for key in keys]  # the compact look: "q stop", a column between keys
        shown = keys_that_fit(widths, width)
        for index, key in enumerate(keys):
            key.display = index < shown
