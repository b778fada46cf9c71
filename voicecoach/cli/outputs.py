"""Where a command may write: never over a user's file without ``--force``, never over
one of its own inputs."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from voicecoach.cli.status import UsageError


def check_output(out: Path, *, force: bool, inputs: Iterable[Path] = (),
                 what: str = "output") -> None:
    """Raise :class:`UsageError` when writing ``out`` would replace an input, a folder,
    or (without ``force``) a file that is already there."""
    check_not_an_input(out, inputs, what=what)
    if out.is_dir():
        raise UsageError(f"{out}: is a folder; give a file name")
    if (out.exists() or out.is_symlink()) and not force:
        raise UsageError(f"{out}: already exists; choose another name or add --force "
                         "to replace it")


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
        if not os.access(folder, os.W_OK | os.X_OK):
            raise UsageError(f"{folder}: cannot write in this folder; choose another")
        return
    there = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if there is not None and not there.is_dir():
        raise UsageError(f"{there}: is a file, not a folder; choose another place for "
                         f"{out.name}")
    raise UsageError(f"{folder}: no such folder; create it first")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()
