"""The echo's delay measured from the echo, and its creep handed back to the reference."""

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
        person: np.ndarray | None = None) -> list[tuple[float, float, float]]:
    """Blocks through the tracker: the microphone hears ``played`` ``delay_at(t)`` late;
    the reference is read ``tracker.correction`` earlier, as the reference stream does.
    Returns (time, true delay, delay against the corrected reference) per block."""
    index = np.arange(len(played))
    rows = []
    for start in range(0, int(seconds * SAMPLE_RATE) - BLOCK, BLOCK):
        t = (start + np.arange(BLOCK)) / SAMPLE_RATE
        true = delay_at(t)
        mic = 0.3 * np.interp((t - true) * SAMPLE_RATE, index, played)
        if person is not None:
            mic = mic + person[start:start + BLOCK]
        reference = np.interp((t - tracker.correction) * SAMPLE_RATE, index, played)
        tracker.feed(mic, reference)
        rows.append((float(t[0]), float(true[0]), float(true[0]) - tracker.correction))
    return rows


def test_a_steady_echo_is_locked_and_never_moved() -> None:
    tracker = EchoDelayTracker()
    played = narration(41.0, seed=1)
    run(tracker, played, lambda t: 0.0437 + 0 * t, 40.0)
    assert tracker.locked is not None and abs(tracker.locked - 0.0437) < 0.5 / SAMPLE_RATE
    assert tracker.correction == 0.0  # nothing crept: the reference is left as it was


def test_a_creeping_echo_is_followed_to_within_a_sample() -> None:
    """Two clocks 130 ppm apart: by the end the echo is 5 ms later than at first."""
    tracker = EchoDelayTracker()
    played = narration(41.0, seed=2)
    rows = run(tracker, played, lambda t: 0.030 + 130e-6 * t, 40.0)
    assert tracker.locked is not None
    late = [seen for t, _, seen in rows if t > 15.0]
    assert max(late) - min(late) < 1.0 / SAMPLE_RATE  # held where it was locked
    assert rows[-1][1] - rows[0][1] > 0.005  # against 5 ms of creep


def test_an_echo_creeping_earlier_is_followed_too() -> None:
    tracker = EchoDelayTracker()
    played = narration(41.0, seed=3)
    rows = run(tracker, played, lambda t: 0.060 - 80e-6 * t, 40.0)
    late = [seen for t, _, seen in rows if t > 15.0]
    assert max(late) - min(late) < 1.0 / SAMPLE_RATE


def test_a_person_talking_over_the_echo_does_not_throw_it() -> None:
    """Another voice as loud as the echo, half the time: outliers are left out."""
    tracker = EchoDelayTracker()
    played = narration(41.0, seed=4)
    person = np.roll(narration(41.0, seed=5) * 0.3, 7000)
    person[: 16000 * 20] = 0.0  # from the 20th second on
    rows = run(tracker, played, lambda t: 0.030 + 130e-6 * t, 40.0, person)
    late = [seen for t, _, seen in rows if t > 15.0]
    assert max(late) - min(late) < 2.0 / SAMPLE_RATE


def test_without_narration_nothing_is_measured() -> None:
    tracker = EchoDelayTracker()
    run(tracker, np.zeros(16000 * 11), lambda t: 0.03 + 0 * t, 10.0)
    assert tracker.locked is None and tracker.correction == 0.0


def test_an_echo_that_comes_before_the_reference_is_put_behind_it() -> None:
    """The speaker's latency over-reported: the echo arrives 5 ms before the reference
    says it was played. A filter cannot take that out; the reference is read 15 ms
    ahead, so the echo comes 10 ms after it."""
    tracker = EchoDelayTracker()
    played = narration(21.0, seed=6)
    rows = run(tracker, played, lambda t: -0.005 + 0 * t, 20.0)
    assert tracker.locked is not None and abs(tracker.locked + 0.005) < 0.5 / SAMPLE_RATE
    assert abs(rows[-1][2] - MIN_DELAY) < 0.5 / SAMPLE_RATE


def test_an_echo_that_jumps_is_locked_again() -> None:
    """A stream lost 50 ms of audio (an underrun): the echo is 50 ms later at once."""
    tracker = EchoDelayTracker()
    played = narration(41.0, seed=7)
    rows = run(tracker, played, lambda t: 0.02 + 0.05 * (t > 20.0) + 100e-6 * t, 40.0)
    assert tracker.locks == 2
    late = [seen for t, _, seen in rows if t > 30.0]
    assert max(late) - min(late) < 1.0 / SAMPLE_RATE
