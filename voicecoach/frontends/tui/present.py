"""Pure presentation: what the screen says for a session view, the listener and the summary.

Nothing here touches Textual widgets, so it is easy to read and to test; the widgets
only place and colour these strings.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rich.cells import cell_len

from voicecoach.core.commands import PHRASES, Command, key_label, normalize
from voicecoach.core.plan import PhaseKind, SegmentKind
from voicecoach.core.record import Summary
from voicecoach.core.view import ExerciseState, ExerciseStatus, SessionView
from voicecoach.core.words import counted
from voicecoach.frontends.listener_words import near_miss_hint
from voicecoach.frontends.progress_text import clock_text, left_undone, tempo_text
from voicecoach.speech_in.events import Heard, Rejected, RejectReason

LEVEL_FLOOR_DBFS = -60.0
"""Mic level shown as an empty bar; 0 dBFS is a full bar."""

SPOKEN_HINTS: tuple[Command, ...] = (
    Command.PAUSE, Command.RESUME, Command.STOP, Command.NEXT, Command.BACK,
    Command.EASIER, Command.HARDER, Command.REPEAT, Command.DONE, Command.SLOWER,
    Command.FASTER, Command.TIME_LEFT, Command.WHATS_NEXT, Command.HOW_MANY_LEFT,
    Command.HELP,
)
"""The voice commands listed on screen, the most important first (the commands list last)."""

OPTIONAL_HINTS: tuple[Command, ...] = (
    Command.SLOWER, Command.FASTER, Command.WHATS_NEXT, Command.HOW_MANY_LEFT,
)
"""Listed only if the line still fits on one row (without a tighter separator), the first
first; the others always are."""

SAY = "Say: "
PAUSED_SAY = "PAUSED — say “resume” or press space"
PAUSED_KEYS_ONLY = "PAUSED — press space to carry on"
"""The paused banner, with voice input on and off."""
WAITING_FOR_NARRATOR = "the clock waits for the coach"
"""Under the counter while it stands still until the narrator has finished (an answer
said over a hold or set, or the end of a reading), so that from the mat it does not look
stuck."""
HINT_SEPARATORS = (" · ", "  ", "·")
"""Between the hints, the widest that fits them on one line."""
WRAPPED_SEPARATOR = HINT_SEPARATORS[0]
"""Between the hints when none fits them on one line (:func:`hint_rows` wraps them)."""

STATUS_MARKS: dict[ExerciseState, str] = {
    ExerciseState.DONE: "✓", ExerciseState.CURRENT: "▶", ExerciseState.UPCOMING: "·",
    ExerciseState.SKIPPED: "✗", ExerciseState.NOT_REACHED: "·",
}
"""The mark before an exercise in the routine list, by state."""


def minutes_text(seconds: float) -> str:
    """A longer duration in words: "12 min", "45 s"."""
    if seconds >= 60:
        return f"{round(seconds / 60)} min"
    return f"{math.ceil(seconds)} s"


def title_text(view: SessionView) -> str:
    """The exercise and side, e.g. "Hip 90/90 Stretch — right side"."""
    if view.side:
        return f"{view.exercise_name} — {view.side} side"
    return view.exercise_name


EASIER_BADGE, EASIER_BADGE_SHORT = " EASIER VERSION ", " EASIER "
"""The badge beside the title while on the easier version, and where the whole one would
wrap the title (at 60 columns, "Hip 90/90 Stretch — right side" took three lines)."""


def easier_badge(title: str, width: int) -> str:
    """The badge for ``title`` in a row ``width`` columns wide (0: not yet known)."""
    fits = cell_len(title) + 1 + cell_len(EASIER_BADGE) <= width
    return EASIER_BADGE if fits or not width else EASIER_BADGE_SHORT


def step_label(view: SessionView) -> str:
    """Where in the exercise we are: "Step 3 of 6 (B)", "Introduction", "Rest"."""
    if view.finished:
        return "Finished"
    if view.segment_kind is SegmentKind.STEP and view.step_number is not None:
        letter = f"  ({view.step_letter})" if view.step_letter else ""
        return f"Step {view.step_number} of {view.step_count}{letter}"
    return {SegmentKind.INTRO: "Introduction", SegmentKind.SWITCH: "Switch sides",
            SegmentKind.REST: "Rest"}.get(view.segment_kind, "")


def top_text(view: SessionView, width: int | None = None) -> str:
    """The top line: routine, exercise number and time left; in fewer than ``width``
    columns without the routine's title, so the time left is never cut off."""
    where = (f"exercise {view.exercise_index + 1} of {view.exercise_count}  ·  "
             f"{minutes_text(view.remaining_seconds)} left")
    whole = f"{view.routine_title}  ·  {where}"
    return whole if width is None or len(whole) <= width else where


@dataclass(frozen=True)
class PhaseDisplay:
    """What the big counter shows."""

    label: str
    """A word or two above it: "HOLD", "REPS", "REST", "LISTEN" (or "READ")."""
    big: str
    """The big text: "0:42", "7/10", or "" for nothing."""
    fraction: float | None
    """How far through the phase (for the bar), or None for no bar."""
    active: bool
    """False while only reading: the counter is a preview, drawn dim."""


def phase_display(view: SessionView, hold_seconds: float | None, *,
                  spoken: bool = True) -> PhaseDisplay:
    """The big counter for ``view``; ``hold_seconds`` is the current step's hold, if any.
    While a step is read out the label says "LISTEN"; ``spoken`` False (captions only,
    ``--mute``) makes it "READ"."""
    fraction = (min(1.0, view.phase_elapsed / view.phase_duration)
                if view.phase_duration > 0 else 0.0)
    if view.phase is PhaseKind.HOLD:
        return PhaseDisplay("HOLD", clock_text(view.phase_remaining), fraction, True)
    if view.phase is PhaseKind.REST:
        return PhaseDisplay(f"REST — next: {view.next_up}" if view.next_up else "REST",
                            clock_text(view.phase_remaining), fraction, True)
    if view.phase is PhaseKind.REPS and view.reps_total:
        return PhaseDisplay("REPS", f"{view.rep or 0}/{view.reps_total}", fraction, True)
    if view.finished:
        return PhaseDisplay("", "", None, False)
    take_in = "LISTEN" if spoken else "READ"
    if view.segment_kind is SegmentKind.STEP and hold_seconds:
        return PhaseDisplay(f"{take_in} — then hold {clock_text(hold_seconds)}",
                            clock_text(hold_seconds), None, False)
    if view.segment_kind is SegmentKind.STEP and view.reps_total:
        return PhaseDisplay(f"{take_in} — then {counted(view.reps_total, 'rep')}",
                            f"0/{view.reps_total}", None, False)
    return PhaseDisplay(take_in, "", None, False)


def routine_rows(view: SessionView) -> tuple[ExerciseStatus, ...]:
    """The routine list, as the engine reports it."""
    return view.exercises


def exercise_line(status: ExerciseStatus) -> tuple[str, str, str]:
    """One row of the routine list: (mark, name, tags), e.g. ("✓", "Adductor Rocks", "easier")."""
    tags = [tag for tag, on in (("skipped", status.state is ExerciseState.SKIPPED),
                                ("easier", status.easier)) if on]
    return STATUS_MARKS[status.state], status.name, " ".join(tags)


def level_fraction(rms_dbfs: float | None) -> float:
    """A mic level in dBFS as 0..1 for a bar."""
    if rms_dbfs is None or math.isnan(rms_dbfs):
        return 0.0
    return min(1.0, max(0.0, (rms_dbfs - LEVEL_FLOOR_DBFS) / -LEVEL_FLOOR_DBFS))


def heard_text(event: Heard | Rejected) -> str:
    """The last phrase heard: "heard: easier ✓" when it was said as the command is shown,
    "heard: keep going → resume" when in other words, or "heard: back pain?" if rejected
    ("heard: next? too faint", if refused as far fainter than the person's commands). A
    near miss says what to say on a line of its own, so that a narrow panel never breaks
    the phrase: "heard: what next?" and 'say “what comes next”'."""
    match event:
        case Heard(text=text, command=command):
            label = key_label(command)  # "commands", not "help"
            if normalize(text) == label:
                return f"heard: {label} ✓"
            return f"heard: {text} → {label}"
        case Rejected(text=text, reason=RejectReason.FAINT):
            return f"heard: {text}? too faint"
        case Rejected(text=text):
            hint = near_miss_hint(event)
            return f"heard: {text}?" + (f"\n{hint}" if hint else "")


def spoken_hints(width: int) -> tuple[list[str], str]:
    """The voice commands to list in ``width`` columns (the first phrase of each) and the
    separator between them.

    The separator is the widest with which the commands that are always listed fit on one
    line (:data:`WRAPPED_SEPARATOR` if none does); then as many ``OPTIONAL_HINTS`` as still
    fit with it.
    """
    words = _phrases(_hint_commands(()))
    separator = next((candidate for candidate in HINT_SEPARATORS
                      if hints_width(words, candidate) <= width), WRAPPED_SEPARATOR)
    for count in range(len(OPTIONAL_HINTS), 0, -1):
        more = _phrases(_hint_commands(OPTIONAL_HINTS[:count]))
        if hints_width(more, separator) <= width:
            return more, separator
    return words, separator


def hint_rows(words: list[str], separator: str, width: int) -> list[list[str]]:
    """``words`` as rows of at most ``width`` columns, the first after "Say: ": each row
    as many whole phrases as fit with room for the separator that ends it (a row ends
    after a separator, never inside a phrase such as "time left"), and at least one."""
    rows: list[list[str]] = [[]]
    used = len(SAY)
    for index, word in enumerate(words):
        needed = len(word) + (len(separator) if rows[-1] else 0)
        ending = len(separator.rstrip()) if index < len(words) - 1 else 0
        if rows[-1] and used + needed + ending > width:
            rows.append([])
            used, needed = 0, len(word)
        rows[-1].append(word)
        used += needed
    return rows


def hints_width(words: list[str], separator: str) -> int:
    """The columns "Say: " and ``words`` take on one line."""
    return len(SAY) + sum(map(len, words)) + len(separator) * (len(words) - 1)


def _hint_commands(optional: tuple[Command, ...]) -> list[Command]:
    """SPOKEN_HINTS without the optional hints other than ``optional``."""
    return [c for c in SPOKEN_HINTS if c not in OPTIONAL_HINTS or c in optional]


def _phrases(commands: list[Command]) -> list[str]:
    """The first phrase of each command."""
    return [PHRASES[c][0] for c in commands]


@dataclass(frozen=True)
class SummaryText:
    """The end screen, as lines."""

    headline: str
    """"Well done!", "Stopped early", or how much of the routine was done."""
    lines: tuple[tuple[str, str], ...]
    """(label, value) rows."""


def summary_text(summary: Summary) -> SummaryText:
    """The end screen for a runner's summary."""
    if summary.stopped:
        headline = ("Stopped early — well done for what you did" if summary.completed
                    else "Stopped early")  # no praise for an exercise nobody did
    elif summary.completed and not summary.skipped:
        headline = "Well done!"
    elif summary.completed:  # praise for what was done, not for the routine
        done, total = len(summary.completed), len(summary.completed) + len(summary.skipped)
        headline = f"The end of the routine — {done} of {total} done, well done for those"
    else:
        headline = "The end of the routine"

    def names(items: tuple[str, ...]) -> str:
        return ", ".join(items) if items else "none"

    rows: tuple[tuple[str, str], ...] = (
        ("Routine", summary.title),
        ("Time", clock_text(summary.active_seconds)),
        ("Done", names(summary.completed)),
        ("Easier", names(summary.done_easier)),
        ("Skipped", names(tuple(left_undone(summary, name) for name in summary.skipped))),
        ("Not reached", names(summary.not_reached)),
    )
    if summary.stopped_in:
        rows = (*rows[:5], ("Stopped in", left_undone(summary, summary.stopped_in)),
                *rows[5:])
    if summary.tempo:
        rows += (("Tempo", ", ".join(tempo_text(change) for change in summary.tempo)),)
    return SummaryText(headline, rows)


ELLIPSIS = "…"
"""Ends a text cut short."""
BREAKS_AFTER = ("/", "-")
"""Where a word longer than a line (a path, a model's name) may be broken."""
_PIECES = re.compile(r"[^/-]*[/-]+|[^/-]+")


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` columns, broken at spaces as the screen
    breaks them (as many words as fit); a word longer than a line starts a line and is
    broken after a "/" or "-" in it where it can be (``/home/ann/`` | ``models``), and
    only then anywhere. Each line of ``text`` starts a line."""
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            joined = f"{line} {word}" if line else word
            if cell_len(joined) <= width:
                line = joined
                continue
            if cell_len(word) <= width:
                lines.append(line)
                line = word
                continue
            if line:  # on lines of its own
                lines.append(line)
            line = ""
            for piece in _pieces(word, width):
                if line and cell_len(line + piece) > width:
                    lines.append(line)
                    line = piece
                else:
                    line += piece
        lines.append(line)
    return lines


def _pieces(word: str, width: int) -> list[str]:
    """``word`` cut after each "/" or "-", and any piece still wider than ``width`` cut
    into pieces of ``width`` columns."""
    pieces: list[str] = []
    for piece in _PIECES.findall(word):
        while cell_len(piece) > width:
            cut = width
            while cell_len(piece[:cut]) > width:  # wide characters
                cut -= 1
            pieces.append(piece[:max(1, cut)])
            piece = piece[max(1, cut):]
        pieces.append(piece)
    return pieces


def clamp_lines(lines: list[str], rows: int, width: int) -> list[str]:
    """At most ``rows`` of ``lines``; when some are left out, the last shown ends with
    "…" after a whole word (never in the middle of one, unless it is longer than a line)."""
    if len(lines) <= rows:
        return lines
    if rows <= 0:
        return []
    kept = lines[:rows]
    last = kept[-1].rstrip()
    while last and cell_len(last) + len(ELLIPSIS) > width:
        cut = last.rfind(" ")
        last = last[:cut] if cut > 0 else last[:-1]
    kept[-1] = last.rstrip(" ,;:.—–-") + ELLIPSIS
    return kept


def share_rows(step: int, easier: int, rows: int) -> tuple[int, int]:
    """The rows the step's text and the easier version's summary get, out of ``rows``,
    when they need ``step`` and ``easier`` rows: all they need if both fit; if not, each
    gives way, the summary to at most half of them (the step says what to do), and with
    one row the step alone."""
    rows = max(0, rows)
    easier_rows = min(easier, max(rows - step, rows // 2))
    return min(step, rows - easier_rows), easier_rows


def keys_that_fit(widths: list[int], width: int, gap: int = 1) -> int:
    """How many of the footer's keys, ``widths`` columns each and ``gap`` apart, fit whole
    in ``width`` columns, the first first."""
    used = 0
    for count, needed in enumerate(widths):
        used += needed + (gap if count else 0)
        if used > width:
            return count
    return len(widths)
