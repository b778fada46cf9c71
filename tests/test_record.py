"""Snapshot and Summary: exact JSON round trips, and a ValueError naming the field for any
bad value (never a TypeError, an OverflowError or a KeyError)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from voicecoach.core.record import Snapshot, Summary

SNAPSHOT = Snapshot(routine="back-pain", segment=7, phase=1, elapsed=12.5,
                    active_seconds=300.25, easier=frozenset({1}),
                    completed=frozenset({1, 2, 3}), skipped=frozenset({5}), finished=False)

SUMMARY = Summary(routine="back-pain", title="Back pain", active_seconds=812.4, stopped=True,
                  completed=("Hip 90/90 Stretch",), easier=("Couch Stretch",),
                  skipped=("Couch Stretch",), not_reached=("Adductor Rocks", "Hamstring"),
                  ended="2024-05-01T10:00:00+00:00")


def through_text(obj: dict[str, Any]) -> object:
    """``obj`` written as a line of a file and read back."""
    decoded: object = json.loads(json.dumps(obj))
    return decoded


def test_a_snapshot_round_trips_through_json() -> None:
    obj = SNAPSHOT.to_json()
    assert obj == {"routine": "back-pain", "segment": 7, "phase": 1, "elapsed": 12.5,
                   "active_seconds": 300.25, "easier": [1], "completed": [1, 2, 3],
                   "skipped": [5], "finished": False}
    assert Snapshot.from_json(through_text(obj)) == SNAPSHOT


def test_a_summary_round_trips_with_and_without_its_end_time() -> None:
    assert Summary.from_json(through_text(SUMMARY.to_json())) == SUMMARY
    unended = Summary(routine="r", title="", active_seconds=0, stopped=False, completed=(),
                      easier=(), skipped=(), not_reached=())
    assert "ended" not in unended.to_json()
    assert Summary.from_json(through_text(unended.to_json())) == unended


def test_a_summary_line_of_the_earlier_format_still_reads() -> None:
    line = ('{"routine": "back-pain", "title": "Back pain", "active_seconds": 61.5, '
            '"stopped": false, "completed": ["A"], "easier": [], "skipped": [], '
            '"not_reached": [], "ended": "2024-05-01T10:00:00+00:00"}')
    summary = Summary.from_json(json.loads(line))
    assert summary.completed == ("A",) and summary.active_seconds == 61.5


def test_unknown_fields_are_ignored() -> None:
    assert Snapshot.from_json({**SNAPSHOT.to_json(), "later": 1}) == SNAPSHOT


@pytest.mark.parametrize("obj", [None, 42, "text", [1, 2], True])
def test_anything_but_an_object_is_refused(obj: object) -> None:
    with pytest.raises(ValueError, match="expected an object"):
        Snapshot.from_json(obj)
    with pytest.raises(ValueError, match="expected an object"):
        Summary.from_json(obj)


SNAPSHOT_BAD: list[tuple[str, object]] = [
    ("routine", 3), ("routine", None),
    ("segment", -1), ("segment", 1.5), ("segment", 3.0), ("segment", "3"), ("segment", True),
    ("segment", float("inf")), ("segment", 1e400), ("segment", float("nan")),
    ("phase", -2), ("phase", None),
    ("elapsed", -0.5), ("elapsed", float("nan")), ("elapsed", float("inf")), ("elapsed", "1"),
    ("elapsed", 10**400),
    ("active_seconds", float("-inf")), ("active_seconds", False), ("active_seconds", [1]),
    ("easier", [1, -1]), ("easier", "1"), ("easier", [1e400]), ("easier", {"1": 1}),
    ("completed", [None]), ("completed", 5), ("skipped", [0.5]),
    ("finished", 0), ("finished", "false"), ("finished", None),
]


@pytest.mark.parametrize(("field", "value"), SNAPSHOT_BAD)
def test_a_bad_snapshot_field_is_named(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"'{field}'"):
        Snapshot.from_json({**SNAPSHOT.to_json(), field: value})


@pytest.mark.parametrize("field", list(SNAPSHOT.to_json()))
def test_a_missing_snapshot_field_is_named(field: str) -> None:
    obj = SNAPSHOT.to_json()
    del obj[field]
    with pytest.raises(ValueError, match=f"'{field}' is missing"):
        Snapshot.from_json(obj)


SUMMARY_BAD: list[tuple[str, object]] = [
    ("routine", 1), ("title", None), ("title", ["x"]),
    ("active_seconds", "abc"), ("active_seconds", -1), ("active_seconds", float("nan")),
    ("active_seconds", 1e400), ("active_seconds", None), ("active_seconds", True),
    ("stopped", "yes"), ("stopped", 1),
    ("completed", "Hip"), ("completed", [1]), ("easier", [None]), ("skipped", {}),
    ("not_reached", None),
    ("ended", 5), ("ended", "yesterday"), ("ended", None),
]


@pytest.mark.parametrize(("field", "value"), SUMMARY_BAD)
def test_a_bad_summary_field_is_named(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"'{field}'"):
        Summary.from_json({**SUMMARY.to_json(), field: value})


@pytest.mark.parametrize("field", [f for f in SUMMARY.to_json() if f != "ended"])
def test_a_missing_summary_field_is_named(field: str) -> None:
    obj = SUMMARY.to_json()
    del obj[field]
    with pytest.raises(ValueError, match=f"'{field}' is missing"):
        Summary.from_json(obj)


def test_json_text_with_huge_numbers_gives_value_errors() -> None:
    """1e400 reads as infinity and a 400-digit integer as an int: both are refused."""
    text = json.dumps(SNAPSHOT.to_json())
    for number in ("1e400", "-1e400", "NaN", "Infinity", "1" + "0" * 400):
        for field in ("segment", "elapsed"):
            bad = text.replace(f'"{field}": {SNAPSHOT.to_json()[field]}',
                               f'"{field}": {number}')
            assert bad != text
            obj = json.loads(bad)
            if field == "segment" and number.isdigit():
                assert Snapshot.from_json(obj).segment == 10**400  # valid as a record
                continue
            with pytest.raises(ValueError, match=field):
                Snapshot.from_json(obj)
