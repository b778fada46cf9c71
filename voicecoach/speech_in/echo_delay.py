"""Where the narrator's echo comes against the reference: after it, never before.

A linear echo canceller (:mod:`voicecoach.speech_in.app_canceller`) learns the echo as
the reference delayed and filtered; an echo that reaches the microphone *before* the
reference says it was played (a speaker's latency over-reported, a stream anchored on a
late callback) it cannot take out at all. Live on the test server the echo came 3 to
16 ms after the reference from one run to the next: one callback's jitter from coming
before it.

:class:`EchoDelayTracker` measures the delay from the echo itself: every half second in
which the narrator was playing, the last second of the microphone is cross-correlated
with the reference and the peak found to a fraction of a sample. Once three measures in
a row agree, the delay is locked, and if it is under :data:`MIN_DELAY` the reference is
read that much later (a :attr:`~EchoDelayTracker.correction`) for the rest of the
stream. Then it stops measuring.

Following the delay as two clocks drift apart was tried and not kept: live (the
speaker looped into the microphone, 51 ppm apart) it held the echo to 0.05 ms and the
filter took 18-25 dB out in place of 5-15, but in the session benchmark's rooms the peak
wanders by tenths of a millisecond with what is said (reflections), and following it
cost commands, with a creeping echo too (docs/LISTENING_HISTORY.md).

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
"""Three measures in a row this close lock the delay."""


class EchoDelayTracker:
    """Measures the echo's delay once and says how far the reference must move."""

    def __init__(self, rate: int = SAMPLE_RATE) -> None:
        self.rate = rate
        self._size = int(WINDOW_SECONDS * rate)
        self._mic: deque[np.ndarray] = deque()
        self._ref: deque[np.ndarray] = deque()
        self._held = 0
        self._elapsed = 0.0
        self._due = MEASURE_EVERY
        self._candidates: list[float] = []
        self.locked: float | None = None
        """The echo's delay against the reference as it comes (seconds), once measures
        agreed."""
        self.correction = 0.0
        """How much earlier to read the reference (seconds): negative, so later, when
        the echo came under :data:`MIN_DELAY` after it; else 0."""

    def feed(self, mic: np.ndarray, reference: np.ndarray) -> None:
        """One block of the microphone (before cancelling) and the reference handed to
        the canceller with it."""
        if self.locked is not None:
            return
        self._mic.append(np.asarray(mic, dtype=np.float64))
        self._ref.append(np.asarray(reference, dtype=np.float64))
        self._held += len(mic)
        while self._held - len(self._mic[0]) >= self._size:
            self._held -= len(self._mic.popleft())
            self._ref.popleft()
        self._elapsed += len(mic) / self.rate
        if self._elapsed < self._due:
            return
        self._due = self._elapsed + MEASURE_EVERY
        measured = self._measure()
        if measured is None:
            return
        self._candidates.append(measured)
        recent = self._candidates[-3:]
        if len(recent) == 3 and max(recent) - min(recent) <= AGREE_SECONDS:
            self.locked = float(np.median(recent))
            self.correction = min(0.0, self.locked - MIN_DELAY)
            self._mic.clear()
            self._ref.clear()

    def _measure(self) -> float | None:
        """The echo's delay in the last window, in seconds; None when there is none to
        measure."""
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
