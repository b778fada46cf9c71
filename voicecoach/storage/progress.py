"""Saved progress (to resume after a crash) and the history of finished sessions.

Progress is kept in one file per routine, so finishing one routine never forgets the
unfinished progress of another. History is one JSON line per session; reading it skips
any line that is not a valid summary (one bad line costs that line only).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from voicecoach.core.record import Snapshot, Summary
from voicecoach.storage.paths import user_data_dir

LEGACY_PROGRESS = "progress.json"
"""The single progress file of earlier versions, still read (and cleared) for its routine."""

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


class ProgressStore:
    """Keeps each routine's unfinished-session snapshot on disk, written atomically."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or user_data_dir()

    def path_for(self, routine_name: str) -> Path:
        """Where ``routine_name``'s progress is kept."""
        return self.folder / progress_file_name(routine_name)

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
                json.dump(snapshot.to_json(), handle, ensure_ascii=False)
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
        return Snapshot.from_json(json.loads(path.read_bytes()))
    except (OSError, ValueError, RecursionError):
        return None


class History:
    """Summaries of past sessions, one JSON line each."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or user_data_dir()) / "history.jsonl"

    def append(self, summary: Summary) -> None:
        """Add a finished session's summary; an OSError (a full disk) names the file."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(summary.to_json(), ensure_ascii=False) + "\n")
        except OSError as error:
            raise OSError(error.errno, error.strerror or str(error), str(self.path)) from error

    def entries(self) -> list[Summary]:
        """All valid summaries, oldest first; any line that is not one is skipped.

        No file is no history; a file that cannot be read (its folder is a file, no
        permission) raises OSError naming it, so that a user is not told "no sessions".
        """
        return self.read()[0]

    def read(self) -> tuple[list[Summary], int]:
        """:meth:`entries`, and how many lines were skipped as not a session's summary."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return [], 0
        entries, skipped = [], 0
        for raw in data.splitlines():
            try:
                entries.append(Summary.from_json(json.loads(raw.decode("utf-8"))))
            except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
                skipped += bool(raw.strip())
        return entries, skipped
