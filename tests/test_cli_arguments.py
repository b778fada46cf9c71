"""The command line's arguments: a subcommand's options may stand anywhere among its
arguments, and every subcommand reads what it read before."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from voicecoach.cli.main import build_parser, main


@pytest.mark.parametrize(("argv", "expected"), [
    (["export", "r.toml", "--voice", "brisk", "o.wav"],
     {"routine": "r.toml", "out": Path("o.wav"), "voice": "brisk"}),
    (["export", "r.toml", "--force", "o.wav", "--hold", "short"],
     {"routine": "r.toml", "out": Path("o.wav"), "force": True, "hold": 60.0}),
    (["export", "--voice", "brisk", "r.toml", "o.wav"],
     {"routine": "r.toml", "out": Path("o.wav"), "voice": "brisk"}),
    (["export", "o.wav", "--reps", "3"], {"routine": "back-pain", "out": Path("o.wav"),
                                          "reps": 3}),
    (["check", "a.toml", "b.toml"], {"routines": ["a.toml", "b.toml"]}),
    (["run", "--voice", "brisk", "x.toml", "--mute"],
     {"routine": "x.toml", "voice": "brisk", "mute": True}),
    (["run"], {"routine": "back-pain", "no_tui": False}),
    (["import", "-o", "x.toml", "art.md"], {"article": Path("art.md"), "out": Path("x.toml")}),
    (["history", "--chart"], {"chart": True}),
    (["model", "install", "--force", "--from-zip", "z.zip"],
     {"model_command": "install", "force": True, "from_zip": Path("z.zip")}),
    (["listen", "--wav", "x.wav", "--json"], {"wav": Path("x.wav"), "json": True}),
    (["simulate", "--log", "l.jsonl", "r.toml", "--echo", "0.5"],
     {"routine": "r.toml", "log": Path("l.jsonl"), "echo": 0.5}),
])
def test_options_may_stand_anywhere(argv: list[str], expected: dict[str, Any]) -> None:
    args = vars(build_parser().parse_args(argv))
    assert args["command"] == argv[0]
    assert {key: args.get(key) for key in expected} == expected


@pytest.mark.parametrize(("argv", "problem"), [
    (["export", "a", "b", "c"], "unrecognized arguments: c"),
    (["export", "--voice", "brisk"], "the following arguments are required: OUT.wav"),
    (["routines", "x"], "unrecognized arguments: x"),
    (["simulate", "r.toml"], "the following arguments are required: --log"),
    (["model"], "the following arguments are required: ACTION"),
])
def test_wrong_arguments_are_still_refused(argv: list[str], problem: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        build_parser().parse_args(argv)
    assert ended.value.code == 2
    assert problem in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "usage", "problem"), [
    (["voices", "--voice", "x"], "usage: voicecoach voices [-h]",
     "voicecoach voices: error: no option --voice: voices takes none"),
    (["model", "install", "--forse"], "usage: voicecoach model install",
     "voicecoach model install: error: no option --forse; did you mean --force?"),
    (["export", "-o", "f.wav"], "usage: voicecoach export",
     "no option -o (the options of export: --voice, --hold, --reps, --tempo, --force)"),
    (["export", "r.toml", "o.wav", "--mp3"], "usage: voicecoach export", "no option --mp3 ("),
    (["run", "--vioce=calm"], "usage: voicecoach run", "did you mean --voice?"),
    (["export", "a", "b", "c"], "usage: voicecoach export",
     "voicecoach export: error: c: one argument too many for export"),
    (["export", "r.toml", "o.wav", "--", "--force"], "usage: voicecoach export",
     "voicecoach export: error: --force came after --, where every word is an argument; "
     "put it before --"),
    (["history", "--", "--foo"], "usage: voicecoach history",
     "voicecoach history: error: --foo: one argument too many for history (after --, every "
     "word is an argument)"),
])
def test_a_leftover_is_refused_by_its_own_subcommand(
        argv: list[str], usage: str, problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Not with the top-level usage and a bare "unrecognized arguments", as argparse does."""
    with pytest.raises(SystemExit) as ended:
        main(argv)
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert problem in err
    assert "unrecognized" not in err


@pytest.mark.parametrize(("argv", "expected"), [
    (["check", "--", "-x.toml"], {"routines": ["-x.toml"]}),
    (["import", "--", "-a.md"], {"article": Path("-a.md")}),
    (["export", "--voice", "brisk", "--", "-r.toml", "o.wav"],
     {"routine": "-r.toml", "out": Path("o.wav"), "voice": "brisk"}),
    (["run", "--mute", "--", "-weird.toml"], {"routine": "-weird.toml", "mute": True}),
])
def test_a_double_dash_still_ends_the_options(argv: list[str],
                                              expected: dict[str, Any]) -> None:
    """A file whose name starts with "-" is given after "--", as with any Unix tool."""
    args = vars(build_parser(intermixed=False).parse_args(argv))
    assert {key: args.get(key) for key in expected} == expected


def test_check_reads_a_file_named_with_a_dash_after_a_double_dash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    builtin = Path(__file__).resolve().parents[1] / "voicecoach/core/routines/back-pain.toml"
    Path("-mine.toml").write_text(builtin.read_text())
    assert main(["check", "--", "-mine.toml"]) == 0


@pytest.mark.parametrize(("option", "value", "problem"), [
    ("--hold", "0", "must be positive, got 0 "
                    "(allowed: from 1 to 1800 seconds, that is up to 30 minutes)"),
    ("--hold", "0.5", "must be from 1 to 1800 seconds (30 minutes), got 0.5"),
    ("--hold", "99999", "must be from 1 to 1800 seconds (30 minutes), got 99999"),
    ("--hold", "1e9", "must be from 1 to 1800 seconds (30 minutes), got 1e9"),
    ("--hold", "1000000000", "must be from 1 to 1800 seconds (30 minutes), got 1000000000"),
    ("--hold", "2.5e-7", "must be from 1 to 1800 seconds (30 minutes), got 2.5e-7"),
    ("--reps", "0", "must be positive, got 0 (allowed: from 1 to 500)"),
    ("--tempo", "100", "must be from 0.5 to 60 seconds, got 100"),
    ("--tempo", "1.5e20", "must be from 0.5 to 60 seconds, got 1.5e20"),
])
def test_an_override_out_of_bounds_is_one_line_with_the_number_as_written(
        option: str, value: str, problem: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """0 and 0.5 alike: the app's own line, not argparse's usage block."""
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path / "data"))
    assert main(["run", "--no-tui", "--mute", "--no-listen", option, value]) == 2
    assert capsys.readouterr().err == f"voicecoach: {option}: {problem}\n"


# --- a routine with no command, and a slip of a command's name ------------------------


@pytest.fixture
def no_session(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What ``run`` would have run, instead of a session."""
    import voicecoach.cli.wiring

    ran: list[Any] = []

    def run_session(options: Any) -> int:
        ran.append(options)
        return 0

    monkeypatch.setattr(voicecoach.cli.wiring, "run_session", run_session)
    return ran


@pytest.mark.parametrize("argv", [
    ["back-pain"], ["bp3.toml"], ["bp3.toml", "--mute"], ["Neck.TOML", "--hold", "long"],
])
def test_a_routine_alone_runs_it(argv: list[str], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch,
                                 no_session: list[Any]) -> None:
    """``voicecoach bp3.toml`` is ``voicecoach run bp3.toml`` (as ``voicecoach --mute``
    is ``voicecoach run --mute``); a .toml file not there is ``run``'s to report."""
    monkeypatch.chdir(tmp_path)
    Path("bp3.toml").write_text("")
    assert main(argv) == 0
    assert [options.routine for options in no_session] == [argv[0]]
    assert no_session[0].mute == ("--mute" in argv)


def test_a_routine_file_without_toml_in_its_name_runs_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_session: list[Any]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("neck").write_text("")
    assert main(["neck", "--mute"]) == 0
    assert [options.routine for options in no_session] == ["neck"]


def test_a_routine_file_not_there_is_reported_as_run_reports_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path / "data"))
    assert main(["bp3.toml", "--no-tui", "--mute", "--no-listen"]) == 2
    assert capsys.readouterr().err == (
        "voicecoach: bp3.toml: no such file or built-in routine (built-in: back-pain)\n")


@pytest.mark.parametrize(("word", "meant"), [
    ("runn", "; did you mean 'run'?"),
    ("histroy", "; did you mean 'history'?"),
    ("back-pian", "; did you mean 'back-pain', the built-in routine?"),
    ("neck", "; did you mean 'neck.toml'?"),
    ("neck.md", "; to make a routine of an article: voicecoach import neck.md"),
    ("my neck.md", "; to make a routine of an article: voicecoach import 'my neck.md'"),
    ("nek", ""),  # like "check" and "neck.toml" alike by difflib, neither meant
    ("xyzzy", ""),
])
def test_an_unknown_command_is_refused_with_what_it_likely_means(
        word: str, meant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], no_session: list[Any]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("neck.toml").write_text("")
    Path("neck.md").write_text("# Neck\n")
    Path("my neck.md").write_text("# Neck\n")
    with pytest.raises(SystemExit) as ended:
        main([word, "--mute"])
    assert ended.value.code == 2
    assert no_session == []
    err = capsys.readouterr().err
    assert err.startswith("usage: voicecoach [-h] [--version] COMMAND ...\n")
    assert err.endswith(
        f"voicecoach: error: argument COMMAND: invalid choice: {word!r} (choose from run, "
        "check, import, routines, voices, history, export, model, listen, simulate; or name "
        f"a routine to run: a built-in routine or a routine file){meant}\n")


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--version"]])
def test_the_programs_own_options_are_not_runs(argv: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(argv)
    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith(("usage: voicecoach [-h]", "voicecoach "))


# --- --hold's words ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "seconds"), [("short", 60), ("long", 120), ("Long", 120),
                                                ("90", 90), ("7.5", 7.5)])
def test_hold_takes_seconds_or_its_words(value: str, seconds: float) -> None:
    assert build_parser().parse_args(["run", "--hold", value]).hold == seconds


@pytest.mark.parametrize(("value", "problem"), [
    ("medium", "argument --hold: must be a number of seconds, 'short' (60 s) or 'long' "
               "(120 s), got 'medium'\n"),
    ("lnog", "argument --hold: must be a number of seconds, 'short' (60 s) or 'long' "
             "(120 s), got 'lnog'; did you mean 'long'?\n"),
])
def test_a_hold_that_is_no_number_says_the_words_it_takes(
        value: str, problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        build_parser().parse_args(["run", "--hold", value])
    assert ended.value.code == 2
    assert capsys.readouterr().err.endswith(f"voicecoach run: error: {problem}")


# --- help and the README agree ------------------------------------------------------------


def readme_synopsis() -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("voicecoach run [ROUTINE|FILE]")
    return readme[start:readme.index("```", start)]


@pytest.mark.parametrize("argv", [["run"], ["listen"], ["simulate"], ["model", "install"],
                                  ["model", "info"]])
def test_help_names_the_arguments_as_the_readme_does(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """--model DIR and --from-zip ZIP, as the README's synopsis writes them."""
    with pytest.raises(SystemExit):
        build_parser().parse_args([*argv, "--help"])
    usage = " ".join(capsys.readouterr().out.split("\n\n")[0].split())
    options = re.findall(r"\[(--[a-z-]+ [^\]\[]+)\]", usage)
    assert options
    synopsis = " ".join(readme_synopsis().split())
    for option in options:
        assert option in synopsis, option
    if "model" in argv or "--model" in usage:
        assert "[--model DIR]" in usage
