"""Big solid numbers for a timer read from across a room.

A 3×5 pixel font drawn with half-block characters (two pixel rows per text row), at
the largest whole scale that fits the widget. Solid blocks read much better from a
distance than thin line-drawing digits.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    " ": ("..", "..", "..", "..", ".."),
}
"""Pixel rows of each glyph ("#" is ink)."""

GLYPH_ROWS = 5
HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def pixels(text: str) -> list[list[bool]]:
    """The pixel grid for ``text``: one blank column between glyphs."""
    rows: list[list[bool]] = [[] for _ in range(GLYPH_ROWS)]
    for index, char in enumerate(text):
        glyph = FONT.get(char, FONT[" "])
        for row, line in enumerate(glyph):
            if index:
                rows[row].append(False)
            rows[row].extend(c == "#" for c in line)
    return rows


def render_lines(text: str, scale: int) -> list[str]:
    """``text`` as lines of half-block characters at ``scale`` (pixels per cell column)."""
    grid = [[p for p in row for _ in range(scale)] for row in pixels(text) for _ in range(scale)]
    if len(grid) % 2:
        grid.append([False] * (len(grid[0]) if grid else 0))
    return ["".join(HALF_BLOCKS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
            for upper, lower in zip(grid[::2], grid[1::2], strict=True)]


def size_at(text: str, scale: int) -> tuple[int, int]:
    """(columns, rows) ``text`` takes at ``scale``."""
    columns = len(pixels(text)[0]) * scale if text else 0
    return columns, (GLYPH_ROWS * scale + 1) // 2


def best_scale(text: str, width: int, height: int, largest: int = 6) -> int:
    """The largest scale (at least 1) at which ``text`` fits ``width`` × ``height``."""
    for scale in range(largest, 1, -1):
        columns, rows = size_at(text, scale)
        if columns <= width and rows <= height:
            return scale
    return 1


class BigText(Widget):
    """A short string of digits, ':' and '/' in big solid blocks, centred."""

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 5;
    }
    """

    def __init__(self, value: str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._value = value
        self._cache: tuple[tuple[str, int, int], list[str]] | None = None

    @property
    def value(self) -> str:
        """The text shown."""
        return self._value

    def update(self, value: str) -> None:
        """Show ``value``."""
        if value != self._value:
            self._value = value
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """One row of the big text, centred in the widget."""
        width, height = self.size
        style = self.rich_style
        if not self._value or width <= 0:
            return Strip([Segment(" " * width, style)], width)
        lines = self._lines(width, height)
        top = max(0, (height - len(lines)) // 2)
        line = lines[y - top] if 0 <= y - top < len(lines) else ""
        line = line[:width]
        left = (width - len(line)) // 2
        text = " " * left + line + " " * (width - left - len(line))
        return Strip([Segment(text, style)], width)

    def _lines(self, width: int, height: int) -> list[str]:
        key = (self._value, width, height)
        if self._cache is None or self._cache[0] != key:
            scale = best_scale(self._value, width, height)
            self._cache = (key, render_lines(self._value, scale))
        return self._cache[1]
