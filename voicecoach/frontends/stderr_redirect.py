"""Send C libraries' stderr (ALSA, PortAudio, Kaldi) to a log file, keep ours on the terminal.

C code writes to file descriptor 2 directly, which would scribble over a full-screen UI
and, in ``--no-tui``, flood the terminal (PortAudio and ALSA complain many times a second
while the sound server is down). :func:`redirect_c_stderr` points fd 2 at a log file with
``os.dup2`` and gives Python's ``sys.stderr`` a duplicate of the original descriptor, so
our own messages (and tracebacks) still reach the terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TextIO

_saved: tuple[int, TextIO] | None = None


def redirect_c_stderr(log_path: Path) -> Path | None:
    """Route fd 2 into ``log_path`` (appending); returns the path, or None when it cannot
    be written, and fd 2 then goes nowhere (``os.devnull``), never over the screen.

    Idempotent: a second call only moves fd 2 to the new file.
    """
    global _saved
    log_path = Path(log_path)
    used: Path | None = log_path
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        target = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        used = None
        try:
            target = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            return None
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    if _saved is None:
        original = os.dup(2)
        encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
        stream = open(  # noqa: SIM115 - lives for the rest of the process
            original, "w", buffering=1, encoding=encoding, errors="backslashreplace",
            closefd=False,
        )
        _saved = (original, sys.stderr)
        # Textual draws on sys.__stderr__, so the terminal copy must stand in for both.
        sys.stderr = sys.__stderr__ = stream  # type: ignore[misc]
    os.dup2(target, 2)
    os.close(target)
    return used


def restore_c_stderr() -> None:
    """Undo :func:`redirect_c_stderr`: fd 2 and ``sys.stderr`` are as before."""
    global _saved
    if _saved is None:
        return
    original, previous = _saved
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os.dup2(original, 2)
    os.close(original)
    sys.stderr = sys.__stderr__ = previous  # type: ignore[misc,assignment]
    _saved = None
