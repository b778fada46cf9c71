"""voicecoach in a real terminal (tmux), driven by keys and signals as a person would."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.tmux import Tmux, tmux_session
from voicecoach.storage.eventlog import read_log
from voicecoach.storage.progress import ProgressStore

pytestmark = pytest.mark.tmux

VOICECOACH = Path(sys.executable).with_name("voicecoach")
REPO = Path(__file__).resolve().parents[1]
THIS_CHECKOUT = f"{shlex.quote(sys.executable)} -m voicecoach"
"""voicecoach from this checkout (the tmux session starts in it), whatever is installed."""
QUIET = "--mute --no-listen --hold 30"


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    assert VOICECOACH.exists(), f"{VOICECOACH} is missing: pip install -e . (scripts/setup)"
    env = {
        **os.environ,
        "VOICECOACH_DATA": str(tmp_path / "data"),
        "PULSE_SERVER": f"unix:{tmp_path}/no-sound-server",  # no speaker, no microphone
        "TERM": "xterm-256color",
    }
    with tmux_session(REPO, env) as session:
        yield session


def wait_until(done: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not in {timeout} s")
        time.sleep(0.1)


def test_a_session_by_keys_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    log = tmp_path / "session.jsonl"
    tmux.send(f"stty -a > {tmp_path}/stty-before; {VOICECOACH} run --hold 5 --reps 2 "
              f"--log {log}; echo EXIT=$?; stty -a > {tmp_path}/stty-after", "Enter")
    screen = tmux.wait_for("Hip 90/90 Stretch")
    assert "Traceback" not in screen
    assert "No speaker found: showing captions until one is there" in screen
    tmux.send("n")
    tmux.wait_for("Sit on the floor and fold your right leg")
    tmux.send("e")
    tmux.wait_for("EASIER")
    tmux.send("Space")
    tmux.wait_for("PAUSED")
    tmux.send("Space")
    tmux.wait_gone("PAUSED")
    tmux.send("q")
    tmux.wait_for("Stop the session?")
    tmux.send("n")
    tmux.wait_gone("Stop the session?")
    tmux.send("q")
    tmux.wait_for("Stop the session?")
    tmux.send("y")
    tmux.wait_for("Stopped early")
    tmux.send("Enter")
    screen = tmux.wait_for("EXIT=0")
    assert "Hip 90/90" not in screen  # the alternate screen is gone
    assert re.search(r"Stopped early after 0:\d\d, 0 exercises done\. `voicecoach history` "
                     r"lists your sessions\.\nEXIT=0", screen), screen
    after = tmp_path / "stty-after"
    wait_until(lambda: after.exists() and after.stat().st_size > 0, "stty ran")
    assert (tmp_path / "stty-before").read_text() == after.read_text()
    commands = [record for record in read_log(log) if record["event"] == "command"]
    # q pauses while it asks; "n" resumes, "y" stops.
    assert [c["command"] for c in commands] == ["next", "easier", "pause", "resume", "pause",
                                                "resume", "pause", "stop"]
    assert all(c["source"] == "key" for c in commands)
    history = subprocess.run(
        [str(VOICECOACH), "history"], capture_output=True, text=True, check=True,
        env={**os.environ, "VOICECOACH_DATA": str(tmp_path / "data")}).stdout
    assert "back-pain" in history and "stopped early" in history


@pytest.mark.parametrize("shell", ["bash", "dash"])
def test_ctrl_z_gives_the_terminal_back_and_fg_the_keys_at_once(tmux: Tmux, tmp_path: Path,
                                                                shell: str) -> None:
    if shell == "dash":  # unlike bash, it leaves the terminal as a stopped job left it
        tmux.send('PS1="$(echo dash)> " dash -i', "Enter")
        tmux.wait_for("dash> ")
    before, stopped = tmp_path / "stty-before", tmp_path / "stty-stopped"
    tmux.send(f"stty -a > {before}; {THIS_CHECKOUT} run --no-tui {QUIET}", "Enter")
    tmux.wait_for("Exercise one of four: Hip 90/90 Stretch.")
    tmux.send("C-z")
    tmux.wait_for("Stopped")
    tmux.send(f"stty -a > {stopped}", "Enter")
    wait_until(lambda: stopped.exists() and stopped.stat().st_size > 0, "stty ran")
    assert stopped.read_text() == before.read_text()  # the shell's terminal, as it was
    tmux.send("fg", "Enter")
    tty = tmux.show("pane_tty")

    def keys_work() -> bool:  # voicecoach in the foreground (first), in cbreak mode
        in_front = tmux.show("pane_current_command").startswith("python")
        settings = subprocess.run(["stty", "-a", "-F", tty], capture_output=True,
                                  text=True, check=True).stdout.split()
        return in_front and "-icanon" in settings

    wait_until(keys_work, "cbreak mode again after fg")
    tmux.wait_for("Paused. Take your time.")  # the time it was stopped is no one's
    tmux.send("n")
    screen = tmux.wait_for("Hip 90/90 Stretch, right side, step 1. Ready when you are.")
    after_fg = screen.split(" fg\n")[-1].splitlines()
    assert not any(line.startswith("n") for line in after_fg), screen  # not echoed
    assert "Traceback" not in screen


@pytest.mark.parametrize(("front_end", "how"), [("", "SIGTERM"), ("--no-tui", "SIGTERM"),
                                                ("--no-tui", "C-c"), ("", "C-c"),
                                                ("", "SIGHUP")])
def test_kill_or_ctrl_c_quits_as_a_quit_does(tmux: Tmux, tmp_path: Path, front_end: str,
                                             how: str) -> None:
    pid = tmp_path / "pid"
    run = f"exec {THIS_CHECKOUT} run {front_end} {QUIET}"
    tmux.send(f"stty -a > {tmp_path}/stty-before; sh -c {shlex.quote(f'echo $$ > {pid}; {run}')}"
              f"; echo EXIT=$?; stty -a > {tmp_path}/stty-after", "Enter")
    tmux.wait_for("Hip 90/90 Stretch")
    tmux.send("n")
    tmux.wait_for("Sit on the floor and fold your right leg")
    if how == "C-c":
        tmux.send("C-c")
    else:
        os.kill(int(pid.read_text()), signal.Signals[how])
    # Ctrl-C: the full screen takes it as its Ctrl+Q, a plain session as SIGINT
    status = (130 if front_end else 0) if how == "C-c" else 128 + signal.Signals[how]
    screen = tmux.wait_for(f"EXIT={status}")
    ran = f"{'--no-tui ' if front_end else ''}--mute --no-listen"  # --hold 30 is saved
    assert (f"Quit mid-session: your place is saved; `voicecoach run {ran} --resume` "
            f"carries on.\nEXIT={status}") in screen, screen
    assert not re.search("Terminated|Hangup|Traceback|interrupted", screen), screen
    assert tmux.show("alternate_on") == "0"
    assert ProgressStore(tmp_path / "data").load("back-pain") is not None
    after = tmp_path / "stty-after"
    wait_until(lambda: after.exists() and after.stat().st_size > 0, "stty ran")
    assert (tmp_path / "stty-before").read_text() == after.read_text()


def test_c_carries_on_from_the_session_saved_before(tmux: Tmux, tmp_path: Path) -> None:
    """A session quit mid-way (Ctrl+Q), then started again without --resume: its notice
    offers c, which carries on from the saved step, as --resume would."""
    tmux.send(f"{THIS_CHECKOUT} run {QUIET}", "Enter")
    tmux.wait_for("Hip 90/90 Stretch")
    tmux.send("n")
    tmux.wait_for("Step 1 of 6")
    tmux.send("n")
    tmux.wait_for("Step 2 of 6")
    tmux.send("C-q")
    tmux.wait_for("Quit mid-session: your place is saved")
    tmux.send(f"clear; {THIS_CHECKOUT} run {QUIET}; echo EXIT=$?", "Enter")
    offer = tmux.wait_for("was saved at Hip 90/90 Stretch, right side, step 2")
    assert "step 2: press c or say “continue” to carry on from it" in " ".join(offer.split())
    tmux.send("c")
    screen = tmux.wait_for("Step 2 of 6")  # the saved step, not the introduction
    assert "to carry on from it" not in screen and "Traceback" not in screen
    tmux.send("C-q")
    screen = tmux.wait_for("EXIT=0")
    assert "Quit mid-session: your place is saved" in screen.split("clear;")[-1], screen
    assert "Quit before the first step" not in screen  # the first app said nothing


def test_a_terminal_closed_under_a_plain_session_ends_it_as_a_quit_does(
        tmux: Tmux, tmp_path: Path) -> None:
    """The terminal itself gone (not only SIGHUP): its settings cannot be put back, and
    that is no crash; the ending line still reaches the file the output goes to."""
    pid, out, err = tmp_path / "pid", tmp_path / "out", tmp_path / "err"
    run = f"exec {THIS_CHECKOUT} run --no-tui {QUIET} > {out} 2> {err}"
    tmux.send(f"sh -c {shlex.quote(f'echo $$ > {pid}; {run}')}", "Enter")
    wait_until(lambda: "Exercise one of four" in (out.read_text() if out.exists() else ""),
               "the session started")
    tmux.tmux("kill-server")  # the terminal closes under it
    process = int(pid.read_text())

    def ended() -> bool:
        try:
            os.kill(process, 0)
        except ProcessLookupError:
            return True
        return False

    wait_until(ended, "the session ended")
    assert "Traceback" not in err.read_text(), err.read_text()
    assert "Quit before the first step" in out.read_text().splitlines()[-1], out.read_text()
