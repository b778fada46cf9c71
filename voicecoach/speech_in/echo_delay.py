"""How far the narrator's echo has crept from where the echo canceller learnt it.

A linear echo canceller (:mod:`voicecoach.speech_in.app_canceller`) learns the echo as
the reference delayed and filtered. It cannot follow that delay if it keeps moving: a
speaker and a microphone on two clocks (a USB microphone, a headset, a sound server
resampling between them) drift apart by tens or hundreds of parts per million, a sample
or two a second, and the filter is always re-learning. The live private PulseAudio
server's streams drifted 51 ppm apart.

:class:`EchoDelayTracker` measures the delay from the echo itself: every half second in
which the narrator was playing, the last second of the microphone is cross-correlated
with the reference and the peak found to a fraction of a sample. Once three measures in
a row agree, that delay is the one the filter learns; from then on the creep (a line
through the last measures) is handed back to the reference as a
:attr:`~EchoDelayTracker.correction`, so that the echo stays where the filter has it. A
creep under a sample, or slower than 10 ppm, is left alone: without one, nothing moves.

Pure: no clock (block counts), no devices. One owner, the reference's.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from voicecoach.audio.pcm import SAMPLE_RATE

WINDOW_SECONDS = 1.0
"""How much of the microphone and the reference each measure compares."""

MEASURE_EVERY = 0.5
"""Seconds of audio between measures."""

MAX_DELAY = 0.3
"""The longest echo delay looked for: the filter's whole tail."""

MAX_LEAD = 0.05
"""How far the echo may come *before* the reference says it was played (a speaker's
latency over-reported, a callback stamped late) and still be found."""

MIN_DELAY = 0.01
"""The echo is held at least this far behind the reference: a filter cannot take out
an echo that comes before what it is given (the live test's came 3 ms after it, its
anchor one callback's jitter from coming before)."""

PLAYING_RMS = 0.003
"""The reference's level (about -50 dBFS) under which there is nothing to measure."""

MIN_PEAK = 0.3
"""A normalized correlation under this is no echo (the person talking over it, say)."""

AGREE_SECONDS = 0.0005
"""Measures this close agree; a later measure further than this from the line is an
outlier (a reflection that won, the person over the echo)."""

FIT_SECONDS = 30.0
"""The creep is a line through the measures of this long."""

FIT_MIN_SPAN = 5.0
"""Measures over at least this long before a line is drawn through them."""

DEADBAND_SECONDS = 1.0 / SAMPLE_RATE
"""A creep under a sample is not corrected..."""

MIN_CREEP = 10e-6
"""...nor one slower than 10 ppm (a steady echo's measures wander by a few hundredths of
a millisecond: in the session benchmark's rooms, following that wander cost commands)."""


class EchoDelayTracker:
    """Measures the echo's delay and says how far the reference must move to hold it."""

    def __init__(self, rate: int = SAMPLE_RATE) -> None:
        self.rate = rate
        size = int(WINDOW_SECONDS * rate)
        self._mic: deque[np.ndarray] = deque()
        self._ref: deque[np.ndarray] = deque()
        self._held = 0
        self._size = size
        self._elapsed = 0.0
        self._due = MEASURE_EVERY
        self._candidates: list[float] = []
        self.locked: float | None = None
        """The delay the filter learns (seconds), once measures agreed."""
        self._measures: deque[tuple[float, float]] = deque()
        self.correction = 0.0
        """How much later the echo comes than it should (seconds): the reference is read
        that much earlier. Negative when the echo came too soon after the reference
        (under :data:`MIN_DELAY`); the creep added once it passes a sample."""
        self._base = 0.0
        self._slope = 0.0
        self.locks = 0
        """How many times a delay was locked (again after the echo jumped)."""

    def feed(self, mic: np.ndarray, reference: np.ndarray) -> None:
        """One block of the microphone (before cancelling) and the reference handed to
        the canceller with it (read with the current :attr:`correction`)."""
        self._mic.append(np.asarray(mic, dtype=np.float64))
        self._ref.append(np.asarray(reference, dtype=np.float64))
        self._held += len(mic)
        while self._held - len(self._mic[0]) >= self._size:
            self._held -= len(self._mic.popleft())
            self._ref.popleft()
        seconds = len(mic) / self.rate
        self._elapsed += seconds
        self.correction += self._slope * seconds  # the creep goes on between measures
        if self._elapsed >= self._due:
            self._due = self._elapsed + MEASURE_EVERY
            measured = self._measure()
            if measured is not None:
                self._learn(measured)

    def _measure(self) -> float | None:
        """The echo's delay in the window against the reference as it was handed over
        (so after the correction), in seconds; None when there is none to measure."""
        if self._held < self._size:
            return None
        mic = np.concatenate(self._mic)[-self._size:]
        ref = np.concatenate(self._ref)[-self._size:]
        ref_energy = float(np.dot(ref, ref))
        if ref_energy < PLAYING_RMS ** 2 * len(ref):
            return None
        most, lead = int(MAX_DELAY * self.rate), int(MAX_LEAD * self.rate)
        n = 1 << int(np.ceil(np.log2(2 * len(ref))))
        circular = np.fft.irfft(np.fft.rfft(mic, n) * np.conj(np.fft.rfft(ref, n)), n)
        cross = np.concatenate([circular[-lead:], circular[:most]])  # lags -lead..most
        k = int(np.argmax(cross))
        if cross[k] <= 0.0 or not 0 < k < len(cross) - 1:
            return None
        lag = k - lead
        heard = mic[lag:] if lag >= 0 else mic[:lag]
        peak = cross[k] / np.sqrt(float(np.dot(heard, heard)) * ref_energy + 1e-20)
        if peak < MIN_PEAK:
            return None
        before, here, after = cross[k - 1], cross[k], cross[k + 1]
        bend = before - 2 * here + after
        fraction = 0.5 * (before - after) / bend if bend < 0 else 0.0
        return (lag + fraction) / self.rate

    def _learn(self, measured: float) -> None:
        delay = measured + self.correction  # against the uncorrected reference
        if self.locked is not None:
            last_time, last_delay = self._measures[-1]
            expected = last_delay + self._slope * (self._elapsed - last_time)
            if abs(delay - expected) <= AGREE_SECONDS:
                self._candidates.clear()
                self._follow(delay)
                return
        # not locked yet, or the echo moved at once (a stream lost audio): three measures
        # that agree lock it again
        self._candidates.append(delay)
        recent = self._candidates[-3:]
        if len(recent) == 3 and max(recent) - min(recent) <= AGREE_SECONDS:
            self.locked = float(np.median(recent))
            self._candidates.clear()
            self._measures = deque([(self._elapsed, self.locked)])
            self._base = min(0.0, self.locked - MIN_DELAY)
            self.correction = self._base
            self._slope = 0.0
            self.locks += 1

    def _follow(self, delay: float) -> None:
        """A measure that fits the line so far: the line through the last ones gives the
        creep."""
        assert self.locked is not None
        self._measures.append((self._elapsed, delay))
        while self._measures[0][0] < self._elapsed - FIT_SECONDS:
            self._measures.popleft()
        times = np.array([t for t, _ in self._measures])
        delays = np.array([d for _, d in self._measures])
        if times[-1] - times[0] < FIT_MIN_SPAN or len(times) < 6:
            return
        slope, now = np.polyfit(times - times[-1], delays, 1)
        creep = float(now) - self.locked
        if self._slope == 0.0 and (abs(creep) < DEADBAND_SECONDS or abs(slope) < MIN_CREEP):
            return
        self.correction = self._base + creep
        self._slope = float(slope)
