"""What a routine may hold: limits, number bounds, text rules, and the error that names a break.

A routine file is TOML. Its top-level keys, its ``[[exercises]]`` and each exercise's
``[[exercises.steps]]`` are described in the README; every problem is reported as one
line naming the file, the line, the place (exercise/step) and the field.

What is accepted (anything else is refused, naming the field and what is allowed):

- The file: a regular file (not a folder, FIFO or device) of at most 1 MiB of UTF-8
  text; a leading byte-order mark is ignored. TOML nested too deeply is refused.
- Holds (``hold_seconds``, a step's ``hold``): 1 second to 30 minutes.
- Reps (``reps``, a step's ``reps``): whole numbers from 1 to 500.
- Tempo (``rep_seconds``): 0.5 to 60 seconds per rep.
- Rest between exercises (``rest_seconds``): 0 to 30 minutes.
  NaN and infinity are never accepted. The overrides of :func:`parse_routine`,
  :func:`load_routine` and :func:`resolve_routine` (``hold_seconds``, ``reps``,
  ``rep_seconds``: the command line's ``--hold``, ``--reps`` and ``--tempo``) have the
  same bounds.
- Size: at most 200 exercises, each with at most 50 steps besides its side switch and at
  most 4 sides (each named once; ``sides = []`` is refused: an exercise without sides
  leaves ``sides`` out).
- Text: names, titles, side names and letters up to 200 characters, other text up to
  2,000. No control characters anywhere (C0 including tab and line breaks, DEL, C1):
  routine text reaches the terminal, and an escape sequence must not drive it.
- Braces only as the placeholders ``{side}`` and ``{other}``, and only where a side is
  known: a step's ``text`` and ``easier`` in an exercise with ``sides``. Names, purposes,
  summaries, titles and the switch step's text (which is followed by "Now your <side>
  side.") are said as written, so placeholders there are refused rather than spoken.
- One ``switch = true`` step per exercise, in an exercise with two or more sides; it is
  said between the sides and has no hold, reps or easier text of its own.
- Each exercise has its own name, capitals and spaces aside (:func:`name_key`): the
  session announces the next exercise by name, and saved progress and history count
  exercises by name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FORMAT_VERSION = 1
PLACEHOLDERS = frozenset({"side", "other"})

MAX_FILE_BYTES = 1024 * 1024
"""The largest routine file read."""
MAX_EXERCISES = 200
"""Exercises in a routine, at most."""
MAX_STEPS = 50
"""Steps in an exercise, besides its side switch, at most."""
MAX_SIDES = 4
"""Sides of an exercise, at most."""
MAX_NAME_CHARS = 200
"""Length of a name, title, side name or letter, at most."""
MAX_TEXT_CHARS = 2000
"""Length of any other text, at most."""


@dataclass(frozen=True)
class Bounds:
    """The allowed range of a number in a routine."""

    low: float
    high: float
    unit: str = ""
    """"seconds", or "" for a count."""
    integer: bool = False
    """True for a whole number."""
    words: tuple[tuple[str, float], ...] = ()
    """Words the command line's ``option`` takes for this number (``--hold long``); a
    file takes none."""
    option: str = ""
    """The command line's option for this number, where it takes ``words``."""

    def allowed(self) -> str:
        """E.g. "from 1 to 1800 seconds (30 minutes)"."""
        minutes = self._in_minutes()
        return f"{self._range()} ({minutes} minutes)" if minutes else self._range()

    def allowed_aside(self) -> str:
        """The range for inside brackets, with none nested: "allowed: from 1 to 1800
        seconds, that is up to 30 minutes"."""
        minutes = self._in_minutes()
        text = f"allowed: {self._range()}"
        return f"{text}, that is up to {minutes} minutes" if minutes else text

    def _range(self) -> str:
        """"from 1 to 1800 seconds", "from 1 to 500"."""
        text = f"from {self.low:g} to {self.high:g}"
        return f"{text} {self.unit}" if self.unit else text

    def _in_minutes(self) -> str:
        """The upper bound in minutes when that is how a person thinks of it, else ""."""
        return f"{self.high / 60:g}" if self.unit and self.high >= 120 else ""

    def problem(self, value: object) -> str | None:
        """Why ``value`` is not allowed, or None when it is."""
        kind = "a whole number" if self.integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return (f"must be {kind} {self.allowed()}, got {shown_value(value)}"
                    + self._word_hint(value))
        if self.integer and not isinstance(value, int):
            return f"must be {kind} {self.allowed()}, got {shown_value(value)}"
        if isinstance(value, float) and value != value:  # NaN
            return f"must be {kind} {self.allowed()}, got nan"
        if value <= 0 < self.low:
            return f"must be positive, got {shown_value(value)} ({self.allowed_aside()})"
        if not self.low <= value <= self.high:
            return f"must be {self.allowed()}, got {shown_value(value)}"
        return None

    def _word_hint(self, value: object) -> str:
        """For a command-line word written in a file (``hold = "long"``): that it is the
        command line's only, and the number to write; "" for anything else."""
        words = dict(self.words)
        word = value.strip().casefold() if isinstance(value, str) else ""
        if word not in words:
            return ""
        said = " and ".join(repr(w) for w in words)
        return (f" ({said} are words of the command line's {self.option} only; in a file "
                f"write the seconds: {shown_number(words[word])})")


HOLD_SECONDS = Bounds(1, 30 * 60, "seconds", words=(("short", 60), ("long", 120)),
                      option="--hold")
"""A hold: a step's ``hold``, the routine's ``hold_seconds``, ``--hold``."""
REPS = Bounds(1, 500, integer=True)
"""A set of reps: a step's ``reps``, the routine's ``reps``, ``--reps``."""
REP_SECONDS = Bounds(0.5, 60, "seconds")
"""The tempo: ``rep_seconds``, ``--tempo``."""
REST_SECONDS = Bounds(0, 30 * 60, "seconds")
"""The rest between exercises: ``rest_seconds``."""


class RoutineError(Exception):
    """A routine file is broken; ``str()`` is one line naming file, line, place, problem."""

    def __init__(self, file: str, line: int | None, place: str, problem: str, *,
                 override: str | None = None) -> None:
        self.file = file
        self.line = line
        self.place = place
        self.problem = problem
        self.override = override
        """The override at fault ("rep_seconds"), not the file; None for the file."""
        self.others: tuple[RoutineError, ...] = ()
        """The file's later problems that do not follow from this one: the first of each
        exercise at fault, and each name an earlier exercise has (``check`` lists them)."""
        where = f"{file}:{line}" if line else file
        message = f"{where}: {place}: {problem}" if place else f"{where}: {problem}"
        super().__init__(CONTROL_CHARACTERS.sub(lambda m: repr(m.group())[1:-1], message))


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Control characters: C0, DEL and C1."""
_CONTROL_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return",
                  "\x00": "a NUL character", "\x1b": "an escape character"}
PLACEHOLDER_PATTERN = re.compile(r"\{([^{}]*)\}")
"""A brace pair and the name inside it."""


def shown_value(value: object) -> str:
    """``value`` for an error message: short, one line, never the whole of a huge value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        digits = str(value)
        return digits if len(digits) <= 20 else f"{digits[:12]}… ({len(digits)} digits)"
    if isinstance(value, float):
        return shown_number(value)
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 42 else f"{text[:40]}…{text[0]} ({len(value)} characters)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def shown_number(value: float) -> str:
    """A number as a person writes it: 90, 0.5, 2.0 (a float, which a whole number is
    not), 1e9 rather than 1000000000.0, 1.5e-7 rather than 1.5e-07."""
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)  # nan, inf, -inf
    if abs(value) >= 1e6 or 0 < abs(value) < 1e-4:
        return _shortest(value)
    return repr(value)


def _shortest(value: float) -> str:
    """``value`` with its shortest exact mantissa and a plain exponent ("1.5e9"), unless
    its plain digits are as short ("1234567.0")."""
    exact = next(text for text in (f"{value:.{n}e}" for n in range(17))
                 if float(text) == value)
    mantissa, exponent = exact.split("e")
    scientific = f"{mantissa}e{int(exponent)}"
    plain = repr(value)
    return plain if "e" not in plain and len(plain) <= len(scientific) else scientific


def text_problem(value: str, *, limit: int, placeholders: bool) -> str | None:
    """Why ``value`` is not allowed as routine text, or None when it is.

    ``placeholders``: whether {side} and {other} can be filled in this field.
    """
    if len(value) > limit:
        return f"is {len(value)} characters long; at most {limit}"
    control = CONTROL_CHARACTERS.search(value)
    if control:
        char = control.group()
        name = _CONTROL_NAMES.get(char, "a control character")
        return (f"contains {name} (U+{ord(char):04X}) at character {control.start() + 1}; "
                "routine text is one line of printable characters")
    names = set(PLACEHOLDER_PATTERN.findall(value))
    if names - PLACEHOLDERS:
        bad = ", ".join("{" + shown_brace(name) + "}" for name in sorted(names - PLACEHOLDERS))
        if not placeholders:  # no placeholder at all is allowed here
            return (f"unknown placeholder {bad} (and none is allowed here: only a step's "
                    "text and easier text take {side} or {other})")
        return f"unknown placeholder {bad} (use {{side}} or {{other}})"
    if re.search(r"[{}]", PLACEHOLDER_PATTERN.sub("", value)):
        return "has an unmatched brace (braces only write {side} or {other})"
    if names and not placeholders:
        return ("cannot use {side} or {other}: only a step's text and easier text are said "
                "for a side")
    return None


def unknown_key(key: str, known: Sequence[str], within: str = "") -> str:
    """The problem of a key a file does not have (a routine file's or a voice profile's):
    the keys it has, and the one ``key`` is likely a slip for; ``within`` names a
    sub-table ("[exercises.easier]")."""
    inside = f" in {within}" if within else ""
    problem = f"unknown key{inside} (known keys: {', '.join(known)})"
    meant = difflib.get_close_matches(key, known, n=1)
    return f"{problem}; did you mean '{meant[0]}'?" if meant else problem


def looks_like_routine(data: Mapping[str, object]) -> bool:
    """Whether parsed TOML is a routine file's, though given as something else (a voice
    profile, a log): it has exercises, spelt right or as ``[[exercise]]``."""
    return "exercises" in data or "exercise" in data


def name_key(name: str) -> str:
    """What two exercise names must not share: the name without capitals, surrounding
    spaces or runs of spaces ("Neck  Tilt " and "neck tilt" are the same)."""
    return " ".join(name.split()).casefold()


def shown_brace(name: str) -> str:
    """A placeholder's name for an error message, cut short."""
    return name if len(name) <= 20 else f"{name[:20]}…"
