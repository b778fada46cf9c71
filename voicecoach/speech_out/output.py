"""The speaker side of the sound card: is there an output, and a stream that plays lines.

Mirrors :mod:`voicecoach.speech_in.mic`. sounddevice is imported lazily. The stream runs
all session long (silence between lines), so a callback that stops coming means the
sound server went away (:meth:`LinePlayer.stalled`); the narrator owns the player and
decides what to do about it. An open after one that failed (this side or the
microphone) first has PortAudio list the devices again
(:func:`~voicecoach.audio.devices.rescan_devices`), so a sound server started after the
session is found.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from voicecoach.audio.devices import (
    PORTAUDIO,
    load_sounddevice,
    opening_stream,
    start_or_close,
    stream_closed,
)
from voicecoach.audio.timeline import StreamTimeline

OUTPUT_HINT = (
    "connect a sound card or run PulseAudio/PipeWire (with libasound2-plugins for ALSA) "
    "to hear the coach"
)
PlayedCallback = Callable[[float, float, np.ndarray], None]
"""``on_played(start, end, samples)``: a chunk (int16 mono, as played) reaches the speaker
from ``start`` to ``end`` (monotonic seconds). Called on PortAudio's thread: it must only
record."""

OUTPUT_STALL_SECONDS = 1.5
"""The output stream's callback silent this long means the sound server went away."""
_ALIVE_SECONDS = 0.5
"""A callback within this long means the stream may be restarted after a cut (restarting
a stream whose sound server went away waits for the server forever)."""


def output_available(device: int | str | None = None) -> tuple[bool, str]:
    """Whether sounddevice can play to ``device`` (default output), and which or why not.

    PortAudio lists devices once, when sounddevice is first imported in a process.
    """
    try:
        sd = load_sounddevice()
    except ImportError:
        return False, "sounddevice is not installed (pip install sounddevice)"
    except OSError as error:
        return False, f"PortAudio is missing ({error}): apt install libportaudio2"
    except Exception as error:  # PortAudioError: e.g. a broken ALSA configuration
        return False, f"PortAudio would not start ({error}): {OUTPUT_HINT}"
    try:
        with PORTAUDIO:
            info = sd.query_devices(device, kind="output")
    except (sd.PortAudioError, ValueError) as error:  # no default: "Error querying device -1"
        why = "" if device is None else f" ({error})"
        return False, f"no audio output device{why}: {OUTPUT_HINT}"
    if int(info["max_output_channels"]) < 1:
        return False, f"{info['name']} has no output channels: {OUTPUT_HINT}"
    return True, str(info["name"])


@dataclass
class Playing:
    """A line on its way to the speaker: its samples and how far the device has taken them."""

    text: str
    generation: int
    samples: np.ndarray
    start: float
    expected_end: float
    position: int = 0
    finished: bool = False
    drained_at: float | None = None


class LinePlayer:
    """A sounddevice output stream that plays one line at a time; owned by the narrator."""

    def __init__(
        self,
        device: int | str | None,
        clip_rate: int,
        generation: Callable[[], int],
        on_drained: Callable[[Playing], None],
        on_played: PlayedCallback | None = None,
    ) -> None:
        self._generation = generation
        self._on_drained = on_drained
        self._on_played = on_played
        self.latency = 0.0
        self.gain = 1.0
        """Scales what is played (the narrator yields to the person: see speech_in.bargein);
        set from another thread, read by the callback."""
        self._current: Playing | None = None
        self._closed = False
        self.last_callback = time.monotonic()
        self._timeline: StreamTimeline | None = None
        """When each sample the stream takes is heard (unbroken; the echo canceller's
        reference must not jump with each callback's jitter)."""
        with opening_stream():  # after a failed open, rescans (unless a stream is open)
            self.stream: Any = self._open(device, clip_rate)

    def _open(self, device: int | str | None, clip_rate: int) -> Any:
        """The started stream, at the first of the clip's rate (mono), the device's rate
        (mono), the device's rate (stereo) that the device takes."""
        sd = load_sounddevice()
        info = sd.query_devices(device, kind="output")
        default_rate = int(info["default_samplerate"])
        error: Exception | None = None
        for rate, channels in ((clip_rate, 1), (default_rate, 1), (default_rate, 2)):
            try:
                sd.check_output_settings(device, channels, "int16", samplerate=rate)
            except (sd.PortAudioError, ValueError) as problem:
                error = problem
                continue
            self.rate = rate
            stream = sd.OutputStream(
                samplerate=rate,
                device=device,
                channels=channels,
                dtype="int16",
                latency="high",
                callback=self._callback,
            )
            start_or_close(stream)
            self.latency = float(stream.latency)
            self._timeline = StreamTimeline(rate)
            return stream
        raise sd.PortAudioError(f"{info['name']} takes no 16-bit mono or stereo: {error}")

    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        self.last_callback = time.monotonic()
        timeline = self._timeline
        stamp = self.last_callback + self.latency
        heard = timeline.place(stamp, frames) if timeline is not None else stamp
        playing = self._current
        if playing is None or playing.finished:
            outdata.fill(0)
            return
        if playing.generation != self._generation():
            outdata.fill(0)
            playing.finished = True
            return
        chunk = playing.samples[playing.position : playing.position + frames]
        playing.position += len(chunk)
        gain = self.gain
        if gain != 1.0:
            chunk = (chunk * gain).astype(np.int16)
        outdata[: len(chunk)] = chunk[:, None]
        outdata[len(chunk) :] = 0
        if self._on_played is not None and len(chunk):
            self._on_played(heard, heard + len(chunk) / self.rate, chunk)
        if playing.position >= len(playing.samples):
            playing.finished = True
            self._on_drained(playing)

    def stalled(self, now: float) -> bool:
        """True when PortAudio stopped asking for audio: the sound server went away."""
        return now - self.last_callback > OUTPUT_STALL_SECONDS

    def play(self, playing: Playing) -> None:
        """Start playing a line (its samples at :attr:`rate`)."""
        self._current = playing

    def cut(self) -> None:
        """Stop the current line now, dropping audio already buffered in the device.

        A stream whose callbacks stopped coming (the sound server went away) stays
        stopped: restarting it would wait for the server forever. It stalls, and the
        narrator reopens the output.
        """
        alive = time.monotonic() - self.last_callback < _ALIVE_SECONDS
        if self._current is not None:
            self._current.finished = True
        self._current = None
        with PORTAUDIO:
            if not self.stream.stopped:  # stopped: by an earlier cut, its server gone
                self.stream.abort()
            if alive:
                self.stream.start()

    def close(self) -> None:
        """Stop and release the device (raises what closing the stream raises)."""
        self._current = None
        if self._closed:
            return
        with PORTAUDIO:
            with contextlib.suppress(Exception):  # a stream the server left: close it anyway
                self.stream.abort()
            self.stream.close()
            self._closed = True
            stream_closed()
