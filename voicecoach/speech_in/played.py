"""What the speaker played and when: the listener's reference for the narrator's echo.

The speaker stream's callback (PortAudio's thread) hands each chunk to :meth:`PlayedAudio.add`
with the moments it will be heard; the listener thread asks, for each microphone block,
how loud the narrator was then (:meth:`PlayedAudio.power_during`, for the double-talk
detector) and what exactly it played (:meth:`PlayedAudio.samples_during`, for the app's
echo canceller), at the microphone's rate. Times are ``time.monotonic()`` seconds.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import NamedTuple

import numpy as np

from voicecoach.audio.pcm import SAMPLE_RATE, power_of


class _Chunk(NamedTuple):
    start: float
    end: float
    power: float
    samples: np.ndarray
    """Float, full scale 1.0, at the speaker's rate."""


class PlayedAudio:
    """Thread-safe record of the last ``keep`` seconds the speaker played."""

    def __init__(self, keep: float = 10.0) -> None:
        self.keep = keep
        self._chunks: deque[_Chunk] = deque()
        self._lock = threading.Lock()

    def add(self, start: float, end: float, samples: np.ndarray) -> None:
        """The speaker plays ``samples`` (mono; int16, or float at full scale 1.0) from
        ``start`` to ``end``. Runs on the audio callback: it only records."""
        if samples.dtype == np.int16:
            samples = samples / 32768.0
        chunk = _Chunk(start, end, power_of(samples), np.asarray(samples, dtype=np.float32))
        with self._lock:
            self._chunks.append(chunk)
            while self._chunks and self._chunks[0].end < end - self.keep:
                self._chunks.popleft()

    def _overlapping(self, t0: float, t1: float) -> list[_Chunk]:
        with self._lock:
            found = []
            for chunk in reversed(self._chunks):  # newest first: stop early
                if chunk.end <= t0 - 1.0:  # chunks come in time order, give or take a little
                    break
                if chunk.end > t0 and chunk.start < t1:
                    found.append(chunk)
            return found

    def power_during(self, t0: float, t1: float) -> float:
        """Mean power played over [t0, t1] (silence where nothing was played)."""
        if t1 <= t0:
            return 0.0
        total = sum(chunk.power * (min(chunk.end, t1) - max(chunk.start, t0))
                    for chunk in self._overlapping(t0, t1))
        return total / (t1 - t0)

    def samples_during(self, t0: float, count: int, rate: float = SAMPLE_RATE) -> np.ndarray:
        """``count`` samples at ``rate`` from ``t0``: what was played then (linear
        interpolation from the speaker's rate), silence where nothing was."""
        out = np.zeros(count, dtype=np.float32)
        t1 = t0 + count / rate
        times = t0 + np.arange(count) / rate
        for chunk in self._overlapping(t0, t1):
            inside = (times >= chunk.start) & (times < chunk.end)
            if not inside.any():
                continue
            speaker_rate = len(chunk.samples) / (chunk.end - chunk.start)
            where = (times[inside] - chunk.start) * speaker_rate
            out[inside] = np.interp(where, np.arange(len(chunk.samples)), chunk.samples)
        return out


RESYNC_SECONDS = 0.05
"""How far the microphone's block times may wander from the reference before it is
re-aligned (a jump the canceller then has to re-learn)."""

CLOCK_SETTLE_SECONDS = 10.0
"""Block times over this much audio before the microphone's clock rate is trusted."""

CLOCK_MAX_DRIFT = 0.002
"""A clock rate further than this from nominal (2,000 ppm) is no clock: stamps broken."""


class ClockRate:
    """How fast the microphone's sample clock runs against ``time.monotonic()``.

    A USB microphone, or a sound server's stream, keeps its own time: the live private
    PulseAudio server's microphone delivered 16,000 samples every 0.99992 monotonic
    seconds (82 ppm fast), so a reference counted in nominal samples drifted a sample or
    two a second against the echo, faster than an adaptive filter follows. The rate is a
    least-squares line through the block times (each jitters by milliseconds) against the
    samples delivered, kept as running sums.
    """

    def __init__(self) -> None:
        self._n = 0
        self._mean_x = 0.0
        self._mean_y = 0.0
        self._sxx = 0.0
        self._sxy = 0.0
        self._first: float | None = None
        self._span = 0.0

    def add(self, stamp: float, nominal: float) -> None:
        """A block was stamped ``stamp`` after ``nominal`` seconds of samples (count /
        rate since the first block)."""
        if self._first is None:
            self._first = stamp
        x, y = nominal, stamp - self._first
        self._n += 1
        dx = x - self._mean_x
        self._mean_x += dx / self._n
        self._mean_y += (y - self._mean_y) / self._n
        self._sxx += dx * (x - self._mean_x)
        self._sxy += dx * (y - self._mean_y)
        self._span = nominal

    @property
    def ratio(self) -> float:
        """Monotonic seconds per nominal second of samples (1.0 until settled)."""
        if self._span < CLOCK_SETTLE_SECONDS or self._sxx <= 0.0:
            return 1.0
        ratio = self._sxy / self._sxx
        return ratio if abs(ratio - 1.0) <= CLOCK_MAX_DRIFT else 1.0


class ReferenceStream:
    """What was played, as one unbroken stream beside the microphone's blocks.

    A block's time comes from when its callback ran, which jitters by milliseconds; an
    echo canceller needs the reference as a continuous signal at a steady offset from the
    microphone (it learns that offset). So each block's reference follows on from the
    last one's, at the microphone's own clock rate (:class:`ClockRate`), and is
    re-aligned only when the block times have moved by more than :data:`RESYNC_SECONDS`
    (the streams were restarted, say).
    """

    def __init__(self, played: PlayedAudio, rate: int = SAMPLE_RATE) -> None:
        self.played = played
        self.rate = rate
        self._next: float | None = None
        self._clock = ClockRate()
        self._nominal = 0.0
        self.resyncs = 0
        """How many times the reference was re-aligned to the block times."""

    def block(self, start: float, count: int) -> np.ndarray:
        """The reference for a microphone block of ``count`` samples said to start at
        ``start``."""
        if self._next is None or abs(self._next - start) > RESYNC_SECONDS:
            if self._next is not None:
                self.resyncs += 1
            self._next = start
            self._clock = ClockRate()
            self._nominal = 0.0
        self._clock.add(start, self._nominal)
        self._nominal += count / self.rate
        ratio = self._clock.ratio
        samples = self.played.samples_during(self._next, count, self.rate / ratio)
        self._next += count * ratio / self.rate
        return samples

    @property
    def clock_ratio(self) -> float:
        """The microphone's clock against the monotonic clock (see :class:`ClockRate`)."""
        return self._clock.ratio
