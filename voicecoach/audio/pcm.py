"""Audio into the app: WAV files and the microphone, as 16 kHz mono int16 PCM.

File reading and conversion are pure numpy. The microphone side (:class:`MicStream`)
imports sounddevice lazily; its callback only enqueues ``(pcm bytes, monotonic time)``
so the thread that owns the recognizer does all the work.
"""

from __future__ import annotations

import contextlib
import queue
import struct
import time
from pathlib import Path
from typing import Any

import numpy as np

SAMPLE_RATE = 16000
BLOCK_SECONDS = 0.02
"""Microphone block length: short, so a command is seen soon after it is said (the
listener only looks at the decoder between blocks)."""

_PCM = 1
_FLOAT = 3
_EXTENSIBLE = 0xFFFE


class AudioFormatError(ValueError):
    """A file that is not a WAV this module can read."""


def read_wav(path: Path, rate: int = SAMPLE_RATE) -> np.ndarray:
    """The audio of a WAV file as mono float32 in [-1, 1] at ``rate``.

    Reads 8/16/24/32-bit integer PCM and 32/64-bit float WAVs with any channel count
    and sample rate; channels are averaged, the rate is converted.
    """
    data = Path(path).read_bytes()
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioFormatError(f"{path}: not a WAV file (no RIFF/WAVE header)")
    fmt: tuple[int, int, int, int] | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if chunk_id == b"fmt ":
            tag, channels, src_rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if tag == _EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, src_rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioFormatError(f"{path}: data chunk before fmt chunk")
            samples = decode_pcm(body, fmt[0], fmt[3], fmt[1])
            return resample(samples, fmt[2], rate)
        pos += 8 + size + (size & 1)
    raise AudioFormatError(f"{path}: no audio data in the WAV file")


def decode_pcm(body: bytes, tag: int, bits: int, channels: int) -> np.ndarray:
    """Interleaved PCM bytes to mono float32 in [-1, 1]."""
    width = bits // 8
    usable = len(body) - len(body) % (width * max(channels, 1))
    raw = body[:usable]
    if tag == _FLOAT and bits in (32, 64):
        x = np.frombuffer(raw, dtype="<f4" if bits == 32 else "<f8").astype(np.float32)
    elif tag == _PCM and bits == 8:
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif tag == _PCM and bits == 16:
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif tag == _PCM and bits == 24:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        x = (np.where(v >= 1 << 23, v - (1 << 24), v) / float(1 << 23)).astype(np.float32)
    elif tag == _PCM and bits == 32:
        x = (np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2.0**31).astype(np.float32)
    else:
        raise AudioFormatError(f"unsupported WAV encoding: format {tag}, {bits}-bit")
    if channels > 1:
        x = x.reshape(-1, channels).mean(axis=1)
    return x


def _lowpass(x: np.ndarray, cutoff: float) -> np.ndarray:
    """``x`` low-passed at ``cutoff`` cycles per sample (windowed sinc, 65 taps)."""
    n = np.arange(-32, 33)
    taps = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(len(n))
    return np.convolve(x, (taps / taps.sum()).astype(np.float32), mode="same")


def resample(x: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """``x`` converted from ``src_rate`` to ``dst_rate``.

    Low-pass below the lower Nyquist frequency (before decimating, after interpolating,
    so no aliases or images reach the recognizer), linear interpolation in between.
    """
    x = np.asarray(x, dtype=np.float32)
    if src_rate == dst_rate or len(x) == 0:
        return x
    if dst_rate < src_rate:
        x = _lowpass(x, 0.45 * dst_rate / src_rate)
    length = round(len(x) * dst_rate / src_rate)
    positions = np.arange(length) * (src_rate / dst_rate)
    y: np.ndarray = np.interp(positions, np.arange(len(x)), x).astype(np.float32)
    if dst_rate > src_rate:
        y = _lowpass(y, 0.45 * src_rate / dst_rate)
    return y


def to_pcm16(x: np.ndarray) -> bytes:
    """Float audio in [-1, 1] as little-endian int16 bytes (clipped)."""
    pcm: bytes = (np.clip(x, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    return pcm


def rms_dbfs(pcm: bytes) -> float:
    """Loudness of int16 PCM in dB relative to full scale (-120 for silence)."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    if len(x) == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(x * x))) / 32768.0
    return max(-120.0, 20.0 * float(np.log10(rms))) if rms > 0 else -120.0


class MicStream:
    """A 16 kHz mono int16 input stream whose blocks land in :attr:`blocks`.

    ``blocks`` holds ``(pcm, t)`` with ``t`` the ``time.monotonic()`` of the callback,
    i.e. roughly when the block's last sample was captured. Opening raises whatever
    sounddevice/PortAudio raises; the owner turns that into a message.
    """

    def __init__(self, device: int | str | None = None, block_seconds: float = BLOCK_SECONDS):
        self.device = device
        self.block_seconds = block_seconds
        self.blocks: queue.Queue[tuple[bytes, float]] = queue.Queue(maxsize=1000)
        self.last_callback = 0.0
        self._stream: Any = None

    def open(self) -> None:
        """Open and start the stream."""
        import sounddevice

        self.close()
        stream = sounddevice.RawInputStream(
            samplerate=SAMPLE_RATE,
            channels=1,
            dtype="int16",
            blocksize=int(SAMPLE_RATE * self.block_seconds),
            device=self.device,
            callback=self._callback,
        )
        self.last_callback = time.monotonic()
        stream.start()
        self._stream = stream

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        now = time.monotonic()
        self.last_callback = now
        # If the owner is stuck, dropping audio beats blocking PortAudio.
        with contextlib.suppress(queue.Full):
            self.blocks.put_nowait((bytes(indata), now))

    def close(self) -> None:
        """Stop and close the stream; never raises."""
        stream, self._stream = self._stream, None
        if stream is not None:
            for step in (stream.abort, stream.close):
                with contextlib.suppress(Exception):
                    step()

    @property
    def is_open(self) -> bool:
        """True while a stream is open."""
        return self._stream is not None
