"""Where a command may write: never over a user's file without ``--force``, never over
one of its own inputs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from voicecoach.cli.status import UsageError


def check_output(out: Path, *, force: bool, inputs: Iterable[Path] = (),
                 what: str = "output") -> None:
    """Raise :class:`UsageError` when writing ``out`` would replace an input, a folder,
    or (without ``force``) a file that is already there."""
    for source in inputs:
        if _same_file(out, source):
            raise UsageError(f"{out}: that is the {what}'s own input ({source}); "
                             "choose another file")
    if out.is_dir():
        raise UsageError(f"{out}: is a folder; give a file name")
    if (out.exists() or out.is_symlink()) and not force:
        raise UsageError(f"{out}: already exists; choose another name or add --force "
                         "to replace it")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()
