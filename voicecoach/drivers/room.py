"""How the narrator reaches the microphone in a simulation: through a room, never as a copy.

A simulation that mixes the narrator's exact samples into the microphone proves nothing:
no canceller or detector has that copy in a real room. :class:`RoomEcho` sends the
narration through what a laptop in a living room does to it:

* a small loudspeaker: soft clipping on the loud parts (the amplifier), then a high-pass
  near 200 Hz (the driver);
* a delay the app is never told (output buffering plus the path through the air);
* a room impulse response: exponentially decaying noise with the room's RT60, the usual
  statistical model of late reverberation, after a direct path;
* a level: ``gain`` is the narrator's level at the microphone relative to what it plays
  (0.5 a laptop's own speaker and microphone, 0.1 what a good canceller leaves), as the
  RMS of the echo over the RMS of the played signal.

It runs block by block (FFT overlap-add), as a microphone would deliver it. The
benchmarks pass a room made by a room-acoustics simulation instead
(``benchmarks/rooms.py``); anything with the same call fits :data:`EchoPath`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from voicecoach.audio.pcm import SAMPLE_RATE

EchoPath = Callable[[np.ndarray], np.ndarray]
"""One block of what the speaker plays (float32) → the same length of echo at the mic."""

SPEAKER_HIGH_PASS_HZ = 200.0
"""A laptop speaker gives next to nothing below this."""
SPEAKER_DRIVE = 3.0
"""How hard the soft clipper is driven (tanh): loud syllables flatten a little."""


def room_impulse_response(rt60: float, delay: float, *, seed: int = 0,
                          rate: int = SAMPLE_RATE, direct: float = 0.6) -> np.ndarray:
    """A room's impulse response: ``delay`` seconds of nothing, a direct path, then
    decaying noise reaching -60 dB after ``rt60`` seconds; unit energy."""
    rng = np.random.default_rng(seed)
    length = int((delay + rt60) * rate) + 1
    response = np.zeros(length, dtype=np.float64)
    start = int(delay * rate)
    tail = np.arange(length - start) / rate
    decay = np.exp(-6.91 * tail / max(rt60, 1e-3))  # 10^(-3) amplitude at rt60
    response[start:] = rng.standard_normal(len(tail)) * decay * 0.1
    response[start] += direct
    response /= np.sqrt(np.sum(response ** 2))
    return response.astype(np.float32)


class FirStream:
    """Streaming convolution with a long FIR filter by FFT overlap-add."""

    def __init__(self, taps: np.ndarray, block: int) -> None:
        self.block = block
        size = 1
        while size < block + len(taps) - 1:
            size *= 2
        self._size = size
        self._spectrum = np.fft.rfft(taps.astype(np.float64), size)
        self._carry = np.zeros(size, dtype=np.float64)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """The next ``len(x)`` samples of the filtered stream (``len(x) <= block``)."""
        n = len(x)
        if n > self.block:
            return np.concatenate([self(x[i:i + self.block])
                                   for i in range(0, n, self.block)])
        if x.any():  # silence adds nothing: only the room's ringing goes on
            self._carry += np.fft.irfft(
                np.fft.rfft(x.astype(np.float64), self._size) * self._spectrum, self._size)
        elif np.max(np.abs(self._carry)) < 1e-6:
            self._carry[:] = 0.0  # rung out (below -120 dBFS): exact silence again
            return np.zeros(n, dtype=np.float32)
        out = self._carry[:n].copy()
        self._carry = np.concatenate([self._carry[n:], np.zeros(n)])
        return out.astype(np.float32)


def speaker_response(rate: int = SAMPLE_RATE, cutoff: float = SPEAKER_HIGH_PASS_HZ,
                     taps: int = 129) -> np.ndarray:
    """A small loudspeaker's response: a windowed-sinc high-pass at ``cutoff``."""
    n = np.arange(taps) - (taps - 1) / 2
    low = 2 * cutoff / rate * np.sinc(2 * cutoff / rate * n) * np.hamming(taps)
    low /= low.sum()
    high: np.ndarray = -low
    high[(taps - 1) // 2] += 1.0
    return high


def overdriven(x: np.ndarray, drive: float = SPEAKER_DRIVE) -> np.ndarray:
    """The amplifier's soft clipping: loud syllables flatten a little."""
    clipped: np.ndarray = np.tanh(drive * x.astype(np.float64)) / drive
    return clipped


class RoomEcho:
    """The narrator as the microphone hears it across a room (see the module docstring)."""

    def __init__(self, gain: float, *, rt60: float = 0.5, delay: float = 0.045,
                 seed: int = 0, block: int = 320, rate: int = SAMPLE_RATE) -> None:
        self.gain = gain
        path = np.convolve(speaker_response(rate),
                           room_impulse_response(rt60, delay, seed=seed, rate=rate))
        self._path = FirStream(path, block)

    def __call__(self, played: np.ndarray) -> np.ndarray:
        """The echo at the microphone of one block the speaker plays."""
        if self.gain == 0.0:
            return np.zeros(len(played), dtype=np.float32)
        echo: np.ndarray = self.gain * self._path(overdriven(played))
        return echo.astype(np.float32)
