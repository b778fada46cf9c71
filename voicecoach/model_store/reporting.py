"""The callbacks through which an install reports its progress and its phases."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Phase", "Progress", "announce"]

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes total); total is 0 when unknown."""
Phase = Callable[[str], None]
"""Called with a one-line description of what the installer starts doing."""


def announce(phase: Phase | None, text: str) -> None:
    """Pass ``text`` to ``phase``, when there is one."""
    if phase is not None:
        phase(text)
