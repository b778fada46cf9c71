"""The speaker side of the sound card: is there an output, and a stream that plays lines.

Mirrors :mod:`voicecoach.audio.pcm`. sounddevice is imported lazily. The stream runs
all session long (silence between lines), so a callback that stops coming means the
sound server went away (:meth:`LinePlayer.stalled`); the narrator owns the player and
decides what to do about it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

OUTPUT_HINT = (
    "connect a sound card or run PulseAudio/PipeWire (with libasound2-plugins for ALSA) "
    "to hear the coach"
)
PlayedCallback = Callable[[float, float, float], None]
"""``on_played(start, end, power)``: a chunk reaches the speaker from ``start`` to ``end``
(monotonic seconds) at this mean square (float samples). Called on PortAudio's thread:
it must only record."""

OUTPUT_STALL_SECONDS = 1.5
"""The output stream's callback silent this long means the sound server went away."""


def output_available(device: int | str | None = None) -> tuple[bool, str]:
    """Whether sounddevice can play to ``device`` (default output), and which or why not.

    PortAudio lists devices once, when sounddevice is first imported in a process.
    """
    try:
        import sounddevice as sd
    except ImportError:
        return False, "sounddevice is not installed (pip install sounddevice)"
    except OSError as error:
        return False, f"PortAudio is missing ({error}): apt install libportaudio2"
    try:
        info = sd.query_devices(device, kind="output")
    except (sd.PortAudioError, ValueError) as error:
        return False, f"no audio output device ({error}): {OUTPUT_HINT}"
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
        import sounddevice as sd

        self._generation = generation
        self._on_drained = on_drained
        self._on_played = on_played
        self.latency = 0.0
        self._current: Playing | None = None
        self.last_callback = time.monotonic()
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
            self.stream = sd.OutputStream(
                samplerate=rate,
                device=device,
                channels=channels,
                dtype="int16",
                latency="high",
                callback=self._callback,
            )
            self.stream.start()
            self.latency = float(self.stream.latency)
            return
        raise sd.PortAudioError(f"{info['name']} takes no 16-bit mono or stereo: {error}")

    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        self.last_callback = time.monotonic()
        playing = self._current
        if playing is None or playing.finished:
            outdata.fill(0)
            return
        if playing.generation != self._generation():
            outdata.fill(0)
            playing.finished = True
            return
        chunk = playing.samples[playing.position : playing.position + frames]
        outdata[: len(chunk)] = chunk[:, None]
        outdata[len(chunk) :] = 0
        playing.position += len(chunk)
        if self._on_played is not None and len(chunk):
            heard = self.last_callback + self.latency
            power = float(np.mean(np.square(chunk / 32768.0)))
            self._on_played(heard, heard + len(chunk) / self.rate, power)
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
        """Stop the current line now, dropping audio already buffered in the device."""
        if self._current is not None:
            self._current.finished = True
        self._current = None
        self.stream.abort()
        self.stream.start()

    def close(self) -> None:
        """Stop and release the device."""
        self._current = None
        self.stream.abort()
        self.stream.close()
