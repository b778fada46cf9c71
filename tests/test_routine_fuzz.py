"""Broken and hostile routine files, generated: ``voicecoach check`` answers every one with
one clear line and exit 2 (or "ok" and exit 0 when a mutation happens to be valid, and then
the routine runs), never a traceback or a hang.

Each case is a seeded mutation of a good file (or of the previous mutation): lines deleted,
duplicated or swapped; values of the wrong type; huge, negative, NaN and infinite numbers;
deep nesting; control characters; byte-order marks; binary junk; empty and huge files;
unknown keys; bad placeholders; too many exercises, steps or sides; a second side switch.
"""

from __future__ import annotations

import math
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from voicecoach.cli.main import main
from voicecoach.core import script
from voicecoach.core.routine_rules import RoutineError
from voicecoach.core.routine_toml import parse_routine
from voicecoach.core.session import Session
from voicecoach.storage.routine_files import load_routine

GOOD = """\
# A good routine: every mutation starts from here.
format = 1
name = "fuzz"
title = "Fuzz routine"
description = "Two stretches."
source = "tests"
hold_seconds = 30
reps = 8
rep_seconds = 2.5
rest_seconds = 10

[[exercises]]
name = "Neck roll"
purpose = "Loosens the neck."
sides = ["right", "left"]

[exercises.easier]
summary = "Smaller circles."
from_article = false

[[exercises.steps]]
letter = "A"
text = "Tilt your head to the {side}, away from your {other} shoulder."
easier = "Tilt your head a little to the {side}."
hold = true

[[exercises.steps]]
letter = "B"
text = "Roll it slowly."
reps = 5

[[exercises.steps]]
letter = "C"
text = "Repeat on the other side."
switch = true

[[exercises]]
name = "Cat cow"
purpose = "Moves the spine."

[exercises.easier]
summary = "Smaller moves."

[[exercises.steps]]
text = "Arch and round your back."
reps = true
from_article = false
"""

CASES = 320
SECONDS_PER_FILE = 5.0

Mutation = Callable[[random.Random, str], str | bytes]

NUMBERS = ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "1e400", "-1e400", "0", "-0.0",
           "0.0001", "-5", "2.5", "1801", "1000000000", "9223372036854775807",
           "-9223372036854775808", "1" + "0" * 5000, "0x7fffffff", "1_000_000", "3e9",
           "0.49", "60.0001", "500", "501", "1", "1800"]
WRONG_TYPES = ['"text"', '""', '"   "', "true", "false", "[1, 2]", "[]", '["a", 1]',
               "{a = 1}", "{}", "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "3.5",
               "-1", "[[1], [2]]", '"""multi\nline"""']
CONTROLS = ["\\u001b", "\\u001b[2J", "\\u001b]0;title\\u0007", "\\n", "\\r", "\\u0000",
            "\\t", "\\u007f", "\\u0085", "\\u009b", "\\u0008"]
BRACES = ["{side", "side}", "{sidee}", "{}", "{{side}}", "}{", "{ side }", "{other}",
          "{side}", "{0}", "{side}{", "{" * 40, "{__class__}"]


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def value_lines(text: str) -> list[int]:
    """Indices of ``key = value`` lines."""
    return [i for i, line in enumerate(lines_of(text)) if re.match(r"\w+ = ", line)]


def with_value(rng: random.Random, text: str, values: list[str],
               keys: str = r"\w+") -> str:
    lines = lines_of(text)
    chosen = [i for i in value_lines(text) if re.match(rf"({keys}) = ", lines[i])]
    if not chosen:
        return text
    index = rng.choice(chosen)
    key = lines[index].split(" = ")[0]
    lines[index] = f"{key} = {rng.choice(values)}"
    return "\n".join(lines)


def in_string(rng: random.Random, text: str, inserts: list[str]) -> str:
    """``text`` with one of ``inserts`` put inside a random string value."""
    lines = lines_of(text)
    chosen = [i for i in value_lines(text) if '"' in lines[i]]
    index = rng.choice(chosen) if chosen else 0
    line = lines[index]
    quote = line.find('"')
    if quote < 0:
        return text
    cut = rng.randint(quote + 1, max(quote + 1, line.rfind('"')))
    lines[index] = line[:cut] + rng.choice(inserts) + line[cut:]
    return "\n".join(lines)


def delete_line(rng: random.Random, text: str) -> str:
    lines = lines_of(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(rng: random.Random, text: str) -> str:
    lines = lines_of(text)
    index = rng.randrange(len(lines))
    lines.insert(index, lines[index])
    return "\n".join(lines)


def swap_lines(rng: random.Random, text: str) -> str:
    lines = lines_of(text)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def wrong_type(rng: random.Random, text: str) -> str:
    return with_value(rng, text, WRONG_TYPES)


def odd_number(rng: random.Random, text: str) -> str:
    return with_value(rng, text, NUMBERS, "hold_seconds|reps|rep_seconds|rest_seconds|hold|"
                                          "format")


def deep_nesting(rng: random.Random, text: str) -> str:
    depth = rng.choice([50, 300, 600, 5000, 50_000])
    if rng.random() < 0.5:
        nested = "[" * depth + "]" * depth
    else:
        nested = "{a = " * depth + "1" + "}" * depth
    return with_value(rng, text, [nested])


def control_character(rng: random.Random, text: str) -> str:
    return in_string(rng, text, CONTROLS)


def raw_control_bytes(rng: random.Random, text: str) -> bytes:
    data = bytearray(text.encode())
    for _ in range(rng.randint(1, 4)):
        data.insert(rng.randrange(len(data) + 1), rng.choice([0, 7, 8, 13, 27, 127]))
    return bytes(data)


def byte_order_mark(rng: random.Random, text: str) -> bytes:
    return rng.choice([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe",
                       b"\xfe\xff", b"\x00\x00\xfe\xff"]) + text.encode()


def binary_junk(rng: random.Random, text: str) -> bytes:
    junk = rng.randbytes(rng.choice([1, 16, 4096]))
    if rng.random() < 0.3:
        return junk
    data = text.encode()
    at = rng.randrange(len(data) + 1)
    return data[:at] + junk + data[at:]


def emptied(rng: random.Random, text: str) -> str:
    return rng.choice(["", " ", "\n\n\n", "# only a comment\n", "\t\n", "=", "[[exercises]]"])


def truncated(rng: random.Random, text: str) -> bytes:
    data = text.encode()
    return data[:rng.randrange(len(data))]


def huge_string(rng: random.Random, text: str) -> str:
    size = rng.choice([201, 2001, 100_000, 900_000])
    return with_value(rng, text, ['"' + "x" * size + '"'], "name|title|text|purpose|summary")


def huge_file(rng: random.Random, text: str) -> str:
    return text + "#" * (1024 * 1024 + rng.randint(0, 1000)) + "\n"


def unknown_key(rng: random.Random, text: str) -> str:
    lines = lines_of(text)
    index = rng.choice(value_lines(text))
    key = rng.choice(["hodl", "Text", "steps", "exercises", '"\\u001b[2J"', "holds", "side"])
    lines.insert(index + 1, f"{key} = 3")
    return "\n".join(lines)


def bad_placeholder(rng: random.Random, text: str) -> str:
    return in_string(rng, text, BRACES)


def too_many(rng: random.Random, text: str) -> str:
    head, first, rest = text.partition("[[exercises]]")
    block = first + rest.split("[[exercises]]")[0]
    choice = rng.choice(["exercises", "steps", "sides", "switch"])
    if choice == "exercises":  # each its own name, as a routine needs
        return head + "".join(block.replace("Neck roll", f"Neck roll {number}")
                              for number in range(rng.choice([200, 201, 400])))
    if choice == "steps":
        step = '\n[[exercises.steps]]\ntext = "More."\nhold = 5\n'
        return text + step * rng.choice([49, 50, 51, 200])
    if choice == "sides":
        return text.replace('["right", "left"]', rng.choice(
            ['["a", "b", "c", "d", "e"]', '["right", "right"]', '["right"]', "[]",
             '["", "left"]']))
    return text.replace("switch = true", "switch = true\n\n[[exercises.steps]]\n"
                        'text = "Again."\nswitch = true')


MUTATIONS: list[Mutation] = [
    delete_line, duplicate_line, swap_lines, wrong_type, odd_number, deep_nesting,
    control_character, raw_control_bytes, byte_order_mark, binary_junk, emptied, truncated,
    huge_string, huge_file, unknown_key, bad_placeholder, too_many,
]


def mutated(case: int) -> tuple[str, bytes]:
    """Case ``case``: its description and the file's bytes."""
    rng = random.Random(case)
    text: str | bytes = GOOD
    names = []
    first = MUTATIONS[case % len(MUTATIONS)]
    for mutation in [first] + [rng.choice(MUTATIONS) for _ in range(rng.choice([0, 0, 1, 2]))]:
        if isinstance(text, bytes):
            break
        names.append(mutation.__name__)
        text = mutation(rng, text)
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return "+".join(names), data


def assert_runs(path: Path) -> None:
    """A routine that ``check`` accepted runs, and says nothing unfilled or raw."""
    routine = load_routine(path)
    session = Session(routine, 0.0)
    assert math.isfinite(session.total_seconds())
    assert session.total_seconds() < 200 * 51 * 2 * 1800
    session.view()
    session.view(1.0)
    for segment in session.plan[:500]:
        for easier in (False, True):
            for line in script.reading_lines(routine, segment, easier=easier):
                assert not re.search(r"[{}\x00-\x1f\x7f-\x9f]", line.text), line.text


@pytest.mark.parametrize("case", range(CASES))
def test_check_answers_a_broken_file_with_a_line_per_exercise_at_fault(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: int) -> None:
    description, data = mutated(case)
    path = tmp_path / "routine.toml"
    path.write_bytes(data)
    start = time.perf_counter()
    status = main(["check", str(path)])
    took = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert took < SECONDS_PER_FILE, f"{description}: {took:.1f} s"
    assert "Traceback" not in out + err, description
    if status == 0:
        assert err == "", description
        verdict, *notes = out.splitlines()
        assert verdict.startswith(f"{path}: ok — ") and out.endswith("\n"), description
        assert all(note.startswith("  note: ") for note in notes), description
        assert_runs(path)
        return
    assert status == 2, f"{description}: exit {status}"
    assert out == "", description
    assert err.endswith("\n"), (description, err)
    # one line for the routine's own fields, and at most two for each exercise at fault
    # (its first problem, and a name an earlier exercise has)
    problems = err[:-1].split("\n")
    exercises = len(re.findall(rb"(?m)^\s*\[\[\s*exercises\s*\]\]", data))
    assert len(problems) <= 1 + max(1, 2 * exercises), (description, err)
    for problem in problems:
        assert problem.startswith(f"voicecoach: {path}"), (description, err)
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", problem), (description, err)
        assert not re.search(r"\('", problem), (description, err)  # never a Python tuple
        assert len(problem) < 600, (description, err)


def test_the_cases_cover_valid_and_broken_files() -> None:
    """The mix is what it claims: the good file passes, most mutations break it, every
    mutation is used, and some mutated files are still valid."""
    assert main(["check", "/dev/null"]) == 2
    kinds: set[str] = set()
    valid = 0
    for case in range(CASES):
        description, data = mutated(case)
        kinds.update(description.split("+"))
        try:
            parse_routine(data.decode("utf-8"))
            valid += 1
        except (RoutineError, UnicodeDecodeError):
            pass
    assert kinds == {mutation.__name__ for mutation in MUTATIONS}
    assert 5 <= valid <= CASES // 3, valid


def test_the_good_file_is_good(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "good.toml"
    path.write_text(GOOD)
    assert main(["check", str(path)]) == 0
    assert "2 exercises" in capsys.readouterr().out
    assert_runs(path)


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_check_on_a_fifo_or_a_device_does_not_hang(tmp_path: Path, kind: str) -> None:
    path = Path(kind)
    if kind == "fifo":
        path = tmp_path / "routine.toml"
        os.mkfifo(path)
    result = subprocess.run([sys.executable, "-m", "voicecoach", "check", str(path)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr == (f"voicecoach: {path}: not a regular file "
                             f"({'a FIFO' if kind == 'fifo' else 'a device'}); "
                             "a routine is a TOML file\n")
