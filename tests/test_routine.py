"""Routine files: the built-in routine's content and clean errors for broken files."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from voicecoach.core.commands import command_words_in
from voicecoach.core.routine import Routine
from voicecoach.core.routine_rules import RoutineError
from voicecoach.core.routine_toml import parse_routine
from voicecoach.storage.routine_files import builtin_names, load_routine, resolve_routine

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
        pytest.skip(f"no seed article at {ARTICLE} (a plain clone; CI has it): the "
                    "structure and no-command tests check the routine on its own")
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
        assert article_letters, exercise.name  # the article's steps were found
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


def spoken_texts(routine: Routine) -> list[str]:
    """Every text of ``routine`` the narrator reads aloud, sides filled in."""
    return [text for exercise in routine.exercises for _, text in exercise.read_aloud()]


def test_back_pain_says_no_command_word() -> None:
    """A line with "pause" or "repeat" in it competes with the person: their "pause", said
    as the narrator says it, is taken for the narrator's (it once read "Pause when you
    feel a good stretch", "Repeat on the opposite leg")."""
    for text in spoken_texts(resolve_routine("back-pain")):
        assert command_words_in(text) == [], text


def test_back_pain_copies_no_sentence_of_the_article(seed_article: str) -> None:
    """The routine tells each step in its own words (names aside)."""
    article = [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+|\n", seed_article)
               if len(s.split()) >= 4]
    for text in spoken_texts(resolve_routine("back-pain")):
        for sentence in re.split(r"(?<=[.!?:;])\s+", text.lower()):
            closest = max(article, key=lambda s: SequenceMatcher(None, s, sentence).ratio())
            assert SequenceMatcher(None, closest, sentence).ratio() < 0.75, (sentence, closest)


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
    assert "ok" in result.stdout and "1 exercise, about 1 minute\n" in result.stdout
    assert "note" not in result.stdout


def test_check_notes_each_line_that_says_a_command(tmp_path: Path) -> None:
    """Accepted, with a note on every line a person's own command would compete with."""
    text = GOOD.replace('"Tilt your head to the {side}."', '"Tilt your head back."')
    text += '\n[[exercises.steps]]\ntext = "Repeat on the other side."\nswitch = true\n'
    path = write(tmp_path, text)
    result = subprocess.run([sys.executable, "-m", "voicecoach", "check", str(path)],
                            capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{path}: ok")
    assert lines[1:] == [
        '  note: Neck roll, the side switch says "repeat", a spoken command: said as it is '
        "read, the person's own may be taken for the narrator's",
        '  note: Neck roll, step 1 says "back", a spoken command: said as it is read, the '
        "person's own may be taken for the narrator's"]


def test_check_notes_a_form_of_a_command_as_the_step_writes_it(tmp_path: Path) -> None:
    """A step saying "backward" is noted for "back", which it sounds like, but quoting the
    word the step writes, which the author can find in it."""
    text = GOOD.replace('"Tilt your head to the {side}."', '"Lean backward, then tilt."')
    result = subprocess.run([sys.executable, "-m", "voicecoach", "check", str(write(
        tmp_path, text))], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[1:] == [
        '  note: Neck roll, step 1 says "backward" (the command word "back"), a spoken '
        "command: said as it is read, the person's own may be taken for the narrator's"]


def test_unreadable_and_unknown_routines(tmp_path: Path) -> None:
    with pytest.raises(RoutineError, match="no such file or built-in routine"):
        resolve_routine(str(tmp_path / "nope.toml"))
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(RoutineError, match="not UTF-8"):
        load_routine(tmp_path / "bin.toml")


@pytest.mark.parametrize("command", [["check", "r/tiny"],
                                     ["export", "r/tiny", "out.wav", "--force"]])
def test_a_routine_path_without_its_toml_names_the_file_meant(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    from tests.support.routines import TINY_ROUTINE
    from voicecoach.cli.main import main
    from voicecoach.cli.status import ExitStatus

    monkeypatch.chdir(tmp_path)
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "tiny.toml").write_text(TINY_ROUTINE)
    assert main(command) == ExitStatus.BAD_INPUT
    assert capsys.readouterr().err == ("voicecoach: r/tiny: no such file or built-in "
                                       "routine; did you mean r/tiny.toml?\n")
    assert not (tmp_path / "out.wav").exists()
    (tmp_path / "r" / "tiny.toml").unlink()
    with pytest.raises(RoutineError) as caught:
        resolve_routine("r/tiny")
    assert caught.value.problem == ("no such file or built-in routine (built-in: "
                                    f"{', '.join(builtin_names())})")


def test_routines_command_lists_back_pain() -> None:
    result = subprocess.run([sys.executable, "-m", "voicecoach", "routines"],
                            capture_output=True, text=True, check=True)
    assert re.search(r"back-pain\s+4 exercises\s+~1\d min", result.stdout)


def test_parse_overrides_hold_and_reps() -> None:
    routine = parse_routine(GOOD.replace("hold = 20", "hold = true"), hold_seconds=120)
    assert routine.exercises[0].steps[0].hold_seconds == 120


def test_the_command_line_sets_every_hold_and_every_set_the_files_numbers_too() -> None:
    """--hold 4 gives 4-second holds even where the file wrote hold = 30 (as an imported
    article's routine does), and --reps every set; steps with neither keep neither."""
    text = GOOD + SECOND.replace("hold = 20", "reps = 12") + "\n[[exercises.steps]]\ntext = " \
        '"Breathe."\n'
    routine = parse_routine(text, hold_seconds=4, reps=3)
    steps = [step for exercise in routine.exercises for step in exercise.steps]
    assert [(step.hold_seconds, step.reps) for step in steps] == [(4, None), (None, 3),
                                                                 (None, None)]
    assert [(s.hold_seconds, s.reps) for e in parse_routine(text).exercises
            for s in e.steps] == [(20, None), (None, 12), (None, None)]


# ----- numbers: finite and within bounds, in the file and in the overrides -----------------

OUT_OF_RANGE = [
    ("hold = 20", "hold = nan", "hold", "from 1 to 1800 seconds"),
    ("hold = 20", "hold = inf", "hold", "from 1 to 1800 seconds"),
    ("hold = 20", "hold = -inf", "hold", "from 1 to 1800 seconds"),
    ("hold = 20", "hold = 0.5", "hold", "from 1 to 1800 seconds"),
    ("hold = 20", "hold = 1801", "hold", "from 1 to 1800 seconds"),
    ("hold = 20", "reps = 1000000000", "reps", "from 1 to 500"),
    ("hold = 20", "reps = 501", "reps", "from 1 to 500"),
    ("hold = 20", "reps = 2.5", "reps", "a whole number from 1 to 500"),
    ("hold = 20", "reps = 99999999999999999999999", "reps", "from 1 to 500"),
    ('title = "My routine"', 'title = "My routine"\nhold_seconds = inf', "hold_seconds",
     "from 1 to 1800 seconds"),
    ('title = "My routine"', 'title = "My routine"\nhold_seconds = nan', "hold_seconds",
     "from 1 to 1800 seconds"),
    ('title = "My routine"', 'title = "My routine"\nreps = 0', "reps", "from 1 to 500"),
    ('title = "My routine"', 'title = "My routine"\nrep_seconds = nan', "rep_seconds",
     "from 0.5 to 60 seconds"),
    ('title = "My routine"', 'title = "My routine"\nrep_seconds = 0.25', "rep_seconds",
     "from 0.5 to 60 seconds"),
    ('title = "My routine"', 'title = "My routine"\nrest_seconds = nan', "rest_seconds",
     "from 0 to 1800 seconds"),
    ('title = "My routine"', 'title = "My routine"\nrest_seconds = inf', "rest_seconds",
     "from 0 to 1800 seconds"),
    ('title = "My routine"', 'title = "My routine"\nrest_seconds = -1', "rest_seconds",
     "from 0 to 1800 seconds"),
]


@pytest.mark.parametrize(("old", "new", "field", "allowed"), OUT_OF_RANGE)
def test_numbers_out_of_bounds_name_the_field_and_the_range(
        tmp_path: Path, old: str, new: str, field: str, allowed: str) -> None:
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    message = str(caught.value)
    line = next(n for n, text in enumerate(path.read_text().split("\n"), 1)
                if text.startswith(f"{field} ="))
    assert message.startswith(f"{path}:{line}: "), message
    assert f"field '{field}'" in message and allowed in message, message


def test_numbers_at_their_bounds_are_accepted() -> None:
    for numbers in ("hold_seconds = 1\nreps = 1\nrep_seconds = 0.5\nrest_seconds = 0",
                    "hold_seconds = 1800\nreps = 500\nrep_seconds = 60\nrest_seconds = 1800"):
        text = GOOD.replace('title = "My routine"', f'title = "My routine"\n{numbers}')
        routine = parse_routine(text.replace("hold = 20", "hold = true"))
        assert routine.exercises[0].steps[0].hold_seconds in (1, 1800)
    assert parse_routine(GOOD.replace("hold = 20", "reps = 500")).exercises[0].steps[0].reps \
        == 500


@pytest.mark.parametrize(("override", "value", "allowed"), [
    ("hold_seconds", float("nan"), "from 1 to 1800 seconds"),
    ("hold_seconds", float("inf"), "from 1 to 1800 seconds"),
    ("hold_seconds", 0.0, "from 1 to 1800 seconds"),
    ("reps", 100_000, "from 1 to 500"),
    ("reps", 0, "from 1 to 500"),
    ("rep_seconds", float("nan"), "from 0.5 to 60 seconds"),
    ("rep_seconds", float("-inf"), "from 0.5 to 60 seconds"),
])
def test_overrides_have_the_same_bounds(override: str, value: float, allowed: str) -> None:
    with pytest.raises(RoutineError) as caught:
        resolve_routine("back-pain", **{override: value})
    message = str(caught.value)
    assert message.startswith(f"back-pain (built-in): override {override}: "), message
    assert allowed in message


def test_an_override_does_not_hide_a_bad_number_in_the_file() -> None:
    text = GOOD.replace('title = "My routine"', 'title = "My routine"\nhold_seconds = nan')
    with pytest.raises(RoutineError, match="hold_seconds"):
        parse_routine(text, hold_seconds=30)


@pytest.mark.parametrize("arguments", [["--hold", "nan"], ["--hold", "inf"],
                                       ["--reps", "100000"], ["--tempo", "nan"]])
def test_run_refuses_overrides_out_of_bounds_with_one_line(arguments: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "voicecoach", "run", "--no-tui", "--mute", "--no-listen",
         *arguments], capture_output=True, text=True, check=False, timeout=60,
        stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"voicecoach: {arguments[0]}: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and " from " in result.stderr


# ----- hostile files ---------------------------------------------------------------------


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_routine(path).name == "mine"
    assert parse_routine("\ufeff" + GOOD).name == "mine"


@pytest.mark.parametrize("depth", [200, 500, 5000])
def test_deep_nesting_is_one_clear_error(tmp_path: Path, depth: int) -> None:
    path = write(tmp_path, GOOD.replace("hold = 20", "hold = " + "[" * depth + "]" * depth))
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert "nested too deeply" in str(caught.value) or "field 'hold'" in str(caught.value)


def test_deep_inline_tables_are_one_clear_error() -> None:
    with pytest.raises(RoutineError, match="nested too deeply"):
        parse_routine("x = " + "{a = " * 2000 + "1" + "}" * 2000)


def test_a_file_over_a_mebibyte_is_refused_unread(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "#" * (1024 * 1024))
    with pytest.raises(RoutineError, match=r"too big for a routine \(1,048,\d+ bytes"):
        load_routine(path)


@pytest.mark.parametrize("size", [2_000, 3_000_000])
def test_an_audio_file_given_for_a_routine_is_said_to_be_audio_whatever_its_size(
        tmp_path: Path, size: int) -> None:
    """``voicecoach simulate user.wav`` (meant: --user-audio) or ``check say.wav``."""
    path = tmp_path / "user.wav"
    path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(size))
    with pytest.raises(RoutineError) as refused:
        load_routine(path)
    assert str(refused.value) == (
        f"{path}: not a routine file (WAV audio); a routine is a TOML file")


def test_a_file_just_under_the_cap_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "#" * (1024 * 1024 - len(GOOD) - 1) + "\n")
    assert path.stat().st_size == 1024 * 1024
    assert load_routine(path).name == "mine"


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for path, kind in [(fifo, "a FIFO"), (Path("/dev/zero"), "a device"),
                       (tmp_path, "a folder")]:
        with pytest.raises(RoutineError) as caught:
            resolve_routine(str(path))
        assert str(caught.value) == (f"{path}: not a regular file ({kind}); "
                                     "a routine is a TOML file")


def test_a_symlink_loop_is_not_reported_as_missing(tmp_path: Path) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    with pytest.raises(RoutineError) as caught:
        resolve_routine(str(loop))
    assert "symbolic links" in str(caught.value)
    assert "no such file" not in str(caught.value)


def test_a_huge_integer_is_one_clear_error() -> None:
    with pytest.raises(RoutineError) as caught:
        parse_routine(GOOD.replace("hold = 20", "hold = 1" + "0" * 5000))
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


# ----- text: no control characters; braces only where a side is filled in ----------------

TEXT_FIELDS = {
    "name": ('name = "mine"', 'name = "mi{}ne"'),
    "title": ('title = "My routine"', 'title = "My{}routine"'),
    "description": ('title = "My routine"', 'title = "My routine"\ndescription = "a{}b"'),
    "source": ('title = "My routine"', 'title = "My routine"\nsource = "a{}b"'),
    "exercise name": ('name = "Neck roll"', 'name = "Neck{}roll"'),
    "purpose": ('purpose = "Loosens the neck."', 'purpose = "Loosens{}the neck."'),
    "summary": ('summary = "Smaller circles."', 'summary = "Smaller{}circles."'),
    "text": ('text = "Tilt your head', 'text = "Tilt{}your head'),
    "easier": ("hold = 20", 'hold = 20\neasier = "Tilt{}less."'),
    "letter": ("hold = 20", 'hold = 20\nletter = "A{}"'),
    "sides": ('sides = ["right", "left"]', 'sides = ["right", "le{}ft"]'),
}


@pytest.mark.parametrize("field", sorted(TEXT_FIELDS))
@pytest.mark.parametrize("char", ["\\u001b", "\\u001b[2J", "\\n", "\\r", "\\u0000", "\\t",
                                  "\\u007f", "\\u0085", "\\u009b"])
def test_control_characters_are_refused_in_every_text_field(field: str, char: str) -> None:
    old, new = TEXT_FIELDS[field]
    with pytest.raises(RoutineError) as caught:
        parse_routine(GOOD.replace(old, new.replace("{}", char)), "r.toml")
    message = str(caught.value)
    key = {"exercise name": "name"}.get(field, field)
    assert f"field '{key}'" in message and "(U+00" in message, message
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", message), repr(message)


def test_error_messages_never_carry_control_characters() -> None:
    text = GOOD.replace("hodl", "x").replace("hold = 20", 'hold = 20\n"\\u001b[2J" = 1')
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.toml")
    assert "unknown key" in str(caught.value)
    assert "\x1b" not in str(caught.value) and "\\x1b" in str(caught.value)


@pytest.mark.parametrize("field", ["name", "title", "description", "source", "exercise name",
                                   "purpose", "summary", "letter", "sides"])
def test_placeholders_are_refused_where_no_side_is_filled_in(field: str) -> None:
    old, new = TEXT_FIELDS[field]
    with pytest.raises(RoutineError) as caught:
        parse_routine(GOOD.replace(old, new.replace("{}", " {side} ")), "r.toml")
    assert "cannot use {side} or {other}" in str(caught.value)


def test_placeholders_in_switch_text_are_refused() -> None:
    text = GOOD + '\n[[exercises.steps]]\ntext = "Now the {side} side."\nswitch = true\n'
    with pytest.raises(RoutineError, match=r"step 2, field 'text': cannot use \{side\}"):
        parse_routine(text)


@pytest.mark.parametrize("broken", ["Do {side.", "Do side}.", "Do {{side}}.", "}{side}{",
                                    "Do {side}{."])
def test_malformed_braces_are_refused(broken: str) -> None:
    with pytest.raises(RoutineError, match="unmatched brace"):
        parse_routine(GOOD.replace("Tilt your head to the {side}.", broken))


@pytest.mark.parametrize("bad", ["{sidee}", "{}", "{ side }", "{Side}"])
def test_unknown_placeholders_are_refused(bad: str) -> None:
    with pytest.raises(RoutineError, match="unknown placeholder"):
        parse_routine(GOOD.replace("{side}", bad))


def test_placeholders_in_easier_text_need_sides() -> None:
    text = GOOD.replace('sides = ["right", "left"]\n', "").replace(
        'text = "Tilt your head to the {side}."', 'text = "Tilt."\neasier = "Less {other}."')
    with pytest.raises(RoutineError, match=re.escape("field 'easier': uses {side}/{other} but")):
        parse_routine(text)


def test_filled_placeholders_are_spoken_filled() -> None:
    routine = parse_routine(GOOD.replace("hold = 20", 'hold = 20\neasier = "Less, {other}."'))
    step = routine.exercises[0].steps[0]
    assert step.spoken(easier=True, side="right") == "Less, left."


SWITCH = '\n[[exercises.steps]]\ntext = "Switch."\nswitch = true\n'


def test_headers_with_comments_and_spaces_still_give_the_step_its_line() -> None:
    """TOML allows ``[[ exercises.steps ]]  # note``; the README's template has such
    comments, so an error in its second step must not fall back to the exercise's line."""
    second = SWITCH.replace("[[exercises.steps]]", "[[ exercises.steps ]]  # the last one")
    text = GOOD.replace("[[exercises]]", "[[exercises]]   # neck") + second.replace(
        "switch = true", "switch = true\nhold = 5")
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.toml")
    assert str(caught.value).startswith("r.toml:19: exercise 1 (Neck roll), step 2, field "), (
        caught.value)


def test_a_second_switch_step_is_refused() -> None:
    with pytest.raises(RoutineError) as caught:
        parse_routine(GOOD + SWITCH + SWITCH.replace("Switch.", "Again."), "r.toml")
    message = str(caught.value)
    assert message.startswith("r.toml:22: exercise 1 (Neck roll), step 3, field 'switch': "
                              "a second switch step (step 2 is one already)"), message


@pytest.mark.parametrize(("extra", "problem"), [
    ("hold = 30", "cannot have 'hold', 'reps' or 'easier'"),
    ('easier = "x"', "cannot have 'hold', 'reps' or 'easier'"),
])
def test_a_switch_step_is_only_said(extra: str, problem: str) -> None:
    with pytest.raises(RoutineError, match=re.escape(problem)):
        parse_routine(GOOD + SWITCH + extra + "\n")


def test_a_switch_step_needs_two_sides() -> None:
    with pytest.raises(RoutineError, match="two or more 'sides'"):
        parse_routine(GOOD.replace('["right", "left"]', '["right"]') + SWITCH)


# ----- size caps -----------------------------------------------------------------------


def exercise_block(steps: int, name: str = "Ex") -> str:
    block = f'\n[[exercises]]\nname = "{name}"\npurpose = "P."\n[exercises.easier]\n' \
            'summary = "S."\n'
    return block + '[[exercises.steps]]\ntext = "Go."\nhold = 5\n' * steps


def test_routines_at_the_size_caps_load() -> None:
    text = 'name = "big"\ntitle = "Big"\n' + "".join(
        exercise_block(50, f"Ex {number}") for number in range(200))
    routine = parse_routine(text)
    assert len(routine.exercises) == 200 and len(routine.exercises[-1].steps) == 50


def test_an_exercise_over_the_cap_is_refused_at_its_line() -> None:
    text = 'name = "big"\ntitle = "Big"\n' + exercise_block(1) * 201
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "big.toml")
    line = 2 + 9 * 200 + 2
    assert text.split("\n")[line - 1] == "[[exercises]]"
    assert str(caught.value).startswith(f"big.toml:{line}: exercise 201: one exercise too "
                                        "many: a routine has at most 200 (this one has 201)")


def test_a_step_over_the_cap_is_refused() -> None:
    text = 'name = "big"\ntitle = "Big"\n' + exercise_block(51)
    with pytest.raises(RoutineError, match="step 51: one step too many: an exercise has at "
                                           "most 50 steps"):
        parse_routine(text)


def test_too_many_sides_and_a_side_named_twice_are_refused() -> None:
    with pytest.raises(RoutineError, match="at most 4 sides, got 5"):
        parse_routine(GOOD.replace('["right", "left"]', '["a", "b", "c", "d", "e"]'))
    with pytest.raises(RoutineError, match="names a side twice"):
        parse_routine(GOOD.replace('["right", "left"]', '["right", "right"]'))


def test_an_empty_sides_list_is_its_own_error_at_its_line(tmp_path: Path) -> None:
    """Not "uses {side}/{other} but the exercise has no 'sides'", on the step's text."""
    path = write(tmp_path, GOOD.replace('["right", "left"]', "[]"))
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert str(caught.value) == (
        f"{path}:7: exercise 1 (Neck roll), field 'sides': an empty list; leave it out for "
        'an exercise with no sides, or name its sides, e.g. ["right", "left"]')
    no_side = GOOD.replace("the {side}", "one side")
    path = write(tmp_path, no_side.replace('["right", "left"]', "[]"))
    with pytest.raises(RoutineError, match="field 'sides': an empty list"):
        load_routine(path)
    path = write(tmp_path, no_side.replace('sides = ["right", "left"]\n', ""))
    assert load_routine(path).exercises[0].sides == ()


def test_text_over_its_length_cap_is_refused() -> None:
    with pytest.raises(RoutineError, match="field 'text': is 2001 characters long; at most"):
        parse_routine(GOOD.replace("Tilt your head to the {side}.", "x" * 2001))
    with pytest.raises(RoutineError, match="field 'name': is 201 characters long; at most"):
        parse_routine(GOOD.replace('"Neck roll"', '"' + "x" * 201 + '"'))


README = Path(__file__).resolve().parents[1] / "README.md"


def readme_blocks(language: str) -> list[str]:
    """The README's fenced blocks of ``language`` ("" for plain ones)."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", README.read_text(), re.M | re.S)
    return [text for lang, text in blocks if lang == language]


def test_the_readmes_routine_template_is_a_good_file_and_its_error_is_the_one_quoted() -> None:
    template = readme_blocks("toml")[0]  # the second is a piece of an imported file
    routine = parse_routine(template, "my-routine.toml")
    assert [e.name for e in routine.exercises] == ["Neck tilt"]
    broken = re.sub(r"^hold = true ", "hold = -5   ", template, flags=re.M)
    with pytest.raises(RoutineError) as caught:
        parse_routine(broken, "my-routine.toml")
    quoted = next(line for block in readme_blocks("") for line in block.splitlines()
                  if line.startswith("voicecoach: my-routine.toml:"))
    assert quoted == f"voicecoach: {caught.value}"


@pytest.mark.parametrize(("text", "line", "problem"), [
    ("", None, "the file is empty"),
    ("  \n\n", None, "the file is empty"),
    ('format = "1"\n' + GOOD, 1, "field 'format': must be the number 1 (no quotes), got '1'"),
    ("format = 2\n" + GOOD, 1, "field 'format': unsupported format 2 (this voicecoach reads 1)"),
    (GOOD.replace('title = "My routine"', 'title = "My routine'), 2,
     'TOML syntax error: text in quotes is not closed on its line (a " missing?)'),
    (GOOD.replace('title = "My routine"', 'title = "My routine"\ntitle = "Again"'), 3,
     "TOML syntax error: a key given twice in the same table"),
    (GOOD.replace("[[exercises]]", "[exercises]").split("[[exercises.steps]]")[0], 4,
     "field 'exercises': each exercise is a [[exercises]] table, with two brackets"),
    (GOOD.replace('summary = "Smaller circles."', 'summary = "Smaller circles."\nfoo = 1'), 11,
     "exercise 1 (Neck roll), field 'foo': unknown key in [exercises.easier] (known keys: "
     "from_article, summary)"),
    (GOOD.replace('summary = "Smaller circles."', 'summary = "Turn {only}."'), 10,
     "field 'summary': unknown placeholder {only} (and none is allowed here: only a step's "
     "text and easier text take {side} or {other})"),
], ids=["empty", "blank", "format text", "format 2", "unclosed", "twice", "one bracket",
        "easier key", "placeholder"])
def test_common_slips_are_told_in_plain_words_at_their_line(
        text: str, line: int | None, problem: str) -> None:
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.toml")
    where = f"r.toml:{line}: " if line else "r.toml: "
    assert str(caught.value).startswith(where) and str(caught.value).endswith(problem), (
        caught.value)


@pytest.mark.parametrize(("text", "line", "problem"), [
    (GOOD.replace("purpose =", "purpse ="), 6,
     "exercise 1 (Neck roll), field 'purpse': unknown key (known keys: easier, name, "
     "purpose, sides, steps); did you mean 'purpose'?"),
    ("hold_second = 30\n" + GOOD, 1,
     "field 'hold_second': unknown key (known keys: description, exercises, format, "
     "hold_seconds, name, rep_seconds, reps, rest_seconds, source, title); did you mean "
     "'hold_seconds'?"),
    (GOOD.replace('summary = "Smaller circles."', 'sumary = "Smaller circles."'), 10,
     "field 'sumary': unknown key in [exercises.easier] (known keys: from_article, "
     "summary); did you mean 'summary'?"),
], ids=["purpose", "hold_seconds", "summary"])
def test_a_misspelt_key_is_named_with_the_key_meant(
        tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert str(caught.value).startswith(f"{path}:{line}: "), caught.value
    assert str(caught.value).endswith(problem), caught.value


def test_check_takes_several_routines_and_names_by_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from voicecoach.cli.main import main
    from voicecoach.cli.status import ExitStatus

    good = write(tmp_path, GOOD)
    broken = tmp_path / "broken.toml"
    broken.write_text(GOOD.replace("hold = 20", "hold = -5"))
    status = main(["check", "back-pain", str(broken), str(good)])
    out, err = capsys.readouterr()
    assert status is ExitStatus.BAD_INPUT
    assert [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")] == [
        "back-pain", str(good)]
    assert err.startswith(f"voicecoach: {broken}:14: exercise 1 (Neck roll), step 1, ")


# ----- slips told in plain words ----------------------------------------------------------


def error_of(text: str) -> str:
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.toml")
    return str(caught.value)


UNREADABLE = " is not a number a routine file can read; "


@pytest.mark.parametrize(("old", "new", "message"), [
    ("hold = 20", "hold = 30s",
     "r.toml:14: field 'hold': 30s" + UNREADABLE + "write the seconds as a plain number: "
     "hold = 30"),
    ("hold = 20", "hold = 1:00  # a minute",
     "r.toml:14: field 'hold': 1:00" + UNREADABLE + "write the seconds as a plain number: "
     "hold = 60"),
    ("hold = 20", "hold = 1 min 30 s",
     "r.toml:14: field 'hold': 1 min 30 s" + UNREADABLE + "write the seconds as a plain "
     "number: hold = 90"),
    ("hold = 20", "reps = 10x",
     "r.toml:14: field 'reps': 10x" + UNREADABLE + "write the count as a plain number: "
     "reps = 10"),
    ('title = "My routine"', 'title = "My routine"\nrest_seconds = 1.5 minutes',
     "r.toml:3: field 'rest_seconds': 1.5 minutes" + UNREADABLE + "write the seconds as a "
     "plain number: rest_seconds = 90"),
    ("hold = 20", "reps = 30s",
     "r.toml:14: field 'reps': 30s" + UNREADABLE + "numbers are written plain, without a "
     "unit or a colon"),
    ('name = "Neck roll"', "name = 2 min",
     "r.toml:5: field 'name': 2 min is not a value a routine file can read; text is written "
     'in quotes: name = "2 min"'),
], ids=["30s", "1:00", "1 min 30 s", "10x", "1.5 minutes", "unit of another field",
        "a text field"])
def test_a_number_with_a_unit_or_a_clock_time_says_the_number_to_write(
        old: str, new: str, message: str) -> None:
    assert error_of(GOOD.replace(old, new)) == message


QUOTED_HOLD = "must be a number from 1 to 1800 seconds (30 minutes), got "
PLAIN = " (a number, no quotes or units)"


@pytest.mark.parametrize(("old", "new", "message"), [
    ('title = "My routine"', 'title = "My routine"\nhold_seconds = "60"',
     f"r.toml:3: field 'hold_seconds': {QUOTED_HOLD}'60'; write hold_seconds = 60{PLAIN}"),
    ("hold = 20", 'hold = "30s"', "r.toml:14: exercise 1 (Neck roll), step 1, field "
     f"'hold': {QUOTED_HOLD}'30s'; write hold = 30{PLAIN}"),
    ("hold = 20", 'hold = "1:00"', "r.toml:14: exercise 1 (Neck roll), step 1, field "
     f"'hold': {QUOTED_HOLD}'1:00'; write hold = 60{PLAIN}"),
    ("hold = 20", 'reps = "10x"', "r.toml:14: exercise 1 (Neck roll), step 1, field "
     f"'reps': must be a whole number from 1 to 500, got '10x'; write reps = 10{PLAIN}"),
    ('title = "My routine"', 'title = "My routine"\nrep_seconds = "2.5"',
     "r.toml:3: field 'rep_seconds': must be a number from 0.5 to 60 seconds, got '2.5'; "
     f"write rep_seconds = 2.5{PLAIN}"),
    ('title = "My routine"', 'title = "My routine"\nhold_seconds = "99999"',
     f"r.toml:3: field 'hold_seconds': {QUOTED_HOLD}'99999'"),
    ("hold = 20", 'hold = "a while"', "r.toml:14: exercise 1 (Neck roll), step 1, field "
     f"'hold': {QUOTED_HOLD}'a while'"),
    ("hold = 20", 'reps = "1:00"', "r.toml:14: exercise 1 (Neck roll), step 1, field "
     "'reps': must be a whole number from 1 to 500, got '1:00'"),
], ids=["60", "30s", "1:00", "10x", "2.5", "out of bounds", "no number", "a time as reps"])
def test_a_number_in_quotes_says_the_number_to_write_when_it_is_one_allowed(
        old: str, new: str, message: str) -> None:
    assert error_of(GOOD.replace(old, new)) == message


CURLY = 'curly quotes (“ ”): write straight quotes, "…"'


@pytest.mark.parametrize(("old", "new", "message"), [
    ('"Loosens the neck."', "“Loosens the neck.”", f"r.toml:6: field 'purpose': {CURLY}"),
    ('"Loosens the neck."', "‘Loosens the neck.’",
     "r.toml:6: field 'purpose': curly quotes (‘ ’): write straight quotes, \"…\""),
    ('["right", "left"]', "[“right”, “left”]", f"r.toml:7: field 'sides': {CURLY}"),
    ('"Loosens the neck."', '"Loosens the neck.”', f"r.toml:6: field 'purpose': {CURLY}"),
], ids=["double", "single", "in a list", "closing only"])
def test_curly_quotes_are_named(old: str, new: str, message: str) -> None:
    assert error_of(GOOD.replace(old, new)) == message


def test_curly_quotes_inside_straight_ones_are_text() -> None:
    routine = parse_routine(GOOD.replace('"Loosens the neck."', '"Loosens the “neck”."'))
    assert routine.exercises[0].purpose == "Loosens the “neck”."


SECOND = GOOD.split("\n", 3)[3].replace("Neck roll", "Neck tilt")
"""GOOD's exercise again, as a second exercise named Neck tilt (it starts at line 16)."""


@pytest.mark.parametrize(("header", "message"), [
    ("[[exercise]]", "[[exercise]]: not a table a routine file has; did you mean "
                     "[[exercises]]?"),
    ("[[ Exercises ]]  # the second", "[[Exercises]]: not a table a routine file has; did "
                                      "you mean [[exercises]]?"),
])
def test_a_misspelt_table_is_named_at_its_own_line(header: str, message: str) -> None:
    """tomllib fails later, at [exercises.easier], with a Python tuple; the slip is the
    header's."""
    text = GOOD + "\n" + SECOND.replace("[[exercises]]", header, 1)
    assert text.split("\n")[15] == header
    assert error_of(text) == f"r.toml:16: {message}"


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("[[exercises]]", "[[exercise]]", 4, "[[exercise]]: not a table a routine file has; did "
                                         "you mean [[exercises]]?"),
    ("[exercises.easier]", "[exercise.easier]", 9, "[exercise.easier]: not a table a routine "
                                                   "file has; did you mean [exercises.easier]?"),
    ("[[exercises.steps]]", "[[steps]]", 12, "[[steps]]: not a table a routine file has; did "
                                            "you mean [[exercises.steps]]?"),
    ('title = "My routine"', 'title = "My routine"\n[settings]\nx = 1', 3,
     "[settings]: not a table a routine file has (its tables are [[exercises]], with "
     "[exercises.easier] and [[exercises.steps]])"),
    ("[[exercises]]", "[exercise]", 4, "[exercise]: not a table a routine file has; did "
                                       "you mean [[exercises]]?"),
], ids=["exercise", "exercise.easier", "steps", "settings", "one bracket"])
def test_an_unknown_table_in_valid_toml_is_named_at_its_own_line(
        old: str, new: str, line: int, message: str) -> None:
    assert error_of(GOOD.replace(old, new)) == f"r.toml:{line}: {message}"


@pytest.mark.parametrize("quotes", ['"""', "'''"])
def test_a_header_like_line_inside_a_long_string_is_text_not_a_table(quotes: str) -> None:
    """A line of a multi-line string that reads "[note]" is not the file's slip."""
    long_purpose = f"purpose = {quotes}Loosens the neck.\n[note]\nGo gently.{quotes}"
    text = GOOD.replace('purpose = "Loosens the neck."', long_purpose)
    assert error_of(text).startswith("r.toml:6: exercise 1 (Neck roll), field 'purpose': "
                                     "contains a line break")
    broken = text.replace("hold = 20", "hold = = 20")
    assert error_of(broken).startswith("r.toml:16: TOML syntax error")


@pytest.mark.parametrize(("text", "line", "problem"), [
    (GOOD.replace("[exercises.easier]", "[exercises.easier]\n[exercises.easier]"), 10,
     "the table [exercises.easier] is given twice"),
    (GOOD + '\n[exercises."a b"]\n[exercises."a b"]\n', 17,
     'the table [exercises."a b"] is given twice'),
    (GOOD + "\n[exercises]\n", 16,
     "[exercises], with one bracket, after [[exercises]]: each is a [[exercises]] table, "
     "with two brackets"),
    (GOOD.replace("sides =", "steps = []\nsides ="), 13,
     "[[exercises.steps]]: exercises.steps is already given whole, with { } or [ ]; it "
     "cannot be added to"),
    (GOOD + "\n[exercises.x.y]\n[exercises.x]\ny.z = 1\n", 18,
     "exercises.x.y is already the table [exercises.x.y]; a dotted key cannot add to it"),
], ids=["declared twice", "quoted key", "one bracket after two", "immutable", "redefined"])
def test_tables_given_twice_are_named_as_the_file_writes_them(
        text: str, line: int, problem: str) -> None:
    message = error_of(text)
    assert message == f"r.toml:{line}: TOML syntax error: {problem}"
    assert not re.search(r"\('", message)  # never a Python tuple


def test_a_file_that_is_not_utf8_names_the_line_and_byte_offset(tmp_path: Path) -> None:
    data = GOOD.encode().replace(b"Loosens", "Lösens".encode("latin-1"))
    path = tmp_path / "latin1.toml"
    path.write_bytes(data)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    offset = data.index(b"\xf6")
    assert str(caught.value) == (f"{path}:6: not UTF-8 text (at byte offset {offset} of the "
                                 "file; save it as UTF-8)")


# ----- each exercise its own name ---------------------------------------------------------


@pytest.mark.parametrize(("name", "also"), [
    ("Neck roll", ""),
    (" neck  ROLL ", ", as 'Neck roll'"),
], ids=["same", "capitals and spaces"])
def test_two_exercises_of_one_name_are_refused_at_the_second(name: str, also: str) -> None:
    third = SECOND.replace('"Neck tilt"', f'"{name}"')
    text = GOOD + "\n" + SECOND + "\n" + third
    assert text.split("\n")[28] == f'name = "{name}"'
    assert error_of(text) == (
        f"r.toml:29: exercise 3 ({name.strip()}), field 'name': the name is already used by "
        f"exercise 1 (line 5{also}); each exercise needs its own name")


def test_every_routine_file_in_the_tests_and_the_readme_has_its_own_names() -> None:
    """The rule breaks no routine the project ships or shows: the built-in ones, the
    README's template and the TOML written out in the tests."""
    texts = [resolve_routine(name) for name in builtin_names()]
    checked = [parse_routine(readme_blocks("toml")[0]), *texts]
    tests = Path(__file__).parent
    for path in sorted(tests.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if (isinstance(text, str) and re.search(r"^\[\[exercises\]\]$", text, re.M)
                    and re.search(r"^title = ", text, re.M)):
                checked.append(parse_routine(text, str(path)))
    assert len(checked) > 10


# ----- every exercise at fault named --------------------------------------------------------


def test_check_names_the_first_problem_of_every_exercise_at_fault(tmp_path: Path) -> None:
    """Not only the first: a person fixes them all in one go. A session refuses the file
    with its first problem and says how many more there are."""
    text = (GOOD.replace("hold = 20", "hold = -5") + "\n" + SECOND + "\n"
            + SECOND.replace("Neck tilt", "Neck turn").replace("hold = 20", "hold = 0"))
    path = write(tmp_path, text)
    lines = text.split("\n")
    assert (lines[13], lines[37]) == ("hold = -5", "hold = 0")
    check = subprocess.run([sys.executable, "-m", "voicecoach", "check", str(path)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 2
    problems = check.stderr.splitlines()
    assert [problem.split(": ", 3)[2] for problem in problems] == [
        "exercise 1 (Neck roll), step 1, field 'hold'",
        "exercise 3 (Neck turn), step 1, field 'hold'"]
    assert problems[0].startswith(f"voicecoach: {path}:14: ")
    assert problems[1].startswith(f"voicecoach: {path}:38: ")
    run = subprocess.run([sys.executable, "-m", "voicecoach", "run", str(path), "--no-tui"],
                         capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert run.returncode == 2
    assert run.stderr == (f"{problems[0]} (and 1 more problem: voicecoach check "
                          f"{path} names it)\n")


def problems_of(text: str) -> list[str]:
    """Every problem parse_routine finds in ``text``, the first and its others."""
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.toml")
    return [str(problem) for problem in (caught.value, *caught.value.others)]


DUPLICATE = ("r.toml:17: exercise 2 (Neck roll), field 'name': the name is already used "
             "by exercise 1 (line 5); each exercise needs its own name")
"""GOOD + SECOND named as GOOD's exercise: the second's name refused."""


def test_an_exercise_at_fault_still_has_its_name_compared(tmp_path: Path) -> None:
    """Exercise 1's hold at fault hid that exercise 2 has its name: one pass names both,
    each at its line and field, and a session refusing the file counts the second."""
    text = GOOD.replace("hold = 20", "hold = 0") + "\n" + SECOND.replace("Neck tilt",
                                                                         "Neck roll")
    assert problems_of(text) == [
        "r.toml:14: exercise 1 (Neck roll), step 1, field 'hold': must be positive, got 0 "
        "(allowed: from 1 to 1800 seconds, that is up to 30 minutes)", DUPLICATE]
    path = write(tmp_path, text)
    check = subprocess.run([sys.executable, "-m", "voicecoach", "check", str(path)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 2 and check.stdout == ""
    assert [line.split(": ", 2)[1:] for line in check.stderr.splitlines()] == [
        [f"{path}:14", "exercise 1 (Neck roll), step 1, field 'hold': must be positive, got 0 "
                       "(allowed: from 1 to 1800 seconds, that is up to 30 minutes)"],
        [f"{path}:17", DUPLICATE.split(": ", 1)[1]]]


def test_an_exercise_with_a_fault_and_a_name_used_before_gets_both_in_line_order() -> None:
    """Its own fault and its name are two things to fix; the name, on an earlier line, first."""
    text = GOOD + "\n" + SECOND.replace("Neck tilt", "Neck roll").replace("hold = 20",
                                                                          "hold = -5")
    assert problems_of(text) == [
        DUPLICATE,
        "r.toml:26: exercise 2 (Neck roll), step 1, field 'hold': must be positive, got -5 "
        "(allowed: from 1 to 1800 seconds, that is up to 30 minutes)"]


def test_a_name_at_fault_is_not_compared_again() -> None:
    """Two exercises with one name too long: each its own fault, no line about the name
    being used twice (fixing the length fixes that)."""
    long = "N" * 201
    text = GOOD.replace("Neck roll", long) + "\n" + SECOND.replace("Neck tilt", long)
    assert [problem.split(": ", 2)[1] for problem in problems_of(text)] == [
        f"exercise 1 ({'N' * 60}…), field 'name'", f"exercise 2 ({'N' * 60}…), field 'name'"]


def test_the_routines_own_fault_and_its_exercises_faults_are_named_together() -> None:
    """A fault among the routine's own fields does not hide the exercises' (nor stand for
    theirs: a step's ``hold = true`` is not refused for the routine's ``hold_seconds``)."""
    text = ('hold_seconds = 0\n' + GOOD.replace("hold = 20", "hold = true") + "\n"
            + SECOND.replace("Neck tilt", "Neck roll").replace("hold = 20", "reps = 0"))
    assert problems_of(text) == [
        "r.toml:1: field 'hold_seconds': must be positive, got 0 (allowed: from 1 to 1800 "
        "seconds, that is up to 30 minutes)", DUPLICATE.replace(":17:", ":18:").replace(
            "line 5", "line 6"),
        "r.toml:27: exercise 2 (Neck roll), step 1, field 'reps': must be positive, got 0 "
        "(allowed: from 1 to 500)"]


def test_another_format_is_named_alone() -> None:
    """A file of another format is read no further: its exercises may be written otherwise."""
    text = "format = 2\n" + GOOD.replace("hold = 20", "hold = 0")
    assert problems_of(text) == [
        "r.toml:1: field 'format': unsupported format 2 (this voicecoach reads 1)"]
