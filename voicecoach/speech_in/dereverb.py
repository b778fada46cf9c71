"""Dereverberation of the microphone, streaming (prototype under measurement)."""

from __future__ import annotations

from typing import Any

import numpy as np

FFT = 512
HOP = 128


class _Stft:
    """Streaming STFT analysis/synthesis, sqrt-Hann windows, 75 % overlap."""

    def __init__(self) -> None:
        self.window = np.sqrt(np.hanning(FFT + 1)[:FFT]).astype(np.float64)
        self._in = np.zeros(FFT - HOP)
        self._out = np.zeros(FFT)
        self._rest = np.zeros(0)
        self._skip = FFT - HOP

    @property
    def delay(self) -> int:
        """Samples of output held back (algorithmic latency)."""
        return FFT - HOP + len(self._rest)

    def run(self, pcm: bytes, spectral: Any) -> bytes:
        x = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
        x = np.concatenate([self._rest, x])
        n = len(x) // HOP
        self._rest = x[n * HOP:]
        out = np.empty(n * HOP)
        for k in range(n):
            frame = np.concatenate([self._in, x[k * HOP:(k + 1) * HOP]])
            self._in = frame[HOP:]
            spectrum = np.fft.rfft(frame * self.window)
            y = np.fft.irfft(spectral(spectrum), FFT) * self.window * 0.5
            self._out += y
            out[k * HOP:(k + 1) * HOP] = self._out[:HOP]
            self._out = np.concatenate([self._out[HOP:], np.zeros(HOP)])
        if self._skip:
            cut = min(self._skip, len(out))
            out = out[cut:]
            self._skip -= cut
        return (np.clip(out * 32768.0, -32768, 32767)).astype("<i2").tobytes()


class OnlineWpe:
    """Online WPE (nara_wpe.OnlineWPE), one channel."""

    def __init__(self, taps: int = 10, delay: int = 2, alpha: float = 0.998) -> None:
        from nara_wpe.wpe import OnlineWPE

        self._stft = _Stft()
        bins = FFT // 2 + 1
        self._wpe = OnlineWPE(taps, delay, alpha, power_estimate=np.full(bins, 1e-6),
                              channel=1, frequency_bins=bins)

    @property
    def delay(self) -> int:
        return self._stft.delay

    def process(self, pcm: bytes) -> bytes:
        return self._stft.run(pcm, self._step)

    def _step(self, spectrum: np.ndarray) -> np.ndarray:
        out = self._wpe.step_frame(spectrum[:, None])
        return np.asarray(out[:, 0])


class LateReverbSuppressor:
    """Lebart-style late reverberation spectral subtraction."""

    def __init__(self, rt60: float = 0.5, late: float = 0.05, floor: float = 0.1,
                 smooth: float = 0.6) -> None:
        self._stft = _Stft()
        frames = max(1, round(late * 16000 / HOP))
        self._history = np.zeros((frames, FFT // 2 + 1))
        self._decay = float(np.exp(-2 * 3 * np.log(10) / rt60 * frames * HOP / 16000))
        self._floor = floor
        self._smooth = smooth
        self._power = np.zeros(FFT // 2 + 1)

    @property
    def delay(self) -> int:
        return self._stft.delay

    def process(self, pcm: bytes) -> bytes:
        return self._stft.run(pcm, self._step)

    def _step(self, spectrum: np.ndarray) -> np.ndarray:
        power = np.abs(spectrum) ** 2
        self._power = self._smooth * self._power + (1 - self._smooth) * power
        late = self._decay * self._history[0]
        self._history = np.roll(self._history, -1, axis=0)
        self._history[-1] = self._power
        gain = np.maximum(1 - late / np.maximum(power, 1e-12), self._floor ** 2)
        return spectrum * np.sqrt(gain)


class FastWpe:
    """Online WPE, one channel, vectorized RLS (same maths as nara_wpe.OnlineWPE)."""

    def __init__(self, taps: int = 10, delay: int = 2, alpha: float = 0.998) -> None:
        self._stft = _Stft()
        bins = FFT // 2 + 1
        self.taps, self.lag, self.alpha = taps, delay, alpha
        self._inv_cov = np.tile(np.eye(taps, dtype=np.complex128), (bins, 1, 1))
        self._filter = np.zeros((bins, taps), np.complex128)
        self._buffer = np.zeros((taps + delay + 1, bins), np.complex128)

    @property
    def delay(self) -> int:
        return self._stft.delay

    def process(self, pcm: bytes) -> bytes:
        return self._stft.run(pcm, self._step)

    def _step(self, spectrum: np.ndarray) -> np.ndarray:
        window = self._buffer[: self.taps][::-1].T  # (F, K): oldest..newest reversed
        window = self._buffer[: self.taps].T
        prediction = spectrum - np.sum(np.conj(self._filter) * window, axis=1)
        self._buffer = np.roll(self._buffer, -1, axis=0)
        self._buffer[-1] = spectrum
        power = np.mean(self._buffer.real ** 2 + self._buffer.imag ** 2, axis=0)
        nominator = np.matmul(self._inv_cov, window[:, :, None])[:, :, 0]
        denominator = self.alpha * power + np.sum(np.conj(window) * nominator, axis=1).real
        gain = nominator / np.maximum(denominator, 1e-10)[:, None]
        row = np.matmul(np.conj(window)[:, None, :], self._inv_cov)  # (F, 1, K)
        self._inv_cov = (self._inv_cov - gain[:, :, None] * row) / self.alpha
        self._filter = self._filter + gain * np.conj(prediction)[:, None]
        return prediction
