"""Lines for a plain terminal (``--no-tui``), broken between words at its width."""

from __future__ import annotations

import shutil
import textwrap
from typing import TextIO

from rich.cells import cell_len

MIN_COLUMNS = 40
"""Never wrap narrower than this, whatever the terminal says."""


def terminal_columns(stream: TextIO) -> int | None:
    """The columns to wrap lines printed to ``stream`` at: the terminal's width (at least
    :data:`MIN_COLUMNS`), read anew each time so that a resize is followed; None when
    ``stream`` is no terminal (a pipe, a file: lines are kept whole, for what reads them)."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):  # closed, or no file behind it
        return None
    return max(MIN_COLUMNS, shutil.get_terminal_size().columns)


NO_BREAK = "\N{NO-BREAK SPACE}"
"""Holds the words on either side on one line ("t time left"); printed as a space."""


def wrapped_line(prefix: str, text: str, columns: int | None) -> str:
    """``prefix`` and ``text`` in lines of at most ``columns`` (None: one line), broken
    between words (not at a :data:`NO_BREAK`), the lines after the first indented as wide
    as ``prefix``; a word longer than a line stays whole."""
    if columns is None:
        return (prefix + text).replace(NO_BREAK, " ")
    indent = cell_len(prefix)  # columns, not characters
    lines = textwrap.wrap(text, max(1, columns - indent), break_long_words=False,
                          break_on_hyphens=False) or [""]
    lines = [prefix + lines[0], *(" " * indent + line for line in lines[1:])]
    return "\n".join(lines).replace(NO_BREAK, " ")
