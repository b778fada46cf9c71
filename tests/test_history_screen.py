"""The history screen: H opens it over the session or the summary, Escape closes it; what
it shows for a fixed history and a fixed "now"; and its screenshots.

Regenerate the screenshots with
``pytest tests/test_history_screen.py --snapshot-update`` and look at the SVGs in
tests/__snapshots__/test_history_screen/ before accepting them.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.fakes import FakeClock, RecordingSpeaker
from tests.support.tui_session import SnapCompare, advance_until, into_hold, screen_text
from voicecoach.core.commands import Command
from voicecoach.core.record import Summary, TempoChange
from voicecoach.core.session import Session
from voicecoach.drivers.live import SessionRunner
from voicecoach.frontends.tui import VoiceCoachApp, create_app
from voicecoach.frontends.tui.history import EasierChart, HistoryScreen, MinutesChart
from voicecoach.frontends.tui.present import summary_text
from voicecoach.frontends.tui.screens import SessionScreen, SummaryScreen
from voicecoach.speech_in.events import ListenerState, ListenerStatus
from voicecoach.storage.progress import History
from voicecoach.storage.routine_files import resolve_routine

NOW = datetime(2025, 3, 12, 19, 0, tzinfo=UTC)  # a Wednesday evening
SIZES = {"small": (80, 24), "large": (140, 40)}
EXERCISES = ("Hip 90/90 Stretch", "Active Hamstring Stretch", "Adductor Rocks",
             "Quadriceps Couch Stretch")

PAST: list[tuple[int, float, tuple[str, ...]]] = [
    # (days before NOW, minutes, exercises on the easier version)
    (30, 14, ("Active Hamstring Stretch",)),
    (23, 13, ("Active Hamstring Stretch", "Adductor Rocks")),
    (16, 15, ("Active Hamstring Stretch",)),
    (9, 14, ()),
    (4, 12, ("Adductor Rocks",)),
    (2, 15, ()),
    (1, 16, ()),
]
"""Seven sessions over the last weeks, the last two on the two days before today."""


def write_history(folder: Path) -> None:
    """The PAST sessions as a history file."""
    lines = []
    for days, minutes, easier in PAST:
        ended = (NOW - timedelta(days=days)).replace(hour=18).isoformat()
        lines.append(json.dumps(Summary(
            routine="back-pain", title="Back pain", active_seconds=minutes * 60,
            stopped=False, completed=EXERCISES, easier=easier, skipped=(), not_reached=(),
            ended=ended).to_json()))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "history.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_app(folder: Path, *, theme: str = "dark") -> tuple[VoiceCoachApp, FakeClock]:
    """A started session on a fake clock whose history is kept in ``folder``."""
    clock = FakeClock()
    speaker = RecordingSpeaker()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), speaker, clock,
                           history=History(folder))
    app = create_app(runner, clock=clock, theme=theme, wall_clock=lambda: NOW,
                     listener_status=ListenerStatus(ListenerState.LISTENING))
    speaker.on_caption = app.post_caption
    runner.start()
    return app, clock


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test body in its own event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


@run_async
async def test_h_opens_the_history_over_the_session_and_escape_closes_it(
        tmp_path: Path) -> None:
    write_history(tmp_path)
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZES["small"]) as pilot:
        await pilot.pause()
        await pilot.press("h")  # lower-case h stays "harder"
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "2 days in a row!" in text
        assert "7 sessions, 1 h 39 min in all." in text
        assert "Days you stretched" in text and "Minutes a week, from Mon 3 Feb" in text
        assert "Active Hamstring Stretch  3 of 7" in text
        assert "Adductor Rocks  2 of 7" in text
        stretched = [cell.day for week in app.screen.report.calendar for cell in week
                     if cell.stretched]
        assert len(stretched) == 7 and max(stretched) == NOW.date() - timedelta(days=1)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert not app.runner.finished


@run_async
async def test_the_history_from_the_summary_includes_the_session_just_ended(
        tmp_path: Path) -> None:
    write_history(tmp_path)
    app, clock = make_app(tmp_path)
    async with app.run_test(size=SIZES["large"]) as pilot:
        await pilot.pause()
        app.key_command(Command.EASIER)
        advance_until(app, clock, into_hold, step=1.0)
        clock.advance(3600)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.report.sessions == len(PAST) + 1
        text = screen_text(app)
        assert "8 sessions" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.is_running


@run_async
async def test_an_empty_history_says_so(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZES["small"]) as pilot:
        await open_history(pilot)
        text = screen_text(app)
        assert "No sessions yet" in text
        assert "No exercise done to its end yet." in text
        assert not app.screen.query(EasierChart)


@run_async
async def test_a_history_never_done_easier_says_so_instead_of_empty_bars(
        tmp_path: Path) -> None:
    skipped = Summary(routine="back-pain", title="Back pain", active_seconds=700,
                      stopped=False, completed=EXERCISES[1:], easier=EXERCISES[:1],
                      skipped=EXERCISES[:1], not_reached=(),
                      ended=(NOW - timedelta(days=1)).isoformat())
    History(tmp_path).append(skipped)
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZES["large"]) as pilot:
        await open_history(pilot)
        text = screen_text(app)
        assert "1 session, 12 min in all." in text
        assert "None yet: each exercise done to its end was done in full." in text
        assert not app.screen.query(EasierChart)


@run_async
async def test_the_bars_take_the_theme_colours(tmp_path: Path) -> None:
    write_history(tmp_path)
    for theme, minutes_colour, easier_colour in (("dark", "#4aa3ff", "#ffb347"),
                                                  ("high-contrast", "#ffff00", "#ffff00")):
        app, _ = make_app(tmp_path, theme=theme)
        async with app.run_test(size=SIZES["small"]) as pilot:
            await pilot.pause()
            await pilot.press("H")
            await pilot.pause()
            for chart, colour in ((MinutesChart, minutes_colour), (EasierChart, easier_colour)):
                widget = app.screen.query_one(chart)
                colours = {segment.style.color.get_truecolor().hex
                           for y in range(widget.size.height)
                           for segment in widget.render_line(y)
                           if segment.text.strip("█") == "" and "█" in segment.text
                           and segment.style and segment.style.color}
                assert colours == {colour}, (theme, chart.__name__)


async def open_history(pilot: Any) -> None:
    """A snap_compare ``run_before``: press H, wait for the history screen."""
    await pilot.pause()
    await pilot.press("H")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HistoryScreen)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot(snap_compare: SnapCompare, tmp_path: Path, size: str) -> None:
    write_history(tmp_path)
    app, _ = make_app(tmp_path)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_history)


def test_snapshot_high_contrast(snap_compare: SnapCompare, tmp_path: Path) -> None:
    write_history(tmp_path)
    app, _ = make_app(tmp_path, theme="high-contrast")
    assert snap_compare(app, terminal_size=SIZES["large"], run_before=open_history)


def test_the_end_summary_lists_tempo_changes_only_when_there_were_some() -> None:
    plain = Summary(routine="back-pain", title="Back pain", active_seconds=600, stopped=False,
                    completed=EXERCISES, easier=(), skipped=(), not_reached=())
    assert "Tempo" not in dict(summary_text(plain).lines)
    changed = replace(plain, tempo=(TempoChange("Adductor Rocks", 4.0),))
    assert dict(summary_text(changed).lines)["Tempo"] == "Adductor Rocks at 4 s a rep"


@run_async
async def test_an_unreadable_history_is_a_notice_and_the_session_goes_on(
        tmp_path: Path) -> None:
    (tmp_path / "history.jsonl").mkdir()  # reading it fails with IsADirectoryError
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZES["small"]) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.notices == [
            f"Cannot read the history {tmp_path / 'history.jsonl'}: Is a directory"]
        assert "Cannot read the history" in screen_text(app)


@run_async
async def test_damaged_history_lines_are_a_notice_and_the_rest_is_shown(tmp_path: Path) -> None:
    good = Summary(routine="back-pain", title="Back pain", active_seconds=600, stopped=False,
                   completed=EXERCISES, easier=(), skipped=(), not_reached=(),
                   ended=(NOW - timedelta(days=1)).isoformat())
    line = json.dumps(good.to_json()).encode()
    (tmp_path / "history.jsonl").write_bytes(line + b"\n{\"routine\": 3}\n" + line[:40])
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZES["large"]) as pilot:
        await open_history(pilot)
        assert app.notices == [
            f"2 lines of the history {tmp_path / 'history.jsonl'} could not be read: left out"
            " (`voicecoach history` names them)"]


def test_the_exercise_stop_cut_short_has_its_own_row_and_history_line() -> None:
    from voicecoach.frontends.progress_text import session_lines

    stopped = Summary(routine="back-pain", title="Back pain", active_seconds=200,
                      stopped=True, completed=EXERCISES[:1], easier=(), skipped=(),
                      not_reached=EXERCISES[2:], stopped_in=EXERCISES[1])
    rows = [label for label, _ in summary_text(stopped).lines]
    assert rows == ["Routine", "Time", "Done", "Easier", "Skipped", "Stopped in",
                    "Not reached"]
    assert dict(summary_text(stopped).lines)["Stopped in"] == EXERCISES[1]
    assert session_lines(stopped, UTC)[1:] == [f"    stopped in: {EXERCISES[1]}"]
    assert "Stopped in" not in dict(summary_text(replace(stopped, stopped_in=None)).lines)


def test_the_end_screen_and_the_history_agree_on_an_exercise_made_easier_then_left() -> None:
    from voicecoach.frontends.progress_text import session_lines

    ended = Summary(routine="back-pain", title="Back pain", active_seconds=300,
                    stopped=True, completed=EXERCISES[:1], easier=EXERCISES[:3],
                    skipped=EXERCISES[1:2], not_reached=EXERCISES[3:],
                    stopped_in=EXERCISES[2])
    rows = dict(summary_text(ended).lines)
    assert rows["Easier"] == EXERCISES[0]  # done on it; the other two were not
    assert rows["Skipped"] == f"{EXERCISES[1]} (made easier)"
    assert rows["Stopped in"] == f"{EXERCISES[2]} (made easier)"
    assert session_lines(ended, UTC)[1:] == [
        f"    easier: {EXERCISES[0]}", f"    skipped: {EXERCISES[1]} (made easier)",
        f"    stopped in: {EXERCISES[2]} (made easier)"]


def test_an_exercise_with_one_side_done_and_the_other_skipped_is_marked_partly_done() -> None:
    """The engine's own summary: the right side's hold ran out, the left side was skipped
    (before, it was listed as skipped as if nothing of it had been done)."""
    from voicecoach.frontends.progress_text import session_lines

    session = Session(resolve_routine("back-pain", hold_seconds=5), 0.0)
    now, seen_left = 0.0, False
    while not seen_left:
        now += 0.25
        session.tick(now)
        view = session.view()
        seen_left = view.exercise_index == 0 and view.side == "left"
    session.handle(Command.NEXT, now)  # from the left side's first step on, passed over
    while session.view().exercise_index == 0:
        session.handle(Command.NEXT, now)
    session.handle(Command.STOP, now)
    ended = session.summary()
    assert ended.skipped == (EXERCISES[0],)
    assert dict(summary_text(ended).lines)["Skipped"] == f"{EXERCISES[0]} (partly done)"
    assert f"    skipped: {EXERCISES[0]} (partly done)" in session_lines(ended, UTC)
    made_easier = replace(ended, easier=(EXERCISES[0],))
    assert dict(summary_text(made_easier).lines)["Skipped"] == (
        f"{EXERCISES[0]} (partly done, made easier)")


@run_async
async def test_at_60x20_the_calendar_shows_the_latest_weeks_today_among_them(
        tmp_path: Path) -> None:
    """Where not every week fits, the oldest go: the last ones, this week's with today,
    had been cut off at the bottom."""
    write_history(tmp_path)
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_history(pilot)
        assert isinstance(app.screen, HistoryScreen)
        weeks = [f"{week[0].day.day} {week[0].day:%b}" for week in app.screen.report.calendar]
        rows = [line for line in screen_text(app).splitlines()
                if re.match(r"  \d{1,2} [A-Z][a-z]{2} ", line)]
        shown = [" ".join(row.split()[:2]) for row in rows]
        assert 3 <= len(shown) < len(weeks) and shown == weeks[-len(shown):], shown
        assert rows[-1].split()[2:5] == ["10", "11", "12"]  # this week, up to today
