"""Two sessions of one routine at once, as real commands: the first keeps its place, the
second runs without saving, says so at its start and at its end, and refuses --resume;
a session of another routine is not in the way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_progress import SNAPSHOT
from tests.test_resume_after_crash import HELD, start, wait_for_segment
from voicecoach.cli.main import main
from voicecoach.cli.status import ExitStatus
from voicecoach.storage.progress import ProgressStore
from voicecoach.storage.session_lock import SessionLock


def saved_at(progress: Path, segment: int, timeout: float = 20.0) -> bytes:
    """The progress file once it holds ``segment``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if progress.exists() and json.loads(progress.read_bytes())["segment"] == segment:
            return progress.read_bytes()
        time.sleep(0.1)
    raise AssertionError(f"segment {segment} never saved in {progress}")


def quit_with_sigterm(app: subprocess.Popen[str]) -> tuple[str, str]:
    app.send_signal(signal.SIGTERM)
    out, err = app.communicate(timeout=60)
    assert app.returncode == 143, err
    return out, err


def test_a_second_session_of_a_routine_runs_without_moving_the_first_ones_place(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    progress = data / "progress-quick.json"
    first = start(tmp_path, tmp_path / "first.jsonl", "--hold", "30", routine_text=HELD)
    second = other = None
    try:
        wait_for_segment(tmp_path / "first.jsonl", 2)  # in its 30-second hold
        place = saved_at(progress, 2)
        assert json.loads(place)["run_options"]["hold"] == 30

        second = start(tmp_path, tmp_path / "second.jsonl", "--hold", "1", routine_text=HELD)
        other_routine = tmp_path / "other" / "quick.toml"  # another file, another name
        other_routine.parent.mkdir()
        other = start(tmp_path / "other", tmp_path / "other.jsonl",
                      routine_text=HELD.replace('name = "quick"', 'name = "other"'),
                      data=data)
        wait_for_segment(tmp_path / "second.jsonl", 4)  # past the first one's place
        wait_for_segment(tmp_path / "other.jsonl", 2)
        out, err = quit_with_sigterm(second)
        assert err.count("another voicecoach session") == 1, err
        assert (f"voicecoach: another voicecoach session of 'quick' is running "
                f"(pid {first.pid}): this one will not save your place\n") in err
        assert out.strip().splitlines()[-1] == (
            "Quit mid-session: this session did not save its place (another session of "
            "the routine was running).")
        assert "saved" not in out.replace("did not save", "")
        assert progress.read_bytes() == place

        _out, err = quit_with_sigterm(other)
        assert "another voicecoach session" not in err, err
        assert json.loads((data / "progress-other.json").read_bytes())["segment"] >= 2

        resumed = start(tmp_path, tmp_path / "resumed.jsonl", "--resume", routine_text=HELD)
        _out, err = resumed.communicate(timeout=60)
        assert resumed.returncode == 2, err
        assert err == (f"voicecoach: cannot resume: another voicecoach session of 'quick' is "
                       f"running (pid {first.pid}), and the place saved is its own; quit that "
                       "one first (its place stays saved), or run without --resume for a "
                       "session that does not save\n")
        assert not (tmp_path / "resumed.jsonl").exists()  # refused before it began
        assert progress.read_bytes() == place

        out, err = quit_with_sigterm(first)
        assert " --no-tui --mute --no-listen --resume` carries on." in out, err
        assert "--hold" not in out  # saved: --resume takes it back
        assert "Quit mid-session: your place is saved;" in out
        assert progress.read_bytes() == place
    finally:
        for app in (first, second, other):
            if app is not None and app.poll() is None:
                app.kill()
                app.communicate()


def test_resume_is_refused_while_another_session_holds_the_routine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Two lock holders in one process: the test's, and the command's."""
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path))
    store = ProgressStore(tmp_path)
    store.save(SNAPSHOT)
    with SessionLock(store.lock_path_for("back-pain")) as held:
        assert held.take()
        assert main(["run", "--resume", "--no-tui", "--mute", "--no-listen"]) == (
            ExitStatus.BAD_INPUT)
    assert capsys.readouterr().err.startswith(
        f"voicecoach: cannot resume: another voicecoach session of 'back-pain' is running "
        f"(pid {os.getpid()}), and the place saved is its own;")
    assert store.load("back-pain") == SNAPSHOT
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "progress-back-pain.json", "progress-back-pain.lock"]  # nothing else began
