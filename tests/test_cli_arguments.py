"""The command line's arguments: a subcommand's options may stand anywhere among its
arguments, and every subcommand reads what it read before."""

from __future__ import annotations

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
    ("--hold", "0", "must be positive, got 0 (allowed: from 1 to 1800 seconds (30 minutes))"),
    ("--hold", "0.5", "must be from 1 to 1800 seconds (30 minutes), got 0.5"),
    ("--hold", "99999", "must be from 1 to 1800 seconds (30 minutes), got 99999"),
    ("--reps", "0", "must be positive, got 0 (allowed: from 1 to 500)"),
    ("--tempo", "100", "must be from 0.5 to 60 seconds, got 100"),
])
def test_an_override_out_of_bounds_is_one_line_with_the_number_as_written(
        option: str, value: str, problem: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """0 and 0.5 alike: the app's own line, not argparse's usage block."""
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path / "data"))
    assert main(["run", "--no-tui", "--mute", "--no-listen", option, value]) == 2
    assert capsys.readouterr().err == f"voicecoach: {option}: {problem}\n"
