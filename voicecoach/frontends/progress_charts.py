"""The progress charts: minutes per week, and how often each exercise was done easier.

Drawn with plotext, through textual-plotext's ``Plot``. Why that one: plotext is the
terminal plotting library that is kept up (bar, stacked and horizontal charts, its own
axes and tick labels, pure Python, no network, no native code), and textual-plotext is
Textualize's own wrapper for it: a ``PlotextPlot`` widget that sizes the chart to the
widget and takes its colours from the app's theme, plus a typed ``Plot`` that builds the
same chart as text for ``voicecoach history --chart``. So one drawing function serves the
full-screen view and the plain terminal, and no bar is drawn by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from textual_plotext.plot import Color, Plot

from voicecoach.storage.history_stats import ExerciseTally, WeekMinutes

NAME_WIDTH = 26
"""Exercise names longer than this are cut (with "…") so the bars keep their room."""

_STEPS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600)

MARKER = "hd"
"""plotext's half-block marker: bars end on half cells, so they sit centred on their
labels and keep a gap between them."""


def whole_ticks(top: float, *, most: int = 3) -> list[float]:
    """Round tick values from 0 to at least ``top``, at most ``most`` steps apart of a round
    size (a count or minutes never reads "0.75")."""
    top = max(top, 1.0)
    step = next((s for s in _STEPS if math.ceil(top / s) <= most), _STEPS[-1])
    steps = max(1, math.ceil(top / step))
    return [float(step * n) for n in range(steps + 1)]


def week_label(week: WeekMinutes) -> str:
    """A week's tick label: the day of the month its Monday falls on."""
    return str(week.start.day)


def minutes_title(weeks: Sequence[WeekMinutes]) -> str:
    """The minutes chart's title, naming the first week: "Minutes a week, from Mon 13 Jan"
    (the bars are labelled with the day each week starts on)."""
    if not weeks:
        return "Minutes a week"
    first = weeks[0].start
    return f"Minutes a week, from Mon {first.day} {first:%b}"


EASIER_TITLE = "Times done on the easier version"
"""The easier chart's title."""

NONE_DONE = "No exercise done to its end yet."
"""In place of the easier chart when there is nothing to count."""
ALL_IN_FULL = "None yet: each exercise done to its end was done in full."
"""In place of the easier chart when no exercise was ever done easier: a chart of empty
bars would say only that."""


def easier_note(exercises: Sequence[ExerciseTally]) -> str | None:
    """What to show instead of the easier chart, or None to draw it. An exercise counts
    when done to its end: one switched to easier and then skipped was not done on it. Once
    one was done easier, every row is drawn: "0 of 7" is then worth seeing beside "3 of 7"."""
    if not exercises:
        return NONE_DONE
    if not any(tally.easier for tally in exercises):
        return ALL_IN_FULL
    return None


def exercise_label(tally: ExerciseTally) -> str:
    """An exercise's row label: its name (cut to fit) and "2 of 7"."""
    name = tally.name
    if len(name) > NAME_WIDTH:
        name = name[: NAME_WIDTH - 1].rstrip() + "…"
    return f"{name}  {tally.easier} of {tally.done}"


def draw_minutes_per_week(plt: Plot, weeks: Sequence[WeekMinutes], color: Color) -> None:
    """Vertical bars, one per week, oldest on the left."""
    plt.clear_data()
    labels = [week_label(week) for week in weeks]
    minutes = [round(week.minutes, 1) for week in weeks]
    plt.bar(labels, minutes, color=color, width=0.6, minimum=0, marker=MARKER)
    ticks = whole_ticks(max(minutes, default=0))
    plt.xticks([float(n) for n in range(1, len(labels) + 1)], labels)
    plt.yticks(ticks, [f"{tick:g}" for tick in ticks])
    plt.ylim(0, ticks[-1])


def draw_easier_per_exercise(plt: Plot, exercises: Sequence[ExerciseTally],
                             color: Color) -> None:
    """Horizontal bars, one per exercise, first done at the top."""
    plt.clear_data()
    shown = list(reversed(exercises))  # plotext draws the first row at the bottom
    plt.bar([exercise_label(tally) for tally in shown], [tally.easier for tally in shown],
            orientation="horizontal", color=color, width=0.5, minimum=0, marker=MARKER)
    ticks = whole_ticks(max((tally.done for tally in exercises), default=0), most=5)
    plt.xticks(ticks, [f"{tick:g}" for tick in ticks])
    plt.xlim(0, ticks[-1])


def easier_chart_height(exercises: int, rows_per_exercise: int) -> int:
    """The easier chart's height for ``exercises`` rows: a whole number of lines per bar
    (1 or 3 keep each bar centred on its label), plus the frame and the tick labels."""
    return max(1, exercises) * rows_per_exercise + 3


def most_easier(exercises: Sequence[ExerciseTally], limit: int) -> tuple[ExerciseTally, ...]:
    """At most ``limit`` exercises, the ones most often done easier, in their order."""
    if len(exercises) <= limit:
        return tuple(exercises)
    keep = sorted(range(len(exercises)), key=lambda i: (-exercises[i].easier, i))[:limit]
    return tuple(exercises[i] for i in sorted(keep))


def chart_text(draw: Callable[[Plot], None], width: int, height: int, *, colour: bool) -> str:
    """A chart as terminal text, ``width`` by ``height``; ANSI colours only if ``colour``."""
    plt = Plot()
    plt.plotsize(width, height)
    plt.theme("clear")  # the terminal's own background and text colours
    draw(plt)
    text = plt.build()
    return text if colour else Plot.uncolorize(text)
