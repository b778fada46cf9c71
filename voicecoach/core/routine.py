"""Routines: frozen data, loaded from TOML files and validated with precise errors.

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
  most 4 sides (each named once).
- Text: names, titles, side names and letters up to 200 characters, other text up to
  2,000. No control characters anywhere (C0 including tab and line breaks, DEL, C1):
  routine text reaches the terminal, and an escape sequence must not drive it.
- Braces only as the placeholders ``{side}`` and ``{other}``, and only where a side is
  known: a step's ``text`` and ``easier`` in an exercise with ``sides``. Names, purposes,
  summaries, titles and the switch step's text (which is followed by "Now your <side>
  side.") are said as written, so placeholders there are refused rather than spoken.
- One ``switch = true`` step per exercise, in an exercise with two or more sides; it is
  said between the sides and has no hold, reps or easier text of its own.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
PLACEHOLDERS = frozenset({"side", "other"})
OPPOSITE_SIDE = {"right": "left", "left": "right"}

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

    def allowed(self) -> str:
        """E.g. "from 1 to 1800 seconds (30 minutes)"."""
        def shown(value: float) -> str:
            return f"{value:g}"

        text = f"from {shown(self.low)} to {shown(self.high)}"
        if self.unit:
            text += f" {self.unit}"
            if self.high >= 120:
                text += f" ({shown(self.high / 60)} minutes)"
        return text

    def problem(self, value: object) -> str | None:
        """Why ``value`` is not allowed, or None when it is."""
        kind = "a whole number" if self.integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be {kind} {self.allowed()}, got {shown_value(value)}"
        if self.integer and not isinstance(value, int):
            return f"must be {kind} {self.allowed()}, got {shown_value(value)}"
        if isinstance(value, float) and value != value:  # NaN
            return f"must be {kind} {self.allowed()}, got nan"
        if value <= 0 < self.low:
            return f"must be positive, got {shown_value(value)} (allowed: {self.allowed()})"
        if not self.low <= value <= self.high:
            return f"must be {self.allowed()}, got {shown_value(value)}"
        return None


HOLD_SECONDS = Bounds(1, 30 * 60, "seconds")
"""A hold: a step's ``hold``, the routine's ``hold_seconds``, ``--hold``."""
REPS = Bounds(1, 500, integer=True)
"""A set of reps: a step's ``reps``, the routine's ``reps``, ``--reps``."""
REP_SECONDS = Bounds(0.5, 60, "seconds")
"""The tempo: ``rep_seconds``, ``--tempo``."""
REST_SECONDS = Bounds(0, 30 * 60, "seconds")
"""The rest between exercises: ``rest_seconds``."""


class RoutineError(Exception):
    """A routine file is broken; ``str()`` is one line naming file, line, place, problem."""

    def __init__(self, file: str, line: int | None, place: str, problem: str) -> None:
        self.file = file
        self.line = line
        self.place = place
        self.problem = problem
        where = f"{file}:{line}" if line else file
        message = f"{where}: {place}: {problem}" if place else f"{where}: {problem}"
        super().__init__(_CONTROL.sub(lambda m: repr(m.group())[1:-1], message))


@dataclass(frozen=True)
class Step:
    """One instruction of an exercise, perhaps followed by a hold or a set of reps."""

    letter: str
    """The article's letter for the step, or "" for steps of our own."""
    text: str
    """What the narrator says; may use {side} and {other}."""
    easier: str | None = None
    """What to say instead on the easier modification (None: the same text)."""
    hold_seconds: float | None = None
    """Hold this long after reading the step (None: no hold)."""
    reps: int | None = None
    """Count this many reps after reading the step (None: no reps)."""
    from_article: bool = True
    """True when ``text`` comes from the source article."""
    easier_from_article: bool = False
    """True when ``easier`` comes from the source article."""

    def spoken(self, *, easier: bool, side: str | None) -> str:
        """The text to say for this step, on the chosen variant and side."""
        template = self.easier if easier and self.easier else self.text
        return fill_sides(template, side)


@dataclass(frozen=True)
class Modification:
    """An exercise's easier variant, announced when the person says "easier"."""

    summary: str
    """What changes, said when switching to it."""
    from_article: bool
    """True when the modification comes from the source article."""


@dataclass(frozen=True)
class Exercise:
    """A stretch: its steps, run once per side."""

    name: str
    """Shown and spoken, e.g. "Hip 90/90 Stretch"."""
    purpose: str
    """One line said when the exercise starts."""
    steps: tuple[Step, ...]
    """The steps, in order, for each side."""
    easier: Modification
    """The easier modification."""
    sides: tuple[str, ...] = ()
    """Sides in order, e.g. ("right", "left"); empty for a symmetric exercise."""
    switch_text: str = "Switch sides."
    """Said between sides."""
    switch_letter: str = ""
    """The article's letter for the side switch, if it has one."""


@dataclass(frozen=True)
class Routine:
    """A whole session's content."""

    name: str
    """Short id, e.g. "back-pain"."""
    title: str
    """Human title."""
    description: str
    """One line about it."""
    exercises: tuple[Exercise, ...]
    """The exercises, in order."""
    rest_seconds: float = 15.0
    """Rest between exercises."""
    rep_seconds: float = 3.0
    """Tempo: seconds per rep."""
    source: str = ""
    """Where the content comes from."""
    path: str = ""
    """The file it was loaded from."""


def fill_sides(template: str, side: str | None) -> str:
    """Replace {side}/{other} in ``template``."""
    if side is None:
        return template
    return template.replace("{side}", side).replace("{other}", OPPOSITE_SIDE.get(side, "other"))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Control characters: C0, DEL and C1."""
_CONTROL_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return",
                  "\x00": "a NUL character", "\x1b": "an escape character"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


def shown_value(value: object) -> str:
    """``value`` for an error message: short, one line, never the whole of a huge value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        digits = str(value)
        return digits if len(digits) <= 20 else f"{digits[:12]}… ({len(digits)} digits)"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 42 else f"{text[:40]}…{text[0]} ({len(value)} characters)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def text_problem(value: str, *, limit: int, placeholders: bool) -> str | None:
    """Why ``value`` is not allowed as routine text, or None when it is.

    ``placeholders``: whether {side} and {other} can be filled in this field.
    """
    if len(value) > limit:
        return f"is {len(value)} characters long; at most {limit}"
    control = _CONTROL.search(value)
    if control:
        char = control.group()
        name = _CONTROL_NAMES.get(char, "a control character")
        return (f"contains {name} (U+{ord(char):04X}) at character {control.start() + 1}; "
                "routine text is one line of printable characters")
    names = set(_PLACEHOLDER.findall(value))
    if names - PLACEHOLDERS:
        bad = ", ".join("{" + shown_brace(name) + "}" for name in sorted(names - PLACEHOLDERS))
        return f"unknown placeholder {bad} (use {{side}} or {{other}})"
    if re.search(r"[{}]", _PLACEHOLDER.sub("", value)):
        return "has an unmatched brace (braces only write {side} or {other})"
    if names and not placeholders:
        return ("cannot use {side} or {other}: only a step's text and easier text are said "
                "for a side")
    return None


def shown_brace(name: str) -> str:
    """A placeholder's name for an error message, cut short."""
    return name if len(name) <= 20 else f"{name[:20]}…"


class _Locator:
    """Finds the line of a table or key in TOML text, for error messages."""

    def __init__(self, text: str) -> None:
        self.exercise_lines: list[int] = []
        self.step_lines: list[list[int]] = []
        self.key_lines: dict[tuple[int | None, int | None, str], int] = {}
        exercise: int | None = None
        step: int | None = None
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            if line == "[[exercises]]":
                self.exercise_lines.append(number)
                self.step_lines.append([])
                exercise, step = len(self.exercise_lines) - 1, None
            elif line == "[[exercises.steps]]" and exercise is not None:
                self.step_lines[exercise].append(number)
                step = len(self.step_lines[exercise]) - 1
            elif line.startswith("[") and exercise is not None:
                step = None
                self.key_lines.setdefault((exercise, None, line.strip("[]")), number)
            else:
                match = re.match(r"([A-Za-z_][A-Za-z0-9_-]*)\s*=", line)
                if match:
                    self.key_lines.setdefault((exercise, step, match.group(1)), number)

    def line(self, exercise: int | None, step: int | None, key: str | None) -> int | None:
        """The line of ``key`` in the given table, else of the table header."""
        if key is not None and (exercise, step, key) in self.key_lines:
            return self.key_lines[(exercise, step, key)]
        if exercise is None or exercise >= len(self.exercise_lines):
            return None
        if step is not None and step < len(self.step_lines[exercise]):
            return self.step_lines[exercise][step]
        return self.exercise_lines[exercise]


Where = tuple[int | None, int | None, str]
"""(exercise index, step index, exercise name) of a place in a routine file."""
TOP: Where = (None, None, "")


class _Reader:
    """Validates parsed TOML and raises RoutineError at the first problem."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.locator = _Locator(text)

    def fail(self, problem: str, where: Where = TOP, key: str | None = None) -> RoutineError:
        exercise, step, name = where
        place = ""
        if exercise is not None:
            shown = name if len(name) <= 60 else f"{name[:60]}…"
            place = f"exercise {exercise + 1}" + (f" ({shown})" if shown else "")
            if step is not None:
                place += f", step {step + 1}"
        if key is not None:
            field = key if _PLAIN_KEY.fullmatch(key) else shown_value(key)
            place += (", " if place else "") + f"field '{field}'"
        return RoutineError(self.file, self.locator.line(exercise, step, key), place, problem)

    def check_keys(self, table: dict[str, Any], allowed: set[str], required: set[str],
                   where: Where = TOP) -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(f"unknown key (known keys: {known})", where, key)
        for key in sorted(required - table.keys()):
            raise self.fail("missing", where, key)

    def text(self, table: dict[str, Any], key: str, where: Where = TOP, *,
             limit: int = MAX_TEXT_CHARS, placeholders: bool = False,
             optional: bool = False) -> str:
        """A text field, stripped; ``optional``: may be absent or empty."""
        value = table.get(key, "") if optional else table[key]
        if not isinstance(value, str) or not (optional or value.strip()):
            raise self.fail(f"must be {'' if optional else 'non-empty '}text, "
                            f"got {shown_value(value)}", where, key)
        problem = text_problem(value, limit=limit, placeholders=placeholders)
        if problem:
            raise self.fail(problem, where, key)
        return value.strip()

    def number(self, table: dict[str, Any], key: str, default: float, bounds: Bounds,
               where: Where = TOP) -> float:
        value = table.get(key, default)
        problem = bounds.problem(value)
        if problem:
            raise self.fail(problem, where, key)
        return float(value)

    def flag(self, table: dict[str, Any], key: str, default: bool, where: Where = TOP) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"must be true or false, got {shown_value(value)}", where, key)
        return value


_TOP_KEYS = {"format", "name", "title", "description", "source", "hold_seconds", "reps",
             "rep_seconds", "rest_seconds", "exercises"}
_EXERCISE_KEYS = {"name", "purpose", "sides", "easier", "steps"}
_EASIER_KEYS = {"summary", "from_article"}
_STEP_KEYS = {"letter", "text", "easier", "easier_from_article", "hold", "reps", "switch",
              "from_article"}
_OVERRIDES = {"hold_seconds": HOLD_SECONDS, "reps": REPS, "rep_seconds": REP_SECONDS}


def parse_routine(text: str, file: str = "<routine>", *, hold_seconds: float | None = None,
                  reps: int | None = None, rep_seconds: float | None = None) -> Routine:
    """Parse and validate routine TOML. The keyword overrides replace the file's defaults
    and are held to the same bounds (a RoutineError names the override)."""
    overrides = {"hold_seconds": hold_seconds, "reps": reps, "rep_seconds": rep_seconds}
    for key, value in overrides.items():
        problem = _OVERRIDES[key].problem(value) if value is not None else None
        if problem:
            raise RoutineError(file, None, f"override {key}", problem)
    text = text.removeprefix("\ufeff")
    data = _parse_toml(text, file)
    reader = _Reader(file, text)
    reader.check_keys(data, _TOP_KEYS, {"name", "title", "exercises"})
    fmt = data.get("format", FORMAT_VERSION)
    if isinstance(fmt, bool) or fmt != FORMAT_VERSION:
        raise reader.fail(f"unsupported format {shown_value(fmt)} "
                          f"(this voicecoach reads {FORMAT_VERSION})", key="format")
    file_hold = reader.number(data, "hold_seconds", 60, HOLD_SECONDS)
    file_reps = int(reader.number(data, "reps", 10, REPS))
    file_tempo = reader.number(data, "rep_seconds", 3.0, REP_SECONDS)
    rest = reader.number(data, "rest_seconds", 15, REST_SECONDS)
    default_hold = float(hold_seconds) if hold_seconds is not None else file_hold
    default_reps = reps if reps is not None else file_reps
    tempo = float(rep_seconds) if rep_seconds is not None else file_tempo
    name = reader.text(data, "name", limit=MAX_NAME_CHARS)
    title = reader.text(data, "title", limit=MAX_NAME_CHARS)
    description = reader.text(data, "description", optional=True)
    source = reader.text(data, "source", optional=True)
    raw_exercises = data["exercises"]
    if not isinstance(raw_exercises, list) or not raw_exercises:
        raise reader.fail("a routine needs at least one [[exercises]]", key="exercises")
    if len(raw_exercises) > MAX_EXERCISES:
        raise reader.fail(f"one exercise too many: a routine has at most {MAX_EXERCISES} "
                          f"(this one has {len(raw_exercises)})", (MAX_EXERCISES, None, ""))
    exercises = tuple(
        _read_exercise(reader, index, raw, default_hold, default_reps)
        for index, raw in enumerate(raw_exercises)
    )
    return Routine(
        name=name,
        title=title,
        description=description,
        exercises=exercises,
        rest_seconds=rest,
        rep_seconds=tempo,
        source=source,
        path=file,
    )


def _parse_toml(text: str, file: str) -> dict[str, Any]:
    """The TOML document in ``text``; any failure is a one-line RoutineError."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise RoutineError(file, line, "", f"TOML syntax error: {problem}") from None
    except RecursionError:
        raise RoutineError(file, None, "", "arrays or tables nested too deeply") from None
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise RoutineError(file, None, "", f"unreadable value: {error}") from None


def _read_exercise(reader: _Reader, index: int, raw: Any, default_hold: float,
                   default_reps: int) -> Exercise:
    if not isinstance(raw, dict):
        raise reader.fail("must be a table", (index, None, ""))
    name_value = raw.get("name")
    name = name_value if isinstance(name_value, str) and not _CONTROL.search(name_value) else ""
    here: Where = (index, None, name)
    reader.check_keys(raw, _EXERCISE_KEYS, {"name", "purpose", "easier", "steps"}, here)
    name = reader.text(raw, "name", here, limit=MAX_NAME_CHARS)
    purpose = reader.text(raw, "purpose", here)
    sides = _read_sides(reader, raw, here)
    easier = raw["easier"]
    if not isinstance(easier, dict):
        raise reader.fail("must be a table with 'summary'", here, "easier")
    reader.check_keys(easier, _EASIER_KEYS, {"summary"}, here)
    modification = Modification(
        summary=reader.text(easier, "summary", here),
        from_article=reader.flag(easier, "from_article", False, here),
    )
    raw_steps = raw["steps"]
    if not isinstance(raw_steps, list) or not raw_steps:
        raise reader.fail("an exercise needs at least one [[exercises.steps]]", here, "steps")
    steps: list[Step] = []
    switch_text, switch_letter, switch_step = "Switch sides.", "", None
    for step_index, raw_step in enumerate(raw_steps):
        where: Where = (index, step_index, name)
        if not isinstance(raw_step, dict):
            raise reader.fail("must be a table", where)
        reader.check_keys(raw_step, _STEP_KEYS, {"text"}, where)
        letter = reader.text(raw_step, "letter", where, limit=MAX_NAME_CHARS, optional=True)
        if reader.flag(raw_step, "switch", False, where):
            _check_switch(reader, raw_step, where, sides, switch_step)
            switch_text = reader.text(raw_step, "text", where)
            switch_letter, switch_step = letter, step_index
            continue
        if len(steps) == MAX_STEPS:
            raise reader.fail(f"one step too many: an exercise has at most {MAX_STEPS} steps "
                              "besides its side switch", where)
        steps.append(_read_step(reader, raw_step, where, letter, bool(sides), default_hold,
                                default_reps))
    if not steps:
        raise reader.fail("has no steps besides the side switch", here, "steps")
    return Exercise(
        name=name,
        purpose=purpose,
        steps=tuple(steps),
        easier=modification,
        sides=sides,
        switch_text=switch_text,
        switch_letter=switch_letter,
    )


def _read_sides(reader: _Reader, raw: dict[str, Any], here: Where) -> tuple[str, ...]:
    sides = raw.get("sides", [])
    if not isinstance(sides, list) or not all(isinstance(s, str) and s.strip() for s in sides):
        raise reader.fail('must be a list of side names, e.g. ["right", "left"]', here, "sides")
    if len(sides) > MAX_SIDES:
        raise reader.fail(f"at most {MAX_SIDES} sides, got {len(sides)}", here, "sides")
    for side in sides:
        problem = text_problem(side, limit=MAX_NAME_CHARS, placeholders=False)
        if problem:
            raise reader.fail(f"side {shown_value(side)} {problem}", here, "sides")
    names = [side.strip() for side in sides]
    if len(set(names)) < len(names):
        raise reader.fail("names a side twice", here, "sides")
    return tuple(names)


def _check_switch(reader: _Reader, raw_step: dict[str, Any], where: Where,
                  sides: tuple[str, ...], earlier: int | None) -> None:
    """A ``switch = true`` step: one per exercise, with sides, nothing but its text."""
    if len(sides) < 2:
        raise reader.fail("a switch step needs two or more 'sides' in its exercise", where,
                          "switch")
    if earlier is not None:
        raise reader.fail(f"a second switch step (step {earlier + 1} is one already); "
                          "an exercise switches sides once, between every two sides",
                          where, "switch")
    for key in ("hold", "reps", "easier"):
        if key in raw_step:
            raise reader.fail("a switch step is said between the sides; it cannot have "
                              "'hold', 'reps' or 'easier'", where, key)


def _read_step(reader: _Reader, raw_step: dict[str, Any], where: Where, letter: str,
               has_sides: bool, default_hold: float, default_reps: int) -> Step:
    fields = {"text": reader.text(raw_step, "text", where, placeholders=True)}
    if "easier" in raw_step:
        fields["easier"] = reader.text(raw_step, "easier", where, placeholders=True)
    for key, value in fields.items():
        if not has_sides and _PLACEHOLDER.search(value):
            raise reader.fail("uses {side}/{other} but the exercise has no 'sides'", where, key)
    hold = _amount(reader, raw_step, "hold", default_hold, where, HOLD_SECONDS)
    rep_count = _amount(reader, raw_step, "reps", default_reps, where, REPS)
    if hold is not None and rep_count is not None:
        raise reader.fail("a step has a hold or reps, not both", where, "reps")
    return Step(
        letter=letter,
        text=fields["text"],
        easier=fields.get("easier"),
        hold_seconds=hold,
        reps=int(rep_count) if rep_count is not None else None,
        from_article=reader.flag(raw_step, "from_article", True, where),
        easier_from_article=reader.flag(raw_step, "easier_from_article", False, where),
    )


def _amount(reader: _Reader, table: dict[str, Any], key: str, default: float,
            where: Where, bounds: Bounds) -> float | None:
    """A hold/reps field: absent or false -> None; true -> the default; a number -> itself."""
    value = table.get(key, False)
    if value is False:
        return None
    if value is True:
        return default
    return reader.number(table, key, default, bounds, where)


def read_routine_text(path: Path) -> str:
    """The text of a routine file: a regular file of at most :data:`MAX_FILE_BYTES` of
    UTF-8, without a leading byte-order mark. Never blocks on a FIFO or reads a device."""
    file = str(path)

    def refuse(problem: str) -> RoutineError:
        return RoutineError(file, None, "", problem)

    try:
        info = os.stat(path)
        _check_regular(info, refuse)
        if info.st_size > MAX_FILE_BYTES:
            raise refuse(_too_big(info.st_size))
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as handle:
            _check_regular(os.fstat(handle.fileno()), refuse)
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise refuse(f"cannot read: {error.strerror or error}") from None
    except ValueError:  # a NUL in the path
        raise refuse("cannot read: not a valid file name") from None
    if len(data) > MAX_FILE_BYTES:
        raise refuse(_too_big(len(data)))
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise refuse(f"not UTF-8 text (byte {error.start + 1})") from None


def _check_regular(info: os.stat_result, refuse: Callable[[str], RoutineError]) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = ("a folder" if stat.S_ISDIR(info.st_mode)
            else "a FIFO" if stat.S_ISFIFO(info.st_mode)
            else "a socket" if stat.S_ISSOCK(info.st_mode)
            else "a device")
    raise refuse(f"not a regular file ({kind}); a routine is a TOML file")


def _too_big(size: int) -> str:
    return f"too big for a routine ({size:,} bytes or more; at most {MAX_FILE_BYTES:,})"


def load_routine(path: Path, **overrides: Any) -> Routine:
    """Load and validate a routine file."""
    return parse_routine(read_routine_text(path), str(path), **overrides)


def builtin_names() -> list[str]:
    """Names of the routines shipped with voicecoach."""
    folder = resources.files("voicecoach.core") / "routines"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir()
                  if p.name.endswith(".toml"))


def resolve_routine(name_or_path: str, **overrides: Any) -> Routine:
    """A built-in routine by name, or a routine file by path."""
    if name_or_path in builtin_names():
        resource = resources.files("voicecoach.core") / "routines" / f"{name_or_path}.toml"
        text = resource.read_text(encoding="utf-8")
        return parse_routine(text, f"{name_or_path} (built-in)", **overrides)
    path = Path(name_or_path)
    try:
        path.lstat()
    except FileNotFoundError:
        known = ", ".join(builtin_names())
        raise RoutineError(name_or_path, None, "",
                           f"no such file or built-in routine (built-in: {known})") from None
    except (OSError, ValueError):
        pass  # reported by load_routine, with its cause
    return load_routine(path, **overrides)
