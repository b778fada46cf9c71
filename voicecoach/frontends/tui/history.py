"""The history screen: which days you stretched, minutes per week, and how often each
exercise was done on its easier version; big and high-contrast, to read from the mat.

The charts are textual-plotext ``PlotextPlot`` widgets drawn by
:mod:`voicecoach.frontends.progress_charts` (see there why plotext); their bars take the
theme's colours, so both looks of the app apply. The calendar is a grid of day cells.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from voicecoach.frontends.progress_charts import (
    EASIER_TITLE,
    draw_easier_per_exercise,
    draw_minutes_per_week,
    easier_chart_height,
    easier_note,
    minutes_title,
    most_easier,
)
from voicecoach.frontends.progress_text import WEEKDAYS, sessions_total
from voicecoach.frontends.tui.bigtext import BigText, size_at
from voicecoach.storage.history_stats import (
    CalendarDay,
    ExerciseTally,
    ProgressReport,
    WeekMinutes,
)

COMPACT_EXERCISES = 5
"""Exercises shown in the easier chart on a small terminal (those most often easier)."""
ROOMY_EXERCISES = 8
"""The same on a large one."""
STREAK_SCALE = 2
"""On a large terminal the streak's number is drawn big, at this scale (five rows)."""


def headline_text(report: ProgressReport) -> str:
    """The line at the top: the streak first, when there is one."""
    if report.streak > 1:
        return f"{report.streak} days in a row!"
    if report.sessions:
        return "Your progress"
    return "No sessions yet"


def day_classes(day: CalendarDay) -> str:
    """A calendar cell's CSS classes."""
    states = [("-stretched", day.stretched), ("-today", day.today), ("-future", day.future)]
    return " ".join(["day", *(name for name, on in states if on)])


class StretchCalendar(Grid):
    """The last weeks, a row each, Monday to Sunday; days you stretched filled in. Where
    not all fit, the latest do (this week, today in it, at the bottom)."""

    def __init__(self, calendar: tuple[tuple[CalendarDay, ...], ...], *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.calendar = calendar
        self._weeks: list[list[Static]] = []

    def compose(self) -> ComposeResult:
        yield Static("", classes="weekday")
        for name in WEEKDAYS:
            yield Static(name[:2], classes="weekday")
        for week in self.calendar:
            monday = week[0].day
            cells = [Static(Content(f"{monday.day} {monday:%b}"), classes="week-label")]
            cells += [Static(Content("" if day.future else str(day.day.day)),
                             classes=day_classes(day)) for day in week]
            self._weeks.append(cells)
            yield from cells

    def on_resize(self, event: events.Resize) -> None:
        """Show the latest weeks that fit the new height, under the weekdays' row."""
        rows = self.styles.grid_rows
        row = int(rows[0].value) if rows else 1
        gap = self.styles.grid_gutter_vertical
        fit = weeks_that_fit(event.size.height, row, gap)
        for index, cells in enumerate(self._weeks):
            for cell in cells:
                cell.display = index >= len(self._weeks) - fit


def weeks_that_fit(height: int, row: int, gap: int) -> int:
    """How many weeks the calendar shows in ``height`` rows, each ``row`` rows tall and
    ``gap`` apart, under the weekdays' row."""
    return max(0, (height + gap) // (row + gap) - 1)


class MinutesChart(PlotextPlot):
    """Minutes per week, as vertical bars in the theme's primary colour."""

    def __init__(self, weeks: tuple[WeekMinutes, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.weeks = weeks

    def on_mount(self) -> None:
        """Draw the bars (PlotextPlot's own on_mount has set up the theme)."""
        colour = Color.parse(self.app.current_theme.primary).rgb
        draw_minutes_per_week(self.plt, self.weeks, colour)


class EasierChart(PlotextPlot):
    """Per exercise, how often it was done easier, in the theme's warning colour (the
    colour of the session screen's "easier" badge)."""

    def __init__(self, exercises: tuple[ExerciseTally, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.exercises = exercises

    def on_mount(self) -> None:
        """Draw the bars."""
        colour = Color.parse(self.app.current_theme.warning or "#FFB347").rgb
        draw_easier_per_exercise(self.plt, self.exercises, colour)


class HistoryScreen(Screen[None]):
    """The progress views over the session or the summary; Escape (or H) goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back"),
        Binding("H", "close", "back", show=False),
    ]

    def __init__(self, report: ProgressReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        report = self.report
        roomy = self.app.has_class("-large")
        with Vertical(id="history-box"):
            with Horizontal(id="history-headline-row"):
                if roomy and report.streak > 1:
                    number = BigText(str(report.streak), id="streak-number")
                    number.styles.width = size_at(number.value, STREAK_SCALE)[0]
                    yield number
                    yield Static("days in a row!", id="history-headline")
                else:
                    yield Static(Content(headline_text(report)), id="history-headline")
            yield Static(Content(sessions_total(report, to_the_second=False)
                                 if report.sessions
                                 else "Finish a session and it shows here."),
                         id="history-totals")
            with Grid(id="history-body"):
                with Vertical(id="calendar-panel"):
                    yield Static("Days you stretched", classes="history-title")
                    yield StretchCalendar(report.calendar, id="calendar")
                with Vertical(id="minutes-panel"):
                    yield Static(Content(minutes_title(report.weeks)),
                                 classes="history-title")
                    yield MinutesChart(report.weeks, id="minutes-chart")
                with Vertical(id="easier-panel"):
                    yield Static(EASIER_TITLE, classes="history-title")
                    note = easier_note(report.exercises)
                    if note is None:
                        yield self._easier_chart(roomy)
                    else:
                        yield Static(note, id="easier-none")
        yield Footer(compact=True)

    def _easier_chart(self, roomy: bool) -> EasierChart:
        """The exercises most often done easier, as many as the terminal has room for."""
        shown = most_easier(self.report.exercises,
                            ROOMY_EXERCISES if roomy else COMPACT_EXERCISES)
        chart = EasierChart(shown, id="easier-chart")
        chart.styles.height = easier_chart_height(len(shown), 3 if roomy else 1)
        return chart

    def action_close(self) -> None:
        """Back to the screen underneath."""
        self.dismiss()
