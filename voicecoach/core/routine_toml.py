"""Routine TOML, read into :class:`~voicecoach.core.routine.Routine` with precise errors.

What is accepted is listed in :mod:`voicecoach.core.routine_rules`; every problem is one
line naming the file, the line, the place (exercise/step) and the field. TOML that does not
parse, and the usual slips behind it, are told in plain words by
:mod:`voicecoach.core.routine_slips`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from voicecoach.core.routine import Exercise, Modification, Routine, Step
from voicecoach.core.routine_rules import (
    CONTROL_CHARACTERS,
    FORMAT_VERSION,
    HOLD_SECONDS,
    MAX_EXERCISES,
    MAX_NAME_CHARS,
    MAX_SIDES,
    MAX_STEPS,
    MAX_TEXT_CHARS,
    PLACEHOLDER_PATTERN,
    REP_SECONDS,
    REPS,
    REST_SECONDS,
    Bounds,
    RoutineError,
    name_key,
    shown_value,
    text_problem,
    unknown_key,
)
from voicecoach.core.routine_slips import (
    HEADER,
    as_written,
    number_in_text,
    parse_toml,
    unknown_table,
)

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")
"""A key shown as it is in an error message; others are quoted."""


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
            header = HEADER.fullmatch(line)
            table = re.sub(r"\s+", "", header.group(2)) if header else None
            if header and header.group(1) and table == "exercises":
                self.exercise_lines.append(number)
                self.step_lines.append([])
                exercise, step = len(self.exercise_lines) - 1, None
            elif header and header.group(1) and table == "exercises.steps" and (
                    exercise is not None):
                self.step_lines[exercise].append(number)
                step = len(self.step_lines[exercise]) - 1
            elif table is not None:  # [exercises.easier]; or a top-level [exercises]
                step = None
                self.key_lines.setdefault((exercise, None, table), number)
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
                   where: Where = TOP, *, within: str = "") -> None:
        """Refuse unknown keys and missing ones; ``within`` names a sub-table
        (``[exercises.easier]``) in the message."""
        for key in table:
            if key not in allowed:
                raise self.fail(unknown_key(key, sorted(allowed), within), where, key)
        inside = f" in {within}" if within else ""
        for key in sorted(required - table.keys()):
            raise self.fail(f"missing{inside}", where, key)

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
            raise self.fail(problem + _plain_number_hint(key, value, bounds), where, key)
        return float(value)

    def flag(self, table: dict[str, Any], key: str, default: bool, where: Where = TOP) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"must be true or false, got {shown_value(value)}", where, key)
        return value


def _plain_number_hint(key: str, value: object, bounds: Bounds) -> str:
    """For a number written as text ("60", "30s", "1:00") that is allowed: how to write
    it; "" for anything else."""
    number = number_in_text(key, value) if isinstance(value, str) else None
    if number is None or bounds.problem(as_written(number)):
        return ""
    return f"; write {key} = {as_written(number)} (a number, no quotes or units)"


_TOP_KEYS = {"format", "name", "title", "description", "source", "hold_seconds", "reps",
             "rep_seconds", "rest_seconds", "exercises"}
_EXERCISE_KEYS = {"name", "purpose", "sides", "easier", "steps"}
_EASIER_KEYS = {"summary", "from_article"}
_STEP_KEYS = {"letter", "text", "easier", "easier_from_article", "hold", "reps", "switch",
              "from_article"}
_OVERRIDES = {"hold_seconds": HOLD_SECONDS, "reps": REPS, "rep_seconds": REP_SECONDS}


def parse_routine(text: str, file: str = "<routine>", *, hold_seconds: float | None = None,
                  reps: int | None = None, rep_seconds: float | None = None) -> Routine:
    """Parse and validate routine TOML. The keyword overrides replace the file's values
    (``hold_seconds`` every hold, ``reps`` every set, ``rep_seconds`` the tempo) and are
    held to the same bounds (a RoutineError names the override).

    A broken file raises its first problem; its ``others`` are the rest that do not follow
    from it, in the order of the file: the first problem of the routine's own fields, of
    its list of exercises, and of each exercise, and each exercise named as an earlier one
    (``check`` lists them all, so that one pass finds what to fix)."""
    overrides = {"hold_seconds": hold_seconds, "reps": reps, "rep_seconds": rep_seconds}
    for key, value in overrides.items():
        problem = _OVERRIDES[key].problem(value) if value is not None else None
        if problem:
            raise RoutineError(file, None, f"override {key}", problem, override=key)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise RoutineError(file, None, "", "the file is empty")
    data = parse_toml(text, file)
    table = unknown_table(text)
    if table and table.table in data:
        raise table.error(file)
    reader = _Reader(file, text)
    _check_format(reader, data)  # another format's file is read no further
    problems: list[RoutineError] = []
    own = _Own()
    try:
        own = _read_own(reader, data)
    except RoutineError as problem:
        problems.append(problem)
    raw_exercises: list[Any] = []
    try:
        raw_exercises = _exercise_list(reader, data)
    except RoutineError as problem:
        problems.append(problem)
    default_hold = float(hold_seconds) if hold_seconds is not None else own.hold
    default_reps = reps if reps is not None else own.reps
    exercises: list[Exercise] = []
    names: dict[str, tuple[int, str]] = {}
    for index, raw in enumerate(raw_exercises):
        found: list[RoutineError] = []
        exercise = None
        try:
            exercise = _read_exercise(reader, index, raw, default_hold, default_reps)
        except RoutineError as problem:
            found.append(problem)
        try:  # an exercise at fault still has its name, unless the name is the fault
            _check_own_name(reader, names, index, exercise.name if exercise else
                            _usable_name(raw))
        except RoutineError as problem:
            found.append(problem)
        if exercise is not None and not found:
            exercises.append(_overridden(exercise, hold_seconds, reps))
        problems.extend(sorted(found, key=lambda problem: problem.line or 0))
    if problems:
        problems[0].others = tuple(problems[1:])
        raise problems[0]
    return Routine(
        name=own.name,
        title=own.title,
        description=own.description,
        exercises=tuple(exercises),
        rest_seconds=own.rest,
        rep_seconds=float(rep_seconds) if rep_seconds is not None else own.tempo,
        source=own.source,
        path=file,
    )


@dataclass(frozen=True)
class _Own:
    """A routine's own fields, as read; the defaults stand in while a field is at fault."""

    name: str = ""
    title: str = ""
    description: str = ""
    source: str = ""
    hold: float = 60
    reps: int = 10
    tempo: float = 3.0
    rest: float = 15


def _check_format(reader: _Reader, data: dict[str, Any]) -> None:
    """Refuse a ``format`` other than this voicecoach's."""
    fmt = data.get("format", FORMAT_VERSION)
    if isinstance(fmt, bool) or not isinstance(fmt, int | float):
        raise reader.fail(f"must be the number {FORMAT_VERSION} (no quotes), got "
                          f"{shown_value(fmt)}", key="format")
    if fmt != FORMAT_VERSION:
        raise reader.fail(f"unsupported format {fmt} (this voicecoach reads {FORMAT_VERSION})",
                          key="format")


def _read_own(reader: _Reader, data: dict[str, Any]) -> _Own:
    """The routine's own fields (all but its exercises); raises at the first problem."""
    reader.check_keys(data, _TOP_KEYS, {"name", "title", "exercises"})
    default = _Own()
    hold = reader.number(data, "hold_seconds", default.hold, HOLD_SECONDS)
    reps = int(reader.number(data, "reps", default.reps, REPS))
    tempo = reader.number(data, "rep_seconds", default.tempo, REP_SECONDS)
    rest = reader.number(data, "rest_seconds", default.rest, REST_SECONDS)
    return _Own(
        name=reader.text(data, "name", limit=MAX_NAME_CHARS),
        title=reader.text(data, "title", limit=MAX_NAME_CHARS),
        description=reader.text(data, "description", optional=True),
        source=reader.text(data, "source", optional=True),
        hold=hold, reps=reps, tempo=tempo, rest=rest,
    )


def _exercise_list(reader: _Reader, data: dict[str, Any]) -> list[Any]:
    """The file's exercises, each still to read; [] when it has none (a missing
    ``exercises`` is the routine's own fields' problem)."""
    if "exercises" not in data:
        return []
    raw_exercises = data["exercises"]
    if isinstance(raw_exercises, dict):
        raise reader.fail("each exercise is a [[exercises]] table, with two brackets",
                          key="exercises")
    if not isinstance(raw_exercises, list) or not raw_exercises:
        raise reader.fail("a routine needs at least one [[exercises]]", key="exercises")
    if len(raw_exercises) > MAX_EXERCISES:
        raise reader.fail(f"one exercise too many: a routine has at most {MAX_EXERCISES} "
                          f"(this one has {len(raw_exercises)})", (MAX_EXERCISES, None, ""))
    return raw_exercises


def _usable_name(raw: Any) -> str | None:
    """The name of an exercise that could not be read, when the name itself is fine."""
    name = raw.get("name") if isinstance(raw, dict) else None
    if not isinstance(name, str) or not name.strip() or text_problem(
            name, limit=MAX_NAME_CHARS, placeholders=False):
        return None
    return name.strip()


def _overridden(exercise: Exercise, hold_seconds: float | None, reps: int | None
                ) -> Exercise:
    """``exercise`` with every hold ``hold_seconds`` long and every set ``reps`` reps, as
    the command line asks (``--hold``, ``--reps``), the file's own numbers or not."""
    steps = tuple(
        replace(step,
                hold_seconds=(float(hold_seconds) if hold_seconds is not None
                              and step.hold_seconds is not None else step.hold_seconds),
                reps=reps if reps is not None and step.reps is not None else step.reps)
        for step in exercise.steps)
    return replace(exercise, steps=steps)


def _check_own_name(reader: _Reader, names: dict[str, tuple[int, str]], index: int,
                    name: str | None) -> None:
    """Refuse a name an earlier exercise has (capitals and spaces aside): the session's
    "Then: ..." and saved progress tell exercises apart by name. ``names``: each earlier
    name's :func:`name_key`, with the index and name of the exercise that has it; ``name``
    None: the exercise's name is at fault itself (and is not compared)."""
    if name is None:
        return
    earlier, other = names.setdefault(name_key(name), (index, name))
    if earlier == index:
        return
    line = reader.locator.line(earlier, None, "name")
    notes = [f"line {line}"] if line else []
    if other != name:
        notes.append(f"as {shown_value(other)}")
    said = f" ({', '.join(notes)})" if notes else ""
    raise reader.fail(f"the name is already used by exercise {earlier + 1}{said}; each "
                      "exercise needs its own name", (index, None, name), "name")


def _read_exercise(reader: _Reader, index: int, raw: Any, default_hold: float,
                   default_reps: int) -> Exercise:
    if not isinstance(raw, dict):
        raise reader.fail("must be a table", (index, None, ""))
    name_value = raw.get("name")
    name = (name_value if isinstance(name_value, str)
            and not CONTROL_CHARACTERS.search(name_value) else "")
    here: Where = (index, None, name)
    reader.check_keys(raw, _EXERCISE_KEYS, {"name", "purpose", "easier", "steps"}, here)
    name = reader.text(raw, "name", here, limit=MAX_NAME_CHARS)
    purpose = reader.text(raw, "purpose", here)
    sides = _read_sides(reader, raw, here)
    easier = raw["easier"]
    if not isinstance(easier, dict):
        raise reader.fail("must be a table with 'summary'", here, "easier")
    reader.check_keys(easier, _EASIER_KEYS, {"summary"}, here, within="[exercises.easier]")
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
    if "sides" in raw and not sides:
        raise reader.fail('an empty list; leave it out for an exercise with no sides, or name '
                          'its sides, e.g. ["right", "left"]', here, "sides")
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
        if not has_sides and PLACEHOLDER_PATTERN.search(value):
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
