"""Real synthetic speech for recognition tests and benchmarks, made with espeak-ng.

Clips are 16 kHz mono float32, trimmed of leading and trailing silence so the end
of a clip is the end of its last word. :func:`compose` lays clips out in silence and
records where each one ends; :func:`add_noise` mixes white, pink or babble noise in
at a given signal-to-noise ratio.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicecoach.audio import files as audio_files
from voicecoach.audio.files import read_audio
from voicecoach.audio.pcm import SAMPLE_RATE, Clip, to_int16, to_pcm16

VOICES: tuple[str, ...] = (
    "en-us",
    "en-gb",
    "en-us+f3",
    "en-us+m7",
    "en-gb-x-rp",
    "en-us+f2",
    "en-gb-scotland",
)
"""espeak-ng voices (language + variant) that stand in for different speakers."""

NARRATION: tuple[str, ...] = (
    "Lie on your back with your knees bent and your feet flat on the floor.",
    "Pause when you feel a good stretch.",
    "Next up, active hamstring stretch.",
    "Keep your back straight and breathe slowly.",
    "Hold for sixty seconds.",
    "Breathe slowly and let your shoulders relax.",
    "Lower back pain often eases with gentle movement.",
    "Switch sides and repeat on the left leg.",
    "Bring your right knee towards your chest and hold it with both hands.",
    "Let your head rest on the floor and keep your neck long.",
    "Slowly straighten the leg until you feel the back of the thigh.",
    "If this is too much, bend the knee a little.",
    "Press your lower back gently into the floor.",
    "Good. Ten more seconds.",
    "Halfway there, keep breathing.",
    "Roll onto your side and rest for a moment.",
    "Cross your right ankle over your left knee for the figure four stretch.",
    "Draw your belly button in and tilt your pelvis up.",
    "Reach both arms overhead and lengthen through your fingertips.",
    "Stop if you feel any sharp pain and take it easier next time.",
    "Now come back to the starting position.",
    "Hug both knees to your chest and rock gently from side to side.",
    "Let the knees drop to the right and turn your head to the left.",
    "That was the last exercise. Well done, you are finished for today.",
    "Keep your hips square and do not let the pelvis rotate.",
    "Take a deep breath in, and as you breathe out, sink a little deeper.",
    "Wait for the count before you release.",
    "Go on to the next position when you are ready.",
)
"""Plausible narrator lines for a stretching routine; several contain command words."""

SESSION_LINES: tuple[str, ...] = (
    "Ten.", "Nine.", "Eight.", "Seven.", "Six.", "Five.", "Four.", "Three.", "Two.", "One.",
    "And release.", "Begin.", "Rest.", "Halfway. Keep breathing slowly.", "Ten seconds left.",
    "Good.", "Ten times. Begin.", "Hold for one minute.", "Switch sides. Now your left side.",
    "Rest. Next up: Active Hamstring Stretch.", "Exercise two of four: Couch Stretch.",
    "Paused.", "Welcome back. Picking up at Hip 90/90 Stretch, right side, step 4.",
    "Adductor Rocks, step 2. Ready when you are.", "Less than a minute left in the session.",
    "That's the end of the routine. Well done for what you did.",
    "Easier version of the Adductor Rocks: Smaller movements.",
    # The answers to the pace commands (slow down, faster, what's next, how many left).
    "A bit slower: three and a half seconds a rep.",
    "A bit faster: two and a half seconds a rep.",
    "That's the fastest: one and a half seconds a rep.",
    "The tempo is for reps, and there are none here.",
    "After this: your left side.", "After this: a rest, then Adductor Rocks.",
    "After this, step two: Slowly straighten the leg.",
    "Nothing more: this is the last step of the routine.",
    "Three reps to go.", "One rep to go.", "Twenty seconds left in this hold.",
)
"""Short lines a session engine says between steps: counts, rests, announcements."""


def routine_lines() -> tuple[str, ...]:
    """Every spoken text of the built-in routines (steps, easier variants, names, purposes)."""
    import re
    import tomllib

    from voicecoach.storage.paths import PACKAGE_DIR

    lines: list[str] = []
    for path in sorted((PACKAGE_DIR / "routines").glob("*.toml")):
        doc = tomllib.loads(path.read_text())
        for exercise in doc.get("exercises", []):
            lines += [exercise.get("name", ""), exercise.get("purpose", "")]
            lines.append(exercise.get("easier", {}).get("summary", ""))
            for step in exercise.get("steps", []):
                for key in ("text", "easier"):
                    if key in step:
                        text = step[key].replace("{side}", "right")
                        lines.append(text.replace("{other}", "left"))
    return tuple(re.sub(r"\s+", " ", line).strip() for line in lines if line.strip())


def espeak_binary() -> str:
    """Path of espeak-ng, or fail saying how to install it."""
    found = shutil.which("espeak-ng")
    if found is None:
        raise RuntimeError("espeak-ng is not installed: run `sudo apt-get install espeak-ng`")
    return found


def flite_binary() -> str:
    """Path of flite, or fail saying how to install it (only the benchmark uses it)."""
    found = shutil.which("flite")
    if found is None:
        raise RuntimeError("flite is not installed: run `sudo apt-get install flite`")
    return found


FLITE_PREFIX = "flite:"
"""A voice named ``flite:slt`` is flite's voice ``slt``: a second synthesizer whose voices
come from recorded speakers (CMU Arctic), to check that a result is not espeak's alone."""


def _synthesizer_command(text: str, voice: str, speed: int, out: Path) -> list[str]:
    if voice.startswith(FLITE_PREFIX):
        stretch = f"{160 / speed:.3f}"  # flite's own pace is close to espeak's 160 wpm
        return [flite_binary(), "-voice", voice.removeprefix(FLITE_PREFIX),
                "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(out)]
    return [espeak_binary(), "-v", voice, "-s", str(speed), "-w", str(out), text]


@functools.lru_cache(maxsize=2048)
def _synthesize_cached(text: str, voice: str, speed: int) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "say.wav"
        subprocess.run(_synthesizer_command(text, voice, speed, out), check=True,
                       capture_output=True)
        audio = trim(read_audio(out, SAMPLE_RATE))
    audio.setflags(write=False)
    return audio


def synthesize(text: str, voice: str = "en-us", speed: int = 160) -> np.ndarray:
    """``text`` spoken by espeak-ng ``voice`` (or flite's, for ``flite:NAME``): trimmed
    16 kHz mono float32."""
    return _synthesize_cached(text, voice, speed)


def trim(audio: np.ndarray, threshold_db: float = -40.0) -> np.ndarray:
    """``audio`` without leading/trailing parts quieter than ``threshold_db`` of its peak."""
    if len(audio) == 0:
        return audio
    frame = SAMPLE_RATE // 200  # 5 ms
    n = len(audio) // frame
    env = np.abs(audio[: n * frame]).reshape(n, frame).max(axis=1)
    loud = np.nonzero(env > env.max() * 10 ** (threshold_db / 20))[0]
    if len(loud) == 0:
        return audio[:0]
    return audio[loud[0] * frame : (loud[-1] + 1) * frame].copy()


@dataclass(frozen=True)
class Placed:
    """One clip inside a composed recording."""

    text: str
    voice: str
    start: float
    """Seconds from the recording's start to the clip's first sound."""
    end: float
    """Seconds from the recording's start to the end of the clip's last word."""


@dataclass(frozen=True)
class Recording:
    """Composed audio and where each clip is in it."""

    audio: np.ndarray
    placed: tuple[Placed, ...]

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return len(self.audio) / SAMPLE_RATE

    def pcm(self) -> bytes:
        """The audio as int16 PCM bytes."""
        return to_pcm16(self.audio)


def compose(
    clips: list[tuple[str, str]],
    *,
    lead: float = 0.6,
    gap: float = 1.2,
    tail: float = 1.0,
    speed: int = 160,
    level: float = 0.1,
) -> Recording:
    """``(text, voice)`` clips separated by silence, each scaled to RMS ``level``.

    Equal loudness per clip makes a later :func:`add_noise` SNR hold for every clip.
    """
    pieces: list[np.ndarray] = [np.zeros(int(lead * SAMPLE_RATE), np.float32)]
    placed: list[Placed] = []
    at = len(pieces[0])
    for index, (text, voice) in enumerate(clips):
        clip = synthesize(text, voice, speed)
        rms = max(float(np.sqrt(np.mean(clip.astype(np.float64) ** 2))), 1e-9)
        clip = clip * min(level / rms, 0.95 / max(float(np.abs(clip).max()), 1e-9))
        placed.append(Placed(text, voice, at / SAMPLE_RATE, (at + len(clip)) / SAMPLE_RATE))
        pieces.append(clip.astype(np.float32))
        pause = tail if index == len(clips) - 1 else gap
        pieces.append(np.zeros(int(pause * SAMPLE_RATE), np.float32))
        at += len(clip) + len(pieces[-1])
    return Recording(np.concatenate(pieces), tuple(placed))


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n)
    freqs[0] = freqs[1] if n > 1 else 1.0
    return np.fft.irfft(spectrum / np.sqrt(freqs), n).astype(np.float32)


@functools.lru_cache(maxsize=4)
def _babble_source(seconds: int) -> np.ndarray:
    """Several narrator voices talking over each other, ``seconds`` long."""
    n = seconds * SAMPLE_RATE
    total = np.zeros(n, np.float32)
    talkers = ("en-us+m3", "en-gb+f4", "en-us+f5", "en-gb-x-rp+m2", "en-us+m5")
    for k, voice in enumerate(talkers):
        lines = NARRATION[k::5]
        track = np.concatenate([np.pad(synthesize(t, voice), (0, 2400)) for t in lines])
        reps = int(np.ceil(n / len(track))) + 1
        track = np.tile(track, reps)
        offset = (k * 7919) % len(track)
        track = np.roll(track, -offset)[:n]
        total += track / max(float(np.sqrt(np.mean(track**2))), 1e-9)
    return total


def noise(kind: str, n: int, seed: int = 0) -> np.ndarray:
    """``n`` samples of unit-RMS ``kind`` noise: "white", "pink" or "babble"."""
    rng = np.random.default_rng(seed)
    if kind == "white":
        out = rng.standard_normal(n).astype(np.float32)
    elif kind == "pink":
        out = _pink(n, rng)
    elif kind == "babble":
        source = _babble_source(40)
        start = int(rng.integers(0, len(source)))
        out = np.tile(source, n // len(source) + 2)[start : start + n]
    else:
        raise ValueError(f"unknown noise kind {kind!r}")
    return (out / max(float(np.sqrt(np.mean(out**2))), 1e-9)).astype(np.float32)


def add_noise(rec: Recording, snr_db: float, kind: str = "pink", seed: int = 0) -> Recording:
    """``rec`` with ``kind`` noise throughout, ``snr_db`` below the speech's power."""
    mask = np.zeros(len(rec.audio), bool)
    for p in rec.placed:
        mask[int(p.start * SAMPLE_RATE) : int(p.end * SAMPLE_RATE)] = True
    speech = rec.audio[mask] if mask.any() else rec.audio
    power = float(np.mean(speech.astype(np.float64) ** 2))
    scale = np.sqrt(power / 10 ** (snr_db / 10))
    mixed = rec.audio + scale * noise(kind, len(rec.audio), seed)
    peak = float(np.abs(mixed).max())
    if peak > 0.99:
        mixed = mixed * (0.99 / peak)
    return Recording(mixed.astype(np.float32), rec.placed)


def write_wav(path: Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """Save mono float ``audio`` as a 16-bit WAV."""
    audio_files.write_wav(path, Clip(to_int16(audio), rate))
    return path
