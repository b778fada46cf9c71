"""Saved progress (one slot per routine) and the history file, on a real folder."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from voicecoach.cli.main import main
from voicecoach.core.record import Snapshot, Summary
from voicecoach.storage.progress import LEGACY_PROGRESS, History, ProgressStore

SNAPSHOT = Snapshot(routine="back-pain", segment=4, phase=0, elapsed=0.0, active_seconds=90.0,
                    easier=frozenset({0}), completed=frozenset({1, 2}), skipped=frozenset(),
                    finished=False)

SUMMARY = Summary(routine="back-pain", title="Back pain", active_seconds=754.0, stopped=False,
                  completed=("Hip 90/90 Stretch", "Couch Stretch"), easier=("Couch Stretch",),
                  skipped=(), not_reached=(), ended="2024-05-01T10:00:00+00:00")


def test_progress_of_two_routines_is_kept_apart(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    other = replace(SNAPSHOT, routine="morning", segment=2)
    store.save(SNAPSHOT)
    store.save(other)
    assert store.load("back-pain") == SNAPSHOT and store.load("morning") == other
    store.clear("morning")  # "morning" finished
    assert store.load("morning") is None
    assert store.load("back-pain") == SNAPSHOT
    store.save(replace(SNAPSHOT, segment=5))
    assert store.load("back-pain") == replace(SNAPSHOT, segment=5)
    assert store.load("nothing saved") is None


@pytest.mark.parametrize("names", [("Back Pain", "back pain", "back_pain"),
                                   ("../up", "..", "/etc/passwd", "a\\b", "ünïcode", "")])
def test_any_routine_name_gets_its_own_file_inside_the_folder(tmp_path: Path,
                                                              names: tuple[str, ...]) -> None:
    store = ProgressStore(tmp_path)
    paths = {store.path_for(name) for name in names}
    assert len(paths) == len(names)
    assert all(path.parent == tmp_path for path in paths)
    for index, name in enumerate(names):
        store.save(replace(SNAPSHOT, routine=name, segment=index))
    for index, name in enumerate(names):
        loaded = store.load(name)
        assert loaded is not None and loaded.segment == index
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe", b"[1, 2]", b"42", b"null", b"{",
                                     b'{"routine": "back-pain", "segment": "abc"}',
                                     b'{"routine": "back-pain", "segment": 1e400}',
                                     b"[" * 100_000])
def test_unreadable_progress_loads_as_none(tmp_path: Path, content: bytes) -> None:
    store = ProgressStore(tmp_path)
    store.path_for("back-pain").write_bytes(content)
    assert store.load("back-pain") is None


def test_progress_saved_under_another_routine_is_not_taken(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.path_for("back-pain").write_text(json.dumps(replace(SNAPSHOT, routine="x").to_json()))
    assert store.load("back-pain") is None


def test_a_folder_in_place_of_the_file_loads_as_none(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.path_for("back-pain").mkdir()
    assert store.load("back-pain") is None


def test_the_single_progress_file_of_earlier_versions_still_resumes(tmp_path: Path) -> None:
    (tmp_path / LEGACY_PROGRESS).write_text(json.dumps(SNAPSHOT.to_json()))
    store = ProgressStore(tmp_path)
    assert store.load("back-pain") == SNAPSHOT
    assert store.load("morning") is None
    store.clear("morning")  # not its routine: kept
    assert (tmp_path / LEGACY_PROGRESS).exists()
    store.clear("back-pain")
    assert not (tmp_path / LEGACY_PROGRESS).exists() and store.load("back-pain") is None


BAD_LINES = [b"\xff", b"[1,2]", b"42", b"null", b'{"active_seconds": "abc"}',
             json.dumps({**SUMMARY.to_json(), "active_seconds": "abc"}).encode(),
             json.dumps({k: v for k, v in SUMMARY.to_json().items() if k != "stopped"}).encode(),
             b"{", b"", b"   ", b'"just text"', b"[" * 100_000]


def write_history(folder: Path, good: list[Summary], bad: list[bytes]) -> None:
    lines = [json.dumps(summary.to_json(), ensure_ascii=False).encode() for summary in good]
    mixed = [lines[0], *bad, *lines[1:]]
    (folder / "history.jsonl").write_bytes(b"\n".join(mixed) + b"\n")


@pytest.mark.parametrize("bad", BAD_LINES, ids=lambda b: repr(b[:30]))
def test_each_bad_history_line_costs_that_line_only(tmp_path: Path, bad: bytes) -> None:
    second = replace(SUMMARY, routine="morning", stopped=True, title="Morning ☀")
    write_history(tmp_path, [SUMMARY, second], [bad])
    assert History(tmp_path).entries() == [SUMMARY, second]


def test_a_bad_byte_inside_a_line_costs_that_line_only(tmp_path: Path) -> None:
    good = json.dumps(SUMMARY.to_json(), ensure_ascii=False).encode()
    damaged = good.replace(b"Back pain", b"Back \xff pain")
    (tmp_path / "history.jsonl").write_bytes(b"\n".join([good, damaged, good]) + b"\n")
    assert History(tmp_path).entries() == [SUMMARY, SUMMARY]


def test_a_session_after_a_last_line_cut_short_gets_a_line_of_its_own(tmp_path: Path) -> None:
    history = History(tmp_path)
    history.append(SUMMARY)
    whole = history.path.read_bytes()
    history.path.write_bytes(whole + whole[:50])  # a crash mid-write
    later = replace(SUMMARY, ended="2024-05-02T10:00:00+00:00")
    history.append(later)
    entries, skipped = history.read()
    assert entries == [SUMMARY, later]
    assert [line for line, _ in skipped] == [2]
    assert skipped[0][1].startswith("not JSON: ")
    assert "at column " in skipped[0][1]


def test_history_appends_and_reads_back_in_order(tmp_path: Path) -> None:
    history = History(tmp_path / "new")
    assert history.entries() == []
    later = replace(SUMMARY, ended="2024-05-02T10:00:00+00:00", title="Tëst")
    history.append(SUMMARY)
    history.append(later)
    assert history.entries() == [SUMMARY, later]


def test_the_history_command_prints_the_good_lines_and_succeeds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path))
    stopped = replace(SUMMARY, routine="morning", stopped=True, active_seconds=90.0,
                      completed=(), easier=(), ended=None)
    write_history(tmp_path, [SUMMARY, stopped], BAD_LINES)
    assert main(["history"]) == 0
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    path = tmp_path / "history.jsonl"
    assert captured.err.splitlines() == [  # the blank two unsaid
        f"voicecoach: {path}:2: not UTF-8 text; left out",
        f"voicecoach: {path}:3: session summary: expected an object, got a list; left out",
        f"voicecoach: {path}:4: session summary: expected an object, got the number 42;"
        " left out",
        f"voicecoach: {path}:5: session summary: expected an object, got null; left out",
        f"voicecoach: {path}:6: session summary: field 'routine' is missing; left out",
        f"voicecoach: {path}: 5 more lines could not be read as a session and left out",
    ]
    assert re.fullmatch(r"\w{3} [ 0-9]\d (Apr|May) 2024 \d\d:\d\d", out[0][:21])  # local time
    assert out == [
        out[0][:21] + "  back-pain      12:34  finished, 2 exercises done",
        "    easier: Couch Stretch",
        "date unknown           morning         1:30  stopped early, 0 exercises done",
        "",
        "2 sessions, 14:04 in all.",
    ]


def test_the_history_command_with_no_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path))
    (tmp_path / "history.jsonl").write_bytes(b"\xff\nnull\n")
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert out == "No sessions yet.\n"
    assert err.splitlines() == [
        f"voicecoach: {tmp_path / 'history.jsonl'}:1: not UTF-8 text; left out",
        f"voicecoach: {tmp_path / 'history.jsonl'}:2: session summary: expected an object,"
        " got null; left out"]



def test_a_byte_order_mark_is_no_damage(tmp_path: Path) -> None:
    """A file saved again by an editor that adds one reads as it did: loaded, not set
    aside as damaged, its options taken back."""
    store = ProgressStore(tmp_path, run_options={"hold": 20.0})
    store.save(SNAPSHOT)
    path = store.path_for("back-pain")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert store.damage("back-pain") is None
    assert store.load("back-pain") == SNAPSHOT
    assert store.saved_run_options("back-pain") == {"hold": 20.0}
