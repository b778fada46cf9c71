"""A private, real PulseAudio server for tests: a fake speaker and a fake microphone.

:func:`private_pulse_server` starts ``pulseaudio`` on its own unix socket (nothing else on
the machine is touched) with two null sinks:

- ``speaker``: the default sink; what the app plays can be recorded from ``speaker.monitor``.
- ``mic_feed``: what a test plays into it comes out of ``mic_feed.monitor``, the default
  source, which the app records as its microphone.

PortAudio (sounddevice) reaches PulseAudio through ALSA's pulse plugin (Debian:
``libasound2-plugins``) and lists devices once, when sounddevice is imported; so code that
uses sounddevice must run in a subprocess started with :attr:`PulseServer.env` set.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

INSTALL_HINT = "apt-get install pulseaudio pulseaudio-utils libasound2-plugins"
RECORD_RATE = 22050
"""Sample rate of recordings (mono, 16-bit)."""


class PulseUnavailable(RuntimeError):
    """PulseAudio or its tools are missing, or the server did not start."""


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise PulseUnavailable(f"{tool} not found: {INSTALL_HINT}")
    return path


@dataclass
class Recording:
    """A recording running in the background; :meth:`wait` or :meth:`stop` finishes it."""

    path: Path
    seconds: float
    process: subprocess.Popen[bytes]
    started: float
    """``time.monotonic()`` when parecord was started."""
    _result: np.ndarray | None = field(default=None, repr=False)

    def wait(self) -> np.ndarray:
        """Wait until ``seconds`` have passed since the start, then :meth:`stop`."""
        if self._result is None:
            time.sleep(max(0.0, self.started + self.seconds - time.monotonic()))
        return self.stop(grace=0.0)

    def stop(self, grace: float = 0.3) -> np.ndarray:
        """Stop after ``grace`` seconds (sound still on its way) and return int16 samples."""
        if self._result is not None:
            return self._result
        time.sleep(grace)
        self.process.send_signal(signal.SIGINT)  # parecord then finishes the WAV header
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with wave.open(str(self.path), "rb") as wav:
            frames = wav.readframes(wav.getnframes())
        self._result = np.frombuffer(frames, dtype="<i2").copy()
        return self._result


@dataclass
class PulseServer:
    """A running private PulseAudio daemon."""

    runtime: Path
    """Its private runtime folder (holds the socket); removed by :meth:`stop`."""
    socket: Path
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str]
    """Variables that point clients at this server: ``PULSE_SERVER=unix:<socket>``."""

    def child_env(self, **extra: str) -> dict[str, str]:
        """``os.environ`` plus :attr:`env` (and ``extra``), for a subprocess."""
        merged = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PULSE_") and key != "ALSA_CONFIG_PATH"
        }
        merged.update(self.env)
        merged.update(extra)
        return merged

    def pactl(self, *args: str) -> str:
        """Run ``pactl`` against this server and return its output."""
        result = subprocess.run(
            [_require("pactl"), *args],
            env=self.child_env(),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if result.returncode != 0:
            raise PulseUnavailable(f"pactl {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def play_wav_into_mic(self, path: Path | str, *, wait: bool = True) -> subprocess.Popen[bytes]:
        """Play a WAV file into ``mic_feed`` (heard on the default source); wait for its end."""
        process = subprocess.Popen(
            [_require("paplay"), "--device=mic_feed", str(path)],
            env=self.child_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if wait:
            _, err = process.communicate(timeout=120)
            if process.returncode != 0:
                raise PulseUnavailable(f"paplay {path} failed: {err.decode(errors='replace')}")
        return process

    def record(self, device: str, path: Path | str, seconds: float) -> Recording:
        """Start recording ``device`` for ``seconds`` (mono 22050 Hz); returns at once."""
        # Straight to a file: a pipe nobody drains would stall parecord and lose audio.
        process = subprocess.Popen(
            [
                _require("parecord"),
                f"--device={device}",
                "--file-format=wav",
                "--format=s16le",
                f"--rate={RECORD_RATE}",
                "--channels=1",
                str(path),
            ],
            env=self.child_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return Recording(Path(path), seconds, process, time.monotonic())

    def record_speaker(self, path: Path | str, seconds: float) -> Recording:
        """Start recording what is played to the ``speaker`` sink; returns at once."""
        return self.record("speaker.monitor", path, seconds)

    def stop(self) -> None:
        """Stop the daemon and remove its runtime folder."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.runtime, ignore_errors=True)


def _wait_for_server(server: PulseServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            log = server.log_path.read_text(errors="replace")[-2000:]
            raise PulseUnavailable(f"pulseaudio exited with {server.process.returncode}:\n{log}")
        try:
            server.pactl("info")
            return
        except (PulseUnavailable, subprocess.TimeoutExpired):
            if time.monotonic() > deadline:
                log = server.log_path.read_text(errors="replace")[-2000:]
                raise PulseUnavailable(
                    f"pulseaudio did not answer in {timeout} s:\n{log}"
                ) from None
            time.sleep(0.05)


def start_pulse_server(tmp_dir: Path | str, runtime: Path | None = None) -> PulseServer:
    """Start a private PulseAudio daemon logging under ``tmp_dir``; call ``stop()`` when
    done. ``runtime``: reuse that socket folder (a server restarting where clients knew it)."""
    pulseaudio = _require("pulseaudio")
    for tool in ("pactl", "paplay", "parecord"):
        _require(tool)
    # A unix socket path must stay short (108 bytes), so the runtime dir is a fresh short one.
    if runtime is None:
        runtime = Path(tempfile.mkdtemp(prefix="vc-pulse-", dir="/tmp"))
    else:
        runtime.mkdir(mode=0o700, exist_ok=True)
    socket = runtime / "native"
    log_path = Path(tmp_dir) / "pulseaudio.log"
    daemon_env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PULSE_", "XDG_"))
    }
    daemon_env.update(
        HOME=str(runtime),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(runtime / "config"),
        XDG_STATE_HOME=str(runtime / "state"),
        PULSE_RUNTIME_PATH=str(runtime),
        PULSE_STATE_PATH=str(runtime / "state"),
    )
    command = [
        pulseaudio,
        "--daemonize=no",
        "-n",  # no default.pa: only the modules below
        "--exit-idle-time=-1",
        "--use-pid-file=no",
        "--disallow-module-loading=no",
        "--log-target=stderr",
        "--log-level=warning",
        f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
        "--load=module-null-sink sink_name=speaker norewinds=1"
        " sink_properties=device.description=speaker",
        "--load=module-null-sink sink_name=mic_feed norewinds=1"
        " sink_properties=device.description=mic_feed",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=daemon_env, stdout=log, stderr=subprocess.STDOUT, cwd=runtime
        )
    server = PulseServer(runtime, socket, process, log_path, {"PULSE_SERVER": f"unix:{socket}"})
    try:
        _wait_for_server(server, timeout=15)
        server.pactl("set-default-sink", "speaker")
        server.pactl("set-default-source", "mic_feed.monitor")
    except BaseException:
        server.stop()
        raise
    return server


@contextlib.contextmanager
def private_pulse_server(
    tmp_dir: Path | str, runtime: Path | None = None
) -> Iterator[PulseServer]:
    """Run a private PulseAudio daemon for the ``with`` block (see the module docstring)."""
    server = start_pulse_server(tmp_dir, runtime)
    try:
        yield server
    finally:
        server.stop()


def speech_windows(
    samples: np.ndarray, rate: int = RECORD_RATE, window: float = 0.02
) -> np.ndarray:
    """RMS of each ``window``-second slice of int16 samples."""
    size = max(1, round(rate * window))
    count = len(samples) // size
    if count == 0:
        return np.zeros(0)
    frames = samples[: count * size].astype(np.float64).reshape(count, size)
    result: np.ndarray = np.sqrt(np.mean(frames**2, axis=1))
    return result
