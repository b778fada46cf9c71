"""A stream's samples on the monotonic clock, one after another, unbroken.

A PortAudio callback's time jitters: the live sound server delivered the microphone's
20 ms blocks in bursts of four (their callback times up to 13 ms off a steady line), and
the speaker's callbacks wander by hundredths of a millisecond, now and then by tenths or
by several. An echo canceller needs what the speaker played and what the microphone
heard on one steady time line, to a fraction of a sample: a reference stamped by each
callback jumps with it, and a linear filter cannot learn an echo path that jumps
(speexdsp's took 2-7 dB out live, 5-15 dB once the speaker's chunks were placed one
after another). So a stream's samples are placed one after another at its nominal rate,
anchored to the callback times when it starts and again only when they have moved
further than jitter explains. Two clocks that drift apart still creep against each
other; the filter re-learns as they do (following the creep was tried:
:mod:`voicecoach.speech_in.echo_delay`).
"""

from __future__ import annotations

RESYNC_SECONDS = 0.05
"""How far callback times may wander from the time line before it is re-anchored (the
stream was restarted, say): a jump an echo canceller then has to re-learn."""


class StreamTimeline:
    """When each sample of a stream is heard, from its callbacks' jittery times."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._next: float | None = None
        self.resyncs = 0
        """How many times the time line was re-anchored to the callback times."""

    def place(self, stamp: float, count: int) -> float:
        """A callback stamped ``stamp`` brings ``count`` samples: when they start."""
        if self._next is None or abs(self._next - stamp) > RESYNC_SECONDS:
            if self._next is not None:
                self.resyncs += 1
            self._next = stamp
        start = self._next
        self._next += count / self.rate
        return start
