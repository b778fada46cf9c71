"""A process whose shutdown hangs (as PortAudio's once did) is ended all the same."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HANGS_AT_EXIT = """
import atexit, sys, time
from voicecoach.cli.exit_watchdog import end_if_stuck
atexit.register(time.sleep, 120)  # as a sound library's exit handler stuck in C code
end_if_stuck(7, after=1.0)
print("the command returned", flush=True)
sys.exit(0)
"""

ENDS_IN_TIME = """
import sys
from voicecoach.cli.exit_watchdog import end_if_stuck
end_if_stuck(7, after=60.0)
sys.exit(3)
"""


def run(code: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=False)
    return done, time.monotonic() - started


def test_a_process_stuck_in_its_exit_is_ended_with_the_commands_status() -> None:
    done, took = run(HANGS_AT_EXIT)
    assert done.returncode == 7 and took < 20, (done, took)
    assert done.stdout == "the command returned\n"


def test_a_process_that_ends_in_time_is_not_held_back() -> None:
    done, took = run(ENDS_IN_TIME)
    assert done.returncode == 3 and took < 20, (done, took)
