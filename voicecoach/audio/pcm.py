"""Audio as numbers: the app's sample rate, clips, PCM conversions and levels.

Everything that listens works on 16 kHz mono (:data:`SAMPLE_RATE`); the recognizer takes
it as little-endian int16 bytes ("PCM"), the rest as float32 in [-1, 1]. Rendered speech
travels as a :class:`Clip` (int16 samples and their rate). Sound files are read and
written by :mod:`voicecoach.audio.files`, rates converted by :mod:`voicecoach.audio.resample`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
"""Samples per second of everything that listens: the microphone, the recognizer."""


SILENT_PEAK = 1e-4
"""A recording whose peak stays under this (-80 dBFS, about 3 of int16's steps) holds
nothing to hear: a silent take, not a quiet voice."""


def peak_of(samples: np.ndarray) -> float:
    """The largest magnitude in float ``samples`` (0 for none)."""
    return float(np.max(np.abs(samples), initial=0.0))


def nothing_to_hear(count: int, peak: float) -> str | None:
    """"holds no audio" for a recording of no samples, "is silent all through" for one
    whose ``peak`` stays under :data:`SILENT_PEAK`, else None."""
    if count == 0:
        return "holds no audio"
    return "is silent all through" if peak < SILENT_PEAK else None


def _read_only_int16(samples: np.ndarray) -> np.ndarray:
    if samples.dtype == np.int16 and not samples.flags.writeable and samples.flags.c_contiguous:
        return samples
    frozen = np.array(samples, dtype=np.int16)
    frozen.flags.writeable = False
    return frozen


@dataclass(frozen=True, eq=False)
class Clip:
    """A piece of mono audio: int16 samples (kept read-only) and their sample rate."""

    samples: np.ndarray
    """int16 samples, one channel."""
    sample_rate: int
    """Samples per second (espeak-ng gives 22050)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "samples", _read_only_int16(self.samples))

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sample_rate


def to_int16(x: np.ndarray) -> np.ndarray:
    """Float audio in [-1, 1] as int16 samples (clipped)."""
    samples: np.ndarray = (np.clip(x, -1.0, 1.0) * 32767.0).astype(np.int16)
    return samples


def to_pcm16(x: np.ndarray) -> bytes:
    """Float audio in [-1, 1] as little-endian int16 bytes (clipped)."""
    return to_int16(x).astype("<i2").tobytes()


def from_pcm16(pcm: bytes) -> np.ndarray:
    """Little-endian int16 bytes as float32 audio in [-1, 1)."""
    samples: np.ndarray = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    return samples


def power_of(samples: np.ndarray) -> float:
    """Mean square of float samples, full scale 1.0 (0 for none)."""
    return float(np.mean(np.square(samples, dtype=np.float64))) if len(samples) else 0.0


def rms_dbfs(pcm: bytes) -> float:
    """Loudness of int16 PCM in dB relative to full scale (-120 for silence)."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    if len(x) == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(x * x))) / 32768.0
    return max(-120.0, 20.0 * float(np.log10(rms))) if rms > 0 else -120.0
