"""``--resume`` carries a session on with the options it was run with, where the command
line gives none; what it took back is said."""

from __future__ import annotations

from voicecoach.cli.options import RunOptions, SessionOptions
from voicecoach.cli.resume import resume_command, run_options_of, with_saved_options


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
    options = RunOptions(routine="back-pain",
                         session=SessionOptions("slow", hold=45.0), resume=True)
    resumed, notice = with_saved_options(options, {"voice": "brisk", "hold": 20.0, "reps": 3})
    assert resumed.session == SessionOptions("slow", hold=45.0, reps=3)
    assert notice == "resuming with --reps 3, as the session was run"


def test_nothing_saved_or_nothing_usable_changes_nothing() -> None:
    options = RunOptions(routine="back-pain", session=SessionOptions("calm"), resume=True)
    assert with_saved_options(options, {}) == (options, None)
    assert with_saved_options(options, {"voice": "calm"}) == (options, None)
    assert with_saved_options(options, {"voice": 3, "hold": "long", "reps": 2.5}) == (
        options, None)


def test_the_resume_command_names_the_routine_and_the_options() -> None:
    assert resume_command(RunOptions("back-pain", SessionOptions("calm"))) == (
        "voicecoach run --resume")
    shaped = RunOptions("my routine.toml", SessionOptions("brisk", hold=20.0, reps=3))
    assert resume_command(shaped) == (
        "voicecoach run 'my routine.toml' --voice brisk --hold 20 --reps 3 --resume")
