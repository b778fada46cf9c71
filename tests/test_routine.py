"""Routine files: the built-in routine's content and clean errors for broken files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from voicecoach.core.routine import RoutineError, load_routine, parse_routine, resolve_routine

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "back-pain-stretches.txt"

GOOD = """\
name = "mine"
title = "My routine"

[[exercises]]
name = "Neck roll"
purpose = "Loosens the neck."
sides = ["right", "left"]

[exercises.easier]
summary = "Smaller circles."

[[exercises.steps]]
text = "Tilt your head to the {side}."
hold = 20
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "routine.toml"
    path.write_text(text)
    return path


BACK_PAIN_STRUCTURE = {
    "Hip 90/90 Stretch": ("ABCDE", (60.0, None)),
    "Active Hamstring Stretch": ("ABCDE", (None, 10)),
    "Adductor Rocks": ("ABCD", (None, 10)),
    "Quadriceps Couch Stretch": ("ABCDE", (60.0, None)),
}
"""Per exercise: the article's step letters and its (hold, reps), without its sentences."""


@pytest.fixture
def seed_article() -> str:
    """The seed article: CI has ../shared beside the clone; a plain clone does not."""
    if not ARTICLE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the seed article at {ARTICLE}")
        pytest.skip(f"no seed article at {ARTICLE} (a plain clone): the structure test "
                    "below checks the routine on its own")
    return ARTICLE.read_text()


def test_back_pain_has_the_articles_structure() -> None:
    routine = resolve_routine("back-pain")
    assert [e.name for e in routine.exercises] == list(BACK_PAIN_STRUCTURE)
    for exercise in routine.exercises:
        letters, (hold, reps) = BACK_PAIN_STRUCTURE[exercise.name]
        ours = {s.letter for s in exercise.steps} | {exercise.switch_letter} - {""}
        assert ours == set(letters), exercise.name
        assert exercise.sides == ("right", "left")
        assert exercise.easier.summary
        assert hold is None or any(s.hold_seconds == hold for s in exercise.steps)
        assert reps is None or any(s.reps == reps for s in exercise.steps)


def test_back_pain_keeps_every_lettered_step_of_the_article(seed_article: str) -> None:
    routine = resolve_routine("back-pain")
    assert [e.name for e in routine.exercises] == [
        "Hip 90/90 Stretch", "Active Hamstring Stretch", "Adductor Rocks",
        "Quadriceps Couch Stretch"]
    article = seed_article
    sections = re.split(r"\n0\d of 04\n", article)[1:]
    for exercise, section in zip(routine.exercises, sections, strict=True):
        article_letters = re.findall(r"^\(([A-E])\)", section, flags=re.M)
        ours = {s.letter for s in exercise.steps} | {exercise.switch_letter} - {""}
        assert set(article_letters) <= ours, exercise.name
        assert exercise.sides == ("right", "left")
        assert exercise.easier.summary


def test_back_pain_text_is_plain_spoken_language() -> None:
    routine = resolve_routine("back-pain")
    for exercise in routine.exercises:
        for step in exercise.steps:
            for text in (step.text, step.easier or ""):
                assert "video" not in text.lower()
                assert not re.search(r"\([A-E]\)", text)


def test_back_pain_marks_article_modifications() -> None:
    routine = resolve_routine("back-pain")
    by_name = {e.name: e for e in routine.exercises}
    assert by_name["Active Hamstring Stretch"].easier.from_article
    assert "ceiling" in by_name["Active Hamstring Stretch"].easier.summary
    assert not by_name["Quadriceps Couch Stretch"].easier.from_article


def test_back_pain_holds_reps_and_tempo_defaults() -> None:
    routine = resolve_routine("back-pain")
    holds = [s.hold_seconds for e in routine.exercises for s in e.steps if s.hold_seconds]
    reps = [s.reps for e in routine.exercises for s in e.steps if s.reps]
    assert holds == [60, 60, 60] and reps == [10, 10] and routine.rep_seconds == 3.0


def test_a_good_file_loads_with_sides_filled(tmp_path: Path) -> None:
    routine = load_routine(write(tmp_path, GOOD))
    step = routine.exercises[0].steps[0]
    assert step.hold_seconds == 20
    assert step.spoken(easier=False, side="left") == "Tilt your head to the left."


BROKEN = {
    "syntax": (GOOD.replace('title = "My routine"', 'title = "My routine'), 2,
               "TOML syntax error"),
    "missing field": (GOOD.replace('purpose = "Loosens the neck."\n', ""), 4,
                      "exercise 1 (Neck roll), field 'purpose': missing"),
    "negative hold": (GOOD.replace("hold = 20", "hold = -5"), 14,
                      "exercise 1 (Neck roll), step 1, field 'hold': must be positive, got -5"),
    "unknown key": (GOOD.replace("hold = 20", "hold = 20\nhodl = 3"), 15,
                    "exercise 1 (Neck roll), step 1, field 'hodl': unknown key"),
    "empty steps": (GOOD.split("[[exercises.steps]]")[0].replace(
        'sides = ["right", "left"]', 'sides = ["right", "left"]\nsteps = []'), 8,
                    "exercise 1 (Neck roll), field 'steps': an exercise needs at least one"),
    "bad placeholder": (GOOD.replace("{side}", "{sidee}"), 13,
                        "field 'text': unknown placeholder {sidee}"),
    "hold and reps": (GOOD.replace("hold = 20", "hold = 20\nreps = 3"), 15,
                      "a step has a hold or reps, not both"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_file_names_file_line_place_and_problem(tmp_path: Path, kind: str) -> None:
    text, line, problem = BROKEN[kind]
    path = write(tmp_path, text)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert problem in message
    assert "\n" not in message


@pytest.mark.parametrize("kind", ["syntax", "negative hold", "unknown key"])
def test_check_command_prints_one_line_and_exits_2(tmp_path: Path, kind: str) -> None:
    path = write(tmp_path, BROKEN[kind][0])
    result = subprocess.run([sys.executable, "-m", "voicecoach", "check", str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_check_command_accepts_a_good_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    result = subprocess.run([sys.executable, "-m", "voicecoach", "check", str(path)],
                            capture_output=True, text=True, check=True)
    assert "ok" in result.stdout and "1 exercises" in result.stdout


def test_unreadable_and_unknown_routines(tmp_path: Path) -> None:
    with pytest.raises(RoutineError, match="no such file or built-in routine"):
        resolve_routine(str(tmp_path / "nope.toml"))
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(RoutineError, match="not UTF-8"):
        load_routine(tmp_path / "bin.toml")


def test_routines_command_lists_back_pain() -> None:
    result = subprocess.run([sys.executable, "-m", "voicecoach", "routines"],
                            capture_output=True, text=True, check=True)
    assert re.search(r"back-pain\s+4 exercises\s+~1\d min", result.stdout)


def test_parse_overrides_hold_and_reps() -> None:
    routine = parse_routine(GOOD.replace("hold = 20", "hold = true"), hold_seconds=120)
    assert routine.exercises[0].steps[0].hold_seconds == 120
