"""The echo's delay measured from the echo; an echo before the reference put behind it."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from voicecoach.audio.pcm import SAMPLE_RATE
from voicecoach.speech_in.echo_delay import MIN_DELAY, EchoDelayTracker

BLOCK = 320


def narration(seconds: float, seed: int) -> np.ndarray:
    """Band-limited noise in syllable-long bursts with pauses, like a narrator."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    noise = np.convolve(rng.standard_normal(n), np.hanning(9) / 4, "same")
    bursts = (np.sin(2 * np.pi * 2.5 * np.arange(n) / SAMPLE_RATE) > -0.3).astype(float)
    signal: np.ndarray = noise * 0.1 * bursts
    return signal


def run(tracker: EchoDelayTracker, played: np.ndarray,
        delay_at: Callable[[np.ndarray], np.ndarray], seconds: float,
        person: np.ndarray | None = None) -> list[float]:
    """Blocks through the tracker: the microphone hears ``played`` ``delay_at(t)`` late;
    the reference is read ``tracker.correction`` earlier, as the reference stream does.
    Returns the echo's delay against the reference handed over, per block."""
    index = np.arange(len(played))
    seen = []
    for start in range(0, int(seconds * SAMPLE_RATE) - BLOCK, BLOCK):
        t = (start + np.arange(BLOCK)) / SAMPLE_RATE
        true = delay_at(t)
        mic = 0.3 * np.interp((t - true) * SAMPLE_RATE, index, played)
        if person is not None:
            mic = mic + person[start:start + BLOCK]
        reference = np.interp((t - tracker.correction) * SAMPLE_RATE, index, played)
        tracker.feed(mic, reference)
        seen.append(float(true[0]) - tracker.correction)
    return seen


def test_an_echo_after_the_reference_is_locked_and_left_alone() -> None:
    tracker = EchoDelayTracker()
    run(tracker, narration(11.0, seed=1), lambda t: 0.0437 + 0 * t, 10.0)
    assert tracker.locked is not None and abs(tracker.locked - 0.0437) < 0.5 / SAMPLE_RATE
    assert tracker.correction == 0.0  # the reference is read as it comes


def test_an_echo_that_comes_before_the_reference_is_put_behind_it() -> None:
    """The speaker's latency over-reported: the echo arrives 5 ms before the reference
    says it was played. A filter cannot take that out; the reference is read 15 ms
    later, so the echo comes 10 ms after it."""
    tracker = EchoDelayTracker()
    seen = run(tracker, narration(11.0, seed=6), lambda t: -0.005 + 0 * t, 10.0)
    assert tracker.locked is not None and abs(tracker.locked + 0.005) < 0.5 / SAMPLE_RATE
    assert abs(seen[-1] - MIN_DELAY) < 0.5 / SAMPLE_RATE


def test_a_person_talking_over_the_echo_does_not_throw_it() -> None:
    """Another voice as loud as the echo from the start: the echo's peak still wins."""
    tracker = EchoDelayTracker()
    person = narration(11.0, seed=5) * 0.3
    run(tracker, narration(11.0, seed=4), lambda t: 0.002 + 0 * t, 10.0, person)
    assert tracker.locked is not None and abs(tracker.locked - 0.002) < 0.5 / SAMPLE_RATE
    assert abs(tracker.correction - (0.002 - MIN_DELAY)) < 0.5 / SAMPLE_RATE


def test_without_narration_nothing_is_measured() -> None:
    tracker = EchoDelayTracker()
    run(tracker, np.zeros(16000 * 11), lambda t: -0.005 + 0 * t, 10.0)
    assert tracker.locked is None and tracker.correction == 0.0
