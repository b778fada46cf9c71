"""The sound server's echo canceller: loaded for a session, routed, cleaned up, restored.

Runs the real ``pactl`` against a private PulseAudio server (see tests/support/pulse.py).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.pulse import PulseServer, private_pulse_server
from voicecoach.speech_in.echo_cancel import SINK_NAME, SOURCE_NAME, EchoCanceller

pytestmark = [pytest.mark.pulse]


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[PulseServer]:
    with private_pulse_server(tmp_path) as server:
        yield server


def cancellers(pulse: PulseServer) -> list[list[str]]:
    rows = [line.split("\t") for line in pulse.pactl("list", "short", "modules").splitlines()]
    return [row for row in rows if row[1] == "module-echo-cancel"]


def test_start_loads_the_canceller_between_the_defaults_and_routes_the_streams(
        pulse: PulseServer) -> None:
    environ = dict(pulse.child_env())
    echo = EchoCanceller(environ=environ)
    status = echo.start()
    assert echo.active and status.startswith("echo cancelling on")
    [row] = cancellers(pulse)
    assert "source_master=mic_feed.monitor" in row[2] and "sink_master=speaker" in row[2]
    assert environ["PULSE_SINK"] == SINK_NAME and environ["PULSE_SOURCE"] == SOURCE_NAME
    assert SOURCE_NAME in pulse.pactl("list", "short", "sources")
    echo.close()
    assert not echo.active and cancellers(pulse) == []
    assert "PULSE_SINK" not in environ and "PULSE_SOURCE" not in environ


def test_close_gives_back_the_devices_the_person_had_chosen(pulse: PulseServer) -> None:
    environ = dict(pulse.child_env(PULSE_SINK="speaker"))
    echo = EchoCanceller(environ=environ)
    echo.start()
    assert environ["PULSE_SINK"] == SINK_NAME
    echo.close()
    assert environ["PULSE_SINK"] == "speaker" and "PULSE_SOURCE" not in environ


def test_a_canceller_left_by_a_crashed_session_is_replaced(pulse: PulseServer) -> None:
    first = EchoCanceller(environ=dict(pulse.child_env()))
    first.start()  # and never closed: the process died
    second = EchoCanceller(environ=dict(pulse.child_env()))
    second.start()
    [row] = cancellers(pulse)
    assert int(row[0]) == second.module != first.module
    second.close()
    assert cancellers(pulse) == []


def test_ensure_brings_the_canceller_back_after_the_server_lost_it(pulse: PulseServer) -> None:
    environ = dict(pulse.child_env())
    echo = EchoCanceller(environ=environ)
    echo.start()
    pulse.pactl("unload-module", str(echo.module))
    echo.ensure()
    [row] = cancellers(pulse)
    assert echo.active and int(row[0]) == echo.module
    assert environ["PULSE_SOURCE"] == SOURCE_NAME
    echo.close()


def test_ensure_falls_back_to_the_default_devices_until_it_can_reload(
        pulse: PulseServer) -> None:
    environ = dict(pulse.child_env())
    echo = EchoCanceller(environ=environ)
    echo.start()
    pulse.pactl("unload-module", str(echo.module))
    pulse.pactl("set-default-source", "speaker.monitor")  # no microphone left to clean
    echo.ensure()
    assert not echo.active
    assert "PULSE_SOURCE" not in environ and "PULSE_SINK" not in environ
    pulse.pactl("set-default-source", "mic_feed.monitor")  # a microphone again
    echo.ensure()
    assert echo.active and environ["PULSE_SOURCE"] == SOURCE_NAME
    echo.close()
    assert cancellers(pulse) == []


def test_ensure_reloads_the_canceller_when_a_restarted_server_is_back(tmp_path: Path) -> None:
    (tmp_path / "first").mkdir()
    with private_pulse_server(tmp_path / "first") as first:
        environ = dict(first.child_env())
        echo = EchoCanceller(environ=environ)
        echo.start()
    echo.ensure()  # the server is gone: default devices, so a retry can open them later
    assert not echo.active and "PULSE_SOURCE" not in environ
    (tmp_path / "again").mkdir()
    with private_pulse_server(tmp_path / "again", runtime=first.runtime) as again:
        echo.ensure()
        [row] = cancellers(again)
        assert echo.active and int(row[0]) == echo.module
        assert environ["PULSE_SOURCE"] == SOURCE_NAME
        echo.close()
        assert cancellers(again) == []


def test_an_input_that_already_cancels_echo_is_left_alone(pulse: PulseServer) -> None:
    pulse.pactl("load-module", "module-echo-cancel", "source_master=mic_feed.monitor",
                "sink_master=speaker", "source_name=system_aec", "sink_name=system_aec_out")
    pulse.pactl("set-default-source", "system_aec")
    environ = dict(pulse.child_env())
    echo = EchoCanceller(environ=environ)
    status = echo.start()
    assert not echo.active and "already cancels echo" in status
    assert len(cancellers(pulse)) == 1 and "PULSE_SOURCE" not in environ


def test_probe_says_whether_a_session_could_cancel_echo_and_loads_nothing(
        pulse: PulseServer) -> None:
    echo = EchoCanceller(environ=dict(pulse.child_env()))
    assert echo.probe() == ("echo cancelling available: a session puts it between "
                            "mic_feed.monitor and speaker")
    assert cancellers(pulse) == [] and not echo.active
    pulse.pactl("set-default-source", "speaker.monitor")
    assert echo.probe().startswith(
        "echo cancelling off in the sound server (the only input is the speaker's")


def test_without_a_sound_server_it_says_why_and_changes_nothing(tmp_path: Path) -> None:
    environ = {"PULSE_SERVER": f"unix:{tmp_path}/no-such-socket", "PATH": "/usr/bin:/bin"}
    echo = EchoCanceller(environ=environ)
    assert echo.probe().startswith("echo cancelling off in the sound server (no sound server "
                                   "running: neither PulseAudio nor PipeWire answers)")
    status = echo.start()
    assert not echo.active
    assert status.startswith("echo cancelling off in the sound server (")
    assert status.endswith("voicecoach cancels the narrator's echo itself")
    assert set(environ) == {"PULSE_SERVER", "PATH"}
    echo.close()  # harmless


def test_without_pactl_it_says_how_to_get_it(pulse: PulseServer, tmp_path: Path) -> None:
    echo = EchoCanceller(environ=dict(pulse.child_env()), pactl=str(tmp_path / "missing"))
    status = echo.start()
    assert not echo.active and "pactl failed" in status
    echo = EchoCanceller(environ=dict(pulse.child_env()))
    echo.pactl = None
    assert "apt install pulseaudio-utils" in echo.start()


def device_index(pulse: PulseServer, kind: str, name: str) -> str:
    [index] = [row.split("\t")[0] for row in pulse.pactl("list", "short", kind).splitlines()
               if row.split("\t")[1] == name]
    return index


def client_devices(pulse: PulseServer, kind: str) -> list[str]:
    """The device of each stream a client program opened (not the modules' own)."""
    rows = [row.split("\t") for row in pulse.pactl("list", "short", kind).splitlines()]
    return [row[1] for row in rows if row[3] == "protocol-native.c"]


STREAMS_CHILD = """
import sys
import sounddevice as sd
def output():
    stream = sd.OutputStream(samplerate=22050, channels=1, dtype="int16",
                             callback=lambda data, *_: data.fill(0))
    stream.start()
    return stream
out = output()
mic = sd.RawInputStream(samplerate=16000, channels=1, dtype="int16",
                        callback=lambda *_: None)
mic.start()
print("open", flush=True)
for line in sys.stdin:  # "reopen": as the audio stack did after a move, now and then
    out.close()
    out = output()
    print("open", flush=True)
"""


def settled_on_the_canceller(pulse: PulseServer, echo: EchoCanceller, pid: int) -> bool:
    """Adopt as the listener does (every few seconds) until a call finds nothing to move
    and every stream of the client is on the canceller, for at most 3 s: the client's
    audio stack may open a moved stream again on the default device (seen after a move,
    about one time in ten)."""
    sink, source = (device_index(pulse, "sinks", SINK_NAME),
                    device_index(pulse, "sources", SOURCE_NAME))
    for _ in range(10):
        if (echo.adopt(pid=pid) == 0 and client_devices(pulse, "sink-inputs") == [sink]
                and client_devices(pulse, "source-outputs") == [source]):
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def client(pulse: PulseServer) -> Iterator[subprocess.Popen[str]]:
    """A program with a playback and a recording stream open on the default devices, as
    with an ALSA plugin that ignores PULSE_SINK/PULSE_SOURCE."""
    child = subprocess.Popen([sys.executable, "-c", STREAMS_CHILD], env=pulse.child_env(),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        yield child
    finally:
        child.kill()
        child.wait()


def test_streams_that_opened_elsewhere_are_moved_onto_the_canceller(
        pulse: PulseServer, client: subprocess.Popen[str]) -> None:
    echo = EchoCanceller(environ=dict(pulse.child_env()))
    echo.start()
    assert echo.adopt(pid=client.pid) >= 2
    assert settled_on_the_canceller(pulse, echo, client.pid)
    echo.close()


def test_a_stream_opened_again_on_the_default_device_is_moved_again(
        pulse: PulseServer, client: subprocess.Popen[str]) -> None:
    echo = EchoCanceller(environ=dict(pulse.child_env()))
    echo.start()
    assert settled_on_the_canceller(pulse, echo, client.pid)
    assert client.stdin is not None and client.stdout is not None
    client.stdin.write("reopen\n")
    client.stdin.flush()
    assert client.stdout.readline().strip() == "open"
    default_sink = device_index(pulse, "sinks", "speaker")
    assert client_devices(pulse, "sink-inputs") == [default_sink]
    assert echo.adopt(pid=client.pid) >= 1
    assert settled_on_the_canceller(pulse, echo, client.pid)
    echo.close()
