"""Routine files on disk and the routines shipped with voicecoach."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from voicecoach.core.routine import Routine
from voicecoach.core.routine_rules import MAX_FILE_BYTES, RoutineError
from voicecoach.core.routine_toml import parse_routine
from voicecoach.storage.text_files import UnreadableText, read_small_text


def read_routine_text(path: Path) -> str:
    """The text of a routine file: a regular file of at most :data:`MAX_FILE_BYTES` of
    UTF-8, without a leading byte-order mark. Never blocks on a FIFO or reads a device."""
    try:
        return read_small_text(path, limit=MAX_FILE_BYTES, kind="routine")
    except UnreadableText as unreadable:
        raise RoutineError(str(path), unreadable.line, "", unreadable.problem) from None


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
