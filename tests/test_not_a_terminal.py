"""``voicecoach run`` with its output going to a file or a pipe: plain captions, not a full
screen's escape codes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

from voicecoach.core.record import Summary
from voicecoach.storage.progress import History

REPO = Path(__file__).resolve().parents[1]


def first_lines(data: Path, count: int, deadline: float = 60.0) -> tuple[list[str], str]:
    """The first ``count`` lines a session prints into a pipe (it is then cut short), and
    its standard error; waits up to ``deadline`` seconds for them (a loaded machine starts
    slowly)."""
    env = {**os.environ, "VOICECOACH_DATA": str(data),
           "PULSE_SERVER": f"unix:{data}/no-sound-server"}
    child = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "run", "--no-listen", "--mute", "--hold", "5"],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    timer = threading.Timer(deadline, child.kill)
    timer.start()
    try:
        assert child.stdout is not None
        while len(lines) < count:
            line = child.stdout.readline()
            if not line:
                break
            lines.append(line)
    finally:
        timer.cancel()
        child.kill()
        _, err = child.communicate(timeout=15)
    assert len(lines) == count, (lines, err)
    return lines, err


def test_a_session_into_a_pipe_prints_plain_captions(tmp_path: Path) -> None:
    first, err = first_lines(tmp_path / "data", 2)
    # stdin is /dev/null here: no key can come, and the first line says so
    assert first[0] == "keys: none read, the input is not a terminal (Ctrl-C quits)\n", first
    assert "Exercise one of four: Hip 90/90 Stretch." in first[1]
    assert "\x1b[" not in "".join(first)
    assert "the output is not a terminal: plain captions, as with --no-tui" in err


def test_the_streak_is_said_once_before_the_first_exercise(tmp_path: Path) -> None:
    history = History(tmp_path / "data")
    now = datetime.now().astimezone()
    for back in (2, 1):
        history.append(Summary(routine="back-pain", title="Back pain", active_seconds=700,
                               stopped=False, completed=("Hip 90/90 Stretch",), easier=(),
                               skipped=(), not_reached=(),
                               ended=(now - timedelta(days=back)).isoformat()))
    first, _ = first_lines(tmp_path / "data", 4)
    assert first[0].startswith("keys: "), first
    captions = first[1:]
    assert "Third day in a row." in captions[0]
    assert "Exercise one of four: Hip 90/90 Stretch." in captions[1]
    assert not any("in a row" in line for line in captions[1:])
