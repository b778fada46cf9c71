"""The speaker stream when the sound server goes away: stopping a line returns at once
(restarting a stream whose server is gone would wait forever), and the process still
exits cleanly (PortAudio's shutdown at exit used to abort the process mid-call)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.pulse import start_pulse_server

pytestmark = pytest.mark.pulse

REPO = Path(__file__).resolve().parents[1]

CUT_AFTER_THE_SERVER_WENT = """
import faulthandler, sys, time
from voicecoach.speech_out.output import LinePlayer

faulthandler.dump_traceback_later(20, exit=True)  # a hang is a failure, not a stuck test
player = LinePlayer(None, 22050, lambda: 0, lambda playing: None)
print("open", flush=True)
sys.stdin.readline()  # the server is gone now
time.sleep(2.0)
print("stalled" if player.stalled(time.monotonic()) else "still playing", flush=True)
started = time.monotonic()
player.cut()
player.cut()  # a second cut of the stopped stream is no error either
print(f"cut in {time.monotonic() - started:.2f} s", flush=True)
player.close()
print("closed", flush=True)
"""


def test_cutting_a_line_after_the_server_went_returns_at_once(tmp_path: Path) -> None:
    server = start_pulse_server(tmp_path)
    child = subprocess.Popen([sys.executable, "-c", CUT_AFTER_THE_SERVER_WENT], cwd=REPO,
                             env=server.child_env(), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdin is not None and child.stdout is not None
        assert child.stdout.readline() == "open\n"
        server.stop()
        child.stdin.write("go\n")
        child.stdin.flush()
        out, err = child.communicate(timeout=60)
    finally:
        server.stop()
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err[-3000:]
    stalled, cut, closed = out.splitlines()
    assert (stalled, closed) == ("stalled", "closed"), err[-3000:]
    seconds = float(cut.removeprefix("cut in ").removesuffix(" s"))
    assert seconds < 0.5, f"the cut waited on the server that is gone: {cut}"
