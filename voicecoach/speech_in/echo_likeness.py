"""Does a block of the microphone sound like what the narrator played a moment before?

The double-talk detector (:mod:`voicecoach.speech_in.doubletalk`) judges by loudness
alone: more at the microphone than the echo explains is the person. Behind PulseAudio's
canceller that is not enough. Its residue sits 40-55 dB under what the narrator plays,
but now and then a syllable gets through only 15-25 dB under it (a line's first tenth of
a second, the "xt up" of "Next up"), loud enough to be read as the person; let through to
the decoder it came out as "stop" and "pause" nobody said (the live test, 2 runs in 20).

Such a burst is the narrator's own sound come back: its spectrum is the spectrum of what
was played a few blocks before, and so is its waveform; the person, saying other sounds,
matches neither. Each block is reduced to the logarithm of its energy in
:data:`BAND_EDGES` (about a third of an octave each, 100 Hz to 8 kHz), and a block the
detector would take for the person is the narrator's when its bands correlate by
:data:`MATCH` or more with those of a block played up to the echo's longest delay
before, and its samples by :data:`SAME_WAVE` with what was played then, at some lag
(the bands alone matched the person where the person is the narrator's own voice). On
the live test's logged audio, that holds for 2 % of the person's blocks and 41 % of the
bursts' (enough to break each burst up). The waveform is only compared when the bands
match, a few blocks a second at most.
"""

from __future__ import annotations

from collections import deque
from itertools import pairwise

import numpy as np

from voicecoach.audio.pcm import SAMPLE_RATE

BAND_EDGES = (100, 200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000, 2320,
              2700, 3150, 3700, 4400, 5300, 6400, 8000)
"""Hz: the bands a block's spectrum is summed into (critical bands, roughly)."""
MATCH = 0.9
"""Correlation of two blocks' band levels from which they may be the same sound."""
SAME_WAVE = 0.5
"""Normalized cross-correlation with what was played (at the best lag) from which a block
whose bands match is the same sound, not the same voice saying another one: the person
in the simulation is espeak's en-us, as the narrator, and its "pause" matched the bands
of the narrator's words then (0.9) but not their waveform."""
FFT_SIZE = 512


class EchoLikeness:
    """Keeps the band levels of the last blocks played; says whether a microphone block
    matches one of them."""

    def __init__(self, blocks: int, quietest: float, rate: int = SAMPLE_RATE) -> None:
        self.quietest = quietest
        """Reference power below which a played block is silence (nothing to match)."""
        self._played: deque[np.ndarray | None] = deque(maxlen=blocks + 1)
        self._samples: deque[np.ndarray] = deque(maxlen=blocks + 1)
        freqs = np.fft.rfftfreq(FFT_SIZE, 1.0 / rate)
        self._band_of = [
            (freqs >= low) & (freqs < high)
            for low, high in pairwise(BAND_EDGES)
            if low < rate / 2
        ]

    def add_played(self, block: np.ndarray, power: float) -> None:
        """The block of reference played at the microphone block's time."""
        self._played.append(self._bands(block) if power >= self.quietest else None)
        self._samples.append(np.asarray(block, dtype=np.float64))

    def sounds_played(self, block: np.ndarray) -> bool:
        """True when ``block`` (the microphone) is one of the recent played blocks come
        back, by its band levels and its waveform: the narrator's echo, not the person."""
        played = [bands for bands in self._played if bands is not None]
        if not played:
            return False
        heard = self._bands(block)
        if not any(_correlation(heard, bands) >= MATCH for bands in played):
            return False
        return self._wave_match(np.asarray(block, dtype=np.float64)) >= SAME_WAVE

    def _wave_match(self, block: np.ndarray) -> float:
        """The highest normalized cross-correlation of ``block`` with what was played
        over the kept blocks, at any lag."""
        played = np.concatenate(list(self._samples))
        if len(played) < len(block) or not block.any():
            return 0.0
        products = np.correlate(played, block, "valid")
        energies = np.convolve(played * played, np.ones(len(block)), "valid")
        norms = np.sqrt(energies * float(np.dot(block, block)))
        return float(np.max(np.abs(products) / np.maximum(norms, 1e-20)))

    def _bands(self, block: np.ndarray) -> np.ndarray:
        window = np.hanning(len(block))
        power = np.abs(np.fft.rfft(block * window, FFT_SIZE)) ** 2
        levels = np.array([power[band].sum() for band in self._band_of])
        return np.log10(levels + 1e-12)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two band-level vectors (0 when either is flat)."""
    a = a - a.mean()
    b = b - b.mean()
    norm = float(np.sqrt(np.dot(a, a) * np.dot(b, b)))
    return float(np.dot(a, b)) / norm if norm > 0.0 else 0.0
