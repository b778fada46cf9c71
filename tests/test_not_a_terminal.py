"""``voicecoach run`` with its output going to a file or a pipe: plain captions, not a full
screen's escape codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_a_session_into_a_pipe_prints_plain_captions(tmp_path: Path) -> None:
    env = {**os.environ, "VOICECOACH_DATA": str(tmp_path / "data"),
           "PULSE_SERVER": f"unix:{tmp_path}/no-sound-server"}
    child = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "run", "--no-listen", "--mute", "--hold", "5"],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        out, err = child.communicate(timeout=6)  # the session runs on: it is cut short
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate(timeout=15)
    first = out.splitlines(keepends=True)[:2]
    assert len(first) == 2, (out, err)
    assert first[0].startswith("keys: space pause/resume, n next"), first
    assert "Exercise one of four: Hip 90/90 Stretch." in first[1]
    assert "\x1b[" not in "".join(first)
    assert "the output is not a terminal: plain captions, as with --no-tui" in err
