"""The history as plain text: one block per session, the totals, and the calendar of the
last weeks drawn with blocks big enough to see from across the room.

Used by ``voicecoach history``; pure functions of the summaries and the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from voicecoach.core.record import Summary, TempoChange
from voicecoach.core.words import counted
from voicecoach.storage.history_stats import (
    CalendarDay,
    ProgressReport,
    ended_at,
    whole_seconds,
)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

STRETCHED = "████"
"""A calendar day with stretching."""
TODAY = "░░░░"
"""Today, not stretched yet."""
RESTED = " ·  "
"""A past day without stretching."""
FUTURE = "    "
"""The rest of this week."""

_GREEN = "\x1b[1;32m"
_RESET = "\x1b[0m"


def when_text(summary: Summary, tz: tzinfo) -> str:
    """When the session ended, in ``tz``: "Fri 14 Mar 2025 18:04", or "date unknown"."""
    moment = ended_at(summary, tz)
    if moment is None:
        return "date unknown"
    return f"{moment:%a} {moment.day:2d} {moment:%b %Y %H:%M}"


def tempo_text(change: TempoChange) -> str:
    """ "Adductor Rocks at 4 s a rep"."""
    return f"{change.exercise} at {change.seconds_per_rep:g} s a rep"


def session_lines(summary: Summary, tz: tzinfo) -> list[str]:
    """One session: date, routine, time (as the end of the session showed it), how it
    ended and how many exercises were done; then, indented, those done on the easier
    version, tempo changes and skips (each line only when there is something to say)."""
    state = ("stopped early" if summary.stopped else "reached the end" if summary.skipped
             else "finished")  # not "finished, 0 exercises done" when all were skipped
    done = len(summary.completed)
    lines = [f"{when_text(summary, tz):<22} {summary.routine:<12} "
             f"{clock_text(summary.active_seconds):>7}  "
             f"{state}, {counted(done, 'exercise')} done"]
    details = (("easier", ", ".join(summary.done_easier)),
               ("tempo", ", ".join(tempo_text(change) for change in summary.tempo)),
               ("skipped", ", ".join(left_undone(summary, name) for name in summary.skipped)),
               ("stopped in", left_undone(summary, summary.stopped_in) if summary.stopped_in
                else ""))
    lines += [f"    {label}: {names}" for label, names in details if names]
    return lines


def left_undone(summary: Summary, name: str) -> str:
    """An exercise skipped or stopped in, by name, marked "(partly done)" if a hold or
    set of it ended (one side done, the other skipped) and "(made easier)" if it had been
    switched to its easier modification (it was not done on it)."""
    marks = [mark for mark, on in (
        ("partly done", any(step.exercise == name for step in summary.steps)),
        ("made easier", name in summary.easier)) if on]
    return f"{name} ({', '.join(marks)})" if marks else name


def clock_text(seconds: float) -> str:
    """A time as m:ss, or h:mm:ss from an hour, rounding up so the last second shows 0:01,
    not 0:00 (the screen's countdowns, the end of a session and the history read alike)."""
    hours, rest = divmod(whole_seconds(seconds), 3600)
    minutes, rest = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"


def ending_line(summary: Summary | None, *, reached: bool, resume_command: str | None,
                in_history: bool = True, saving: bool = True,
                nothing_done: bool = False) -> str:
    """What the terminal says once a session has ended (its full screen closed): how it
    ended, and what to run next. ``reached``: the session got past its introduction;
    ``resume_command``: how to carry on, when a place is saved on disk; ``in_history``:
    the ended session went into the history; ``saving``: the session saved its place (not
    so while another session of its routine did); ``nothing_done``: it was stopped during
    its introduction, and so left out of the history."""
    if summary is None and not saving:
        when = "mid-session" if reached else "before the first step"
        return (f"Quit {when}: this session did not save its place (another session of "
                "the routine was running).")
    if summary is None:
        if resume_command and not reached:  # this one never moved: the earlier one is kept
            return (f"Quit before the first step: the unfinished session saved before is "
                    f"kept; `{resume_command}` carries on from it.")
        if resume_command:
            return f"Quit mid-session: your place is saved; `{resume_command}` carries on."
        if reached:
            return "Quit mid-session; your place could not be saved."
        return "Quit before the first step: nothing to carry on from."
    if nothing_done:
        line = "Stopped before the first step: nothing done, nothing added to the history."
    else:
        line = _ended_line(summary, in_history)
    if resume_command:  # stopped before it moved on: the session saved before is kept
        line += f" The unfinished session saved before it is kept: `{resume_command}`."
    return line


def _ended_line(summary: Summary, in_history: bool) -> str:
    """How long a session that ended went on, what it did, and where it went."""
    done = len(summary.completed)
    how = "Stopped early" if summary.stopped else "Finished"
    return (f"{how} after {clock_text(summary.active_seconds)}, "
            f"{counted(done, 'exercise')} done. "
            + ("`voicecoach history` lists your sessions." if in_history
               else "It could not be added to the history (above)."))


def duration_text(minutes: float) -> str:
    """ "45 min", "2 h 10 min"."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"


def sessions_total(report: ProgressReport, *, to_the_second: bool) -> str:
    """ "12 sessions, 2:10:05 in all." to the second, as the session list beside it gives
    each session's time; else in words to the minute: "12 sessions, 2 h 10 min in all."."""
    total = (clock_text(report.total_minutes * 60) if to_the_second
             else duration_text(report.total_minutes))
    return f"{counted(report.sessions, 'session')}, {total} in all."


def totals_line(report: ProgressReport) -> str:
    """Under the session list: "12 sessions, 2:10:05 in all. 3 days in a row." (the streak
    only when alive)."""
    line = sessions_total(report, to_the_second=True)
    if report.streak == 1:
        line += " Stretched today." if _stretched_today(report) else " Stretched yesterday."
    elif report.streak > 1:
        line += f" {report.streak} days in a row."
    return line


def _stretched_today(report: ProgressReport) -> bool:
    return any(day.today and day.stretched for week in report.calendar for day in week)


def day_cell(day: CalendarDay, *, colour: bool) -> str:
    """One calendar day, four characters wide."""
    if day.stretched:
        return f"{_GREEN}{STRETCHED}{_RESET}" if colour else STRETCHED
    if day.today:
        return TODAY
    return FUTURE if day.future else RESTED


def calendar_lines(calendar: Sequence[Sequence[CalendarDay]], *, colour: bool) -> list[str]:
    """The weeks, Monday to Sunday, two lines each, labelled with their Monday's date; a
    legend under them."""
    lines = ["         " + " ".join(f"{name:<4}" for name in WEEKDAYS).rstrip()]
    for week in calendar:
        monday = week[0].day
        label = f"{monday.day:>2} {monday:%b}"
        cells = " ".join(day_cell(day, colour=colour) for day in week)
        lines.append(f"{label:<8} {cells}".rstrip())
        lines.append(f"{'':<8} {cells}".rstrip())
    stretched = f"{_GREEN}{STRETCHED}{_RESET}" if colour else STRETCHED
    lines.append(f"{'':<8} {stretched} stretched   {TODAY} today")
    return lines
