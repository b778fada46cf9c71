"""The session's event log: one JSON object per line, timestamped."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from voicecoach.core.cues import (
    CommandHandled,
    Cue,
    Finished,
    Paused,
    Resumed,
    Say,
    SegmentStarted,
    Silence,
    VariantChanged,
)


def cue_record(cue: Cue) -> dict[str, Any]:
    """The log fields for one cue."""
    match cue:
        case Say(text=text, kind=kind):
            return {"event": "line_spoken", "text": text, "kind": kind.value}
        case Silence(reason=reason):
            return {"event": "speech_cut", "reason": reason}
        case SegmentStarted(index=index, label=label):
            return {"event": "step_started", "segment": index, "label": label}
        case CommandHandled():
            return {"event": "command_handled", "command": cue.command.value,
                    "accepted": cue.accepted}
        case Paused():
            return {"event": "paused"}
        case Resumed(paused_for=paused_for):
            return {"event": "resumed", "paused_for": round(paused_for, 3)}
        case VariantChanged(exercise=exercise, easier=easier):
            return {"event": "variant_changed", "exercise": exercise, "easier": easier}
        case Finished(stopped=stopped):
            return {"event": "finished", "stopped": stopped}
    raise TypeError(f"not a cue: {cue!r}")


class EventLog:
    """Writes events as JSON lines; safe to call from several threads."""

    def __init__(self, stream: TextIO, *, wall_clock: bool = True) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._wall_clock = wall_clock

    @classmethod
    def open(cls, path: Path) -> EventLog:
        """A log appending to ``path`` (its folder must be there)."""
        return cls(path.open("a", encoding="utf-8"))

    def write(self, t: float, event: str, **fields: Any) -> None:
        """Record ``event`` at session time ``t`` (seconds)."""
        record: dict[str, Any] = {"t": round(t, 3), "event": event, **fields}
        if self._wall_clock:
            record["wall"] = datetime.now(UTC).isoformat(timespec="milliseconds")
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def cue(self, t: float, cue: Cue) -> None:
        """Record a cue from the engine."""
        fields = cue_record(cue)
        self.write(t, fields.pop("event"), **fields)

    def close(self) -> None:
        """Close the underlying file."""
        with self._lock:
            self._stream.close()


def read_log(path: Path) -> list[dict[str, Any]]:
    """All records of a log file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


HEAD_BYTES = 64 * 1024
"""How much of a file :func:`is_event_log` reads: far more than a log's first line."""


def is_event_log(path: Path) -> bool:
    """Whether the regular file ``path`` may be added to as an event log: empty, or its
    first line a JSON object (a routine file given as ``--log`` by mistake is not)."""
    with path.open("rb") as handle:
        first = handle.read(HEAD_BYTES).lstrip().split(b"\n", 1)[0]
    if not first:
        return True
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:  # not JSON, or not UTF-8
        return False
