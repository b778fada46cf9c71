"""``voicecoach history [--chart]`` on a history in a temporary VOICECOACH_DATA."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from voicecoach.cli.commands import show_history
from voicecoach.cli.main import main
from voicecoach.cli.status import ExitStatus
from voicecoach.core.record import Summary, TempoChange

NOW = datetime(2025, 3, 12, 20, 0, tzinfo=UTC)  # a Wednesday
EXERCISES = ("Hip 90/90 Stretch", "Active Hamstring Stretch", "Adductor Rocks")


def summary(ended: datetime | None, *, minutes: float, easier: tuple[str, ...] = (),
            stopped: bool = False, tempo: tuple[TempoChange, ...] = ()) -> Summary:
    done = EXERCISES[:2] if stopped else EXERCISES
    return Summary(routine="back-pain", title="Back pain", active_seconds=minutes * 60,
                   stopped=stopped, completed=done, easier=easier,
                   skipped=EXERCISES[2:] if stopped else (), not_reached=(),
                   ended=ended.isoformat(timespec="seconds") if ended else None, tempo=tempo)


def write_history(folder: Path, entries: list[Summary]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(entry.to_json()) for entry in entries]
    (folder / "history.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("VOICECOACH_DATA", str(folder))
    return folder


SESSIONS = [
    summary(NOW - timedelta(days=15), minutes=14, easier=("Active Hamstring Stretch",)),
    summary(NOW - timedelta(days=2), minutes=12.5, easier=("Active Hamstring Stretch",)),
    summary(NOW - timedelta(days=1), minutes=6, stopped=True,
            tempo=(TempoChange("Active Hamstring Stretch", 4.0),)),
    summary(None, minutes=3),
]


def run_history(*, chart: bool, width: int = 80) -> str:
    out = io.StringIO()
    assert show_history(out, chart=chart, now=NOW, width=width) is ExitStatus.OK
    return out.getvalue()


def test_each_session_shows_date_minutes_done_easier_tempo_and_skips(data: Path) -> None:
    write_history(data, SESSIONS)
    text = run_history(chart=False)
    lines = text.splitlines()
    assert lines[0] == "Tue 25 Feb 2025 20:00  back-pain      14:00  finished, 3 exercises done"
    assert lines[1] == "    easier: Active Hamstring Stretch"
    stopped = lines.index(next(line for line in lines if "stopped early" in line))
    assert lines[stopped].startswith("Tue 11 Mar 2025 20:00")
    assert lines[stopped].endswith("6:00  stopped early, 2 exercises done")
    assert lines[stopped + 1] == "    tempo: Active Hamstring Stretch at 4 s a rep"
    assert lines[stopped + 2] == "    skipped: Adductor Rocks"
    assert any(line.startswith("date unknown") for line in lines)
    assert lines[-1] == "4 sessions, 35:30 in all. 2 days in a row."
    assert "Days you stretched" not in text  # the charts only with --chart


def test_session_times_and_the_total_agree_to_the_second(data: Path) -> None:
    short = replace(summary(NOW - timedelta(days=2), minutes=0), active_seconds=36.4,
                    stopped=True, completed=())
    longer = replace(summary(NOW - timedelta(days=1), minutes=0), active_seconds=700.2)
    write_history(data, [short, longer])
    lines = run_history(chart=False).splitlines()
    assert lines[0].endswith("back-pain       0:37  stopped early, 0 exercises done")
    assert lines[1].endswith("back-pain      11:41  finished, 3 exercises done")
    assert lines[-1].startswith("2 sessions, 12:18 in all.")  # 0:37 + 11:41, each rounded up


def test_an_hour_and_more_reads_with_hours() -> None:
    from voicecoach.frontends.progress_text import clock_text

    assert [clock_text(s) for s in (0.2, 59.0, 3599.0, 3600.0, 5405.3)] == [
        "0:01", "0:59", "59:59", "1:00:00", "1:30:06"]


def test_an_exercise_made_easier_then_skipped_is_not_listed_as_done_easier(
        data: Path) -> None:
    skipped = replace(summary(NOW - timedelta(days=1), minutes=12),
                      completed=EXERCISES[1:], skipped=EXERCISES[:1],
                      easier=(EXERCISES[0], EXERCISES[2]))
    stopped = replace(summary(NOW, minutes=1, stopped=True), completed=(), skipped=(),
                      stopped_in=EXERCISES[0], easier=EXERCISES[:1])
    write_history(data, [skipped, stopped])
    lines = run_history(chart=False).splitlines()
    assert lines[0].endswith("reached the end, 2 exercises done")  # not "finished": one skipped
    assert lines[1:3] == ["    easier: Adductor Rocks",
                          "    skipped: Hip 90/90 Stretch (made easier)"]
    assert lines[4] == "    stopped in: Hip 90/90 Stretch (made easier)"


def test_the_day_is_the_local_one(data: Path) -> None:
    write_history(data, [summary(datetime(2025, 3, 11, 23, 30, tzinfo=UTC), minutes=10)])
    out = io.StringIO()
    local = NOW.astimezone(timezone(timedelta(hours=2)))
    show_history(out, now=local)
    assert out.getvalue().startswith("Wed 12 Mar 2025 01:30")


def test_the_chart_shows_the_calendar_minutes_per_week_and_easier_counts(data: Path) -> None:
    write_history(data, SESSIONS)
    text = run_history(chart=True, width=80)
    assert "\x1b[" not in text  # no colour codes when not on a terminal
    calendar = text[text.index("Days you stretched"):text.index("Minutes a week")]
    rows = calendar.splitlines()
    assert rows[1].split() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    week_rows = [row.ljust(44) for row in rows if re.match(r"^\s?\d+ \w{3} ", row)]
    assert [row.split()[0:2] for row in week_rows] == [
        ["3", "Feb"], ["10", "Feb"], ["17", "Feb"], ["24", "Feb"], ["3", "Mar"], ["10", "Mar"]]
    cells = [week_rows[3][9 + 5 * day: 13 + 5 * day] for day in range(7)]  # week of 24 Feb
    assert cells == [" ·  ", "████", " ·  ", " ·  ", " ·  ", " ·  ", " ·  "]
    this_week = [week_rows[5][9 + 5 * day: 13 + 5 * day] for day in range(3)]
    assert this_week == ["████", "████", "░░░░"]  # Mon, Tue stretched; today not yet
    minutes = text[text.index("Minutes a week, from Mon 3 Feb"):text.index("Times done")]
    assert re.search(r"^\s*3\s+10\s+17\s+24\s+3\s+10\s*$", minutes, re.MULTILINE)
    assert "█" in minutes
    easier = text[text.index("Times done on the easier version"):]
    assert "Active Hamstring Stretch  2 of 4" in easier
    assert "Hip 90/90 Stretch  0 of 4" in easier
    hamstring = next(line for line in easier.splitlines()
                     if "Active Hamstring Stretch  2 of 4" in line)
    assert "█" in hamstring
    assert all(len(line) <= 80 for line in text.splitlines())


def test_the_command_line_takes_chart(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime.now().astimezone()
    write_history(data, [summary(now - timedelta(days=1), minutes=12,
                                 easier=("Adductor Rocks",))])
    assert main(["history", "--chart"]) is ExitStatus.OK
    text = capsys.readouterr().out
    assert "1 session, 12:00 in all." in text
    assert "Days you stretched" in text and "Times done on the easier version" in text
    assert "Adductor Rocks  1 of 1" in text


def test_the_chart_of_a_history_never_done_easier_says_so_in_words(data: Path) -> None:
    write_history(data, [summary(NOW - timedelta(days=1), minutes=12)])
    text = run_history(chart=True)
    easier_part = text.split("Times done on the easier version\n", 1)[1]
    assert easier_part == "None yet: each exercise done to its end was done in full.\n"


def test_no_history_says_so(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--chart"]) is ExitStatus.OK
    assert capsys.readouterr().out == "No sessions yet.\n"


def test_a_data_folder_that_is_a_file_is_named_not_taken_for_no_history(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("notes\n", encoding="utf-8")
    monkeypatch.setenv("VOICECOACH_DATA", str(not_a_folder))
    assert main(["history"]) is ExitStatus.BAD_INPUT
    out, err = capsys.readouterr()
    assert "No sessions yet" not in out
    assert err == (f"voicecoach: cannot use {not_a_folder / 'history.jsonl'}: {not_a_folder}"
                   " is a file, not a folder: move it away\n")


def test_the_line_left_in_the_terminal_says_how_it_ended_and_what_to_run() -> None:
    from voicecoach.cli.options import RunOptions, SessionOptions
    from voicecoach.cli.resume import resume_command
    from voicecoach.frontends.progress_text import ending_line

    stopped = summary(NOW, minutes=6.1, stopped=True)
    assert ending_line(stopped, reached=True, resume_command=None) == (
        "Stopped early after 6:06, 2 exercises done. `voicecoach history` lists your "
        "sessions.")
    assert ending_line(summary(NOW, minutes=14), reached=True, resume_command=None).startswith(
        "Finished after 14:00, 3 exercises done.")
    assert ending_line(stopped, reached=True, resume_command=None, in_history=False) == (
        "Stopped early after 6:06, 2 exercises done. It could not be added to the history "
        "(above).")
    plain = resume_command(RunOptions(routine="back-pain", session=SessionOptions("calm")))
    assert ending_line(None, reached=True, resume_command=plain) == (
        "Quit mid-session: your place is saved; `voicecoach run --resume` carries on.")
    assert ending_line(stopped, reached=False, resume_command=plain).endswith(
        " The unfinished session saved before it is kept: `voicecoach run --resume`.")
    assert ending_line(None, reached=False, resume_command=plain) == (
        "Quit before the first step: the unfinished session saved before is kept; "
        "`voicecoach run --resume` carries on from it.")
    assert ending_line(None, reached=True, resume_command=None) == (
        "Quit mid-session; your place could not be saved.")
    assert ending_line(None, reached=False, resume_command=None) == (
        "Quit before the first step: nothing to carry on from.")
    assert ending_line(stopped, reached=False, resume_command=None, nothing_done=True) == (
        "Stopped before the first step: nothing done, nothing added to the history.")
    assert ending_line(stopped, reached=False, resume_command=plain, nothing_done=True) == (
        "Stopped before the first step: nothing done, nothing added to the history. The "
        "unfinished session saved before it is kept: `voicecoach run --resume`.")
    assert ending_line(None, reached=True, resume_command=None, saving=False) == (
        "Quit mid-session: this session did not save its place (another session of the "
        "routine was running).")
    assert ending_line(None, reached=False, resume_command=None, saving=False).startswith(
        "Quit before the first step: this session did not save its place")
    shaped = RunOptions(routine="my neck.toml",
                        session=SessionOptions("brisk", hold=30.0, reps=None, tempo=2.5))
    assert resume_command(shaped) == "voicecoach run 'my neck.toml' --resume"  # as saved


def test_no_chart_of_empty_bars_when_nothing_was_ever_done_easier() -> None:
    from voicecoach.frontends.progress_charts import ALL_IN_FULL, NONE_DONE, easier_note
    from voicecoach.storage.history_stats import ExerciseTally

    assert easier_note(()) == NONE_DONE
    assert easier_note((ExerciseTally("Hip", 1, 0), ExerciseTally("Rocks", 1, 0))) == (
        "None yet: each exercise done to its end was done in full.") == ALL_IN_FULL
    assert easier_note((ExerciseTally("Hip", 7, 0), ExerciseTally("Rocks", 4, 3))) is None


def test_a_session_saved_and_not_ended_is_named_with_how_to_carry_it_on(data: Path) -> None:
    """A session quit (or crashed) mid-way is not in the history until it ends: the
    history says it is there, and the command that carries it on."""
    from voicecoach.core.session import Session
    from voicecoach.storage.progress import ProgressStore
    from voicecoach.storage.routine_files import resolve_routine

    assert run_history(chart=False) == "No sessions yet.\n"
    session = Session(resolve_routine("back-pain"), 0.0)
    session.tick(120.0)
    ProgressStore(data, run_options={"routine": "back-pain"}).save(session.snapshot())
    assert run_history(chart=False) == (
        "No sessions yet.\n"
        "Unfinished, in the history once it ends: 'back-pain': `voicecoach run --resume`\n")
    write_history(data, SESSIONS)
    lines = run_history(chart=False).splitlines()
    assert lines[-1] == ("Unfinished, in the history once it ends: 'back-pain': "
                         "`voicecoach run --resume`")
    assert lines[-2].startswith("4 sessions")  # the totals, then the unfinished one


def test_a_saved_session_whose_routine_file_was_edited_since_is_set_aside_and_said_once(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It can no longer be carried on: `history` says so once, keeps it aside (nothing
    lost) and never offers `--resume` of it again."""
    from tests.support.routines import ANOTHER_EXERCISE, NECK_ROUTINE
    from voicecoach.core.session import Session
    from voicecoach.storage.progress import ProgressStore
    from voicecoach.storage.routine_files import resolve_routine

    routine = tmp_path / "neck.toml"
    routine.write_text(NECK_ROUTINE, encoding="utf-8")
    session = Session(resolve_routine(str(routine)), 0.0)
    session.tick(20.0)
    ProgressStore(data, run_options={"routine": str(routine)}).save(session.snapshot())
    saved = (data / "progress-neck.json").read_bytes()
    assert run_history(chart=False) == (
        "No sessions yet.\n"
        f"Unfinished, in the history once it ends: 'neck': `voicecoach run {routine} "
        "--resume`\n")
    capsys.readouterr()
    routine.write_text(NECK_ROUTINE + ANOTHER_EXERCISE, encoding="utf-8")
    assert run_history(chart=False) == "No sessions yet.\n"
    assert capsys.readouterr().err == (
        f"voicecoach: the unfinished session of 'neck' (run from {routine}) cannot be carried "
        "on (the saved progress is of other exercises: another routine of this name, or this "
        "one edited since); it is kept as progress-neck.json.outdated\n")
    assert (data / "progress-neck.json.outdated").read_bytes() == saved
    assert run_history(chart=False) == "No sessions yet.\n"
    assert capsys.readouterr().err == ""  # said once


def test_a_back_pain_session_saved_without_its_routine_is_offered_as_the_default_s(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Saved by an earlier version, which did not say which routine was run: back-pain is
    the built-in one. Its exercises in another order (not the built-in's): set aside."""
    from voicecoach.core.session import Session
    from voicecoach.storage.progress import ProgressStore
    from voicecoach.storage.routine_files import resolve_routine

    builtin = resolve_routine("back-pain")
    session = Session(builtin, 0.0)
    session.tick(120.0)
    ProgressStore(data).save(session.snapshot())
    assert run_history(chart=False) == (
        "No sessions yet.\n"
        "Unfinished, in the history once it ends: 'back-pain': `voicecoach run --resume`\n")
    other = Session(replace(builtin, exercises=builtin.exercises[::-1]), 0.0)
    other.tick(120.0)
    ProgressStore(data).save(other.snapshot())
    capsys.readouterr()
    assert run_history(chart=False) == "No sessions yet.\n"
    assert capsys.readouterr().err.startswith(
        "voicecoach: the unfinished session of 'back-pain' cannot be carried on (the saved "
        "progress is of other exercises:")
    assert (data / "progress-back-pain.json.outdated").exists()
