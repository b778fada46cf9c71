"""Nothing a user owns is written over: import, export and simulate refuse, with one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.routines import TINY_ROUTINE
from voicecoach.cli.main import main
from voicecoach.storage.eventlog import read_log
from voicecoach.storage.routine_files import load_routine

ARTICLE = """\
# Morning stretches

## Cat-cow
Loosens the spine.

1. Start on all fours.
2. Round your back, then let it sag, 10 times.

## Child's pose
Rests the lower back.

1. Sit back on your heels.
2. Hold for 30 seconds.
"""




def test_import_writes_a_routine_that_check_accepts(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "morning.md"
    article.write_text(ARTICLE)
    out = tmp_path / "morning.toml"
    assert main(["import", str(article), "-o", str(out)]) == 0
    routine = load_routine(out)
    assert [e.name for e in routine.exercises] == ["Cat-cow", "Child's pose"]
    assert "Wrote" in capsys.readouterr().err
    assert main(["check", str(out)]) == 0


def test_import_and_check_say_one_exercise_and_one_step_in_the_singular(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "one.md"
    article.write_text("# One stretch\n\n## Child's pose\n\n1. Sit back on your heels and "
                       "hold for 30 seconds.\n")
    out = tmp_path / "one.toml"
    assert main(["import", str(article), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Imported 1 exercise into routine" in err
    assert "Child's pose: 1 step (1);" in err
    assert main(["check", str(out)]) == 0
    assert ": 1 exercise, about " in capsys.readouterr().out


def test_import_refuses_to_replace_a_file_without_force(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "morning.md"
    article.write_text(ARTICLE)
    mine = tmp_path / "mine.toml"
    mine.write_text("my own notes\n")
    assert main(["import", str(article), "-o", str(mine)]) == 2
    assert mine.read_text() == "my own notes\n"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("voicecoach: ") and "--force" in err[0]
    assert main(["import", str(article), "-o", str(mine), "--force"]) == 0
    assert load_routine(mine).exercises


def test_import_never_writes_over_the_article(tmp_path: Path) -> None:
    article = tmp_path / "morning.md"
    article.write_text(ARTICLE)
    assert main(["import", str(article), "-o", str(article), "--force"]) == 2
    assert article.read_text() == ARTICLE


def test_import_of_text_without_exercises_says_so(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "news.txt"
    article.write_text("The weather was fine today. Nothing else happened.\n")
    assert main(["import", str(article)]) == 2
    assert "no exercises found" in capsys.readouterr().err


def test_export_with_only_a_routine_file_does_not_overwrite_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routine = tmp_path / "my-routine.toml"
    text = (Path(__file__).parents[1] / "voicecoach/core/routines/back-pain.toml").read_text()
    routine.write_text(text)
    assert main(["export", str(routine)]) == 2
    assert routine.read_text() == text
    assert capsys.readouterr().err == (f"voicecoach: {routine}: names a routine, not the WAV "
                                       f"to write; give both: voicecoach export {routine} "
                                       "my-routine.wav\n")


@pytest.mark.parametrize(("args", "problem"), [
    (["back-pain"], "back-pain: names a routine, not the WAV to write; give both: "
                    "voicecoach export back-pain back-pain.wav"),
    (["back-pain", "my session.mp3"],
     "my session.mp3: export writes WAV audio only; write my session.wav and convert it "
     "(e.g. ffmpeg -i 'my session.wav' 'my session.mp3')"),
    (["back-pain", "out"], "out: export writes WAV audio, so OUT must end in .wav: "
                           "e.g. out.wav"),
])
def test_export_wants_a_wav_to_write(args: list[str], problem: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", *args]) == 2
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().err == f"voicecoach: {problem}\n"


@pytest.mark.parametrize("gain", ["50", "-0.1", "nan"])
def test_simulate_refuses_an_echo_gain_out_of_range(
        gain: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "sim.jsonl"
    with pytest.raises(SystemExit) as exited:
        main(["simulate", "--echo", gain, "--log", str(log)])
    assert exited.value.code == 2
    assert "argument --echo: must be from 0 (no echo) to 1" in capsys.readouterr().err
    assert not log.exists()


def test_simulate_refuses_the_apps_canceller_with_no_echo(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "sim.jsonl"
    assert main(["simulate", "--app-canceller", "--log", str(log)]) == 2
    assert "--app-canceller cancels the narrator's echo, and there is none" in (
        capsys.readouterr().err)
    assert not log.exists()


def test_export_and_import_say_a_missing_folder_before_any_work(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "nodir" / "sub"
    assert main(["export", "back-pain", str(folder / "o.wav")]) == 2
    assert capsys.readouterr().err == f"voicecoach: {folder}: no such folder; create it first\n"
    article = tmp_path / "morning.md"
    article.write_text(ARTICLE)
    assert main(["import", str(article), "-o", str(folder / "m.toml")]) == 2
    assert capsys.readouterr().err == f"voicecoach: {folder}: no such folder; create it first\n"
    assert not (tmp_path / "nodir").exists()


def test_export_says_a_file_in_the_way_of_its_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes").write_text("mine")
    assert main(["export", "back-pain", str(tmp_path / "notes" / "sub" / "o.wav")]) == 2
    assert capsys.readouterr().err == (f"voicecoach: {tmp_path / 'notes'}: is a file, not a "
                                       "folder; choose another place for o.wav\n")


def test_export_says_a_folder_it_cannot_write_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as root can write anywhere
    assert main(["export", "back-pain", str(tmp_path / "o.wav")]) == 2
    assert capsys.readouterr().err == (f"voicecoach: {tmp_path}: cannot write in this folder; "
                                       "choose another\n")


def test_export_tries_the_folder_where_permissions_say_yes_but_files_cannot_be_made(
        capsys: pytest.CaptureFixture[str]) -> None:
    """/proc takes no new files, even from root: said before a minute of rendering."""
    assert main(["export", "back-pain", "/proc/o.wav"]) == 2
    assert capsys.readouterr().err == "voicecoach: /proc: cannot write in this folder; " \
                                      "choose another\n"


def test_export_refuses_an_existing_wav_without_force(tmp_path: Path) -> None:
    out = tmp_path / "session.wav"
    out.write_bytes(b"mine")
    assert main(["export", "back-pain", str(out)]) == 2
    assert out.read_bytes() == b"mine"


@pytest.mark.parametrize("command", [["simulate", "--log", "{out}.jsonl"],
                                     ["export", "back-pain", "{out}.wav"]])
@pytest.mark.parametrize(("field", "problem"), [
    ("", "field 'espeak_voice': missing"),
    ('espeak_voice = "xx-no"\n', "field 'espeak_voice': 'xx-no' is not a voice espeak-ng has"),
])
def test_a_broken_voice_is_said_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        command: list[str], field: str, problem: str) -> None:
    """No empty log, no "Rendering … with the bad voice" first: a profile TOML cannot
    read, or one in a voice espeak-ng lacks. (``run``'s: tests/test_voices.py.)"""
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path / "data"))
    voice = tmp_path / "bad.toml"
    voice.write_text(f"name = \"bad\"\ndescription = \"x\"\nrate = 150\n{field}")
    out = tmp_path / "out"
    argv = [part.format(out=out) for part in command] + ["--voice", str(voice)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"voicecoach: {voice}") and problem in err, err
    assert sorted(path.name for path in tmp_path.iterdir()) in (["bad.toml"],
                                                                ["bad.toml", "data"])


def test_simulate_never_logs_over_the_recording(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    recording = tmp_path / "rec.wav"
    recording.write_bytes(b"RIFF-mine")
    assert main(["simulate", "--user-audio", str(recording), "--log", str(recording),
                 "--force"]) == 2
    assert recording.read_bytes() == b"RIFF-mine"
    assert "own input" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["simulate", "--force"], ["run", "--no-tui"]])
@pytest.mark.parametrize("which", ["routine", "voice"])
def test_a_log_is_never_written_into_the_routine_or_the_voice_it_reads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str],
        which: str) -> None:
    """run appends to its log and simulate replaces it: either would wreck the file."""
    routine = tmp_path / "mine.toml"
    routine.write_text(TINY_ROUTINE)
    voice = tmp_path / "voice.toml"
    voice.write_text((Path(__file__).parent.parent / "voices" / "calm.toml").read_text())
    target = {"routine": routine, "voice": voice}[which]
    before = target.read_bytes()
    link = tmp_path / "link-to-it"
    link.symlink_to(target)
    assert main([command[0], str(routine), "--voice", str(voice), "--log", str(link),
                 *command[1:]]) == 2
    assert target.read_bytes() == before
    assert f"that is the {'session' if command[0] == 'run' else 'simulation'}'s own input " \
        f"({target})" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["import", "check", "export"])
def test_a_symbolic_link_loop_is_called_one_not_a_missing_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    args = {"import": ["import", str(loop)],
            "check": ["check", str(loop)],
            "export": ["export", str(loop), str(tmp_path / "x.wav")]}[command]
    assert main(args) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("voicecoach: ") and str(loop) in err[0], err
    assert "Too many levels of symbolic links" in err[0] and "no such" not in err[0], err


def test_importing_a_folder_says_it_is_not_a_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"voicecoach: {tmp_path}: not a regular file\n"


def test_importing_an_article_not_in_utf8_names_the_file_line_and_byte(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "cafe.txt"
    article.write_bytes(ARTICLE.replace("# Morning", "# Caf\u00e9 morning").encode("latin-1"))
    assert main(["import", str(article), "-o", str(tmp_path / "cafe.toml")]) == 2
    assert capsys.readouterr().err == (
        f"voicecoach: {article}:1: not UTF-8 text (at byte offset 5 of the file; "
        "save it as UTF-8)\n")
    assert not (tmp_path / "cafe.toml").exists()


def test_importing_a_wav_says_it_is_not_a_text_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recording = tmp_path / "session.wav"
    recording.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00" + bytes(64))
    assert main(["import", str(recording), "-o", str(tmp_path / "out.toml")]) == 2
    err = capsys.readouterr().err
    assert err == (f"voicecoach: {recording}: not a text file (WAV audio); import reads a "
                   "stretching article saved as plain text or Markdown, in UTF-8\n")


def test_a_sessions_inputs_are_files_not_names(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A built-in routine's name is no file ("--log back-pain" may be written), a voice's
    name is its profile file, the user's own included."""
    from voicecoach.cli.outputs import session_inputs

    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path / "data"))
    mine = tmp_path / "data" / "voices" / "mine.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text((Path(__file__).parent.parent / "voices" / "calm.toml").read_text()
                    .replace('name = "calm"', 'name = "mine"'))
    shipped = Path(__file__).resolve().parent.parent / "voices" / "calm.toml"
    assert [p.resolve() for p in session_inputs("back-pain", "calm")] == [shipped]
    assert session_inputs("my.toml", "mine") == [Path("my.toml"), mine]
    assert session_inputs("back-pain", "nobody") == []


def test_export_into_a_folder_says_to_name_a_wav_in_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routine = tmp_path / "t.toml"
    routine.write_text(TINY_ROUTINE)
    folder = tmp_path / "ex"
    folder.mkdir()
    assert main(["export", str(routine), str(folder)]) == 2
    assert capsys.readouterr().err == (f"voicecoach: {folder}: is a folder; give a .wav file "
                                       f"name, e.g. {folder / 't.wav'}\n")
    assert list(folder.iterdir()) == []


LOG_COMMANDS = [["run", "--no-tui", "--mute", "--no-listen"], ["simulate"],
                ["simulate", "--force"]]


def quick_routine(folder: Path) -> str:
    """A routine of a few seconds, so that a log check that fails costs no long session."""
    routine = folder / "quick.toml"
    routine.write_text(TINY_ROUTINE.replace("hold = 5", "hold = 1"))
    return str(routine)


@pytest.mark.parametrize("command", LOG_COMMANDS, ids=["run", "simulate", "simulate --force"])
def test_a_log_is_never_written_into_a_file_that_is_not_an_event_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        command: list[str]) -> None:
    """``run --log r/mine.toml`` meant ``run r/mine.toml``: run would add JSON lines to the
    routine, simulate (with --force) replace it."""
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path / "data"))
    mine = tmp_path / "mine.toml"
    mine.write_text(TINY_ROUTINE)
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    for target, looks in ((mine, " (it looks like a routine file)"), (notes, "")):
        assert main([*command, quick_routine(tmp_path), "--log", str(target)]) == 2
        assert capsys.readouterr().err == (
            f"voicecoach: {target}: is not an event log{looks}; give --log a new file or an "
            "earlier log\n")
    assert mine.read_text() == TINY_ROUTINE and notes.read_text() == "my notes\n"


@pytest.mark.parametrize("command", LOG_COMMANDS[:2], ids=["run", "simulate"])
def test_a_log_in_a_missing_folder_says_so_and_makes_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        command: list[str]) -> None:
    """As export and import do: a mistyped folder is not made."""
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path / "data"))
    folder = tmp_path / "nodir" / "sub"
    assert main([*command, quick_routine(tmp_path), "--log", str(folder / "x.jsonl")]) == 2
    assert capsys.readouterr().err == f"voicecoach: {folder}: no such folder; create it first\n"
    assert not (tmp_path / "nodir").exists()


@pytest.mark.parametrize(("text", "is_log"), [
    (b"", True),
    (b"\n", True),
    (b'{"t": 0.0, "event": "line_spoken"}\n{"t": 1.', True),
    (TINY_ROUTINE.encode(), False),
    (b"[1, 2]\n", False),
    (b"RIFF\x24\x00\x00\x00WAVEfmt \xff\xfe", False),
], ids=["empty", "a blank line", "a log cut short", "a routine", "a JSON list", "a WAV"])
def test_an_event_log_is_told_by_its_first_line(tmp_path: Path, text: bytes,
                                                is_log: bool) -> None:
    from voicecoach.storage.eventlog import is_event_log

    path = tmp_path / "some-file"
    path.write_bytes(text)
    assert is_event_log(path) is is_log


def test_simulate_asks_for_force_over_an_earlier_log_not_calls_it_no_log(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "sim.jsonl"
    log.write_text('{"t": 0.0, "event": "step_started", "segment": 0, "label": "x"}\n')
    assert main(["simulate", "--log", str(log)]) == 2
    assert capsys.readouterr().err == (f"voicecoach: {log}: already exists; choose another "
                                       "name or add --force to replace it\n")


def test_run_adds_to_an_earlier_event_log(tmp_path: Path) -> None:
    """The log of an earlier session is a log: run adds this session's events after it."""
    log = tmp_path / "events.jsonl"
    earlier = '{"t": 0.0, "event": "finished", "stopped": false}\n'
    log.write_text(earlier)
    env = {**os.environ, "VOICECOACH_DATA": str(tmp_path / "data"),
           "PULSE_SERVER": f"unix:{tmp_path}/no-sound-server"}
    done = subprocess.run(
        [sys.executable, "-m", "voicecoach", "run", quick_routine(tmp_path), "--no-tui", "--mute",
         "--no-listen", "--log", str(log)], env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    records = read_log(log)
    assert log.read_text().startswith(earlier)
    assert records[1]["event"] == "session_started" and records[-1]["event"] == "finished"
