"""PortAudio, shared by the microphone and the speaker: one lock, and the device list read
again when a sound server comes up late.

PortAudio (through sounddevice) lists the sound devices once, when it starts, and
sounddevice starts it on import. A sound server started after that (PulseAudio or
PipeWire launched once the session runs) is not in the list, so opening the microphone
or the speaker keeps failing. :func:`rescan_devices` restarts PortAudio so that it lists
the devices as they are now; restarting closes every stream of the process, so it is
done only while none is open. The streams say when they open and close
(:func:`stream_opened`, :func:`stream_closed`) and make their PortAudio calls holding
:data:`PORTAUDIO`, which also keeps PortAudio's own shutdown at exit from running into a
call still under way on another thread (PortAudio aborts the process then).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

PORTAUDIO = threading.RLock()
"""Held for every call that opens, starts, stops or closes a stream or lists devices."""

EXIT_WAIT_SECONDS = 5.0
"""At exit, how long PortAudio's shutdown waits for a call under way on another thread."""

_open_streams = 0
_open_failed = False
_exit_hook_registered = False


def load_sounddevice() -> ModuleType:
    """The ``sounddevice`` module, imported (which starts PortAudio) on first use.

    Raises ImportError (not installed), OSError (no PortAudio library) or
    ``sounddevice.PortAudioError`` (PortAudio would not start).
    """
    global _exit_hook_registered
    with PORTAUDIO:
        import sounddevice as sd

        if not _exit_hook_registered:
            # atexit runs the newest hook first: this one, before sounddevice's own
            # (registered on its import), which shuts PortAudio down.
            atexit.register(_hold_at_exit)
            _exit_hook_registered = True
        module: ModuleType = sd
        return module


def _hold_at_exit() -> None:
    """Take :data:`PORTAUDIO` for good: PortAudio's shutdown comes after any call under way,
    and threads still running start no new one."""
    if not PORTAUDIO.acquire(timeout=EXIT_WAIT_SECONDS):
        log.warning("a PortAudio call was still under way at exit")


@contextmanager
def opening_stream() -> Iterator[None]:
    """Open (and start) one stream in the ``with`` block, holding :data:`PORTAUDIO`.

    When the last open in the process failed, the devices are rescanned first (a sound
    server may have started since). A block that raises counts as a failed open; one that
    ends normally counts as an open stream, until :func:`stream_closed`.
    """
    global _open_failed
    with PORTAUDIO:
        if _open_failed:
            rescan_devices()
        _open_failed = True
        yield
        _open_failed = False
        stream_opened()


def stream_opened() -> None:
    """A stream of this process was opened (call holding :data:`PORTAUDIO`)."""
    global _open_streams
    with PORTAUDIO:
        _open_streams += 1


def stream_closed() -> None:
    """A stream opened with :func:`stream_opened` was closed."""
    global _open_streams
    with PORTAUDIO:
        _open_streams = max(0, _open_streams - 1)


def rescan_devices() -> bool:
    """Restart PortAudio so that it lists the devices as they are now; True if it did.

    Does nothing (False) while a stream of this process is open, or when sounddevice
    cannot be imported. If PortAudio will not start again, the next open fails and says
    why, and the next rescan tries once more.
    """
    with PORTAUDIO:
        if _open_streams:
            return False
        try:
            sd = load_sounddevice()
        except Exception as error:  # ImportError, OSError, PortAudioError
            log.info("no PortAudio to rescan: %s", error)
            return False
        if sd._initialized > 0:
            try:
                sd._terminate()
            except sd.PortAudioError as error:  # in a state to leave alone
                log.warning("PortAudio did not stop: %s", error)
                return False
        try:
            sd._initialize()
        except sd.PortAudioError as error:
            log.warning("PortAudio did not start again: %s", error)
            return False
        return True


def no_default_input() -> bool:
    """True when PortAudio, as it last listed the devices, has no default input device
    (no microphone, or no sound server); False when it has one or will not start."""
    return _no_default("input")


def no_default_output() -> bool:
    """True when PortAudio, as it last listed the devices, has no default output device
    (no speaker, or no sound server); False when it has one or will not start."""
    return _no_default("output")


def _no_default(kind: str) -> bool:
    with PORTAUDIO:
        try:
            sd = load_sounddevice()
        except Exception:  # ImportError, OSError, PortAudioError: the open said why
            return False
        try:
            sd.query_devices(kind=kind)
        except (sd.PortAudioError, ValueError):
            return True
        return False


def open_streams() -> int:
    """How many streams of this process are open (for the tests and the log)."""
    with PORTAUDIO:
        return _open_streams


def start_or_close(stream: Any) -> None:
    """Start a freshly opened ``stream``; if that fails, close it and raise."""
    try:
        stream.start()
    except BaseException:
        with contextlib.suppress(Exception):
            stream.close()
        raise
