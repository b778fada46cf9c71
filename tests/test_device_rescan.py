"""A sound server that starts after the session is picked up: the microphone and the
speaker open on it once it is there, though PortAudio listed the devices before it was.

Real PortAudio and a real private PulseAudio server, in child processes (PortAudio lists
the devices when sounddevice is imported, so each child starts with the server down).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from tests.support.pulse import start_pulse_server

pytestmark = pytest.mark.pulse

REPO = Path(__file__).resolve().parents[1]

CALLBACKS_COMING = """
def callbacks_coming(stream):
    # Callbacks still arrive: one within 0.2 s at some moment of the 3 s after 0.5 s
    # (a busy machine can hold a callback back for a moment; a stalled stream never).
    time.sleep(0.5)
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        if time.monotonic() - stream.last_callback < 0.2:
            return True
        time.sleep(0.05)
    return False
"""
"""A child's check that a stream's callbacks keep coming."""

OPEN_LATE = CALLBACKS_COMING + """
import sys, time
from voicecoach.speech_in.mic import MicStream
from voicecoach.speech_out.output import LinePlayer

def open_it():
    if sys.argv[1] == "mic":
        mic = MicStream()
        mic.open()
        return mic
    return LinePlayer(None, 22050, lambda: 0, lambda playing: None)

try:
    open_it()
    print("opened with no server", flush=True)
except Exception as error:
    print(f"no server: {error}", flush=True)
sys.stdin.readline()  # the server is up now
stream = open_it()
print("callbacks coming" if callbacks_coming(stream) else "stalled", flush=True)
stream.close()
"""

RESCAN_WITH_A_STREAM_OPEN = CALLBACKS_COMING + """
import time
from voicecoach.audio.devices import open_streams, rescan_devices
from voicecoach.speech_in.mic import MicStream

mic = MicStream()
mic.open()
print("rescan with the mic open:", rescan_devices(), open_streams(), flush=True)
print("callbacks coming" if callbacks_coming(mic) else "stalled")
mic.close()
print("rescan with the mic closed:", rescan_devices(), open_streams(), flush=True)
"""


def child_env(socket: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PULSE_") and key != "ALSA_CONFIG_PATH"}
    env["PULSE_SERVER"] = f"unix:{socket}"
    return env


@pytest.mark.parametrize("side", ["mic", "speaker"])
def test_a_sound_server_started_after_the_session_is_picked_up(
        tmp_path: Path, side: str) -> None:
    runtime = Path(tempfile.mkdtemp(prefix="vc-late-", dir="/tmp"))  # a short socket path
    child = subprocess.Popen([sys.executable, "-c", OPEN_LATE, side], cwd=REPO,
                             env=child_env(runtime / "native"), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server = None
    try:
        assert child.stdin is not None and child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith("no server: "), first
        server = start_pulse_server(tmp_path, runtime)
        child.stdin.write("go\n")
        child.stdin.flush()
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if server is not None:
            server.stop()
        shutil.rmtree(runtime, ignore_errors=True)
    assert child.returncode == 0, err
    assert out == "callbacks coming\n"


def test_no_rescan_while_a_stream_is_open(tmp_path: Path) -> None:
    server = start_pulse_server(tmp_path)
    try:
        run = subprocess.run([sys.executable, "-c", RESCAN_WITH_A_STREAM_OPEN], cwd=REPO,
                             env=server.child_env(), capture_output=True, text=True,
                             timeout=60, check=False)
    finally:
        server.stop()
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["rescan with the mic open: False 1", "callbacks coming",
                                       "rescan with the mic closed: True 0"]


class Lines:
    """A child's stdout read on a thread, so waiting for a line can time out."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        stream = process.stdout

        def pump() -> None:
            with contextlib.suppress(ValueError):  # closed by communicate() at the end
                for line in stream:
                    self._queue.put(line)

        threading.Thread(target=pump, daemon=True).start()

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.seen):
            try:
                self.seen.append(self._queue.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"{text!r} never came; the session said {self.seen}") \
                    from None


@pytest.mark.vosk
def test_a_live_session_hears_a_microphone_that_came_late(tmp_path: Path) -> None:
    """The README's promise: with the sound server down, the session goes on with the keys
    and says so; once the server is up, the microphone is picked up by itself."""
    from tests.support.speech import synthesize, write_wav

    runtime = Path(tempfile.mkdtemp(prefix="vc-late-", dir="/tmp"))
    app = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "run", "--no-tui", "--voice", "brisk"],
        cwd=REPO, env={**child_env(runtime / "native"), "VOICECOACH_DATA": str(tmp_path)},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server = None
    try:
        said = Lines(app)
        said.wait_for("[listener] no microphone")
        server = start_pulse_server(tmp_path, runtime)
        said.wait_for("[listener] listening")
        clip = synthesize("stop", "en-us", 160) * 0.5
        pause = np.zeros(8000, np.float32)
        server.play_wav_into_mic(write_wav(tmp_path / "stop.wav",
                                           np.concatenate([pause, clip, pause, pause])))
        said.wait_for("[heard] stop -> stop")
        _, err = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        if server is not None:
            server.stop()
        shutil.rmtree(runtime, ignore_errors=True)
    assert app.returncode == 0, err
