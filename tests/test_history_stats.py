"""The history in numbers, on a fixed "today": days stretched, streaks, minutes per ISO
week, easier counts per exercise, the calendar; and the Summary's tempo field, which old
history lines do without."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from voicecoach.core.record import Summary, TempoChange
from voicecoach.storage.history_stats import (
    ExerciseTally,
    calendar_weeks,
    counts_as_stretching,
    days_stretched,
    exercise_tallies,
    minutes_per_week,
    opening_streak,
    progress_report,
    session_day,
    streak,
    streak_with_today,
    week_start,
)
from voicecoach.storage.progress import History

TODAY = date(2025, 3, 12)  # a Wednesday
NOW = datetime(2025, 3, 12, 18, 0, tzinfo=UTC)


def session(ended: str | None, *, minutes: float = 12.0, completed: tuple[str, ...] = ("A",),
            easier: tuple[str, ...] = (), stopped: bool = False) -> Summary:
    """A summary ending at ``ended`` (ISO 8601)."""
    return Summary(routine="back-pain", title="Back pain", active_seconds=minutes * 60,
                   stopped=stopped, completed=completed, easier=easier, skipped=(),
                   not_reached=(), ended=ended)


def on(day: date, hour: int = 18) -> str:
    """An end time on ``day`` at ``hour`` UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC).isoformat()


def days_before(n: int) -> date:
    return TODAY - timedelta(days=n)


# ----- days and streaks ------------------------------------------------------------------


def test_a_session_belongs_to_the_day_it_ended_on_in_the_local_time_zone() -> None:
    late = session("2025-03-11T23:30:00+00:00")
    assert session_day(late, UTC) == date(2025, 3, 11)
    assert session_day(late, timezone(timedelta(hours=2))) == date(2025, 3, 12)
    assert session_day(session(None), UTC) is None
    # a time without an offset (edited by hand) is taken as local already
    assert session_day(session("2025-03-11T23:30:00"), timezone(timedelta(hours=5))) == \
        date(2025, 3, 11)


def test_a_session_stopped_at_once_does_not_make_a_stretching_day() -> None:
    assert counts_as_stretching(session(None, minutes=0.2))
    assert not counts_as_stretching(session(None, minutes=0.5, completed=()))
    assert counts_as_stretching(session(None, minutes=1.0, completed=()))
    entries = [session(on(days_before(1)), minutes=0.2, completed=()),
               session(on(days_before(2))), session(None)]
    assert days_stretched(entries, UTC) == {days_before(2)}


def test_the_streak_counts_days_in_a_row_up_to_today_or_yesterday() -> None:
    days = {days_before(n) for n in (0, 1, 2, 5)}
    assert streak(days, TODAY) == 3
    assert streak(days - {TODAY}, TODAY) == 2  # still alive: today's session may yet come
    assert streak({days_before(2), days_before(3)}, TODAY) == 0  # broken yesterday
    assert streak(set(), TODAY) == 0


def test_the_streak_for_a_session_starting_today_counts_today_once() -> None:
    assert streak_with_today({days_before(1), days_before(2)}, TODAY) == 3
    assert streak_with_today({TODAY, days_before(1)}, TODAY) == 2
    assert streak_with_today({days_before(3)}, TODAY) == 1


def test_the_opening_streak_is_none_without_a_session_that_counts() -> None:
    assert opening_streak([], NOW) is None
    assert opening_streak([session(None)], NOW) is None  # no date: cannot say
    assert opening_streak([session(on(days_before(1)), minutes=0.1, completed=())], NOW) is None
    assert opening_streak([session(on(days_before(1))), session(on(days_before(2)))],
                          NOW) == 3
    assert opening_streak([session(on(days_before(4)))], NOW) == 1
    with pytest.raises(ValueError, match="time zone"):
        opening_streak([], datetime(2025, 3, 12, 18, 0))


def test_a_second_session_on_a_streaks_first_day_says_no_streak() -> None:
    assert opening_streak([session(on(TODAY))], NOW) is None
    assert opening_streak([session(on(TODAY)), session(on(days_before(4)))], NOW) is None
    assert opening_streak([session(on(TODAY)), session(on(days_before(1)))], NOW) == 2


# ----- weeks ----------------------------------------------------------------------------


def test_weeks_start_on_monday() -> None:
    assert week_start(TODAY) == date(2025, 3, 10)
    assert week_start(date(2025, 3, 10)) == date(2025, 3, 10)
    assert week_start(date(2025, 3, 16)) == date(2025, 3, 10)  # Sunday


def test_minutes_per_week_cover_the_last_weeks_with_empty_ones_as_zero() -> None:
    entries = [
        session(on(date(2025, 3, 10)), minutes=10),  # this week
        session(on(date(2025, 3, 11)), minutes=5.5),  # this week
        session(on(date(2025, 3, 2)), minutes=20),  # Sunday of last week
        session(on(date(2025, 2, 17)), minutes=7),  # three weeks ago
        session(on(date(2025, 1, 6)), minutes=99),  # before the window
        session(on(date(2025, 3, 14)), minutes=50),  # after today: a wrong clock
        session(None, minutes=40),  # undated
    ]
    weeks = minutes_per_week(entries, UTC, TODAY, weeks=4)
    assert [week.start for week in weeks] == [date(2025, 2, 17), date(2025, 2, 24),
                                               date(2025, 3, 3), date(2025, 3, 10)]
    assert [week.minutes for week in weeks] == [7, 20, 0, 15.5]
    assert [week.sessions for week in weeks] == [1, 1, 0, 2]


# ----- exercises ------------------------------------------------------------------------


def test_easier_counts_per_exercise_count_exercises_done_to_their_end() -> None:
    entries = [
        session(None, completed=("Hip", "Hamstring"), easier=("Hamstring",)),
        session(None, completed=("Hip", "Hamstring", "Couch"), easier=("Hamstring", "Hip")),
        # switched to easier, then stopped before its end: not counted for Couch
        session(None, completed=("Hip",), easier=("Couch",), stopped=True),
    ]
    assert exercise_tallies(entries) == (
        ExerciseTally("Hip", full=2, easier=1),
        ExerciseTally("Hamstring", full=0, easier=2),
        ExerciseTally("Couch", full=1, easier=0),
    )
    assert exercise_tallies(entries)[1].done == 2


# ----- the calendar and the whole report ------------------------------------------------


def test_the_calendar_is_whole_weeks_monday_to_sunday_ending_with_this_one() -> None:
    days = {date(2025, 3, 3), TODAY}
    weeks = calendar_weeks(days, TODAY, weeks=2)
    assert len(weeks) == 2 and all(len(week) == 7 for week in weeks)
    assert weeks[0][0].day == date(2025, 3, 3) and weeks[1][6].day == date(2025, 3, 16)
    assert [d.day.day for d in weeks[0] if d.stretched] == [3]
    this_week = weeks[1]
    assert [d.today for d in this_week] == [False, False, True, False, False, False, False]
    assert [d.future for d in this_week] == [False] * 3 + [True] * 4
    assert this_week[2].stretched


def test_the_report_puts_it_all_together() -> None:
    entries = [session(on(days_before(1)), minutes=10, completed=("A", "B"), easier=("B",)),
               session(on(TODAY), minutes=20, completed=("A", "B")),
               session(None, minutes=6)]
    report = progress_report(entries, NOW)
    assert report.today == TODAY
    assert report.sessions == 3 and report.total_minutes == pytest.approx(36)
    assert report.streak == 2
    assert len(report.calendar) == 6 and report.calendar[-1][2].today
    assert report.weeks[-1].minutes == pytest.approx(30)
    assert report.exercises == (ExerciseTally("A", 3, 0), ExerciseTally("B", 1, 1))


def test_the_total_is_the_sum_of_the_session_times_as_shown() -> None:
    entries = [session(None, minutes=36.4 / 60), session(None, minutes=700.2 / 60)]
    assert progress_report(entries, NOW).total_minutes * 60 == pytest.approx(37 + 701)


# ----- the Summary's tempo field --------------------------------------------------------


def test_tempo_changes_round_trip_and_are_left_out_when_there_are_none() -> None:
    plain = session("2025-03-12T18:00:00+00:00")
    assert "tempo" not in plain.to_json()
    changed = Summary(**{**plain.__dict__, "tempo": (TempoChange("Adductor Rocks", 4.5),)})
    obj = json.loads(json.dumps(changed.to_json()))
    assert obj["tempo"] == [{"exercise": "Adductor Rocks", "seconds_per_rep": 4.5}]
    assert Summary.from_json(obj) == changed


@pytest.mark.parametrize("tempo", [
    "fast", [{"exercise": "A"}], [{"exercise": 3, "seconds_per_rep": 4}],
    [{"exercise": "A", "seconds_per_rep": 0}], [{"exercise": "A", "seconds_per_rep": -1}],
])
def test_a_bad_tempo_field_is_a_value_error_naming_it(tempo: object) -> None:
    obj = {**session(None).to_json(), "tempo": tempo}
    with pytest.raises(ValueError, match="'tempo'"):
        Summary.from_json(obj)


def test_history_lines_written_before_the_tempo_field_still_load(tmp_path: Path) -> None:
    old_line = ('{"routine": "back-pain", "title": "Back pain", "active_seconds": 61.5, '
                '"stopped": false, "completed": ["A"], "easier": [], "skipped": [], '
                '"not_reached": [], "ended": "2024-05-01T10:00:00+00:00"}')
    (tmp_path / "history.jsonl").write_text(old_line + "\n", encoding="utf-8")
    history = History(tmp_path)
    history.append(Summary(**{**session(None).__dict__, "tempo": (TempoChange("A", 2.5),)}))
    first, second = history.entries()
    assert first.tempo == () and first.completed == ("A",)
    assert second.tempo == (TempoChange("A", 2.5),)
