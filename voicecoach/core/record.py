"""What a session leaves on disk: a Snapshot to resume from, a Summary of what was done.

Both are frozen and turn into plain JSON objects and back. ``from_json`` trusts nothing:
every field is checked, and any problem is a ``ValueError`` naming the field (a file
edited by hand or cut short must never crash the program).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Self


@dataclass(frozen=True)
class Snapshot:
    """The progress of an unfinished session, saved so it can carry on after a crash."""

    routine: str
    """The routine's name."""
    segment: int
    """Index of the segment it was in."""
    phase: int
    """Index of the phase within that segment."""
    elapsed: float
    """Active seconds into that phase."""
    active_seconds: float
    """Active seconds of the whole session so far."""
    easier: frozenset[int]
    """Exercises (indices) on their easier modification."""
    completed: frozenset[int]
    """Segments (indices) run to their end."""
    skipped: frozenset[int]
    """Step segments (indices) cut short."""
    finished: bool
    """True once the session ended."""
    tempo: tuple[tuple[int, float], ...] = ()
    """(exercise index, seconds per rep) for each exercise whose tempo was changed by
    voice (saved progress written before this field reads as none)."""
    done: tuple[tuple[int, float], ...] = ()
    """(step segment index, seconds held or reps completed) for each hold or set of reps
    that ended (saved progress written before this field reads as none)."""
    exercises: tuple[str, ...] = ()
    """The routine's exercises when it was saved: another routine of the same name, or
    this one edited since, is told apart (saved progress written before this field reads
    as none, and is not checked)."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-able object (without "tempo", "done" and "exercises" when empty)."""
        obj: dict[str, Any] = {
            "routine": self.routine,
            "segment": self.segment,
            "phase": self.phase,
            "elapsed": self.elapsed,
            "active_seconds": self.active_seconds,
            "easier": sorted(self.easier),
            "completed": sorted(self.completed),
            "skipped": sorted(self.skipped),
            "finished": self.finished,
        }
        if self.tempo:
            obj["tempo"] = [[index, seconds] for index, seconds in self.tempo]
        if self.done:
            obj["done"] = [[index, amount] for index, amount in self.done]
        if self.exercises:
            obj["exercises"] = list(self.exercises)
        return obj

    @classmethod
    def from_json(cls, obj: object) -> Self:
        """The snapshot in ``obj``; ValueError naming the field if anything is wrong."""
        fields = _Fields(obj, "saved progress")
        return cls(
            routine=fields.text("routine"),
            segment=fields.index("segment"),
            phase=fields.index("phase"),
            elapsed=fields.seconds("elapsed"),
            active_seconds=fields.seconds("active_seconds"),
            easier=frozenset(fields.indices("easier")),
            completed=frozenset(fields.indices("completed")),
            skipped=frozenset(fields.indices("skipped")),
            finished=fields.flag("finished"),
            tempo=fields.indexed_seconds("tempo") if "tempo" in fields else (),
            done=fields.indexed_seconds("done") if "done" in fields else (),
            exercises=fields.names("exercises") if "exercises" in fields else (),
        )


@dataclass(frozen=True)
class TempoChange:
    """An exercise whose reps were counted at another tempo than the routine's."""

    exercise: str
    """The exercise's name."""
    seconds_per_rep: float
    """The tempo it ended on."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-able object."""
        return {"exercise": self.exercise, "seconds_per_rep": self.seconds_per_rep}

    @classmethod
    def from_json(cls, obj: object) -> Self:
        """The tempo change in ``obj``; ValueError naming the field if anything is wrong."""
        fields = _Fields(obj, "tempo change")
        seconds = fields.seconds("seconds_per_rep")
        if seconds == 0:
            raise ValueError("tempo change: field 'seconds_per_rep' must be more than 0")
        return cls(exercise=fields.text("exercise"), seconds_per_rep=seconds)


@dataclass(frozen=True)
class StepRecord:
    """A hold or a set of reps as it was done, on one side."""

    exercise: str
    """The exercise's name."""
    side: str | None
    """The side ("right", "left"), or None for a symmetric exercise."""
    step: int
    """The step's number in its exercise, from 1."""
    kind: Literal["hold", "reps"]
    """A hold or a set of reps."""
    done: float
    """Seconds held (paused time not counted), or reps completed."""
    planned: float
    """Seconds the hold was to last, or reps the set was to have."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-able object."""
        return {"exercise": self.exercise, "side": self.side, "step": self.step,
                "kind": self.kind, "done": self.done, "planned": self.planned}

    @classmethod
    def from_json(cls, obj: object) -> Self:
        """The record in ``obj``; ValueError naming the field if anything is wrong."""
        fields = _Fields(obj, "step record")
        kind = fields.text("kind")
        if kind not in ("hold", "reps"):
            raise ValueError(f"step record: field 'kind' must be \"hold\" or \"reps\", "
                             f"not {kind!r}")
        side = None if fields.is_null("side") else fields.text("side")
        return cls(exercise=fields.text("exercise"), side=side, step=fields.index("step"),
                   kind="hold" if kind == "hold" else "reps", done=fields.seconds("done"),
                   planned=fields.seconds("planned"))


@dataclass(frozen=True)
class Summary:
    """What a session did, for the end screen and the history."""

    routine: str
    """The routine's name."""
    title: str
    """The routine's title."""
    active_seconds: float
    """Seconds spent not paused."""
    stopped: bool
    """True when ended early by "stop"."""
    completed: tuple[str, ...]
    """Exercises done in full."""
    easier: tuple[str, ...]
    """Exercises switched to the easier modification, also those then skipped or stopped
    in (:attr:`done_easier`: those done on it)."""
    skipped: tuple[str, ...]
    """Exercises partly or wholly skipped."""
    not_reached: tuple[str, ...]
    """Exercises the session ended before."""
    stopped_in: str | None = None
    """The exercise "stop" cut short, when nothing else of it was skipped: not counted
    as skipped (lines written before this field read as none)."""
    ended: str | None = None
    """When it ended, as an ISO 8601 timestamp, if known."""
    tempo: tuple[TempoChange, ...] = ()
    """Exercises whose reps ended on another tempo than the routine's, changed by voice
    ("slow down", "go faster"), in routine order (lines written before this field read as
    none)."""
    steps: tuple[StepRecord, ...] = ()
    """The holds and sets of reps that ended (on time or by "done"), one record per step
    and side, in session order (lines written before this field read as none)."""

    @property
    def done_easier(self) -> tuple[str, ...]:
        """Exercises done to their end on the easier modification."""
        return tuple(name for name in self.easier if name in self.completed)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able object (without "ended" when it is not known, nor "tempo" when
        there were no tempo changes)."""
        obj: dict[str, Any] = {
            "routine": self.routine,
            "title": self.title,
            "active_seconds": self.active_seconds,
            "stopped": self.stopped,
            "completed": list(self.completed),
            "easier": list(self.easier),
            "skipped": list(self.skipped),
            "not_reached": list(self.not_reached),
        }
        if self.stopped_in is not None:
            obj["stopped_in"] = self.stopped_in
        if self.ended is not None:
            obj["ended"] = self.ended
        if self.tempo:
            obj["tempo"] = [change.to_json() for change in self.tempo]
        if self.steps:
            obj["steps"] = [record.to_json() for record in self.steps]
        return obj

    @classmethod
    def from_json(cls, obj: object) -> Self:
        """The summary in ``obj``; ValueError naming the field if anything is wrong."""
        fields = _Fields(obj, "session summary")
        return cls(
            routine=fields.text("routine"),
            title=fields.text("title"),
            active_seconds=fields.seconds("active_seconds"),
            stopped=fields.flag("stopped"),
            completed=fields.names("completed"),
            easier=fields.names("easier"),
            skipped=fields.names("skipped"),
            not_reached=fields.names("not_reached"),
            stopped_in=(fields.text("stopped_in")
                        if "stopped_in" in fields and not fields.is_null("stopped_in")
                        else None),
            ended=fields.timestamp("ended") if "ended" in fields else None,
            tempo=fields.tempo_changes("tempo") if "tempo" in fields else (),
            steps=fields.step_records("steps") if "steps" in fields else (),
        )


class _Fields:
    """Reads typed fields out of a decoded JSON object, naming the field on any problem."""

    def __init__(self, obj: object, what: str) -> None:
        if not isinstance(obj, Mapping):
            raise ValueError(f"{what}: expected an object, got {_kind(obj)}")
        self._obj: Mapping[Any, Any] = obj
        self._what = what

    def __contains__(self, name: str) -> bool:
        return name in self._obj

    def _get(self, name: str) -> object:
        if name not in self._obj:
            raise ValueError(f"{self._what}: field {name!r} is missing")
        value: object = self._obj[name]
        return value

    def _fail(self, name: str, problem: str) -> ValueError:
        return ValueError(f"{self._what}: field {name!r} {problem}")

    def text(self, name: str) -> str:
        """A string."""
        value = self._get(name)
        if not isinstance(value, str):
            raise self._fail(name, f"must be text, not {_kind(value)}")
        return value

    def flag(self, name: str) -> bool:
        """true or false."""
        value = self._get(name)
        if not isinstance(value, bool):
            raise self._fail(name, f"must be true or false, not {_kind(value)}")
        return value

    def seconds(self, name: str) -> float:
        """A finite, non-negative number."""
        return self._seconds(name, self._get(name))

    def _seconds(self, name: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(name, f"must be a number, not {_kind(value)}")
        try:
            seconds = float(value)
        except OverflowError:
            raise self._fail(name, "is too large") from None
        if not math.isfinite(seconds):
            raise self._fail(name, f"must be finite, not {_kind(value)}")
        if seconds < 0:
            raise self._fail(name, f"must not be negative, not {_kind(value)}")
        return seconds

    def index(self, name: str) -> int:
        """A non-negative whole number."""
        return self._index(name, self._get(name))

    def _index(self, name: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(name, f"must be a whole number, not {_kind(value)}")
        if value < 0:
            raise self._fail(name, f"must not be negative, not {_kind(value)}")
        return value

    def indices(self, name: str) -> list[int]:
        """A list of non-negative whole numbers."""
        return [self._index(name, value) for value in self._list(name)]

    def names(self, name: str) -> tuple[str, ...]:
        """A list of strings."""
        items = self._list(name)
        if not all(isinstance(item, str) for item in items):
            raise self._fail(name, "must be a list of text")
        return tuple(str(item) for item in items)

    def tempo_changes(self, name: str) -> tuple[TempoChange, ...]:
        """A list of tempo changes."""
        try:
            return tuple(TempoChange.from_json(item) for item in self._list(name))
        except ValueError as error:
            raise self._fail(name, f"has a bad entry ({error})") from None

    def step_records(self, name: str) -> tuple[StepRecord, ...]:
        """A list of step records."""
        try:
            return tuple(StepRecord.from_json(item) for item in self._list(name))
        except ValueError as error:
            raise self._fail(name, f"has a bad entry ({error})") from None

    def indexed_seconds(self, name: str) -> tuple[tuple[int, float], ...]:
        """A list of [index, seconds] pairs: a non-negative whole number and a finite,
        non-negative number."""
        pairs = []
        for item in self._list(name):
            if not isinstance(item, list) or len(item) != 2:
                raise self._fail(name, "must be a list of [index, number] pairs")
            index, value = item
            pairs.append((self._index(name, index), self._seconds(name, value)))
        return tuple(pairs)

    def is_null(self, name: str) -> bool:
        """True when the field is there and null."""
        return self._get(name) is None

    def timestamp(self, name: str) -> str:
        """An ISO 8601 date and time."""
        value = self.text(name)
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise self._fail(name, f"is not a date and time: {value!r}") from None
        return value

    def _list(self, name: str) -> Iterable[object]:
        value = self._get(name)
        if not isinstance(value, list):
            raise self._fail(name, f"must be a list, not {_kind(value)}")
        return value


def _kind(value: object) -> str:
    """The JSON name of ``value``'s type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int) and value.bit_length() > 64:
        return "a huge number"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
