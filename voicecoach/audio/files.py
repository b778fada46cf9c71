"""Audio files: any sound file read as mono float32 at a given rate, a clip written as a WAV.

Files are read through libsndfile (the ``soundfile`` package; WAV, FLAC, Ogg, MP3 and
more) and resampled by :class:`Resampler`. Every way a file can be unreadable becomes one
:class:`AudioFormatError` that names the file and what is wrong; a missing or unopenable
file raises the usual OSError. :func:`iter_audio` reads a file block by block, so a
two-hour recording never sits in memory at its original rate.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import stat
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from voicecoach.audio.errors import AudioFormatError
from voicecoach.audio.pcm import SAMPLE_RATE, Clip
from voicecoach.audio.resample import Resampler

_READ_FRAMES = 65_536
"""Frames read from a file at a time (1.5 s at 44.1 kHz)."""
_LARGEST_CHUNK = 0xFFFF_FFFF


# --- reading files -------------------------------------------------------------------------

_EXPLAINED = {
    "Format not recognised": "not a WAV, FLAC, Ogg or MP3 file, or a damaged one",
    "SF_INFO struct incomplete": "the header gives no usable sample rate or channel count",
    "unimplemented format": "its sample encoding is not one that can be read",
    "Channel count is zero": "the header says it has no channels",
}


def _format_error(path: Path, error: soundfile.LibsndfileError) -> AudioFormatError:
    detail = error.error_string.strip().rstrip(".")
    what = next(
        (text for key, text in _EXPLAINED.items() if key in detail),
        "a damaged or unsupported audio file",
    )
    return AudioFormatError(f"{path}: {what} (libsndfile: {detail})")


class _PatchedFile(io.RawIOBase):
    """A file read with a few of its bytes replaced (a WAV header's data size)."""

    def __init__(self, path: Path, offset: int, patch: bytes) -> None:
        self._file = path.open("rb")
        self._offset = offset
        self._patch = patch

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        start = self._file.tell()
        count = self._file.readinto(view)
        first = max(start, self._offset)
        last = min(start + count, self._offset + len(self._patch))
        if first < last:
            view[first - start : last - start] = self._patch[first - self._offset :
                                                             last - self._offset]
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def _streamed_wav_patch(path: Path) -> tuple[int, bytes] | None:
    """Where a WAV's data chunk says "0 bytes" though audio follows (a WAV written to a pipe
    cannot go back to fill it in), and the size to put there instead; None otherwise."""
    with path.open("rb") as file:
        head = file.read(65_536)
        size = file.seek(0, io.SEEK_END)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos = 12
    while pos + 8 <= len(head):
        chunk, length = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        if chunk == b"data":
            remaining = size - pos - 8
            if length == 0 and remaining > 0:
                return pos + 4, struct.pack("<I", min(remaining, _LARGEST_CHUNK))
            return None
        pos += 8 + length + (length & 1)
    return None


def _open(path: Path, closing: contextlib.ExitStack) -> soundfile.SoundFile:
    """``path`` opened for reading; ``closing`` closes it. Raises OSError or
    AudioFormatError."""
    info = path.stat()  # a missing file or a symbolic link loop: the usual OSError
    if not stat.S_ISREG(info.st_mode):  # a FIFO would hang, a folder or device mislead
        raise AudioFormatError(f"{path}: not a regular file, so not an audio file")
    path.open("rb").close()  # an unreadable file: the usual OSError
    if info.st_size == 0:
        raise AudioFormatError(f"{path}: the file is empty")
    try:
        sound = closing.enter_context(soundfile.SoundFile(path))
        if sound.format in ("WAV", "WAVEX") and sound.frames == 0:
            patch = _streamed_wav_patch(path)
            if patch is not None:
                sound.close()
                raw = closing.enter_context(_PatchedFile(path, *patch))
                sound = closing.enter_context(soundfile.SoundFile(raw))
    except soundfile.LibsndfileError as error:
        raise _format_error(path, error) from None
    if sound.samplerate <= 0 or sound.channels <= 0:
        raise AudioFormatError(f"{path}: the header gives no usable sample rate or channels")
    return sound


def audio_duration(path: Path) -> float:
    """Seconds of audio in the file at ``path``. Raises OSError or AudioFormatError."""
    with contextlib.ExitStack() as closing:
        sound = _open(Path(path), closing)
        return float(sound.frames / sound.samplerate)


def iter_audio(
    path: Path, rate: int = SAMPLE_RATE, block_seconds: float = 1.0
) -> Iterator[np.ndarray]:
    """The audio of ``path`` as mono float32 blocks at ``rate``, each ``block_seconds``
    long but the last.

    Opens the file at once (so OSError and AudioFormatError come from this call); reads it
    block by block, averaging the channels and resampling as it goes.
    """
    return _read(Path(path), rate, block_seconds)[1]


def _read(path: Path, rate: int, block_seconds: float) -> tuple[int, Iterator[np.ndarray]]:
    """About how many samples :func:`iter_audio` will give, and its blocks."""
    closing = contextlib.ExitStack()
    with closing:
        sound = _open(path, closing)
        expected = int(np.ceil(sound.frames * rate / sound.samplerate))
        block = max(1, round(rate * block_seconds))
        return expected, _blocks(path, sound, rate, block, closing.pop_all())


def _blocks(
    path: Path, sound: soundfile.SoundFile, rate: int, block: int, closing: contextlib.ExitStack
) -> Iterator[np.ndarray]:
    with closing:
        resampler = Resampler(sound.samplerate, rate)
        rest = np.zeros(0, np.float32)
        done = False
        while not done:
            try:
                frames = sound.read(_READ_FRAMES, dtype="float32", always_2d=True)
            except soundfile.LibsndfileError as error:
                raise _format_error(path, error) from None
            done = len(frames) == 0
            mono = frames.mean(axis=1, dtype=np.float32) if sound.channels > 1 else frames[:, 0]
            mono = resampler.feed(mono, last=done)
            rest = np.concatenate([rest, mono])
            whole = len(rest) - len(rest) % block
            for start in range(0, whole, block):
                yield rest[start : start + block]
            rest = rest[whole:]
        if len(rest):
            yield rest


def read_audio(path: Path, rate: int = SAMPLE_RATE) -> np.ndarray:
    """The whole audio of ``path`` as mono float32 at ``rate``.

    Reads WAV (any PCM width, float), FLAC, Ogg, MP3 and whatever else libsndfile reads,
    with any channel count and sample rate; only the result is held whole. Raises OSError
    or AudioFormatError.
    """
    expected, blocks = _read(Path(path), rate, block_seconds=1.0)
    out = np.empty(expected, np.float32)
    filled = 0
    for block in blocks:
        if filled + len(block) > len(out):
            out = np.resize(out, max(filled + len(block), len(out) + len(out) // 4))
        out[filled : filled + len(block)] = block
        filled += len(block)
    return out[:filled]


def read_clip(path: Path) -> Clip:
    """A sound file as a mono clip at its own sample rate. Raises OSError or
    AudioFormatError."""
    with contextlib.ExitStack() as closing:
        sound = _open(Path(path), closing)
        try:
            frames = sound.read(dtype="int16", always_2d=True)
        except soundfile.LibsndfileError as error:
            raise _format_error(Path(path), error) from None
        rate = sound.samplerate
    if frames.shape[1] > 1:
        return Clip(np.round(frames.mean(axis=1)), rate)
    return Clip(frames[:, 0], rate)


# --- writing files -------------------------------------------------------------------------


def _naming(error: OSError, path: Path) -> OSError:
    """``error`` again, naming ``path`` (not a temporary file beside it)."""
    if error.errno is None:
        return OSError(f"{path}: {error}")
    return OSError(error.errno, error.strerror or os.strerror(error.errno), str(path))


class _KeptErrors(io.RawIOBase):
    """A file libsndfile writes through that keeps the first OSError of the file under it.

    libsndfile cannot see a Python exception (the write only comes up short, and it
    reports "System error" or worse); :attr:`error` tells what really happened.
    """

    def __init__(self, file: io.BufferedRandom) -> None:
        self._file = file
        self.error: OSError | None = None

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def _keep(self, step: Callable[[], int], failed: int) -> int:
        if self.error is not None:
            return failed
        try:
            return step()
        except OSError as error:
            self.error = error
            return failed

    def write(self, data: Any) -> int:
        return self._keep(lambda: self._file.write(data), 0)

    def readinto(self, buffer: Any) -> int:
        return self._keep(lambda: self._file.readinto(buffer), 0)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._keep(lambda: self._file.seek(offset, whence), -1)

    def tell(self) -> int:
        return self._keep(self._file.tell, -1)


def write_wav(path: Path, clip: Clip) -> None:
    """Write a clip as a mono 16-bit WAV file (whatever the file's name ends with).

    The file is written beside ``path`` under a temporary name and renamed when complete,
    so a failed write (a missing or read-only folder, a full disk) leaves nothing behind
    and never half of an existing file. Raises OSError naming ``path``, or
    AudioFormatError when the clip cannot be a WAV file (e.g. a zero sample rate).
    """
    path = Path(path)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        descriptor = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except OSError as error:
        raise _naming(error, path) from None
    try:
        with os.fdopen(descriptor, "w+b") as file:
            sink = _KeptErrors(file)
            try:
                soundfile.write(sink, clip.samples, clip.sample_rate, subtype="PCM_16",
                                format="WAV")
            except Exception as error:  # libsndfile's view of it: LibsndfileError and such
                if sink.error is not None:
                    raise _naming(sink.error, path) from None
                raise AudioFormatError(f"{path}: cannot be written as a 16-bit WAV file "
                                       f"({error})") from None
            if sink.error is not None:
                raise _naming(sink.error, path)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise _naming(error, path) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
