"""The Vosk model, loaded once per process, through a tuned view of its configuration.

* **Tuned model view.** vosk 0.3.45 has no ``SetEndpointerDelays``/``SetEndpointerMode``.
  :func:`load_model` loads the model through a folder of symlinks whose
  ``conf/model.conf`` differs in two lines: ``--endpoint.silence-phones`` keeps only the
  SIL phones (by default the spoken-noise phones that ``[unk]`` uses count as silence, so
  0.5 s of unknown speech ends the utterance and the rest of the sentence becomes a new
  one: "keep your back straight" gave "keep [unk]" then "wait"); ``--frames-per-chunk``
  is lowered so partial results follow the audio every ~0.1 s instead of ~0.25 s. Its
  ``conf/mfcc.conf`` turns Kaldi's dither off: :class:`Dither` adds it back, drawn from
  the recognizer's own seeded generator rather than the C library's ``rand()``, which
  every thread shares (what a decoder heard changed with what other threads had drawn:
  tests and benchmark runs did not repeat). If the view cannot be made, or the model
  has no ``mfcc.conf``, Kaldi's dither stays beside ours (a little more noise, no harm).
* **Checked first.** A damaged model crashes Vosk, so :mod:`.model_check` looks at it
  before Vosk does.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

DITHER_SEED = 1
"""Seed of the dither :class:`Dither` adds (the model view turns Kaldi's own off)."""

FRAMES_PER_CHUNK = 9
"""Decoder chunk in 10 ms frames; smaller = fresher partials, more CPU."""


class ModelUnavailable(RuntimeError):
    """The speech model is missing or cannot be loaded; the message says what to do."""


# --- the model --------------------------------------------------------------------------


def _silence_phones(model: Path, current: str) -> str | None:
    """``current`` (a colon list) without the spoken-noise phones, or None if unsure.

    ``graph/phones/word_boundary.int`` lists phones as ``id kind``; each ``nonword``
    phone starts a group (SIL with its position variants, then SPN with its own). The
    first group is SIL.
    """
    table = model / "graph" / "phones" / "word_boundary.int"
    try:
        rows = [line.split() for line in table.read_text().splitlines() if line.strip()]
        kinds = {int(row[0]): row[1] for row in rows}
        wanted = {int(x) for x in current.split(":") if x}
    except (OSError, ValueError, IndexError):
        return None
    first = min((pid for pid, kind in kinds.items() if kind == "nonword"), default=None)
    if first is None:
        return None
    sil = {first}
    pid = first + 1
    while kinds.get(pid) not in (None, "nonword"):
        sil.add(pid)
        pid += 1
    kept = sorted(wanted & sil)
    return ":".join(map(str, kept)) if kept and len(kept) < len(wanted) else None


def tuned_model_dir(
    model: Path, frames_per_chunk: int = FRAMES_PER_CHUNK, acoustic_scale: float | None = None
) -> Path:
    """A folder that reads as ``model`` but with the tuned ``conf/model.conf`` (and
    ``acoustic_scale`` in place of the model's own, when given).

    Made of symlinks under the temp dir, keyed by content, reused across runs. Returns
    ``model`` itself when its conf is not the expected Kaldi one, links can't be made, or
    the folder for views is not this user's alone (on a shared machine someone else
    could have made it, with a view of their choosing inside).
    """
    model = Path(model).resolve()
    conf = model / "conf" / "model.conf"
    try:
        lines = conf.read_text().splitlines()
    except OSError:
        return model
    out: list[str] = []
    for line in lines:
        if line.startswith("--frames-per-chunk"):
            continue
        if acoustic_scale is not None and line.startswith("--acoustic-scale"):
            continue
        if line.startswith("--endpoint.silence-phones="):
            tuned = _silence_phones(model, line.split("=", 1)[1].strip())
            line = f"--endpoint.silence-phones={tuned}" if tuned else line
        out.append(line)
    out.append(f"--frames-per-chunk={frames_per_chunk}")
    if acoustic_scale is not None:
        out.append(f"--acoustic-scale={acoustic_scale}")
    text = "\n".join(out) + "\n"
    try:
        mfcc: str | None = (model / "conf" / "mfcc.conf").read_text().rstrip("\n")
        mfcc = f"{mfcc}\n--dither=0\n"
    except OSError:  # other features (fbank): Kaldi's dither stays, beside ours
        mfcc = None
    key = hashlib.sha256(f"{model}\n{text}\n{mfcc}".encode()).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / f"voicecoach-vosk-{os.getuid()}"
    view = base / key
    try:
        base.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return model
    if not _ours_alone(base):
        return model
    if (view / "conf" / "model.conf").is_file():
        return view
    try:
        staging = Path(tempfile.mkdtemp(dir=base, prefix=".new-"))
        for entry in model.iterdir():
            if entry.name != "conf":
                (staging / entry.name).symlink_to(entry)
        (staging / "conf").mkdir()
        for entry in (model / "conf").iterdir():
            if entry.name not in ("model.conf", "mfcc.conf") or (
                    entry.name == "mfcc.conf" and mfcc is None):
                (staging / "conf" / entry.name).symlink_to(entry)
        (staging / "conf" / "model.conf").write_text(text)
        if mfcc is not None:
            (staging / "conf" / "mfcc.conf").write_text(mfcc)
        try:
            staging.rename(view)
        except OSError:  # another process made it first
            if not (view / "conf" / "model.conf").is_file():
                raise
    except OSError:
        return model
    return view


def _ours_alone(folder: Path) -> bool:
    """``folder`` is a real directory owned by this user that nobody else can write to."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


_load_lock = threading.Lock()


@functools.cache
def _load(path: Path, acoustic_scale: float | None) -> Any:
    import vosk

    vosk.SetLogLevel(-1)
    model = vosk.Model.__new__(vosk.Model)
    # What Model.__del__ frees if __init__ is cut short (Ctrl-C lands as the C call
    # returns, before the handle is stored): NULL, which vosk_model_free ignores. Without
    # it, Ctrl-C while loading printed "Exception ignored in: Model.__del__".
    model._handle = vosk._ffi.NULL
    try:
        model.__init__(str(tuned_model_dir(path, acoustic_scale=acoustic_scale)))
    except Exception as error:  # vosk raises a bare Exception
        raise ModelUnavailable(
            f"could not load the speech model at {path} ({error}): "
            "run `voicecoach model install` to (re)install it"
        ) from error
    return model


def load_model(path: Path, acoustic_scale: float | None = None) -> Any:
    """The ``vosk.Model`` for ``path`` (decoding at ``acoustic_scale`` when given), loaded
    once per process and shared.

    The folder is checked first (:func:`~voicecoach.speech_in.model_check.check_before_load`:
    the installed model against its manifest, any other model by a trial load in a child
    process), because a damaged model crashes Vosk with SIGSEGV instead of raising. A
    model that fails raises :class:`ModelUnavailable` saying which file is wrong and what
    to run; the caller goes on without speech (the keys still work).
    """
    from voicecoach.model_store import ModelInvalid
    from voicecoach.speech_in.model_check import check_before_load

    path = Path(path).resolve()
    if not (path / "am").is_dir() or not (path / "conf").is_dir():
        raise ModelUnavailable(
            f"no Vosk speech model at {path}: run `voicecoach model install`"
        )
    with _load_lock:
        try:
            check_before_load(path)
        except ModelInvalid as invalid:
            raise ModelUnavailable(str(invalid)) from invalid
        return _load(path, acoustic_scale)


class Dither:
    """Kaldi's dither, drawn here: Gaussian noise of one int16 step on what the decoder
    hears, from this decoder's own seeded generator.

    The model was trained with it (silence must not be exact digital zero). Kaldi draws
    it from the C library's shared ``rand()``, so what a decoder heard depended on what
    every other thread had drawn before; the model view turns it off and this adds it
    back, the same for the same audio.
    """

    def __init__(self, seed: int = DITHER_SEED) -> None:
        self._random = np.random.default_rng(seed)

    def __call__(self, pcm: bytes) -> bytes:
        x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
        x += self._random.standard_normal(len(x))
        return np.clip(np.rint(x), -32768, 32767).astype("<i2").tobytes()
