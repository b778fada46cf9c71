"""Routines: frozen data, loaded from TOML files and validated with precise errors.

A routine file is TOML. Its top-level keys, its ``[[exercises]]`` and each exercise's
``[[exercises.steps]]`` are described in the README; every problem is reported as one
line naming the file, the line, the place (exercise/step) and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
PLACEHOLDERS = frozenset({"side", "other"})
OPPOSITE_SIDE = {"right": "left", "left": "right"}


class RoutineError(Exception):
    """A routine file is broken; ``str()`` is one line naming file, line, place, problem."""

    def __init__(self, file: str, line: int | None, place: str, problem: str) -> None:
        self.file = file
        self.line = line
        self.place = place
        self.problem = problem
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {place}: {problem}" if place else f"{where}: {problem}")


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


class _Locator:
    """Finds the line of a table or key in TOML text, for error messages."""

    def __init__(self, text: str) -> None:
        self.exercise_lines: list[int] = []
        self.step_lines: list[list[int]] = []
        self.key_lines: dict[tuple[int | None, int | None, str], int] = {}
        exercise: int | None = None
        step: int | None = None
        for number, raw in enumerate(text.splitlines(), start=1):
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
            place = f"exercise {exercise + 1}" + (f" ({name})" if name else "")
            if step is not None:
                place += f", step {step + 1}"
        if key is not None:
            place += (", " if place else "") + f"field '{key}'"
        return RoutineError(self.file, self.locator.line(exercise, step, key), place, problem)

    def check_keys(self, table: dict[str, Any], allowed: set[str], required: set[str],
                   where: Where = TOP) -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(f"unknown key (known keys: {known})", where, key)
        for key in sorted(required - table.keys()):
            raise self.fail("missing", where, key)

    def text(self, table: dict[str, Any], key: str, where: Where = TOP) -> str:
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail("must be non-empty text", where, key)
        braces = set(re.findall(r"\{([^}]*)\}", value))
        if braces - PLACEHOLDERS:
            bad = ", ".join("{" + b + "}" for b in sorted(braces - PLACEHOLDERS))
            raise self.fail(f"unknown placeholder {bad} (use {{side}} or {{other}})",
                            where, key)
        return value.strip()

    def number(self, table: dict[str, Any], key: str, default: float, where: Where = TOP,
               integer: bool = False) -> float:
        value = table.get(key, default)
        kind = "a whole number" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"must be {kind}, got {value!r}", where, key)
        if integer and not isinstance(value, int):
            raise self.fail(f"must be {kind}, got {value!r}", where, key)
        if value <= 0:
            raise self.fail(f"must be positive, got {value!r}", where, key)
        return float(value)

    def flag(self, table: dict[str, Any], key: str, default: bool, where: Where = TOP) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"must be true or false, got {value!r}", where, key)
        return value


_TOP_KEYS = {"format", "name", "title", "description", "source", "hold_seconds", "reps",
             "rep_seconds", "rest_seconds", "exercises"}
_EXERCISE_KEYS = {"name", "purpose", "sides", "easier", "steps"}
_EASIER_KEYS = {"summary", "from_article"}
_STEP_KEYS = {"letter", "text", "easier", "easier_from_article", "hold", "reps", "switch",
              "from_article"}


def parse_routine(text: str, file: str = "<routine>", *, hold_seconds: float | None = None,
                  reps: int | None = None, rep_seconds: float | None = None) -> Routine:
    """Parse and validate routine TOML. The keyword overrides replace the file's defaults."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise RoutineError(file, line, "", f"TOML syntax error: {problem}") from None
    reader = _Reader(file, text)
    reader.check_keys(data, _TOP_KEYS, {"name", "title", "exercises"})
    fmt = data.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        raise reader.fail(f"unsupported format {fmt!r} (this voicecoach reads {FORMAT_VERSION})",
                          key="format")
    default_hold = hold_seconds or reader.number(data, "hold_seconds", 60)
    default_reps = reps or int(reader.number(data, "reps", 10, integer=True))
    tempo = rep_seconds or reader.number(data, "rep_seconds", 3.0)
    raw_exercises = data["exercises"]
    if not isinstance(raw_exercises, list) or not raw_exercises:
        raise reader.fail("a routine needs at least one [[exercises]]", key="exercises")
    exercises = tuple(
        _read_exercise(reader, index, raw, default_hold, default_reps)
        for index, raw in enumerate(raw_exercises)
    )
    return Routine(
        name=reader.text(data, "name"),
        title=reader.text(data, "title"),
        description=str(data.get("description", "")),
        exercises=exercises,
        rest_seconds=reader.number(data, "rest_seconds", 15),
        rep_seconds=tempo,
        source=str(data.get("source", "")),
        path=file,
    )


def _read_exercise(reader: _Reader, index: int, raw: Any, default_hold: float,
                   default_reps: int) -> Exercise:
    if not isinstance(raw, dict):
        raise reader.fail("must be a table", (index, None, ""))
    name = raw["name"] if isinstance(raw.get("name"), str) else ""
    here: Where = (index, None, name)
    reader.check_keys(raw, _EXERCISE_KEYS, {"name", "purpose", "easier", "steps"}, here)
    sides = raw.get("sides", [])
    if not isinstance(sides, list) or not all(isinstance(s, str) and s for s in sides):
        raise reader.fail('must be a list of side names, e.g. ["right", "left"]', here, "sides")
    easier = raw["easier"]
    if not isinstance(easier, dict):
        raise reader.fail("must be a table with 'summary'", here, "easier")
    reader.check_keys(easier, _EASIER_KEYS, {"summary"}, here)
    raw_steps = raw["steps"]
    if not isinstance(raw_steps, list) or not raw_steps:
        raise reader.fail("an exercise needs at least one [[exercises.steps]]", here, "steps")
    steps: list[Step] = []
    switch_text, switch_letter = "Switch sides.", ""
    for step_index, raw_step in enumerate(raw_steps):
        where: Where = (index, step_index, name)
        if not isinstance(raw_step, dict):
            raise reader.fail("must be a table", where)
        reader.check_keys(raw_step, _STEP_KEYS, {"text"}, where)
        text = reader.text(raw_step, "text", where)
        if not sides and "{" in text:
            raise reader.fail("uses {side}/{other} but the exercise has no 'sides'", where,
                              "text")
        if reader.flag(raw_step, "switch", False, where):
            if not sides:
                raise reader.fail("a switch step needs the exercise's 'sides'", where, "switch")
            switch_text, switch_letter = text, str(raw_step.get("letter", ""))
            continue
        hold = _amount(reader, raw_step, "hold", default_hold, where, integer=False)
        rep_count = _amount(reader, raw_step, "reps", default_reps, where, integer=True)
        if hold is not None and rep_count is not None:
            raise reader.fail("a step has a hold or reps, not both", where, "reps")
        steps.append(Step(
            letter=str(raw_step.get("letter", "")),
            text=text,
            easier=reader.text(raw_step, "easier", where) if "easier" in raw_step else None,
            hold_seconds=hold,
            reps=int(rep_count) if rep_count is not None else None,
            from_article=reader.flag(raw_step, "from_article", True, where),
            easier_from_article=reader.flag(raw_step, "easier_from_article", False, where),
        ))
    if not steps:
        raise reader.fail("has no steps besides the side switch", here, "steps")
    return Exercise(
        name=reader.text(raw, "name", here),
        purpose=reader.text(raw, "purpose", here),
        steps=tuple(steps),
        easier=Modification(
            summary=reader.text(easier, "summary", here),
            from_article=reader.flag(easier, "from_article", False, here),
        ),
        sides=tuple(sides),
        switch_text=switch_text,
        switch_letter=switch_letter,
    )


def _amount(reader: _Reader, table: dict[str, Any], key: str, default: float,
            where: Where, *, integer: bool) -> float | None:
    """A hold/reps field: absent or false -> None; true -> the default; a number -> itself."""
    value = table.get(key, False)
    if value is False:
        return None
    if value is True:
        return default
    return reader.number(table, key, default, where, integer=integer)


def load_routine(path: Path, **overrides: Any) -> Routine:
    """Load and validate a routine file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RoutineError(str(path), None, "", f"cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise RoutineError(str(path), None, "", "not UTF-8 text") from None
    return parse_routine(text, str(path), **overrides)


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
    if not path.exists():
        known = ", ".join(builtin_names())
        raise RoutineError(name_or_path, None, "",
                           f"no such file or built-in routine (built-in: {known})")
    return load_routine(path, **overrides)
