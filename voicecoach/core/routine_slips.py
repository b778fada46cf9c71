"""Plain words for the common slips in routine TOML, at their line.

tomllib speaks of statements, values and Python tuples; the person wrote ``hold = 30s``,
pasted curly quotes from an article or typed ``[[exercise]]``. :func:`parse_toml` reads the
TOML and, when it fails, says what the slip is and how to write it:

- a number with a unit or a clock time (``30s``, ``2 min``, ``1:00``): the plain number
  (``hold = 60``), and the same for one in quotes (:func:`number_in_text`);
- curly quotes (“ ” or ‘ ’) around text: straight ones;
- a table header that is not a routine file's (``[[exercise]]``): its own line, and the
  table it likely means (:func:`unknown_table`, also for files that are valid TOML);
- text in quotes not closed on its line, a key given twice, a table given twice (named as
  the file writes it, ``[exercises.easier]``, never as a Python tuple).
"""

from __future__ import annotations

import ast
import difflib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from voicecoach.core.routine_rules import RoutineError

HEADER = re.compile(r"\[(\[?)\s*([A-Za-z0-9_.\s-]+?)\s*\]\]?\s*(?:#.*)?")
"""A table header, ``[name]`` or ``[[name]]`` (group 1 says which), spaces and a trailing
comment allowed."""

SECONDS_KEYS = frozenset({"hold", "hold_seconds", "rep_seconds", "rest_seconds"})
"""Keys whose number is a number of seconds."""
COUNT_KEYS = frozenset({"reps"})
"""Keys whose number is a count."""

_TABLES = {"exercises"}
"""The top-level tables of a routine file."""
_SUB_TABLES = {"easier": "[exercises.easier]", "steps": "[[exercises.steps]]"}
_ALL_TABLES = "[[exercises]], with [exercises.easier] and [[exercises.steps]]"

_KEY_LINE = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*")
_AMOUNT_VALUE = re.compile(r"(?P<value>[^#\"']*?)\s*(?:#.*)?")
_CLOCK = re.compile(r"(\d{1,4}):([0-5]\d)(?::([0-5]\d))?")
_WITH_UNITS = re.compile(r"(?:\d{1,6}(?:\.\d{1,3})?\s*[A-Za-z]+\.?\s*)+")
_PLAIN_NUMBER = re.compile(r"\d{1,6}(?:\.\d{1,3})?")
_UNIT_PAIR = re.compile(r"(\d{1,6}(?:\.\d{1,3})?)\s*([A-Za-z]+)")
SECONDS_PER_UNIT = {"s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
                "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
                "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600}
"""Seconds in each unit a duration is written in (also the article importer's)."""
_COUNT_UNITS = {"x", "times", "rep", "reps", "repetitions"}

_CURLY = {"“": "“ ”", "”": "“ ”", "„": "“ ”", "‘": "‘ ’", "’": "‘ ’", "‚": "‘ ’"}
"""Curly quotes, and the pair each belongs to."""
_UNCLOSED = {"Illegal character '\\n'", "Unterminated string"}

_PLAIN_TOML_ERRORS = {
    "Illegal character '\\n'": "text in quotes is not closed on its line (a \" missing?)",
    "Cannot overwrite a value": "a key given twice in the same table",
}
"""tomllib's words for the usual slips, and plain ones."""

_STRING = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_TUPLE = re.compile(rf"\((?:{_STRING})(?:, (?:{_STRING}))*,?\)")
"""A tuple of key parts in tomllib's message, e.g. ``('exercises', 'easier')``."""
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Slip:
    """A slip found in routine TOML: where, and what to write instead."""

    line: int
    problem: str
    key: str = ""
    """The key on the slip's line ("" for a table header)."""
    table: str = ""
    """For a table header that is not a routine file's, its top-level name."""

    def error(self, file: str) -> RoutineError:
        """The slip as a one-line error."""
        return RoutineError(file, self.line, f"field '{self.key}'" if self.key else "",
                            self.problem)


def parse_toml(text: str, file: str) -> dict[str, Any]:
    """The TOML document in ``text``; any failure is a one-line RoutineError in plain words."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(text, file, str(error)) from None
    except RecursionError:
        raise RoutineError(file, None, "", "arrays or tables nested too deeply") from None
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise RoutineError(file, None, "", f"unreadable value: {error}") from None


def unknown_table(text: str) -> Slip | None:
    """The first table header that is not a routine file's (``[[exercise]]``, ``[steps]``),
    with the table it likely means."""
    for number, raw in _lines_outside_long_strings(text):
        header = HEADER.fullmatch(raw.strip())
        if not header:
            continue
        parts = re.sub(r"\s+", "", header.group(2)).split(".")
        if parts[0] in _TABLES:
            continue
        double = bool(header.group(1))
        written = f"[[{'.'.join(parts)}]]" if double else f"[{'.'.join(parts)}]"
        if len(parts) == 1 and parts[0] in _SUB_TABLES:
            hint = f"; did you mean {_SUB_TABLES[parts[0]]}?"
        elif difflib.get_close_matches(parts[0].lower(), _TABLES, n=1, cutoff=0.75):
            meant = ".".join(["exercises", *parts[1:]])
            # an exercise is an [[exercises]] table, whatever its brackets were
            table = f"[[{meant}]]" if double or len(parts) == 1 else f"[{meant}]"
            hint = f"; did you mean {table}?"
        else:
            hint = f" (its tables are {_ALL_TABLES})"
        return Slip(number, f"{written}: not a table a routine file has{hint}",
                    table=parts[0])
    return None


def _lines_outside_long_strings(text: str) -> Iterator[tuple[int, str]]:
    """(number, line) of each line of ``text`` that does not lie inside a multi-line string
    (\"\"\" or '''), whose lines are text, not headers."""
    open_with = ""
    for number, raw in enumerate(text.split("\n"), start=1):
        if open_with:
            if open_with in raw:
                open_with = ""
            continue
        yield number, raw
        for delimiter in ('"""', "'''"):
            if raw.count(delimiter) % 2:
                open_with = delimiter
                break


@dataclass(frozen=True)
class SyntaxSlip:
    """Where tomllib stopped reading a document, and why, in its words."""

    line: int | None
    column: int
    problem: str
    source: str
    """The line it stopped on ("" at the end of the document)."""

    def plain(self, text: str) -> str:
        """The slip in plain words, as a file's error says it."""
        return f"TOML syntax error: {_plain(self.problem, text, self.source)}"


def syntax_slip(text: str, message: str) -> SyntaxSlip:
    """tomllib's ``message`` on ``text``, taken apart."""
    match = re.search(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$", message)
    line = int(match.group(1)) if match and match.group(1) else None
    column = int(match.group(2)) if match and match.group(2) else 0
    problem = message[:match.start()] if match else message
    source = text.split("\n")[line - 1] if line else ""
    return SyntaxSlip(line, column, problem, source)


def _syntax_error(text: str, file: str, message: str) -> RoutineError:
    found = syntax_slip(text, message)
    table = unknown_table(text)
    if table and (found.line is None or table.line <= found.line):
        return table.error(file)
    slip = (_number_with_unit(found.source)
            or _curly_quotes(found.source, found.column, found.problem))
    if slip and found.line:
        return Slip(found.line, slip[1], slip[0]).error(file)
    return RoutineError(file, found.line, "", found.plain(text))


def _number_with_unit(source: str) -> tuple[str, str] | None:
    """(key, problem) for ``key = 30s``, ``key = 2 min``, ``key = 1:00`` and the like."""
    key_line = _KEY_LINE.fullmatch(source)
    value_match = _AMOUNT_VALUE.fullmatch(key_line.group(2)) if key_line else None
    if not key_line or not value_match:
        return None
    key, value = key_line.group(1), value_match.group("value")
    amount = _amount(value)
    if amount is None:
        return None
    number, kind = amount
    shown = str(as_written(number))
    if key not in SECONDS_KEYS | COUNT_KEYS:  # a text field: the words want quotes
        return key, f'{value} is not a value a routine file can read; text is written in' \
            f' quotes: {key} = "{value}"'
    problem = f"{value} is not a number a routine file can read; "
    if kind == "seconds" and key in SECONDS_KEYS:
        return key, problem + f"write the seconds as a plain number: {key} = {shown}"
    if kind == "count" and key in COUNT_KEYS:
        return key, problem + f"write the count as a plain number: {key} = {shown}"
    return key, problem + "numbers are written plain, without a unit or a colon"


def number_in_text(key: str, value: str) -> float | None:
    """The number that text in field ``key`` stands for ("60", "30s", "1:00": seconds for a
    seconds field, "10" or "10x": a count for ``reps``), or None when it holds none."""
    text = value.strip()
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    amount = _amount(text)
    if amount is None:
        return None
    number, kind = amount
    return number if kind == ("count" if key in COUNT_KEYS else "seconds") else None


def as_written(number: float) -> int | float:
    """``number`` as a file writes it: 60, not 60.0."""
    return int(number) if number.is_integer() else number


def _amount(value: str) -> tuple[float, str] | None:
    """``value`` as (number, "seconds" or "count") when it is a clock time or numbers with
    units; None for anything else."""
    clock = _CLOCK.fullmatch(value)
    if clock:
        first, second, third = clock.groups()
        if third is None:  # m:ss
            return float(int(first) * 60 + int(second)), "seconds"
        return float(int(first) * 3600 + int(second) * 60 + int(third)), "seconds"
    if not _WITH_UNITS.fullmatch(value):
        return None
    pairs = [(float(number), unit.lower()) for number, unit in _UNIT_PAIR.findall(value)]
    if all(unit in SECONDS_PER_UNIT for _, unit in pairs):
        return sum(number * SECONDS_PER_UNIT[unit] for number, unit in pairs), "seconds"
    if len(pairs) == 1 and pairs[0][1] in _COUNT_UNITS:
        return pairs[0][0], "count"
    return None


def _curly_quotes(source: str, column: int, problem: str) -> tuple[str, str] | None:
    """(key, problem) for text between curly quotes, where TOML needs straight ones."""
    at = source[column - 1] if 0 < column <= len(source) else ""
    last = source.rstrip()[-1:]
    curly = at if at in _CURLY else last if problem in _UNCLOSED and last in _CURLY else ""
    if not curly:
        return None
    key_line = _KEY_LINE.fullmatch(source)
    return (key_line.group(1) if key_line else "",
            f'curly quotes ({_CURLY[curly]}): write straight quotes, "…"')


def _plain(problem: str, text: str, source: str) -> str:
    """tomllib's ``problem`` in plain words; a key tuple is written as the file writes it."""
    if problem in _PLAIN_TOML_ERRORS:
        return _PLAIN_TOML_ERRORS[problem]
    match = _TUPLE.search(problem)
    if not match:
        return problem
    parts = [str(part) for part in ast.literal_eval(match.group())]
    dotted = ".".join(p if _BARE_KEY.fullmatch(p) else _quoted(p) for p in parts)
    stripped = source.lstrip()
    written = (f"[[{dotted}]]" if stripped.startswith("[[")
               else f"[{dotted}]" if stripped.startswith("[") else dotted)
    template = problem[:match.start()] + "{}" + problem[match.end():]
    if template == "Cannot declare {} twice":
        if written == f"[{dotted}]" and re.search(
                rf"^\s*\[\[\s*{re.escape(dotted)}\s*\]\]", text, re.M):
            return (f"{written}, with one bracket, after [[{dotted}]]: each is a "
                    f"[[{dotted}]] table, with two brackets")
        return f"the table {written} is given twice"
    if template == "Cannot mutate immutable namespace {}":
        header = f"{written}: " if written != dotted else ""
        return (f"{header}{dotted} is already given whole, with {{ }} or [ ]; it cannot be "
                "added to")
    if template == "Cannot redefine namespace {}":
        return f"{dotted} is already the table [{dotted}]; a dotted key cannot add to it"
    return template.replace("{}", dotted)


def _quoted(part: str) -> str:
    """A key part that is not a bare key, as a TOML quoted key."""
    return '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
