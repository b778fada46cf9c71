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
from voicecoach.audio.timeline import StreamTimeline
from voicecoach.speech_in.echo_delay import EchoDelayTracker


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

    def samples_during(self, t0: float, count: int, rate: int = SAMPLE_RATE) -> np.ndarray:
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


class ReferenceStream:
    """What was played, as one unbroken stream beside the microphone's blocks: on the
    microphone's time line (:class:`~voicecoach.audio.timeline.StreamTimeline`), read
    late enough that the echo comes after it
    (:class:`~voicecoach.speech_in.echo_delay.EchoDelayTracker`)."""

    def __init__(self, played: PlayedAudio, rate: int = SAMPLE_RATE) -> None:
        self.played = played
        self.rate = rate
        self.timeline = StreamTimeline(rate)
        self.tracker = EchoDelayTracker(rate)

    def block(self, start: float, heard: np.ndarray) -> np.ndarray:
        """The reference for the microphone block ``heard`` (before cancelling), said to
        start at ``start``."""
        resyncs = self.timeline.resyncs
        at = self.timeline.place(start, len(heard))
        if self.timeline.resyncs != resyncs:  # the streams restarted: measure anew
            self.tracker = EchoDelayTracker(self.rate)
        reference = self.played.samples_during(at - self.tracker.correction, len(heard),
                                               self.rate)
        self.tracker.feed(heard, reference)
        return reference

    @property
    def resyncs(self) -> int:
        """How many times the reference was re-aligned to the block times."""
        return self.timeline.resyncs
