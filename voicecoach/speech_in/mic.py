"""The microphone: a 16 kHz mono int16 input stream whose callback only enqueues.

sounddevice is imported when the stream opens; the callback puts ``(pcm bytes, monotonic
time)`` on a queue so the thread that owns the recognizer does all the work. After a
failed open, the next one first has PortAudio list the devices again
(:func:`~voicecoach.audio.devices.rescan_devices`), so a sound server started after the
session is picked up.
"""

from __future__ import annotations

import contextlib
import queue
import time
from typing import Any

from voicecoach.audio.devices import (
    PORTAUDIO,
    load_sounddevice,
    opening_stream,
    start_or_close,
    stream_closed,
)
from voicecoach.audio.pcm import SAMPLE_RATE

BLOCK_SECONDS = 0.02
"""Microphone block length: short, so a command is seen soon after it is said (the
listener only looks at the decoder between blocks)."""


class MicStream:
    """A 16 kHz mono int16 input stream whose blocks land in :attr:`blocks`.

    ``blocks`` holds ``(pcm, t)`` with ``t`` the ``time.monotonic()`` of the callback,
    i.e. roughly when the block's last sample was captured. Opening raises whatever
    sounddevice/PortAudio raises; the owner turns that into a message and tries again.
    """

    def __init__(self, device: int | str | None = None, block_seconds: float = BLOCK_SECONDS):
        self.device = device
        self.block_seconds = block_seconds
        self.blocks: queue.Queue[tuple[bytes, float]] = queue.Queue(maxsize=1000)
        self.last_callback = 0.0
        self._stream: Any = None

    def open(self) -> None:
        """Open and start the stream (after a failed open, on the devices as they are now)."""
        self.close()
        with opening_stream():  # after a failed open, rescans (unless a stream is open)
            sounddevice = load_sounddevice()
            stream = sounddevice.RawInputStream(
                samplerate=SAMPLE_RATE,
                channels=1,
                dtype="int16",
                blocksize=int(SAMPLE_RATE * self.block_seconds),
                device=self.device,
                callback=self._callback,
            )
            self.last_callback = time.monotonic()
            start_or_close(stream)
        self._stream = stream

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        now = time.monotonic()
        self.last_callback = now
        # If the owner is stuck, dropping audio beats blocking PortAudio.
        with contextlib.suppress(queue.Full):
            self.blocks.put_nowait((bytes(indata), now))

    def close(self) -> None:
        """Stop and close the stream; never raises."""
        stream, self._stream = self._stream, None
        if stream is None:
            return
        with PORTAUDIO:
            with contextlib.suppress(Exception):
                stream.abort()
            try:
                stream.close()
            except Exception:  # still open for PortAudio: no rescan may run under it
                return
            stream_closed()

    @property
    def is_open(self) -> bool:
        """True while a stream is open."""
        return self._stream is not None
