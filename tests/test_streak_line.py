"""The streak line at the start of a session: its words, said once before the first
exercise, left out by a terse narrator and when there is no history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.fakes import FakeClock
from voicecoach.cli.wiring import say_streak
from voicecoach.core.cues import SayKind
from voicecoach.core.record import Summary
from voicecoach.core.script import streak_line
from voicecoach.core.session import Session
from voicecoach.drivers.live import SessionRunner
from voicecoach.speech_out.profiles import Chattiness, load_voice
from voicecoach.speech_out.speaker import CaptionNarrator
from voicecoach.storage.eventlog import EventLog, read_log
from voicecoach.storage.progress import History
from voicecoach.storage.routine_files import resolve_routine

NOW = datetime(2025, 3, 12, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(("days", "text"), [
    (1, "Day one of a new streak."), (2, "Second day in a row."), (3, "Third day in a row."),
    (5, "Fifth day in a row."), (12, "Twelfth day in a row."),
    (21, "Twenty-first day in a row."), (40, "Fortieth day in a row."),
    (100, "One hundredth day in a row."), (1002, "1002nd day in a row."),
])
def test_the_streak_line_says_the_day_of_the_streak(days: int, text: str) -> None:
    line = streak_line(days)
    assert line.text == text
    assert line.kind is SayKind.ENCOURAGE


def test_a_streak_counting_today_is_never_empty() -> None:
    with pytest.raises(ValueError):
        streak_line(0)


def history_with(folder: Path, *days_ago: int) -> History:
    """A history with one finished session on each of ``days_ago`` days before NOW."""
    history = History(folder)
    for back in days_ago:
        ended = (NOW - timedelta(days=back)).isoformat()
        history.append(Summary(routine="back-pain", title="Back pain", active_seconds=700,
                               stopped=False, completed=("Hip 90/90 Stretch",), easier=(),
                               skipped=(), not_reached=(), ended=ended))
    return history


def narrator(voice: str) -> tuple[CaptionNarrator, list[str]]:
    """A real narrator (captions only) with ``voice``'s profile, and what it showed."""
    shown: list[str] = []
    return CaptionNarrator(load_voice(voice), print_fn=None, on_caption=shown.append), shown


def test_the_streak_is_shown_and_logged_once(tmp_path: Path) -> None:
    """(That the wiring says it before the first exercise: test_not_a_terminal.py.)"""
    history = history_with(tmp_path, 1, 2)
    speaker, shown = narrator("calm")
    clock = FakeClock()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), speaker, clock,
                           history=history)
    log_path = tmp_path / "log.jsonl"
    log = EventLog.open(log_path)
    said = say_streak(speaker, history, NOW, log)
    log.close()
    runner.start()
    clock.advance(60)
    runner.tick()
    assert said is not None and said.text == "Third day in a row."
    assert shown[0] == "Third day in a row."
    assert shown.count("Third day in a row.") == 1
    assert shown[1].startswith("Exercise one of")
    assert sum(record.get("text") == "Third day in a row." for record in read_log(log_path)) == 1


def test_a_terse_narrator_leaves_the_streak_out(tmp_path: Path) -> None:
    speaker, shown = narrator("brisk")
    assert speaker.profile is not None and speaker.profile.chattiness is Chattiness.TERSE
    said = say_streak(speaker, history_with(tmp_path, 1), NOW)
    assert said is not None and said.text == "Second day in a row."  # offered...
    assert shown == []  # ...and dropped by the terse profile


def test_nothing_is_said_without_history(tmp_path: Path) -> None:
    speaker, shown = narrator("calm")
    assert say_streak(speaker, History(tmp_path), NOW) is None
    assert shown == []


def test_after_a_break_a_new_streak_begins(tmp_path: Path) -> None:
    speaker, shown = narrator("calm")
    say_streak(speaker, history_with(tmp_path, 3, 4, 5), NOW)
    assert shown == ["Day one of a new streak."]


def test_an_unreadable_history_costs_the_streak_line_not_the_session(tmp_path: Path) -> None:
    speaker, shown = narrator("calm")
    (tmp_path / "history.jsonl").mkdir()  # reading it fails with IsADirectoryError
    assert say_streak(speaker, History(tmp_path), NOW) is None
    assert shown == []
