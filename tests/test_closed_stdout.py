"""A reader that stops reading (``voicecoach check x.toml | head -1``) ends every command
quietly with status 0, as Unix tools end, not with a complaint about a broken pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run_into_a_closed_pipe(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    """``voicecoach ARGS`` with stdout a pipe whose reading end is already closed."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "voicecoach", *args], cwd=REPO,
                              env=dict(os.environ, VOICECOACH_DATA=str(data)),
                              stdin=subprocess.DEVNULL, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [["check", "back-pain"], ["routines"], ["voices"],
                                  ["history"], ["model", "info"], ["--help"]])
def test_a_reader_gone_ends_the_command_quietly(args: list[str], tmp_path: Path) -> None:
    run = run_into_a_closed_pipe(args, tmp_path)
    assert (run.returncode, run.stderr) == (0, "")
