"""Small TOML files a person writes (routines, narrator profiles), read safely: a regular
file only (never blocking on a FIFO or reading a device), at most a given size, in UTF-8,
and anything else said in words that tell what it is."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from voicecoach.core.file_kinds import binary_kind


class UnreadableText(Exception):
    """Why a file's text could not be read; ``line`` where a bad byte is, if there is one."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def read_small_text(path: Path, *, limit: int, kind: str) -> str:
    """The text of ``path``: a regular file of at most ``limit`` bytes of UTF-8, without a
    leading byte-order mark. ``kind`` names what it should be in messages ("routine")."""
    try:
        info = os.stat(path)
        _check_regular(info, kind)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as handle:
            _check_regular(os.fstat(handle.fileno()), kind)
            data = handle.read(limit + 1)  # enough to tell, never a whole video
    except FileNotFoundError:
        raise UnreadableText("no such file") from None
    except OSError as error:
        raise UnreadableText(f"cannot read: {error.strerror or error}") from None
    except ValueError:  # a NUL in the path
        raise UnreadableText("cannot read: not a valid file name") from None
    found = binary_kind(data)
    if found is not None:  # a WAV given for a routine: said as such, whatever its size
        raise UnreadableText(f"not a {kind} file ({found}); a {kind} is a TOML file")
    if len(data) > limit:
        size = max(len(data), info.st_size)
        raise UnreadableText(f"too big for a {kind} ({size:,} bytes or more; at most "
                             f"{limit:,})")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableText(f"not UTF-8 text (at byte offset {error.start} of the file; "
                             "save it as UTF-8)", line) from None


def _check_regular(info: os.stat_result, kind: str) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    what = ("a folder" if stat.S_ISDIR(info.st_mode)
            else "a FIFO" if stat.S_ISFIFO(info.st_mode)
            else "a socket" if stat.S_ISSOCK(info.st_mode)
            else "a device")
    raise UnreadableText(f"not a regular file ({what}); a {kind} is a TOML file")
