"""Resampling: mono audio from one sample rate to another, a block at a time.

:class:`Resampler` low-passes below the lower Nyquist frequency and interpolates linearly
in between, so no aliases or images reach the recognizer; feeding a recording in blocks
gives the same samples as feeding it whole. :func:`resample` converts a whole array.
"""

from __future__ import annotations

import math

import numpy as np


class _LowPass:
    """A windowed-sinc low-pass (65 taps, Hamming) at ``cutoff`` cycles per sample, on a
    stream: each block's output is as long as its input once the filter has seen 32
    samples ahead; ``last`` flushes them."""

    HALF = 32

    def __init__(self, cutoff: float) -> None:
        n = np.arange(-self.HALF, self.HALF + 1)
        taps = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(len(n))
        self._taps = (taps / taps.sum()).astype(np.float32)
        self._context = np.zeros(self.HALF, np.float32)

    def feed(self, x: np.ndarray, last: bool) -> np.ndarray:
        pieces = [self._context, x, np.zeros(self.HALF if last else 0, np.float32)]
        padded = np.concatenate(pieces)
        if len(padded) < len(self._taps):
            self._context = padded
            return np.zeros(0, np.float32)
        out: np.ndarray = np.convolve(padded, self._taps, mode="valid")
        self._context = padded[len(out) :]
        return out


class _LinearInterpolator:
    """Samples of a stream at ``src_rate / dst_rate`` steps, by linear interpolation; in
    all it gives ``round(n * dst_rate / src_rate)`` samples for ``n`` in (the end holds the
    last one)."""

    def __init__(self, src_rate: int, dst_rate: int) -> None:
        self._src_rate, self._dst_rate = src_rate, dst_rate
        self._step = src_rate / dst_rate
        self._kept = np.zeros(0, np.float32)
        self._first = 0
        """Stream index of ``_kept[0]``."""
        self._seen = 0
        self._emitted = 0

    def feed(self, x: np.ndarray, last: bool) -> np.ndarray:
        self._kept = np.concatenate([self._kept, x])
        self._seen += len(x)
        if last:
            end = round(self._seen * self._dst_rate / self._src_rate)
        else:  # an output waits for the sample after it, and for the next output's
            end = max(self._emitted, math.ceil((self._seen - 1) / self._step) - 1)
            while end > self._emitted and end * self._step >= self._seen - 1:
                end -= 1  # (the float division above may round up)
            while (end + 1) * self._step < self._seen - 1:
                end += 1
        positions = np.arange(self._emitted, end) * self._step
        self._emitted = max(self._emitted, end)
        if len(positions) == 0 or len(self._kept) == 0:
            return np.zeros(0, np.float32)
        at = positions - self._first
        out: np.ndarray = np.interp(at, np.arange(len(self._kept)), self._kept).astype(np.float32)
        drop = min(int(self._emitted * self._step) - self._first, len(self._kept))
        if drop > 0:
            self._kept = self._kept[drop:]
            self._first += drop
        return out


class Resampler:
    """Mono float32 audio from ``src_rate`` to ``dst_rate`` Hz, a block at a time.

    Low-passes below the lower Nyquist frequency (before decimating, after interpolating,
    so no aliases or images reach the recognizer) with linear interpolation in between.
    Feeding a recording in blocks gives the same samples as feeding it whole.
    """

    def __init__(self, src_rate: int, dst_rate: int) -> None:
        if src_rate <= 0 or dst_rate <= 0:
            raise ValueError(f"sample rates must be positive, got {src_rate} and {dst_rate}")
        self._stages: list[_LowPass | _LinearInterpolator] = []
        if src_rate > dst_rate:
            self._stages = [_LowPass(0.45 * dst_rate / src_rate),
                            _LinearInterpolator(src_rate, dst_rate)]
        elif src_rate < dst_rate:
            self._stages = [_LinearInterpolator(src_rate, dst_rate),
                            _LowPass(0.45 * src_rate / dst_rate)]

    def feed(self, x: np.ndarray, last: bool = False) -> np.ndarray:
        """The converted samples ``x`` completes (``last``: and all that are held back)."""
        out = np.asarray(x, dtype=np.float32)
        for stage in self._stages:
            out = stage.feed(out, last)
        return out


def resample(x: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Mono ``x`` converted from ``src_rate`` to ``dst_rate`` Hz (see :class:`Resampler`).
    int16 in gives int16 out; anything else gives float32."""
    as_int16 = x.dtype == np.int16
    floats = x.astype(np.float32) / np.float32(32768) if as_int16 else x.astype(np.float32)
    floats = Resampler(src_rate, dst_rate).feed(floats, last=True)
    if not as_int16:
        return floats
    samples: np.ndarray = np.clip(np.round(floats * 32768.0), -32768, 32767).astype(np.int16)
    return samples
