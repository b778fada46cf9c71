"""C libraries' stderr goes to a log, ours stays on the terminal: in the TUI and in
``--no-tui`` alike (PortAudio and ALSA flood fd 2 while the sound server is down)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.pulse import private_pulse_server

REPO = Path(__file__).resolve().parents[1]

REDIRECT_THEN_WRITE = """
import os, subprocess, sys
from pathlib import Path
from voicecoach.frontends.stderr_redirect import redirect_c_stderr

assert redirect_c_stderr(Path(sys.argv[1])) is not None
os.write(2, b"written to fd 2, as C code does\\n")
subprocess.run(["sh", "-c", "echo a child process complaining >&2"], check=True)
print("voicecoach: our own message", file=sys.stderr)
raise SystemExit("voicecoach: our own last words")
"""


def test_fd_2_goes_to_the_log_and_our_messages_to_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "native-stderr.log"
    run = subprocess.run([sys.executable, "-c", REDIRECT_THEN_WRITE, str(log)], cwd=REPO,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 1
    assert run.stderr == "voicecoach: our own message\nvoicecoach: our own last words\n"
    assert log.read_text() == ("written to fd 2, as C code does\n"
                               "a child process complaining\n")


@pytest.mark.pulse
def test_no_tui_keeps_portaudio_complaints_off_the_terminal(tmp_path: Path) -> None:
    """The sound server goes away mid-session: PortAudio's complaints go to the log."""
    data = tmp_path / "data"
    with private_pulse_server(tmp_path) as pulse:
        app = subprocess.Popen(
            [sys.executable, "-m", "voicecoach", "run", "--no-tui", "--no-listen",
             "--voice", "brisk"],
            cwd=REPO, env=pulse.child_env(VOICECOACH_DATA=str(data)),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        try:
            assert app.stdout is not None
            app.stdout.readline()  # the keys
            assert "Exercise one of four" in app.stdout.readline()  # speaking
            time.sleep(1.0)
            pulse.stop()
            native_log = data / "logs" / "native-stderr.log"
            deadline = time.monotonic() + 20.0  # the narrator finds the output gone
            while time.monotonic() < deadline and "pa_linux_alsa.c" not in (
                    native_log.read_text(errors="replace") if native_log.exists() else ""):
                time.sleep(0.2)
            time.sleep(0.5)  # and tries it again
            app.send_signal(signal.SIGINT)
            out, err = app.communicate(timeout=30)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
    native = (data / "logs" / "native-stderr.log").read_text()
    assert app.returncode == 130, native[-3000:]  # Ctrl-C; PortAudio used to abort the exit
    assert "pa_linux_alsa.c" in native  # PortAudio did complain, into the log
    assert "pa_linux_alsa.c" not in err and "ALSA lib" not in err, err
    assert "\nQuit " in f"\n{out}", out  # Ctrl-C quits as a quit does, saying so
    # (that our own messages still reach stderr: the test above)
