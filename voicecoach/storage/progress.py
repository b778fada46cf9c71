"""Saved progress (to resume after a crash) and the history of finished sessions."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from voicecoach.storage.paths import user_data_dir


class ProgressStore:
    """Keeps the running session's snapshot on disk, written atomically."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or user_data_dir()
        self.path = self.folder / "progress.json"

    def save(self, snapshot: dict[str, Any]) -> None:
        """Replace the saved progress with ``snapshot``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".progress-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(snapshot, handle)
        os.replace(tmp, self.path)

    def load(self) -> dict[str, Any] | None:
        """The saved progress, or None if there is none (or it is unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def clear(self) -> None:
        """Forget the saved progress (the session ended normally)."""
        self.path.unlink(missing_ok=True)


class History:
    """Summaries of past sessions, one JSON line each."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder or user_data_dir()) / "history.jsonl"

    def append(self, summary: dict[str, Any]) -> None:
        """Add a finished session's summary."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(summary, ensure_ascii=False) + "\n")

    def entries(self) -> list[dict[str, Any]]:
        """All summaries, oldest first; unreadable lines are skipped."""
        if not self.path.exists():
            return []
        entries = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue
        return entries
