"""The history in numbers: which days you stretched, your streak, minutes per week, and how
often each exercise was done on its easier version.

Pure functions of the summaries and of "now": nothing here reads the clock or the disk.
``now`` is an aware datetime; its date is today and its time zone decides which day a
session belongs to (a session ended at 23:30 local time is that evening's, not the next
day's in UTC).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from voicecoach.core.record import Summary

COUNTS_AS_STRETCHING_SECONDS = 60.0
"""A session that did no whole exercise still makes its day a stretching day from this long."""

DEFAULT_WEEKS = 6
"""How many weeks the calendar and the minutes chart cover."""


def whole_seconds(seconds: float) -> int:
    """A duration in whole seconds, rounded up, as clocks and the history show it (the last
    second of a countdown reads 0:01, not 0:00)."""
    return max(0, math.ceil(seconds - 1e-6))


def ended_at(summary: Summary, tz: tzinfo) -> datetime | None:
    """When ``summary``'s session ended, in ``tz``; None when unknown.

    A timestamp without an offset (edited by hand) is taken as already in ``tz``.
    """
    if summary.ended is None:
        return None
    moment = datetime.fromisoformat(summary.ended)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def session_day(summary: Summary, tz: tzinfo) -> date | None:
    """The day (in ``tz``) the session ended on; None when unknown."""
    moment = ended_at(summary, tz)
    return moment.date() if moment is not None else None


def counts_as_stretching(summary: Summary) -> bool:
    """Whether a session makes its day a stretching day: it did an exercise to its end, or
    lasted a minute (a session started and stopped at once does not count)."""
    return bool(summary.completed) or summary.active_seconds >= COUNTS_AS_STRETCHING_SECONDS


def days_stretched(entries: Iterable[Summary], tz: tzinfo) -> frozenset[date]:
    """The days with a session that counts (sessions of unknown date left out)."""
    days = set()
    for summary in entries:
        day = session_day(summary, tz)
        if day is not None and counts_as_stretching(summary):
            days.add(day)
    return frozenset(days)


def streak(days: Collection[date], today: date) -> int:
    """Days in a row with stretching, up to today.

    A streak whose last day is yesterday is still alive (today's session may yet come);
    one that ended before yesterday is 0.
    """
    last = today if today in days else today - timedelta(days=1)
    count = 0
    while last - timedelta(days=count) in days:
        count += 1
    return count


def streak_with_today(days: Collection[date], today: date) -> int:
    """The streak counting today as a stretching day: for a session that is starting."""
    return streak({*days, today}, today)


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekMinutes:
    """The time spent stretching in one ISO week."""

    start: date
    """Its Monday."""
    minutes: float
    """Active minutes of its sessions."""
    sessions: int
    """How many sessions ended in it."""


def minutes_per_week(entries: Iterable[Summary], tz: tzinfo, today: date,
                     weeks: int = DEFAULT_WEEKS) -> tuple[WeekMinutes, ...]:
    """The last ``weeks`` ISO weeks up to today's, oldest first, weeks without a session
    included (as 0)."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    minutes = {first + timedelta(weeks=n): 0.0 for n in range(weeks)}
    sessions = dict.fromkeys(minutes, 0)
    for summary in entries:
        day = session_day(summary, tz)
        if day is None or day > today:
            continue
        start = week_start(day)
        if start in minutes:
            minutes[start] += summary.active_seconds / 60
            sessions[start] += 1
    return tuple(WeekMinutes(start, minutes[start], sessions[start]) for start in minutes)


@dataclass(frozen=True)
class ExerciseTally:
    """How often one exercise was done to its end, in full and on its easier version."""

    name: str
    """The exercise's name."""
    full: int
    """Sessions that did it in full."""
    easier: int
    """Sessions that did it on its easier version."""

    @property
    def done(self) -> int:
        """Sessions that did it to its end, either way."""
        return self.full + self.easier


def exercise_tallies(entries: Iterable[Summary]) -> tuple[ExerciseTally, ...]:
    """Every exercise done at least once, in the order first done."""
    full: dict[str, int] = {}
    easier: dict[str, int] = {}
    for summary in entries:
        on_easier = set(summary.easier)
        for name in dict.fromkeys(summary.completed):
            full.setdefault(name, 0)
            easier.setdefault(name, 0)
            if name in on_easier:
                easier[name] += 1
            else:
                full[name] += 1
    return tuple(ExerciseTally(name, full[name], easier[name]) for name in full)


@dataclass(frozen=True)
class CalendarDay:
    """One day of the calendar."""

    day: date
    """The date."""
    stretched: bool
    """A session that counts ended on it."""
    today: bool
    """It is today."""
    future: bool
    """It is after today (the rest of this week)."""


def calendar_weeks(days: Collection[date], today: date,
                   weeks: int = DEFAULT_WEEKS) -> tuple[tuple[CalendarDay, ...], ...]:
    """The last ``weeks`` weeks up to today's, oldest first, each Monday to Sunday."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    rows = []
    for week in range(weeks):
        row = []
        for weekday in range(7):
            day = first + timedelta(weeks=week, days=weekday)
            row.append(CalendarDay(day, day in days, day == today, day > today))
        rows.append(tuple(row))
    return tuple(rows)


@dataclass(frozen=True)
class ProgressReport:
    """Everything the progress views show, worked out once."""

    today: date
    """The day it was made for."""
    sessions: int
    """Sessions in the history."""
    total_minutes: float
    """Their active minutes, all together: the sum of each one's whole seconds as shown
    (:func:`whole_seconds`), so the total agrees with the sessions listed."""
    streak: int
    """Days in a row with stretching, up to today (see :func:`streak`)."""
    calendar: tuple[tuple[CalendarDay, ...], ...]
    """The last weeks, Monday to Sunday."""
    weeks: tuple[WeekMinutes, ...]
    """Minutes in each of the same weeks."""
    exercises: tuple[ExerciseTally, ...]
    """Each exercise done, in full and easier."""


def progress_report(entries: Iterable[Summary], now: datetime,
                    weeks: int = DEFAULT_WEEKS) -> ProgressReport:
    """The report for ``entries`` as of ``now`` (an aware datetime)."""
    tz = now.tzinfo
    if tz is None:
        raise ValueError("now must carry its time zone")
    entries = list(entries)
    today = now.date()
    days = days_stretched(entries, tz)
    return ProgressReport(
        today=today,
        sessions=len(entries),
        total_minutes=sum(whole_seconds(summary.active_seconds) for summary in entries) / 60,
        streak=streak(days, today),
        calendar=calendar_weeks(days, today, weeks),
        weeks=minutes_per_week(entries, tz, today, weeks),
        exercises=exercise_tallies(entries),
    )


def opening_streak(entries: Iterable[Summary], now: datetime) -> int | None:
    """For a session starting at ``now``: days in a row counting today, or None when no
    earlier session counts (there is nothing to say about a streak yet), or when today
    already counts and no day before it does (a second session on the first day: "day one
    of a new streak" would tell of a break that was not)."""
    tz = now.tzinfo
    if tz is None:
        raise ValueError("now must carry its time zone")
    days = days_stretched(entries, tz)
    count = streak_with_today(days, now.date())
    if not days or (count == 1 and now.date() in days):
        return None
    return count
