"""``--resume`` carries a session on with the options it was run with, where the command
line gives none; what it took back is said."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from voicecoach.cli.options import RunOptions, SessionOptions
from voicecoach.cli.resume import (
    resume_command,
    run_options_of,
    with_fitting_saved_options,
    with_saved_options,
)
from voicecoach.core.record import Snapshot
from voicecoach.storage.progress import ProgressStore

SNAPSHOT = Snapshot(routine="back-pain", segment=3, phase=0, elapsed=0.0, active_seconds=60.0,
                    easier=frozenset(), completed=frozenset({0, 1, 2}), skipped=frozenset(),
                    finished=False)


def test_the_voice_and_the_options_given_are_saved() -> None:
    assert run_options_of(SessionOptions("calm")) == {"voice": "calm"}
    assert run_options_of(SessionOptions("brisk", hold=20.0, reps=3, tempo=2.5)) == {
        "voice": "brisk", "hold": 20.0, "reps": 3, "tempo": 2.5}


def test_what_the_command_line_leaves_out_is_taken_from_the_saved_session() -> None:
    options = RunOptions(routine="neck.toml", session=SessionOptions("calm"), resume=True)
    resumed, notice = with_saved_options(
        options, {"voice": "brisk", "hold": 20.0, "reps": 3, "tempo": 2.5})
    assert resumed.session == SessionOptions("brisk", hold=20.0, reps=3, tempo=2.5)
    assert resumed.routine == "neck.toml" and resumed.resume
    assert notice == ("resuming with --voice brisk --hold 20 --reps 3 --tempo 2.5, as the "
                      "session was run")


def test_the_command_line_wins_over_the_saved_session() -> None:
    options = RunOptions(routine="back-pain", session=SessionOptions("slow", hold=45.0),
                         resume=True, voice_given=True)
    resumed, notice = with_saved_options(options, {"voice": "brisk", "hold": 20.0, "reps": 3})
    assert resumed.session == SessionOptions("slow", hold=45.0, reps=3)
    assert notice == "resuming with --reps 3, as the session was run"


def test_nothing_saved_or_nothing_usable_changes_nothing() -> None:
    options = RunOptions(routine="back-pain", session=SessionOptions("calm"), resume=True)
    assert with_saved_options(options, {}) == (options, None)
    assert with_saved_options(options, {"voice": "calm"}) == (options, None)
    assert with_saved_options(options, {"voice": 3, "hold": "long", "reps": 2.5}) == (
        options, None)
    assert with_saved_options(options, {"hold": float("inf"), "reps": float("nan"),
                                        "tempo": True}) == (options, None)


def test_the_default_voice_given_on_the_command_line_wins_too() -> None:
    given = RunOptions("back-pain", SessionOptions("calm"), resume=True, voice_given=True)
    assert with_saved_options(given, {"voice": "brisk"}) == (given, None)


def test_a_profile_file_is_saved_by_its_full_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mine.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    assert run_options_of(SessionOptions("mine.toml")) == {"voice": str(tmp_path / "mine.toml")}
    assert run_options_of(SessionOptions("gone.toml")) == {"voice": "gone.toml"}


def test_saved_options_that_no_longer_fit_are_left_out_and_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path))
    options = RunOptions("back-pain", SessionOptions("calm"), resume=True)
    for saved in ({"voice": str(tmp_path / "deleted.toml")}, {"hold": 1e308}):
        store = ProgressStore(tmp_path, run_options=saved)  # type: ignore[arg-type]
        store.save(SNAPSHOT)
        resumed, notice = with_fitting_saved_options(options, store)
        assert resumed == options
        assert notice is not None and notice.startswith(
            "the options saved with the session no longer fit (")
        assert notice.endswith("); resuming with the ones given")
    store = ProgressStore(tmp_path, run_options={"voice": "brisk", "hold": 25.0})
    store.save(SNAPSHOT)
    resumed, notice = with_fitting_saved_options(options, store)
    assert resumed.session == SessionOptions("brisk", hold=25.0)
    assert notice == "resuming with --voice brisk --hold 25, as the session was run"


def test_the_resume_command_names_the_routine_and_the_options() -> None:
    assert resume_command(RunOptions("back-pain", SessionOptions("calm"))) == (
        "voicecoach run --resume")
    shaped = RunOptions("my routine.toml", SessionOptions("brisk", hold=20.0, reps=3))
    # the voice, hold, reps and tempo are saved, and --resume takes them back
    assert resume_command(shaped) == "voicecoach run 'my routine.toml' --resume"
    ran = replace(shaped, tui=False, mute=True, listen=False, echo_cancel="off",
                  model=Path("my models/small"), theme="high-contrast", log=Path("x.jsonl"))
    assert resume_command(ran) == (
        "voicecoach run 'my routine.toml' --no-tui --mute --no-listen --echo-cancel off "
        "--model 'my models/small' --theme high-contrast --resume")


def test_resume_of_a_routine_with_nothing_saved_is_refused_before_anything_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Another routine's session is saved: that one was likely meant. Refused with exit
    status 2, and no log, no lock, no sound module left behind."""
    from voicecoach.cli.main import main

    data = tmp_path / "data"
    monkeypatch.setenv("VOICECOACH_DATA", str(data))
    ProgressStore(data).save(replace(SNAPSHOT, routine="neck"))
    log = tmp_path / "session.jsonl"
    assert main(["run", "--resume", "--no-tui", "--mute", "--no-listen",
                 "--log", str(log)]) == 2
    assert capsys.readouterr().err.startswith(
        "voicecoach: no unfinished session of 'back-pain' to resume (there is one of 'neck'")
    assert not log.exists()
    assert sorted(path.name for path in data.iterdir()) == sorted(
        path.name for path in data.iterdir() if "neck" in path.name)
