"""Saved progress (to resume after a crash) and the history of finished sessions.

Progress is kept in one file per routine, so finishing one routine never forgets the
unfinished progress of another; one session at a time saves it, the one holding the
routine's lock (:mod:`voicecoach.storage.session_lock`). With it, the options the
session was run with (hold, reps, tempo, voice), so that ``--resume`` carries on as it
was. A progress file that cannot be read, or that no longer fits its routine, is set aside
under another name, never overwritten. History is one JSON line per session; reading it
skips any line that is not a valid summary (one bad line costs that line only) and says
which and why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from voicecoach.core.record import Snapshot, Summary
from voicecoach.storage.paths import user_data_dir

LEGACY_PROGRESS = "progress.json"
"""The single progress file of earlier versions, still read (and cleared) for its routine."""

_Record = TypeVar("_Record")


def _parsed(data: bytes, make: Callable[[object], _Record]) -> _Record:
    """``make`` applied to the JSON in ``data``; ValueError saying in plain words why not
    (not JSON and where, not UTF-8 text, nested too deeply, or ``make``'s own reason)."""
    try:
        return make(json.loads(data.decode("utf-8-sig")))  # a byte-order mark is no harm
    except json.JSONDecodeError as error:
        where = (f"line {error.lineno}, column {error.colno}" if error.lineno > 1
                 else f"column {error.colno}")
        raise ValueError(f"not JSON: {error.msg} at {where}") from None
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")


def progress_file_name(routine_name: str) -> str:
    """The file name of ``routine_name``'s saved progress, safe on any file system.

    A plain lower-case name ("back-pain") is used as it is; any other gets its unsafe
    characters replaced and a short hash of the real name, so two names never share a
    file (not even on a file system that ignores case).
    """
    if _PLAIN_NAME.fullmatch(routine_name):
        return f"progress-{routine_name}.json"
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", routine_name)[:40].strip("._") or "routine"
    digest = hashlib.sha256(routine_name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"progress-{safe}-{digest}.json"


DAMAGED = "damaged"
"""The suffix of a progress file set aside because it cannot be read."""
OUTDATED = "outdated"
"""The suffix of a progress file set aside because it no longer fits its routine (edited
since): it can be read, but not carried on."""

RUN_OPTIONS = "run_options"
"""The progress file's key for the options the session was run with."""


class ProgressStore:
    """Keeps each routine's unfinished-session snapshot on disk, written atomically.

    ``run_options`` (set by the wiring: the session's hold, reps, tempo and voice, each a
    string or a number) is saved with every snapshot, and read back by
    :meth:`saved_run_options`.
    """

    def __init__(self, folder: Path | None = None,
                 run_options: dict[str, str | float] | None = None) -> None:
        self.folder = folder or user_data_dir()
        self.run_options = dict(run_options or {})

    def path_for(self, routine_name: str) -> Path:
        """Where ``routine_name``'s progress is kept."""
        return self.folder / progress_file_name(routine_name)

    def lock_path_for(self, routine_name: str) -> Path:
        """The lock held by the one session that saves ``routine_name``'s progress
        (:mod:`voicecoach.storage.session_lock`), beside its progress file."""
        return self.path_for(routine_name).with_suffix(".lock")

    def save(self, snapshot: Snapshot) -> None:
        """Replace the saved progress of ``snapshot``'s routine with ``snapshot``.

        On any failure the temporary file is removed; an OSError (a full disk, a folder
        that cannot be written) is raised again naming the progress file.
        """
        target = self.path_for(snapshot.routine)
        tmp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".progress-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({**snapshot.to_json(), RUN_OPTIONS: self.run_options}, handle,
                          ensure_ascii=False)
            os.replace(tmp, target)
        except BaseException as error:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise OSError(error.errno, error.strerror or str(error), str(target)) from error
            raise

    def load(self, routine_name: str) -> Snapshot | None:
        """The saved progress of ``routine_name``, or None if there is none, or it is
        unreadable or invalid (this never raises for what is on disk)."""
        snapshot = _read_snapshot(self.path_for(routine_name))
        if snapshot is None and not self.path_for(routine_name).exists():
            snapshot = _read_snapshot(self.folder / LEGACY_PROGRESS)
        if snapshot is None or snapshot.routine != routine_name:
            return None
        return snapshot

    def saved_run_options(self, routine_name: str) -> dict[str, str | float]:
        """The options ``routine_name``'s saved session was run with (those that are
        strings or numbers), or none."""
        if self.load(routine_name) is None:
            return {}
        try:
            whole = _parsed(self.path_for(routine_name).read_bytes(), lambda data: data)
        except (OSError, ValueError):
            return {}
        saved = whole.get(RUN_OPTIONS) if isinstance(whole, dict) else None
        if not isinstance(saved, dict):
            return {}
        return {key: value for key, value in saved.items()
                if isinstance(key, str) and isinstance(value, str | int | float)
                and not isinstance(value, bool)}

    def damage(self, routine_name: str) -> str | None:
        """Why ``routine_name``'s progress file cannot be read, or None when there is none
        or it reads as that routine's progress."""
        path = self.path_for(routine_name)
        if not os.path.lexists(path):
            return None
        if path.is_dir():
            return "it is a folder"
        try:
            data = path.read_bytes()
        except OSError as error:
            return error.strerror or str(error)
        if not data.strip():
            return "it is empty"
        try:
            snapshot = _parsed(data, Snapshot.from_json)
        except ValueError as error:
            return str(error)
        if snapshot.routine != routine_name:
            return f"it is the progress of another routine, {snapshot.routine!r}"
        return None

    def set_aside(self, routine_name: str, why: str = DAMAGED) -> Path:
        """Move ``routine_name``'s progress file out of the way, to a name no save writes
        and nothing offers to resume (``progress-NAME.json.damaged``, then ``.damaged-2``,
        ...; ``why`` is the suffix: :data:`DAMAGED` or :data:`OUTDATED`); where it went.
        Raises OSError naming the file."""
        path = self.path_for(routine_name)
        legacy = self.folder / LEGACY_PROGRESS
        if not os.path.lexists(path) and self.load(routine_name) is not None:
            path = legacy  # an earlier version's single file holds it
        for k in range(1, 1000):
            aside = path.with_name(path.name + (f".{why}" if k == 1 else f".{why}-{k}"))
            if not os.path.lexists(aside):
                break
        try:
            os.replace(path, aside)
        except OSError as error:
            raise OSError(error.errno, error.strerror or str(error), str(path)) from error
        return aside

    def saved_at(self, routine_name: str) -> float | None:
        """When ``routine_name``'s progress was last saved (seconds since the epoch), or
        None when there is none."""
        path = self.path_for(routine_name)
        if not os.path.lexists(path):
            path = self.folder / LEGACY_PROGRESS  # an earlier version's single file
        try:
            return path.stat().st_mtime if self.load(routine_name) is not None else None
        except OSError:
            return None

    def unfinished(self) -> list[str]:
        """The names of the routines with an unfinished session saved, sorted."""
        try:
            paths = [*sorted(self.folder.glob("progress-*.json")), self.folder / LEGACY_PROGRESS]
        except OSError:
            return []
        snapshots = (_read_snapshot(path) for path in paths)
        return sorted({snapshot.routine for snapshot in snapshots if snapshot is not None})

    def clear(self, routine_name: str) -> None:
        """Forget ``routine_name``'s saved progress (its session ended normally)."""
        self.path_for(routine_name).unlink(missing_ok=True)
        legacy = self.folder / LEGACY_PROGRESS
        old = _read_snapshot(legacy)
        if old is not None and old.routine == routine_name:
            legacy.unlink(missing_ok=True)


def _read_snapshot(path: Path) -> Snapshot | None:
    try:
        return _parsed(path.read_bytes(), Snapshot.from_json)
    except (OSError, ValueError):
        return None


class History:
    """Summaries of past sessions, one JSON line each."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or user_data_dir()) / "history.jsonl"

    def append(self, summary: Summary) -> None:
        """Add a finished session's summary on a line of its own (after a last line cut
        short, on the next); an OSError (a full disk) names the file."""
        line = (json.dumps(summary.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a+b") as handle:
                if handle.seek(0, os.SEEK_END) > 0:
                    handle.seek(-1, os.SEEK_END)
                    if handle.read(1) != b"\n":
                        line = b"\n" + line
                handle.write(line)
        except OSError as error:
            raise OSError(error.errno, error.strerror or str(error), str(self.path)) from error

    def entries(self) -> list[Summary]:
        """All valid summaries, oldest first; any line that is not one is skipped.

        No file is no history; a file that cannot be read (its folder is a file, no
        permission) raises OSError naming it, so that a user is not told "no sessions".
        """
        return self.read()[0]

    def read(self) -> tuple[list[Summary], list[tuple[int, str]]]:
        """:meth:`entries`, and for each line skipped as not a session's summary, its
        number and why: (7, "session summary: field 'title' is missing")."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return [], []
        entries: list[Summary] = []
        skipped: list[tuple[int, str]] = []
        for number, raw in enumerate(data.split(b"\n"), 1):
            if not raw.strip():
                continue
            try:
                entries.append(_parsed(raw, Summary.from_json))
            except ValueError as error:
                skipped.append((number, str(error)))
        return entries, skipped
