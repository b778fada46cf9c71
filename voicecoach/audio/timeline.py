"""A stream's samples on the monotonic clock: unbroken, at the stream's own rate.

A PortAudio callback's time jitters by milliseconds (the live sound server delivered
the microphone's 20 ms blocks in bursts of four; the speaker's callbacks wander by
tenths of a millisecond, now and then by several), and a sound card's sample clock is
not the computer's: the private PulseAudio server's microphone delivered 16,000 samples
every 0.99992 monotonic seconds. An echo canceller needs the speaker's samples and the
microphone's on one steady time line, to a fraction of a sample: a reference that
jumps with each callback, or drifts a sample or two a second, is an echo path that
keeps changing, and a linear filter cannot follow it. So a stream's samples are placed
one after another at its own clock rate (:class:`ClockRate`), and re-anchored to the
callback times only when those have moved further than jitter explains.
"""

from __future__ import annotations

RESYNC_SECONDS = 0.05
"""How far callback times may wander from the time line before it is re-anchored (the
stream was restarted, say): a jump an echo canceller then has to re-learn."""

CLOCK_SETTLE_SECONDS = 10.0
"""Callback times over this much audio before a stream's clock rate is trusted (the
live microphone's callbacks come in bursts: over 6 s they gave a rate 100 ppm off)."""

CLOCK_MAX_DRIFT = 0.002
"""A clock rate further than this from nominal (2,000 ppm) is no clock: stamps broken."""


class ClockRate:
    """How fast a stream's sample clock runs against ``time.monotonic()``: a
    least-squares line through its callback times against the samples they brought, kept
    as running sums. (Counted in nominal samples, the live microphone's 82 ppm drifted a
    sample or two a second against the echo.)"""

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



class StreamTimeline:
    """When each sample of a stream is heard, from its callbacks' jittery times."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._next: float | None = None
        self._clock = ClockRate()
        self._nominal = 0.0
        self.resyncs = 0
        """How many times the time line was re-anchored to the callback times."""

    def place(self, stamp: float, count: int) -> tuple[float, float]:
        """A callback stamped ``stamp`` brings ``count`` samples: when they start, and
        the monotonic seconds per sample."""
        if self._next is None or abs(self._next - stamp) > RESYNC_SECONDS:
            if self._next is not None:
                self.resyncs += 1
            self._next = stamp
            self._clock = ClockRate()
            self._nominal = 0.0
        self._clock.add(stamp, self._nominal)
        self._nominal += count / self.rate
        step = self._clock.ratio / self.rate
        start = self._next
        self._next += count * step
        return start, step

    @property
    def clock_ratio(self) -> float:
        """The stream's clock against the monotonic clock (see :class:`ClockRate`)."""
        return self._clock.ratio
