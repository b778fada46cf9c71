"""The app's own echo canceller (speexdsp's linear filter), on an echo it has to learn."""

from __future__ import annotations

import numpy as np
import pytest

from voicecoach.audio.pcm import SAMPLE_RATE
from voicecoach.speech_in.app_canceller import AppCanceller


def decibels(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(x, dtype=np.float64)) + 1e-20))


def speechlike(seconds: float, seed: int) -> np.ndarray:
    """Noise in syllable-long bursts, at about -20 dBFS."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    bursts = (np.sin(2 * np.pi * 3 * np.arange(n) / SAMPLE_RATE) > 0) * 0.9 + 0.1
    return (rng.standard_normal(n) * 0.1 * bursts).astype(np.float32)


def room_echo(played: np.ndarray, delay: float, gain: float) -> np.ndarray:
    """``played`` through a small loudspeaker (soft clipping), 300 ms of ringing and a
    delay nobody tells the canceller."""
    rng = np.random.default_rng(7)
    taps = int(0.3 * SAMPLE_RATE)
    ringing = rng.standard_normal(taps) * np.exp(-np.arange(taps) / (0.05 * SAMPLE_RATE))
    ringing /= np.sqrt(np.sum(ringing ** 2))
    late = np.concatenate([np.zeros(int(delay * SAMPLE_RATE)), np.tanh(2 * played) / 2])
    return (np.convolve(late, ringing)[: len(played)] * gain).astype(np.float32)


def cancelled(canceller: AppCanceller, mic: np.ndarray, played: np.ndarray) -> np.ndarray:
    block = 320  # the microphone's 20 ms blocks
    return np.concatenate([canceller.process(mic[i:i + block], played[i:i + block])
                           for i in range(0, len(mic), block)])


@pytest.mark.parametrize("delay", [0.02, 0.12])
def test_the_echo_is_learnt_and_taken_out(delay: float) -> None:
    played = speechlike(8.0, seed=1)
    echo = room_echo(played, delay, gain=0.5)
    out = cancelled(AppCanceller(), echo, played)
    settled = slice(4 * SAMPLE_RATE, None)  # after four seconds of learning (the later
    # echo takes longer: 15 dB out after three seconds, 20 after five)
    assert decibels(echo[settled]) - decibels(out[settled]) > 15


def test_the_person_alone_passes_through() -> None:
    person = speechlike(4.0, seed=2) * 0.5
    out = cancelled(AppCanceller(), person, np.zeros_like(person))
    assert abs(decibels(out[SAMPLE_RATE:]) - decibels(person[SAMPLE_RATE:])) < 1.0


def test_blocks_must_pair_the_microphone_with_as_much_reference() -> None:
    with pytest.raises(ValueError, match="320 samples, the reference 160"):
        AppCanceller().process(np.zeros(320, np.float32), np.zeros(160, np.float32))
