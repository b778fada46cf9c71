"""Where a command may write: never over a user's file without ``--force``, never over
one of its own inputs."""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path

from voicecoach.cli.status import UsageError


def check_output(out: Path, *, force: bool, inputs: Iterable[Path] = (),
                 what: str = "output") -> None:
    """Raise :class:`UsageError` when writing ``out`` would replace an input, a folder,
    or (without ``force``) a file that is already there."""
    check_not_an_input(out, inputs, what=what)
    check_not_a_folder(out)
    if (out.exists() or out.is_symlink()) and not force:
        raise UsageError(f"{out}: already exists; choose another name or add --force "
                         "to replace it")


def check_not_a_folder(out: Path, *, example: Path | None = None) -> None:
    """Raise :class:`UsageError` when ``out`` is a folder; ``example``: a file in it to
    suggest instead (``ex/routine.wav``)."""
    if out.is_dir():
        name = f"a {example.suffix} file name, e.g. {example}" if example else "a file name"
        raise UsageError(f"{out}: is a folder; give {name}")


def check_log(log: Path, inputs: Iterable[Path], *, what: str) -> None:
    """Raise :class:`UsageError` when ``--log`` must not be written: one of the command's
    ``inputs``, a file there that is not an event log (``--log r/mine.toml`` for ``run
    r/mine.toml``), or a file in a folder that is not there (none is made: a mistyped
    folder would be)."""
    from voicecoach.storage.eventlog import is_event_log

    check_not_an_input(log, inputs, what=what)
    if not log.exists():
        check_folder(log)
    elif log.is_file() and not is_event_log(log):  # a pipe or a terminal is never read
        raise UsageError(f"{log}: is not an event log{_looks_like(log)}; give --log a new "
                         "file or an earlier log")


def _looks_like(path: Path) -> str:
    """" (it looks like a routine file)" for a routine file, else ""."""
    from voicecoach.core.routine_rules import MAX_FILE_BYTES, looks_like_routine

    try:
        with path.open("rb") as handle:
            data = tomllib.loads(handle.read(MAX_FILE_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # not UTF-8 or not TOML: no guess
        return ""
    return " (it looks like a routine file)" if looks_like_routine(data) else ""


def check_not_an_input(out: Path, inputs: Iterable[Path], *, what: str) -> None:
    """Raise :class:`UsageError` when ``out`` is one of ``inputs`` (by any path to it)."""
    for source in inputs:
        if _same_file(out, source):
            raise UsageError(f"{out}: that is the {what}'s own input ({source}); "
                             "choose another file")


def session_inputs(routine: str, voice: str) -> list[Path]:
    """The files a session reads that a log must never be written into: the routine
    file (not a built-in routine's name) and the voice profile's file, by name or path."""
    from voicecoach.speech_out.profiles import voice_path
    from voicecoach.storage.routine_files import builtin_names

    files = [] if routine in builtin_names() else [Path(routine)]
    profile = voice_path(voice)
    return files if profile is None else [*files, profile]


def check_folder(out: Path) -> None:
    """Raise :class:`UsageError` unless the folder ``out`` goes into is there and can be
    written in: said before the work, not after it."""
    folder = out.parent
    if folder.is_dir():
        if not os.access(folder, os.W_OK | os.X_OK) or not _can_create_in(folder):
            raise UsageError(f"{folder}: cannot write in this folder; choose another")
        return
    there = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if there is not None and not there.is_dir():
        raise UsageError(f"{there}: is a file, not a folder; choose another place for "
                         f"{out.name}")
    raise UsageError(f"{folder}: no such folder; create it first")


def _can_create_in(folder: Path) -> bool:
    """Whether a file can be made in ``folder``, tried (a file system may refuse what the
    permissions allow: read-only mounts, /sys, root's access checks)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()
