"""The runner: cues reach the narrator, the event log, saved progress and the history."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.fakes import FakeClock, RecordingSpeaker
from tests.support.routines import ANOTHER_EXERCISE, NECK_ROUTINE, TINY_ROUTINE
from voicecoach.cli.options import RunOptions, SessionOptions
from voicecoach.cli.resume import (
    ROUTINE,
    build_session,
    resume_refusal,
    routine_as_run,
    start_session,
    unfinished_line,
    with_fitting_saved_options,
    with_key,
)
from voicecoach.core.commands import Command
from voicecoach.core.plan import PhaseKind, SegmentKind, SessionSettings
from voicecoach.core.routine import Routine
from voicecoach.core.routine_toml import parse_routine
from voicecoach.core.session import Session, SessionView
from voicecoach.drivers.live import SessionRunner
from voicecoach.frontends.tui.present import summary_text
from voicecoach.speech_out.profiles import load_voice
from voicecoach.speech_out.speaker import CaptionNarrator
from voicecoach.storage.eventlog import EventLog, read_log
from voicecoach.storage.progress import History, ProgressStore
from voicecoach.storage.routine_files import resolve_routine


def make_runner(tmp_path: Path, clock: FakeClock) -> tuple[SessionRunner, RecordingSpeaker]:
    speaker = RecordingSpeaker()
    routine = resolve_routine("back-pain", hold_seconds=5, reps=2)
    runner = SessionRunner(Session(routine, clock()), speaker, clock,
                           log=EventLog.open(tmp_path / "log.jsonl"),
                           progress=ProgressStore(tmp_path), history=History(tmp_path))
    return runner, speaker


def moved_on(tmp_path: Path, clock: FakeClock, steps: int) -> SessionRunner:
    """A started session that has moved ``steps`` steps on by the "next" key."""
    runner, _ = make_runner(tmp_path, clock)
    runner.start()
    for _ in range(steps):
        runner.command(Command.NEXT, "key")
    return runner


def test_lines_and_cutoffs_reach_the_speaker(tmp_path: Path) -> None:
    clock = FakeClock()
    runner, speaker = make_runner(tmp_path, clock)
    runner.start()
    assert speaker.texts[0].startswith("Exercise one of four: Hip 90/90 Stretch.")
    runner.command(Command.PAUSE, "voice", "pause")
    assert speaker.silences == 1 and speaker.texts[-1] == "Paused. Take your time."
    clock.advance(30)
    runner.toggle_pause("key")
    assert not runner.session.paused


def test_event_log_records_steps_lines_commands_and_finish(tmp_path: Path) -> None:
    clock = FakeClock()
    runner, _ = make_runner(tmp_path, clock)
    runner.start()
    clock.advance(2.5)
    runner.command(Command.NEXT, "key")
    clock.advance(1)
    runner.command(Command.STOP, "voice", "that hurts")
    records = read_log(tmp_path / "log.jsonl")
    events = [r["event"] for r in records]
    assert records[0] == {**records[0], "t": 0.0, "event": "session_started",
                          "routine": "back-pain", "segment": 0}
    assert events[1:3] == ["step_started", "line_spoken"]
    command = next(r for r in records if r["event"] == "command")
    assert command == {**command, "t": 2.5, "command": "next", "source": "key"}
    voice = [r for r in records if r["event"] == "command"][1]
    assert voice["source"] == "voice" and voice["heard"] == "that hurts" and voice["t"] == 3.5
    finished = next(r for r in records if r["event"] == "finished")
    assert finished["stopped"] is True and events[-1] == "command_handled"
    assert all("wall" in r for r in records)


def test_progress_is_saved_and_cleared_and_history_appended(tmp_path: Path) -> None:
    clock = FakeClock()
    runner = moved_on(tmp_path, clock, 3)
    saved_at = ProgressStore(tmp_path).path_for("back-pain")
    saved = json.loads(saved_at.read_text())
    assert saved["segment"] == 3 and saved["routine"] == "back-pain"
    assert not runner.finished and runner.summary is None
    runner.command(Command.STOP, "key")
    assert runner.finished and runner.summary is not None
    assert not saved_at.exists()
    (entry,) = History(tmp_path).entries()
    assert entry == runner.summary and runner.in_history
    assert entry.stopped is True and entry.routine == "back-pain" and entry.ended is not None


def test_a_session_stopped_before_it_moved_on_is_not_history(tmp_path: Path) -> None:
    """Stopped during the introduction (as the advice to quit and --resume has it): it did
    nothing, so the history stays as it was; a session that moved on and came back to its
    first step did something, and is history."""
    clock = FakeClock()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock, progress=ProgressStore(tmp_path), history=History(tmp_path))
    runner.start()
    clock.advance(5)
    runner.command(Command.STOP, "key")
    assert runner.finished and runner.nothing_done and not runner.in_history
    assert History(tmp_path).entries() == []
    again = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                          clock, progress=ProgressStore(tmp_path), history=History(tmp_path))
    again.start()
    again.command(Command.NEXT, "key")
    again.command(Command.BACK, "key")
    again.command(Command.STOP, "key")
    assert not again.nothing_done and again.in_history
    assert len(History(tmp_path).entries()) == 1


def test_the_routine_s_lock_is_let_go_when_the_session_ends_not_when_its_summary_closes(
        tmp_path: Path) -> None:
    from voicecoach.storage.session_lock import SessionLock

    clock = FakeClock()
    progress = ProgressStore(tmp_path)
    lock = SessionLock(progress.lock_path_for("back-pain"))
    assert lock.take()
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock, progress=progress, history=History(tmp_path),
                           on_finished=lock.release)
    runner.start()
    runner.command(Command.NEXT, "key")
    other = SessionLock(progress.lock_path_for("back-pain"))
    assert not other.take()  # the session runs: its lock holds
    runner.command(Command.STOP, "key")
    assert runner.finished and History(tmp_path).entries()
    assert other.take()  # ended (its summary may still be on screen): free
    other.release()


def test_a_resumed_session_stopped_at_once_is_history(tmp_path: Path) -> None:
    """Resumed, it carries what was done before (which went into no history: that session
    was quit or crashed); stopped before it moves on, that still goes into the history."""
    clock = FakeClock()
    moved_on(tmp_path, clock, 6)  # quit here: its place is saved
    routine = resolve_routine("back-pain")
    resumed = SessionRunner(build_session(routine, Session(routine, 0).settings,
                                          ProgressStore(tmp_path), clock(), print, resume=True),
                            RecordingSpeaker(), clock, progress=ProgressStore(tmp_path),
                            history=History(tmp_path))
    resumed.start()
    assert resumed.session.snapshot().segment == 6
    resumed.command(Command.STOP, "voice", "stop")
    assert not resumed.nothing_done and resumed.in_history
    (entry,) = History(tmp_path).entries()
    assert entry.stopped and entry.skipped  # the holds the first part passed over


def test_a_crashed_session_resumes_where_it_was(tmp_path: Path) -> None:
    clock = FakeClock()
    runner = moved_on(tmp_path, clock, 4)
    runner.command(Command.EASIER, "voice")
    where = runner.session.view()
    del runner  # the process dies here: nothing else is written
    routine = resolve_routine("back-pain", hold_seconds=5, reps=2)
    notes: list[str] = []
    session = build_session(routine, Session(routine, 0).settings, ProgressStore(tmp_path),
                            5000.0, notes.append, resume=True)
    view = session.view()
    assert (view.exercise_name, view.side, view.step_number, view.easier) == (
        where.exercise_name, where.side, where.step_number, True)
    assert notes == []


def test_an_unfinished_session_is_mentioned_when_not_resuming(tmp_path: Path) -> None:
    clock = FakeClock()
    runner, _ = make_runner(tmp_path, clock)
    runner.start()
    runner.command(Command.NEXT, "key")
    routine = resolve_routine("back-pain")
    notes: list[str] = []
    session = build_session(routine, Session(routine, 0).settings, ProgressStore(tmp_path),
                            clock(), notes.append, resume=False)
    assert session.view().segment_kind.value == "intro"
    assert notes == ["an unfinished session was saved at Hip 90/90 Stretch, right side, step "
                     "1: to carry on from it, quit now and run again with --resume (once this "
                     "new session moves on a step, it takes that place and the saved session "
                     "goes into the history as it was, stopped early)"]
    assert with_key(notes[0]) == ("an unfinished session was saved at Hip 90/90 Stretch, "
                                  "right side, step 1: press c or say “continue” to carry on "
                                  "from it (once this "
                                  "new session moves on a step, it takes that place and the "
                                  "saved session goes into the history as it was, stopped "
                                  "early)")
    assert with_key("the saved progress could not be read") is None
    # Starting the new session does not erase the saved one before it gets anywhere.
    SessionRunner(session, RecordingSpeaker(), clock, progress=ProgressStore(tmp_path)).start()
    saved = ProgressStore(tmp_path).load("back-pain")
    assert saved is not None and saved.segment == 1


def test_finishing_one_routine_keeps_the_unfinished_progress_of_another(tmp_path: Path) -> None:
    clock = FakeClock()
    runner, _ = make_runner(tmp_path, clock)  # back-pain, left unfinished
    runner.start()
    runner.command(Command.NEXT, "key")
    other = resolve_routine("back-pain")
    other = replace(other, name="other")
    finishing = SessionRunner(Session(other, clock()), RecordingSpeaker(), clock,
                              progress=ProgressStore(tmp_path), history=History(tmp_path))
    finishing.start()
    finishing.command(Command.NEXT, "key")
    assert ProgressStore(tmp_path).load("other") is not None
    finishing.command(Command.STOP, "key")
    assert ProgressStore(tmp_path).load("other") is None
    kept = ProgressStore(tmp_path).load("back-pain")
    assert kept is not None and kept.segment == 1
    notes: list[str] = []
    session = build_session(resolve_routine("back-pain"), Session(other, 0).settings,
                            ProgressStore(tmp_path), clock(), notes.append, resume=True)
    assert notes == [] and session.view().step_number == 1


def test_each_session_in_a_shared_log_opens_with_where_it_started(tmp_path: Path) -> None:
    clock = FakeClock()
    runner = moved_on(tmp_path, clock, 2)
    assert runner.log is not None
    runner.log.close()  # the process dies; the next session appends to the same log
    routine = resolve_routine("back-pain", hold_seconds=5, reps=2)
    session = build_session(routine, Session(routine, 0).settings, ProgressStore(tmp_path),
                            clock(), print, resume=True)
    resumed = SessionRunner(session, RecordingSpeaker(), clock,
                            log=EventLog.open(tmp_path / "log.jsonl"))
    resumed.start()
    starts = [r for r in read_log(tmp_path / "log.jsonl") if r["event"] == "session_started"]
    assert [(r["t"], r["segment"]) for r in starts] == [(0.0, 0), (0.0, 2)]


def test_a_disk_that_refuses_the_history_costs_that_write_not_the_session(
        tmp_path: Path) -> None:
    clock = FakeClock()
    (tmp_path / "history.jsonl").mkdir()  # appending to it fails with IsADirectoryError
    told: list[str] = []
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock, progress=ProgressStore(tmp_path), history=History(tmp_path),
                           on_problem=told.append)
    runner.start()
    runner.command(Command.NEXT, "key")
    assert ProgressStore(tmp_path).load("back-pain") is not None
    runner.command(Command.STOP, "key")
    assert runner.finished and runner.summary is not None and runner.summary.stopped
    assert told == runner.problems == [
        f"Could not save this session: {tmp_path / 'history.jsonl'}: Is a directory"]
    assert not runner.in_history


def test_a_place_that_cannot_be_saved_is_told_and_the_session_goes_on(
        tmp_path: Path) -> None:
    clock = FakeClock()
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("", encoding="utf-8")
    told: list[str] = []
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock, progress=ProgressStore(not_a_folder), on_problem=told.append)
    runner.start()
    runner.command(Command.NEXT, "key")
    runner.command(Command.NEXT, "key")
    assert runner.session.snapshot().segment == 2
    where = ProgressStore(not_a_folder).path_for("back-pain")
    assert told == runner.problems == [f"Could not save your place: {where}: File exists"]


def test_a_new_session_stopped_before_it_moves_on_leaves_the_saved_one(
        tmp_path: Path) -> None:
    clock = FakeClock()
    runner = moved_on(tmp_path, clock, 3)
    del runner  # the process dies at the third step
    routine = resolve_routine("back-pain", hold_seconds=5, reps=2)
    notes: list[str] = []
    fresh = SessionRunner(build_session(routine, Session(routine, 0).settings,
                                        ProgressStore(tmp_path), clock(), notes.append,
                                        resume=False),
                          RecordingSpeaker(), clock, progress=ProgressStore(tmp_path),
                          history=History(tmp_path))
    assert "run again with --resume" in notes[0]
    fresh.start()
    fresh.command(Command.EASIER, "voice")  # during its introduction
    fresh.command(Command.STOP, "key")  # started by mistake, stopped
    kept = ProgressStore(tmp_path).load("back-pain")
    assert kept is not None and kept.segment == 3
    assert History(tmp_path).entries() == []  # kept: not closed into the history
    resumed = SessionRunner(build_session(routine, Session(routine, 0).settings,
                                          ProgressStore(tmp_path), clock(), print, resume=True),
                            RecordingSpeaker(), clock, progress=ProgressStore(tmp_path),
                            history=History(tmp_path))
    resumed.start()
    resumed.command(Command.NEXT, "key")
    resumed.command(Command.STOP, "key")
    assert History(tmp_path).entries() == [resumed.summary]  # once, when it ends


def test_a_saved_session_a_new_one_takes_the_place_of_goes_into_the_history_as_it_was(
        tmp_path: Path) -> None:
    """The walkthrough: a session quit after its first hold; a new one started without
    --resume moves on and is stopped. The first is in the history, stopped early with its
    hold, before the second: once, however often the second saves its place."""
    clock = FakeClock()
    routine = parse_routine(NECK_ROUTINE, "neck.toml")
    first = SessionRunner(Session(routine, clock()), RecordingSpeaker(), clock,
                          progress=ProgressStore(tmp_path), history=History(tmp_path))
    first.start()
    while first.session.view().segment_kind is not SegmentKind.SWITCH:  # the hold done
        clock.advance(0.5)
        first.tick()
    saved = ProgressStore(tmp_path).load("neck")
    assert saved is not None
    del first  # quit mid-session: its place is saved, nothing is in the history
    notes: list[str] = []
    session, replaces = start_session(routine, Session(routine, 0).settings,
                                      ProgressStore(tmp_path), clock(), notes.append,
                                      resume=False)
    assert notes == ["an unfinished session was saved at Neck tilt, left side, switch: to "
                     "carry on from it, quit now and run again with --resume (once this new "
                     "session moves on a step, it takes that place and the saved session goes "
                     "into the history as it was, stopped early)"]
    fresh = SessionRunner(session, RecordingSpeaker(), clock, progress=ProgressStore(tmp_path),
                          history=History(tmp_path), replaces=replaces)
    fresh.start()
    assert History(tmp_path).entries() == []  # until it moves on, the saved one is kept
    fresh.command(Command.NEXT, "key")
    (closed,) = History(tmp_path).entries()
    assert closed.stopped and closed.active_seconds == saved.active_seconds
    assert (closed.completed, closed.stopped_in, closed.not_reached) == (
        (), "Neck tilt", ("Shoulder roll",))
    assert [(r.exercise, r.side, r.done) for r in closed.steps] == [("Neck tilt", "right", 3.0)]
    assert closed.ended is not None
    fresh.command(Command.NEXT, "key")
    fresh.command(Command.STOP, "key")
    assert History(tmp_path).entries() == [closed, fresh.summary]


def test_a_saved_session_replaced_by_another_routine_file_of_its_name_is_closed_as_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own file carries it on (named at the start); once the new one moves on, it goes
    into the history as a session of its own file."""
    clock = FakeClock()
    monkeypatch.chdir(tmp_path)
    Path("neck.toml").write_text(NECK_ROUTINE, encoding="utf-8")
    other = NECK_ROUTINE.replace('name = "Shoulder roll"', 'name = "Arm swing"')
    Path("mine.toml").write_text(other, encoding="utf-8")
    first = SessionRunner(Session(resolve_routine("neck.toml"), clock()), RecordingSpeaker(),
                          clock, progress=ProgressStore(tmp_path / "data",
                                                        {ROUTINE: routine_as_run("neck.toml")}))
    first.start()
    first.command(Command.NEXT, "key")
    mine = resolve_routine("mine.toml")
    saves = ProgressStore(tmp_path / "data", {ROUTINE: routine_as_run("mine.toml")})
    notes: list[str] = []
    _session, replaces = start_session(mine, Session(mine, 0).settings, saves, clock(),
                                       notes.append, resume=True)
    assert notes == [f"cannot resume (the saved progress is of other exercises: another "
                     f"routine of this name, or this one edited since; `voicecoach run "
                     f"{tmp_path / 'neck.toml'} --resume` carries it on); starting from the "
                     "beginning"]
    assert replaces is not None and replaces.not_reached == ("Shoulder roll",)
    notes.clear()
    start_session(mine, Session(mine, 0).settings, saves, clock(), notes.append, resume=False)
    assert notes == ["an unfinished session of another routine of this name was saved at Neck "
                     f"tilt, right side, step 1: `voicecoach run {tmp_path / 'neck.toml'} "
                     "--resume` carries it on (once this new session moves on a step, it "
                     "takes that place and the saved session goes into the history as it "
                     "was, stopped early)"]
    assert with_key(notes[0]) is None  # c would carry on in this routine: not offered


def test_resume_names_the_routines_that_have_an_unfinished_session(tmp_path: Path) -> None:
    clock = FakeClock()
    other = replace(resolve_routine("back-pain"), name="neck")
    runner = SessionRunner(Session(other, clock()), RecordingSpeaker(), clock,
                           progress=ProgressStore(tmp_path))
    runner.start()
    runner.command(Command.NEXT, "key")
    notes: list[str] = []
    routine = resolve_routine("back-pain")
    session = build_session(routine, Session(routine, 0).settings, ProgressStore(tmp_path),
                            clock(), notes.append, resume=True)
    assert session.view().step_number is None  # the introduction: from the beginning
    assert notes == ["no unfinished session of 'back-pain' to resume (there is one of "
                     "'neck': name that routine or its file with --resume); starting from "
                     "the beginning"]


def test_resume_with_no_session_saved_at_all_starts_from_the_beginning(
        tmp_path: Path) -> None:
    notes: list[str] = []
    routine = resolve_routine("back-pain")
    session = build_session(routine, Session(routine, 0).settings, ProgressStore(tmp_path),
                            0.0, notes.append, resume=True)
    assert session.view().step_number is None  # the introduction: from the beginning
    assert notes == ["no unfinished session of 'back-pain' to resume; starting from the "
                     "beginning"]


def test_resume_says_the_command_for_a_routine_file_with_an_unfinished_session(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its file is saved by its full path: the command works from any folder; a file
    since gone is said to be gone."""
    clock = FakeClock()
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "my tiny.toml").write_text(TINY_ROUTINE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    tiny = resolve_routine("r/my tiny.toml")
    saves = ProgressStore(tmp_path / "data", {ROUTINE: routine_as_run("r/my tiny.toml")})
    runner = SessionRunner(Session(tiny, clock()), RecordingSpeaker(), clock, progress=saves)
    runner.start()
    runner.command(Command.NEXT, "key")
    routine = resolve_routine("back-pain")

    def notes() -> list[str]:
        said: list[str] = []
        build_session(routine, Session(routine, 0).settings, ProgressStore(tmp_path / "data"),
                      clock(), said.append, resume=True)
        return said

    whole = tmp_path / "r" / "my tiny.toml"
    assert notes() == ["no unfinished session of 'back-pain' to resume (there is one of "
                       f"'tiny': `voicecoach run '{whole}' --resume`); starting from the "
                       "beginning"]
    from voicecoach.storage.session_lock import SessionLock

    with SessionLock(saves.lock_path_for("tiny")) as running:  # tiny runs in another terminal
        assert running.take()
        assert notes() == ["no unfinished session of 'back-pain' to resume (there is one of "
                           "'tiny', running now in another session); starting from the "
                           "beginning"]
    whole.unlink()
    assert notes() == ["no unfinished session of 'back-pain' to resume (there is one of "
                       f"'tiny', run from {whole}, which is gone); starting from the "
                       "beginning"]


def test_another_routine_of_the_same_name_is_not_resumed_as_this_one(tmp_path: Path) -> None:
    clock = FakeClock()
    builtin = resolve_routine("back-pain")
    mine = replace(builtin, exercises=builtin.exercises[::-1])  # a user's file, same name
    runner = SessionRunner(Session(mine, clock()), RecordingSpeaker(), clock,
                           progress=ProgressStore(tmp_path))
    runner.start()
    for _ in range(2):
        runner.command(Command.NEXT, "key")
    notes: list[str] = []
    session = build_session(builtin, Session(builtin, 0).settings, ProgressStore(tmp_path),
                            clock(), notes.append, resume=True)
    assert session.view().step_number is None  # from the beginning
    assert notes == ["the unfinished session saved before cannot be carried on (the saved "
                     "progress is of other exercises: another routine of this name, or this "
                     "one edited since); it is kept as progress-back-pain.json.outdated, and "
                     "this session starts from the beginning"]


@pytest.mark.parametrize("resume", [True, False])
def test_a_saved_place_its_routine_file_no_longer_fits_is_set_aside_never_offered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resume: bool) -> None:
    """The walkthrough: a place saved, the routine file edited (an exercise added). The
    start says so once and sets it aside; nothing offers --resume of it again, nor takes
    back the options it was run with; the session starts from the beginning."""
    clock = FakeClock()
    monkeypatch.chdir(tmp_path)
    Path("neck.toml").write_text(NECK_ROUTINE, encoding="utf-8")
    as_run: dict[str, str | float] = {ROUTINE: routine_as_run("neck.toml"), "hold": 4.0}
    data = tmp_path / "data"
    first = SessionRunner(Session(resolve_routine("neck.toml"), clock()), RecordingSpeaker(),
                          clock, progress=ProgressStore(data, as_run))
    first.start()
    first.command(Command.NEXT, "key")
    saved = ProgressStore(data).path_for("neck").read_bytes()
    Path("neck.toml").write_text(NECK_ROUTINE + ANOTHER_EXERCISE, encoding="utf-8")
    options = RunOptions("neck.toml", SessionOptions("calm"), resume=True)
    assert with_fitting_saved_options(options, ProgressStore(data)) == (options, None)
    assert unfinished_line(ProgressStore(data)) is None
    assert resume_refusal("back-pain", ProgressStore(data)) is None
    edited = resolve_routine("neck.toml")
    notes: list[str] = []
    session, replaces = start_session(edited, Session(edited, 0).settings,
                                      ProgressStore(data, as_run), clock(), notes.append,
                                      resume=resume)
    assert notes == ["the unfinished session saved before cannot be carried on (the saved "
                     "progress is of other exercises: another routine of this name, or this "
                     "one edited since); it is kept as progress-neck.json.outdated, and this "
                     "session starts from the beginning"]
    assert session.view().step_number is None and replaces is None
    assert (data / "progress-neck.json.outdated").read_bytes() == saved  # nothing lost
    assert ProgressStore(data).load("neck") is None
    notes.clear()
    build_session(edited, Session(edited, 0).settings, ProgressStore(data, as_run), clock(),
                  notes.append, resume=resume)
    assert notes == (["no unfinished session of 'neck' to resume; starting from the "
                      "beginning"] if resume else [])


@pytest.mark.parametrize(("damage", "why"), [
    (b'{"routine": "back-pain", "segment": "38"}', "saved progress: field 'segment'"),
    (b'{"routine": "back-pain", "seg', "not JSON: "),
    (b"", "it is empty"),
    (b"[]", "saved progress: expected an object, got a list"),
    (b"\x00\xff garbage", "not UTF-8 text"),
])
@pytest.mark.parametrize("resume", [True, False])
def test_damaged_progress_is_set_aside_and_said_never_overwritten(
        tmp_path: Path, damage: bytes, why: str, resume: bool) -> None:
    store = ProgressStore(tmp_path)
    path = store.path_for("back-pain")
    path.write_bytes(damage)
    routine = resolve_routine("back-pain")
    notes: list[str] = []
    clock = FakeClock()
    session = build_session(routine, Session(routine, 0).settings, store, clock(),
                            notes.append, resume=resume)
    assert session.view().segment_kind.value == "intro"
    assert len(notes) == 1 and notes[0].startswith(
        f"the saved progress {path} could not be read ({why}")
    assert notes[0].endswith("); it is kept as progress-back-pain.json.damaged, and this "
                             "session starts from the beginning")
    assert (tmp_path / "progress-back-pain.json.damaged").read_bytes() == damage
    assert not path.exists()
    runner = SessionRunner(session, RecordingSpeaker(), clock, progress=store)
    runner.start()
    runner.command(Command.NEXT, "key")
    assert store.load("back-pain") is not None
    assert (tmp_path / "progress-back-pain.json.damaged").read_bytes() == damage


def test_a_folder_in_place_of_the_progress_file_is_set_aside_beside_earlier_ones(
        tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    (tmp_path / "progress-back-pain.json.damaged").write_text("an earlier one")
    store.path_for("back-pain").mkdir()
    assert store.damage("back-pain") == "it is a folder"
    assert store.set_aside("back-pain").name == "progress-back-pain.json.damaged-2"
    assert (tmp_path / "progress-back-pain.json.damaged").read_text() == "an earlier one"
    assert store.damage("back-pain") is None


def test_progress_of_another_routine_under_this_ones_name_is_damage(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    runner = moved_on(tmp_path, FakeClock(), 2)
    snapshot = runner.session.snapshot()
    store.path_for("neck").write_text(json.dumps(snapshot.to_json()))
    assert store.damage("neck") == "it is the progress of another routine, 'back-pain'"
    assert store.damage("back-pain") is None


def test_the_options_a_session_was_run_with_are_saved_beside_it(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path, run_options={"voice": "brisk", "hold": 20.0, "reps": 3})
    clock = FakeClock()
    routine = resolve_routine("back-pain", hold_seconds=20, reps=3)
    runner = SessionRunner(Session(routine, clock()), RecordingSpeaker(), clock, progress=store)
    runner.start()
    runner.command(Command.NEXT, "key")
    assert ProgressStore(tmp_path).saved_run_options("back-pain") == {
        "voice": "brisk", "hold": 20.0, "reps": 3}
    assert ProgressStore(tmp_path).saved_run_options("neck") == {}


def test_a_session_that_moved_on_and_came_back_has_still_moved_on(tmp_path: Path) -> None:
    """Its place was saved at the step it moved to, over any earlier session's: the end
    must not say the earlier one is kept."""
    clock = FakeClock()
    progress = ProgressStore(tmp_path)
    runner = SessionRunner(Session(resolve_routine("back-pain"), clock()), RecordingSpeaker(),
                           clock, progress=progress)
    runner.start()
    assert not runner.moved_on
    runner.command(Command.NEXT, "key")
    runner.command(Command.BACK, "key")
    assert runner.session.snapshot().segment == 0
    assert runner.moved_on
    saved = progress.load("back-pain")
    assert saved is not None and saved.segment == 1


def test_a_hold_gone_back_to_stays_held_through_a_crash_into_the_history(
        tmp_path: Path) -> None:
    """The walkthrough: the right side held, "back" at the switch, a crash, --resume, then
    "next": the end and the history keep the right side's hold."""
    clock = FakeClock()
    routine = parse_routine(NECK_ROUTINE, "neck.toml")

    def runner_of(session: Session) -> SessionRunner:
        return SessionRunner(session, RecordingSpeaker(), clock,
                             progress=ProgressStore(tmp_path), history=History(tmp_path))

    runner = runner_of(Session(routine, clock()))
    runner.start()
    while runner.session.view().segment_kind is not SegmentKind.SWITCH:
        clock.advance(0.5)
        runner.tick()
    runner.command(Command.BACK, "key")
    del runner  # the process dies here
    session = build_session(routine, Session(routine, 0).settings, ProgressStore(tmp_path),
                            clock(), print, resume=True)
    runner = runner_of(session)
    runner.start()
    runner.command(Command.NEXT, "key")
    while not runner.finished:
        clock.advance(0.5)
        runner.tick()
    (entry,) = History(tmp_path).entries()
    assert entry == runner.summary
    assert (entry.completed, entry.skipped) == (("Neck tilt", "Shoulder roll"), ())
    rows = dict(summary_text(entry).lines)  # the end screen
    assert (rows["Done"], rows["Skipped"]) == ("Neck tilt, Shoulder roll", "none")
    assert [(r.exercise, r.side, r.done) for r in entry.steps] == [
        ("Neck tilt", "right", 3.0), ("Neck tilt", "left", 3.0), ("Shoulder roll", None, 2.0)]


def test_resume_is_refused_when_another_routines_session_can_be_carried_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not when that one runs in another terminal or its file is gone: then the routine
    named starts from the beginning (build_session says why)."""
    clock = FakeClock()
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "tiny.toml").write_text(TINY_ROUTINE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    saves = ProgressStore(tmp_path / "data", {ROUTINE: routine_as_run("r/tiny.toml")})
    runner = SessionRunner(Session(resolve_routine("r/tiny.toml"), clock()),
                           RecordingSpeaker(), clock, progress=saves)
    runner.start()
    runner.command(Command.NEXT, "key")
    whole = tmp_path / "r" / "tiny.toml"
    assert resume_refusal("back-pain", saves) == (
        "no unfinished session of 'back-pain' to resume (there is one of 'tiny': "
        f"`voicecoach run {whole} --resume`); to start 'back-pain' from the beginning, run "
        "it without --resume")
    assert resume_refusal("tiny", saves) is None  # its own: resumed
    from voicecoach.storage.session_lock import SessionLock

    with SessionLock(saves.lock_path_for("tiny")) as running:
        assert running.take()
        assert resume_refusal("back-pain", saves) is None
    whole.unlink()
    assert resume_refusal("back-pain", saves) is None
    assert resume_refusal("back-pain", ProgressStore(tmp_path / "none")) is None


def captioned(routine: Routine, clock: FakeClock
              ) -> tuple[SessionRunner, Session, list[tuple[float, float, str]]]:
    """A started session spoken by a real captions-only narrator (busy for each line's
    estimate), and the lines it says as (start, end, text)."""
    profile = load_voice("calm")
    said: list[tuple[float, float, str]] = []
    speaker = CaptionNarrator(
        profile, print_fn=None, clock=clock,
        on_line_start=lambda text, start, end: said.append((start, end, text)))
    session = Session(routine, clock(), SessionSettings(speech_seconds=profile.estimate_seconds))
    runner = SessionRunner(session, speaker, clock)
    runner.start()
    return runner, session, said


def tick_until(runner: SessionRunner, clock: FakeClock,
               reached: Callable[[SessionView], bool]) -> None:
    """Tick in 0.1 s steps until the session's view is ``reached``."""
    while not reached(runner.session.view()):
        clock.advance(0.1)
        runner.tick()


def test_an_answer_said_over_a_step_delays_its_hold_until_it_is_said(tmp_path: Path) -> None:
    """A real (captions-only) narrator: "commands" asked while a step is read. The hold
    starts once the list and the step have been said, not at the step's own estimate (the
    hold had run on under the list, its "Hold for …" dropped)."""
    clock = FakeClock()
    runner, session, said = captioned(parse_routine(NECK_ROUTINE, "neck.toml",
                                                    hold_seconds=20), clock)
    tick_until(runner, clock, lambda view: view.segment_kind is SegmentKind.STEP
               and view.phase is PhaseKind.READING)
    reading_ends = clock() + session.view().phase_remaining
    runner.command(Command.HELP, "voice")
    answer_ends = max(end for _, end, _ in said)  # what the narrator was given ends then
    assert answer_ends > reading_ends + 5.0
    while session.view().phase is not PhaseKind.HOLD:
        clock.advance(0.1)
        runner.tick()
    assert clock() == pytest.approx(answer_ends, abs=0.11)
    hold_line = next(start for start, _, text in said if text.startswith("Hold for"))
    assert hold_line == pytest.approx(answer_ends, abs=0.11)  # said, at the hold's start


def test_an_answer_said_over_a_hold_costs_none_of_its_countdown(tmp_path: Path) -> None:
    """A real (captions-only) narrator: "what comes next" asked 8 s before a hold ends
    (the walkthrough's case: its answer, the next step's first sentence, took longer than
    what was left, and the countdown and "And release." went under it). The hold stands
    still for the answer: every line of the countdown is said, each after the one before."""
    clock = FakeClock()
    runner, session, said = captioned(resolve_routine("back-pain", hold_seconds=20), clock)
    tick_until(runner, clock, lambda view: view.phase is PhaseKind.HOLD
               and view.phase_remaining <= 8.0)
    before = len(said)
    runner.command(Command.WHATS_NEXT, "voice")
    assert said[before][2].startswith("After this, step")
    while session.view().phase is PhaseKind.HOLD:
        clock.advance(0.1)
        runner.tick()
    after = said[before:]
    texts = [text for _, _, text in after]
    assert texts[1:8] == ["Eight seconds left in this hold.", "Five.", "Four.", "Three.",
                         "Two.", "One.", "And release."], texts
    for (_, end, _), (start, _, _) in itertools.pairwise(after):
        assert start >= end - 1e-6  # none said over another
    left_said_until, five_at = after[1][1], after[2][0]
    assert five_at - left_said_until == pytest.approx(3.0, abs=0.11)  # 8 s left, then 3 s
