"""The lock of the one session that saves a routine's progress, on real files: two holders
in one process (flock is per open file), and a holder in a child killed with kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_progress import SNAPSHOT
from voicecoach.storage.progress import ProgressStore
from voicecoach.storage.session_lock import SessionLock

REPO = Path(__file__).resolve().parents[1]
HOLD_UNTIL_KILLED = """
import sys, time
from pathlib import Path
from voicecoach.storage.session_lock import SessionLock

lock = SessionLock(Path(sys.argv[1]))
print("held" if lock.take() else "busy", flush=True)
time.sleep(120)
"""


def test_a_second_holder_of_a_routine_is_refused_until_the_first_lets_go(
        tmp_path: Path) -> None:
    path = ProgressStore(tmp_path).lock_path_for("back-pain")
    with SessionLock(path) as first, SessionLock(path) as second:
        assert first.take() and first.held
        assert not second.take() and not second.held
        assert second.holder() == os.getpid()
        first.release()
        assert second.take()
        assert not first.take()
    assert SessionLock(path).take()  # leaving the `with` let it go


def test_the_lock_is_beside_the_progress_and_is_no_progress(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    for name in ("back-pain", "Back Pain", "a.b"):
        assert store.lock_path_for(name).parent == tmp_path
        assert store.lock_path_for(name).stem == store.path_for(name).stem
        assert store.lock_path_for(name).suffix == ".lock"
    assert store.lock_path_for("back-pain").name == "progress-back-pain.lock"
    store.save(SNAPSHOT)
    with SessionLock(store.lock_path_for("back-pain")) as lock:
        assert lock.take()
        assert store.unfinished() == ["back-pain"]
        assert store.load("back-pain") == SNAPSHOT
        store.clear("back-pain")
    assert store.lock_path_for("back-pain").exists()  # kept: only its lock matters


def test_routines_lock_apart(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    with (SessionLock(store.lock_path_for("back-pain")) as back,
          SessionLock(store.lock_path_for("morning")) as morning):
        assert back.take() and morning.take()
        store.save(SNAPSHOT)
        store.save(replace(SNAPSHOT, routine="morning", segment=2))
        assert store.unfinished() == ["back-pain", "morning"]


def test_a_session_killed_with_kill_9_leaves_no_lock_behind(tmp_path: Path) -> None:
    path = ProgressStore(tmp_path).lock_path_for("back-pain")
    child = subprocess.Popen([sys.executable, "-c", HOLD_UNTIL_KILLED, str(path)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "held\n"
        lock = SessionLock(path)
        assert not lock.take()
        assert lock.holder() == child.pid
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert path.read_text() == f"{child.pid}\n"  # the file stays, its lock does not
    with SessionLock(path) as lock:
        assert lock.take()
        assert lock.holder() == os.getpid()


def test_a_lock_that_cannot_be_made_names_its_file(tmp_path: Path) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("mine")
    path = ProgressStore(in_the_way / "data").lock_path_for("back-pain")
    with pytest.raises(OSError) as raised:
        SessionLock(path).take()
    assert raised.value.filename == str(path)
    assert in_the_way.read_text() == "mine"
