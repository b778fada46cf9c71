"""A crash mid-session loses nothing: kill -9 the real command, then `run --resume`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.routines import ANOTHER_EXERCISE
from voicecoach.storage.eventlog import read_log

ROUTINE = """\
name = "quick"
title = "Quick check"

[[exercises]]
name = "Neck tilt"
purpose = "Loosens the neck."

[exercises.easier]
summary = "Smaller tilts."

[[exercises.steps]]
text = "Sit tall."

[[exercises.steps]]
text = "Tilt your head."
hold = 1

[[exercises.steps]]
text = "Come back up."

[[exercises.steps]]
text = "Tilt the other way."
hold = 1
"""


def start(tmp_path: Path, log: Path, *extra: str, routine_text: str = ROUTINE,
          data: Path | None = None) -> subprocess.Popen[str]:
    routine = tmp_path / "quick.toml"
    routine.write_text(routine_text)
    env = {**os.environ, "VOICECOACH_DATA": str(data or tmp_path / "data"),
           "PULSE_SERVER": f"unix:{tmp_path}/no-sound-server"}
    return subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "run", str(routine), "--no-tui", "--mute",
         "--no-listen", "--log", str(log), *extra],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def wait_for_segment(log: Path, segment: int, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and any(r["event"] == "step_started" and r["segment"] >= segment
                                for r in read_log(log)):
            return
        time.sleep(0.1)
    raise AssertionError(f"segment {segment} never started: {read_log(log)[-5:]}")


def test_a_killed_session_resumes_where_it_was(tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    app = start(tmp_path, first)
    try:
        wait_for_segment(first, 3)
        time.sleep(0.3)
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait()
    reached = max(r["segment"] for r in read_log(first) if r["event"] == "step_started")
    again = tmp_path / "again.jsonl"
    resumed = start(tmp_path, again, "--resume")
    _out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    records = read_log(again)
    said = [r["text"] for r in records if r["event"] == "line_spoken"]
    assert said[0].startswith("Welcome back"), said[:3]
    starts = [r["segment"] for r in records if r["event"] == "step_started"]
    assert starts[0] == reached  # the segment it was in when it died
    assert next(r for r in records if r["event"] == "finished")["stopped"] is False
    assert "Traceback" not in err


HELD = ROUTINE.replace("hold = 1", "hold = true").replace(
    'title = "Quick check"', 'title = "Quick check"\nhold_seconds = 30')


def test_a_killed_session_resumes_with_the_options_it_was_run_with(tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    app = start(tmp_path, first, "--hold", "4", routine_text=HELD)
    try:
        wait_for_segment(first, 3)
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait()
    held = [r["text"] for r in read_log(first) if "seconds" in r.get("text", "")]
    assert held and all("four seconds" in text for text in held), held
    again = tmp_path / "again.jsonl"
    resumed = start(tmp_path, again, "--resume", routine_text=HELD)
    _out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert "voicecoach: resuming with --hold 4, as the session was run" in err
    said = [r["text"] for r in read_log(again) if r["event"] == "line_spoken"]
    assert any("four seconds" in text for text in said), said
    assert not any("thirty seconds" in text for text in said), said


def test_a_data_folder_that_cannot_be_written_costs_its_saves_not_the_session(
        tmp_path: Path) -> None:
    """No log folder, no progress, no history: each is said, and the session runs to its
    end all the same."""
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("mine")
    log = tmp_path / "events.jsonl"
    app = start(tmp_path, log, data=in_the_way / "data")
    out, err = app.communicate(timeout=120)
    assert app.returncode == 0, err
    assert (f"cannot keep the app's log in {in_the_way / 'data' / 'logs'} ({in_the_way} is a "
            "file, not a folder: move it away); the session goes on without it") in err
    assert "Traceback" not in err
    assert read_log(log)[-1]["event"] == "finished", read_log(log)[-3:]
    assert "It could not be added to the history (above)." in out
    assert in_the_way.read_text() == "mine"


def quit_mid_session(tmp_path: Path, log: Path, segment: int, *extra: str) -> str:
    """A session of quick.toml quit by SIGTERM once ``segment`` has started; what it said
    last in the terminal."""
    app = start(tmp_path, log, *extra)
    try:
        wait_for_segment(log, segment)
    finally:
        app.send_signal(signal.SIGTERM)
        out, err = app.communicate(timeout=60)
    assert app.returncode == 143, err
    return out.strip().splitlines()[-1]


def test_a_saved_session_a_new_one_takes_the_place_of_is_in_the_history_as_it_was(
        tmp_path: Path) -> None:
    """The walkthrough: quit after the first hold; a new session, without --resume, runs to
    its end. Both are in the history: the first stopped early with its hold, once."""
    from voicecoach.storage.progress import History

    assert quit_mid_session(tmp_path, tmp_path / "first.jsonl", 3).startswith(
        "Quit mid-session: your place is saved;")
    fresh = start(tmp_path, tmp_path / "fresh.jsonl")
    _out, err = fresh.communicate(timeout=120)
    assert fresh.returncode == 0, err
    first, second = History(tmp_path / "data").entries()
    assert first.stopped and first.stopped_in == "Neck tilt"
    assert [(r.exercise, r.kind, r.done) for r in first.steps] == [("Neck tilt", "hold", 1.0)]
    assert not second.stopped and second.completed == ("Neck tilt",)
    assert ("voicecoach: an unfinished session was saved at Neck tilt, step 3: to carry on "
            "from it, quit now and run again with --resume (once this new session moves on "
            "a step, it takes that place and the saved session goes into the history as it "
            "was, stopped early)\n") in err
    assert "Traceback" not in err


EDITED = ROUTINE + ANOTHER_EXERCISE


def test_a_place_saved_before_its_routine_file_was_edited_is_set_aside_never_offered(
        tmp_path: Path) -> None:
    """The walkthrough: a place saved, an exercise added to the file. --resume says once
    that it cannot carry it on and sets it aside; the session starts from the beginning,
    and nothing offers --resume of it again."""
    quit_mid_session(tmp_path, tmp_path / "first.jsonl", 2)
    data = tmp_path / "data"
    saved = (data / "progress-quick.json").read_bytes()
    again = start(tmp_path, tmp_path / "again.jsonl", "--resume", routine_text=EDITED)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert err.count("cannot be carried on") == 1, err
    assert ("voicecoach: the unfinished session saved before cannot be carried on (the saved "
            "progress is of other exercises: another routine of this name, or this one "
            "edited since); it is kept as progress-quick.json.outdated, and this session "
            "starts from the beginning\n") in err
    assert "resuming with" not in err and "--resume" not in out
    assert (data / "progress-quick.json.outdated").read_bytes() == saved
    history = subprocess.run(
        [sys.executable, "-m", "voicecoach", "history"], capture_output=True, text=True,
        env={**os.environ, "VOICECOACH_DATA": str(data)}, timeout=60, check=True)
    assert "--resume" not in history.stdout and "Unfinished" not in history.stdout
    assert history.stderr == ""
