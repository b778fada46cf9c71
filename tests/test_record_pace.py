"""The pace records in Snapshot and Summary: tempo per exercise, holds and reps as done.

Both read lines written before they existed, and name the field of any bad value.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from voicecoach.core.record import Snapshot, StepRecord, Summary, TempoChange

SNAPSHOT = Snapshot(routine="back-pain", segment=7, phase=1, elapsed=12.5,
                    active_seconds=300.25, easier=frozenset(), completed=frozenset({1, 2}),
                    skipped=frozenset(), finished=False, tempo=((1, 2.5), (3, 4.0)),
                    done=((2, 41.5), (5, 10.0)))

STEPS = (StepRecord("Hip 90/90 Stretch", "right", 3, "hold", 41.5, 60.0),
         StepRecord("Adductor Rocks", None, 2, "reps", 6.0, 10.0))

SUMMARY = Summary(routine="back-pain", title="Back pain", active_seconds=812.4, stopped=True,
                  completed=(), easier=(), skipped=(), not_reached=(),
                  tempo=(TempoChange("Adductor Rocks", 2.5),), steps=STEPS)


def through_text(obj: dict[str, Any]) -> object:
    decoded: object = json.loads(json.dumps(obj))
    return decoded


def test_a_snapshot_with_tempo_and_records_round_trips() -> None:
    obj = SNAPSHOT.to_json()
    assert obj["tempo"] == [[1, 2.5], [3, 4.0]] and obj["done"] == [[2, 41.5], [5, 10.0]]
    assert Snapshot.from_json(through_text(obj)) == SNAPSHOT


def test_a_snapshot_without_them_writes_and_reads_as_before() -> None:
    bare = Snapshot(routine="r", segment=0, phase=0, elapsed=0.0, active_seconds=0.0,
                    easier=frozenset(), completed=frozenset(), skipped=frozenset(),
                    finished=False)
    assert "tempo" not in bare.to_json() and "done" not in bare.to_json()
    assert Snapshot.from_json(through_text(bare.to_json())) == bare


def test_a_summary_with_tempo_and_step_records_round_trips() -> None:
    obj = SUMMARY.to_json()
    assert obj["steps"][1] == {"exercise": "Adductor Rocks", "side": None, "step": 2,
                               "kind": "reps", "done": 6.0, "planned": 10.0}
    assert Summary.from_json(through_text(obj)) == SUMMARY


def test_a_history_line_from_before_the_pace_commands_still_reads() -> None:
    line = ('{"routine": "back-pain", "title": "Back pain", "active_seconds": 61.5, '
            '"stopped": false, "completed": ["A"], "easier": [], "skipped": [], '
            '"not_reached": []}')
    summary = Summary.from_json(json.loads(line))
    assert (summary.tempo, summary.steps) == ((), ())
    assert "steps" not in summary.to_json()


@pytest.mark.parametrize(("value", "problem"), [
    ([[1]], "pairs"),
    ([[1, 2.0, 3]], "pairs"),
    ([{"1": 2.0}], "pairs"),
    ([[-1, 2.0]], "negative"),
    ([[1, "fast"]], "number"),
    ([[1.5, 2.0]], "whole number"),
    ("1:2.5", "list"),
])
@pytest.mark.parametrize("field", ["tempo", "done"])
def test_a_bad_snapshot_pair_is_named(field: str, value: object, problem: str) -> None:
    with pytest.raises(ValueError, match=f"'{field}'.*{problem}"):
        Snapshot.from_json({**SNAPSHOT.to_json(), field: value})


@pytest.mark.parametrize(("change", "problem"), [
    ({"kind": "stretch"}, "'kind'"),
    ({"side": 3}, "'side'"),
    ({"step": -1}, "'step'"),
    ({"done": "all"}, "'done'"),
    ({"planned": None}, "'planned'"),
])
def test_a_bad_step_record_is_named(change: dict[str, object], problem: str) -> None:
    obj = SUMMARY.to_json()
    obj["steps"] = [{**obj["steps"][0], **change}]
    with pytest.raises(ValueError, match=f"'steps' has a bad entry.*{problem}"):
        Summary.from_json(through_text(obj))
    missing = SUMMARY.to_json()
    missing["steps"] = [{k: v for k, v in missing["steps"][0].items() if k not in change}]
    with pytest.raises(ValueError, match="is missing"):
        Summary.from_json(through_text(missing))
