"""Routine files on disk and the routines shipped with voicecoach."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from voicecoach.core.file_kinds import binary_kind
from voicecoach.core.routine import Routine
from voicecoach.core.routine_rules import MAX_FILE_BYTES, RoutineError
from voicecoach.core.routine_toml import parse_routine


def read_routine_text(path: Path) -> str:
    """The text of a routine file: a regular file of at most :data:`MAX_FILE_BYTES` of
    UTF-8, without a leading byte-order mark. Never blocks on a FIFO or reads a device."""
    file = str(path)

    def refuse(problem: str) -> RoutineError:
        return RoutineError(file, None, "", problem)

    try:
        info = os.stat(path)
        _check_regular(info, refuse)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as handle:
            _check_regular(os.fstat(handle.fileno()), refuse)
            data = handle.read(MAX_FILE_BYTES + 1)  # enough to tell, never a whole video
    except OSError as error:
        raise refuse(f"cannot read: {error.strerror or error}") from None
    except ValueError:  # a NUL in the path
        raise refuse("cannot read: not a valid file name") from None
    kind = binary_kind(data)
    if kind is not None:  # a WAV given for a routine: said as such, whatever its size
        raise refuse(f"not a routine file ({kind}); a routine is a TOML file")
    if len(data) > MAX_FILE_BYTES:
        raise refuse(_too_big(max(len(data), info.st_size)))
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RoutineError(file, line, "", f"not UTF-8 text (at byte offset {error.start} "
                           "of the file; save it as UTF-8)") from None


def _check_regular(info: os.stat_result, refuse: Callable[[str], RoutineError]) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = ("a folder" if stat.S_ISDIR(info.st_mode)
            else "a FIFO" if stat.S_ISFIFO(info.st_mode)
            else "a socket" if stat.S_ISSOCK(info.st_mode)
            else "a device")
    raise refuse(f"not a regular file ({kind}); a routine is a TOML file")


def _too_big(size: int) -> str:
    return f"too big for a routine ({size:,} bytes or more; at most {MAX_FILE_BYTES:,})"


def load_routine(path: Path, **overrides: Any) -> Routine:
    """Load and validate a routine file."""
    return parse_routine(read_routine_text(path), str(path), **overrides)


def builtin_names() -> list[str]:
    """Names of the routines shipped with voicecoach."""
    folder = resources.files("voicecoach.core") / "routines"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir()
                  if p.name.endswith(".toml"))


def resolve_routine(name_or_path: str, **overrides: Any) -> Routine:
    """A built-in routine by name, or a routine file by path."""
    if name_or_path in builtin_names():
        resource = resources.files("voicecoach.core") / "routines" / f"{name_or_path}.toml"
        text = resource.read_text(encoding="utf-8")
        return parse_routine(text, f"{name_or_path} (built-in)", **overrides)
    path = Path(name_or_path)
    try:
        path.lstat()
    except FileNotFoundError:
        raise RoutineError(name_or_path, None, "", _not_found(name_or_path)) from None
    except (OSError, ValueError):
        pass  # reported by load_routine, with its cause
    return load_routine(path, **overrides)


def _not_found(name_or_path: str) -> str:
    """Why ``name_or_path`` names no routine: the ``.toml`` file it likely means when there
    is one beside it, else the built-in routines."""
    problem = "no such file or built-in routine"
    if not name_or_path.endswith(".toml") and os.path.isfile(f"{name_or_path}.toml"):
        return f"{problem}; did you mean {name_or_path}.toml?"
    return f"{problem} (built-in: {', '.join(builtin_names())})"
