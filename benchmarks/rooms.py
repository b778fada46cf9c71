"""Rooms for the session benchmark: impulse responses, the laptop's echo path, and noise.

Impulse responses come from a real room-acoustics simulation, pyroomacoustics' image-source
method (``ShoeBox`` whose wall absorption and reflection order come from the target RT60
by ``inverse_sabine``; ``.venv/bin/pip install pyroomacoustics``, wheels only, nothing is
downloaded at run time). A room is living-room sized; in it a laptop on a low table (its
microphone), the laptop's own speaker 0.3 m from that microphone, the person 1–3 m away
at floor-exercise height, turned up to 60° away from the laptop (a voice is directional:
a subcardioid), and a spot elsewhere for other people talking. Air absorbs the highs.

The narrator reaches the microphone through :class:`EchoPath`: a small loudspeaker (soft
clipping, then a band-pass), the room's speaker-to-microphone impulse response and a delay
the app is never told (the sound card's output and input latency), streamed block by block.

Everything is drawn from a seed: the same seed gives the same room, the same echo path and
the same noise.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import signal  # type: ignore[import-untyped]

RATE = 16000
"""Sample rate of every signal here."""
SPEED_OF_SOUND = 343.0
NOISE_KINDS = ("pink", "fan", "babble")
"""Noise a room can have: steady pink, a fan (rumble, motor hum, blade tone), other voices."""


@dataclass(frozen=True)
class Room:
    """One simulated room with everything placed in it."""

    seed: int
    size: tuple[float, float, float] | None
    """Length, width, height in metres; None for a measured room (:func:`measured_room`)."""
    rt60_target: float
    """RT60 asked for (0: no reflections at all, a dry room)."""
    rt60_measured: float
    """RT60 of the person's impulse response (Schroeder backward integration)."""
    person_distance: float
    """Metres from the person's mouth to the microphone."""
    person_ir: np.ndarray
    """Person to microphone, scaled so that the direct sound at 1 m has gain 1."""
    speaker_ir: np.ndarray
    """Laptop speaker to microphone (unscaled: :class:`EchoPath` calibrates the chain)."""
    babble_ir: np.ndarray
    """Other people talking, elsewhere in the room, to the microphone (unit energy)."""

    @property
    def person_delay(self) -> float:
        """Seconds from the mouth to the microphone (the direct sound's peak)."""
        return int(np.argmax(np.abs(self.person_ir))) / RATE

    source: str = ""
    """Where a measured room's impulse responses came from (a folder)."""

    def describe(self) -> str:
        """One line: size (or source), RT60, distance."""
        if self.size is None:
            return (f"measured room {self.source}, RT60 {self.rt60_measured:.2f} s, "
                    f"person at {self.person_distance:.1f} m")
        length, width, height = self.size
        rt60 = "dry" if self.rt60_target == 0 else (
            f"RT60 {self.rt60_target:.2f} s (measured {self.rt60_measured:.2f})")
        return (f"room {length:.1f}x{width:.1f}x{height:.1f} m, {rt60}, "
                f"person at {self.person_distance:.1f} m")


def make_room(seed: int, rt60: float | None = None) -> Room:
    """A living-room-sized room drawn from ``seed``.

    ``rt60`` None draws it from 0.3–0.8 s; 0 gives a dry room (direct sound only). The
    image-source model with Sabine's absorption overshoots the RT60 it is asked for in
    small rooms, so the absorption is corrected once from the measured value.
    """
    import pyroomacoustics as pra

    rng = np.random.default_rng([seed, 1])
    size = (float(rng.uniform(4.0, 7.0)), float(rng.uniform(3.0, 5.0)),
            float(rng.uniform(2.4, 3.0)))
    target = float(rng.uniform(0.3, 0.8)) if rt60 is None else float(rt60)
    mic, speaker, person, other = _positions(rng, size)
    distance = float(np.linalg.norm(np.subtract(person, mic)))
    facing = _facing(person, mic, float(rng.uniform(-60.0, 60.0)))

    def simulate(rt60_asked: float) -> list[np.ndarray]:
        if rt60_asked <= 0:
            room = pra.ShoeBox(list(size), fs=RATE, max_order=0, air_absorption=True)
        else:
            absorption, order = pra.inverse_sabine(rt60_asked, list(size))
            room = pra.ShoeBox(list(size), fs=RATE, materials=pra.Material(absorption),
                               max_order=min(order, 60), air_absorption=True)
        room.add_source(list(person), directivity=facing)
        room.add_source(list(speaker))
        room.add_source(list(other))
        room.add_microphone(list(mic))
        room.compute_rir()
        return [np.asarray(room.rir[0][k], dtype=np.float64) for k in range(3)]

    irs = simulate(target)
    measured = 0.0
    if target > 0:
        measured = measure_rt60(irs[0])
        if measured > 0 and abs(measured - target) > 0.05 * target:
            irs = simulate(max(0.1, target * target / measured))
            measured = measure_rt60(irs[0])
    person_ir = irs[0] / _gain_at_one_metre()
    babble_ir = irs[2] / max(float(np.sqrt(np.sum(irs[2] ** 2))), 1e-12)
    return Room(seed, size, target, measured, distance, person_ir.astype(np.float32),
                irs[1].astype(np.float32), babble_ir.astype(np.float32))


MEASURED_FILES = ("person.wav", "speaker.wav", "others.wav")
"""A measured room's impulse responses: the person to the microphone (needed), the laptop's
speaker to it (needed for an echo), other people talking to it (else the person's)."""


DIRECT_HALF_WIDTH = RATE // 1000
"""Samples either side of a measured response's peak taken as its direct sound."""


def measured_rooms(folder: Path) -> list[Path]:
    """The measured rooms in ``folder``: itself if it holds ``person.wav``, and each
    subfolder that does."""
    candidates = [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]
    return [room for room in candidates if (room / MEASURED_FILES[0]).is_file()]


def measured_room(folder: Path, seed: int, distance: float) -> Room:
    """A room from impulse responses measured in it (:data:`MEASURED_FILES`, any sample
    rate, a multichannel file mixed down), the person ``distance`` metres from the
    microphone: each response starts 5 ms before its direct sound, the person's scaled so
    that its direct sound (its peak, 1 ms either side) has gain 1/``distance``, as in the
    simulated rooms.
    Raises OSError or AudioFormatError (naming the file) or ValueError."""
    from voicecoach.audio.files import read_audio

    def load(name: str) -> np.ndarray | None:
        path = folder / name
        if not path.is_file():
            return None
        ir = _from_direct_sound(read_audio(path, RATE).astype(np.float64))
        if not ir.any():
            raise ValueError(f"{path}: silent")
        return ir

    person, speaker, others = (load(name) for name in MEASURED_FILES)
    if person is None:
        raise ValueError(f"{folder / MEASURED_FILES[0]}: not found")
    peak = int(np.argmax(np.abs(person)))
    direct = person[max(0, peak - DIRECT_HALF_WIDTH): peak + DIRECT_HALF_WIDTH + 1]
    person = person / (float(np.sqrt(np.sum(direct**2))) * distance)
    person = np.concatenate([np.zeros(round(distance / SPEED_OF_SOUND * RATE)), person])
    babble = person if others is None else others
    babble = babble / max(float(np.sqrt(np.sum(babble**2))), 1e-12)
    rt60 = measure_rt60(person)
    return Room(seed, None, rt60, rt60, distance, person.astype(np.float32),
                (person if speaker is None else speaker).astype(np.float32),
                babble.astype(np.float32), source=str(folder))


def _from_direct_sound(ir: np.ndarray) -> np.ndarray:
    """``ir`` from 5 ms before its direct sound (its first sample within 6 dB of the peak)
    to where its decay falls 60 dB (a measurement's noise floor left out)."""
    magnitude = np.abs(ir)
    if not magnitude.any():
        return ir
    direct = int(np.argmax(magnitude >= magnitude.max() / 2))
    ir = ir[max(0, direct - round(0.005 * RATE)):]
    energy = np.cumsum(ir[::-1] ** 2)[::-1]
    below = np.nonzero(energy < energy[0] * 1e-6)[0]
    return ir[: int(below[0])] if len(below) else ir


@functools.cache
def _gain_at_one_metre() -> float:
    """The direct sound's gain at 1 m in pyroomacoustics' impulse responses.

    Its convention has changed between releases (1/(4 pi r) in some, 1/r in 0.10), so it
    is measured: one source 1 m from a microphone in a room with no reflections. (Scaling
    by 4 pi under 1/r made every voice 22 dB too loud and clipped it.)
    """
    import pyroomacoustics as pra

    room = pra.ShoeBox([4.0, 4.0, 3.0], fs=RATE, max_order=0, air_absorption=False)
    room.add_source([1.0, 2.0, 1.5])
    room.add_microphone([2.0, 2.0, 1.5])
    room.compute_rir()
    return float(np.sum(room.rir[0][0]))


def _positions(rng: np.random.Generator, size: tuple[float, float, float]
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Microphone, laptop speaker, person and other talkers, all inside ``size``."""
    length, width, _ = size
    margin = 0.4

    def inside(point: np.ndarray) -> bool:
        return bool(margin <= point[0] <= length - margin and margin <= point[1] <= width - margin)

    while True:
        mic = np.array([rng.uniform(margin, length - margin),
                        rng.uniform(margin, width - margin), rng.uniform(0.4, 0.8)])
        turn = rng.uniform(0, 2 * math.pi)
        speaker = mic + 0.3 * np.array([math.cos(turn), math.sin(turn), 0.0])
        turn = rng.uniform(0, 2 * math.pi)
        reach = rng.uniform(1.0, 3.0)
        height = rng.uniform(0.2, 1.1)  # lying, kneeling or sitting on the floor
        flat = math.sqrt(max(reach**2 - (height - mic[2]) ** 2, 0.25))
        person = np.array([mic[0] + flat * math.cos(turn), mic[1] + flat * math.sin(turn),
                           height])
        other = np.array([rng.uniform(margin, length - margin),
                          rng.uniform(margin, width - margin), 1.4])
        if inside(speaker) and inside(person) and np.linalg.norm(other - mic) > 1.5:
            return mic, speaker, person, other


def _facing(person: np.ndarray, mic: np.ndarray, turn: float) -> object:
    """A talker's directivity (subcardioid, as a voice roughly is over the speech band),
    turned ``turn`` degrees away from facing the microphone."""
    from pyroomacoustics.directivities import (
        DirectionVector,
        SubCardioid,
    )

    towards = mic - person
    azimuth = math.degrees(math.atan2(towards[1], towards[0])) + turn
    colatitude = math.degrees(math.acos(towards[2] / float(np.linalg.norm(towards))))
    return SubCardioid(DirectionVector(azimuth=azimuth, colatitude=colatitude, degrees=True))


def measure_rt60(ir: np.ndarray, decay_db: float = 20.0) -> float:
    """RT60 of ``ir`` from Schroeder backward integration, extrapolated from the first
    ``decay_db`` of decay after -5 dB (T20)."""
    energy = np.cumsum((ir[::-1].astype(np.float64)) ** 2)[::-1]
    if energy[0] <= 0:
        return 0.0
    curve = 10 * np.log10(np.maximum(energy / energy[0], 1e-30))
    start = int(np.argmax(curve <= -5.0))
    end = int(np.argmax(curve <= -5.0 - decay_db))
    if end <= start:
        return 0.0
    return float((end - start) / RATE * 60.0 / decay_db)


def reverberate(dry: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """``dry`` through ``ir`` (the whole tail kept), float32."""
    wet = np.asarray(signal.oaconvolve(dry.astype(np.float64), ir.astype(np.float64)))
    return wet.astype(np.float32)


class BlockConvolver:
    """Streaming convolution with a long impulse response (uniformly partitioned
    overlap-save): one FFT of two blocks per block, whatever the response's length."""

    def __init__(self, ir: np.ndarray, block: int) -> None:
        self.block = block
        parts = math.ceil(max(len(ir), 1) / block)
        padded = np.zeros(parts * block)
        padded[: len(ir)] = ir
        self._spectra = np.fft.rfft(padded.reshape(parts, block), n=2 * block, axis=1)
        self._history = np.zeros_like(self._spectra)
        self._previous = np.zeros(block)
        self._live = 0
        """Blocks until the history holds nothing but silence."""

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """The next ``block`` output samples for the next ``block`` input samples."""
        if len(x) != self.block:
            raise ValueError(f"blocks of {self.block} samples, got {len(x)}")
        if not x.any():
            if self._live == 0:
                return np.zeros(self.block, np.float32)
            self._live -= 1
        else:
            self._live = len(self._spectra) + 1  # until x leaves the last frame
        frame = np.concatenate([self._previous, x.astype(np.float64)])
        self._previous = frame[self.block:]
        self._history = np.roll(self._history, 1, axis=0)
        self._history[0] = np.fft.rfft(frame)
        out = np.fft.irfft(np.sum(self._history * self._spectra, axis=0), n=2 * self.block)
        return out[self.block:].astype(np.float32)


@dataclass(frozen=True)
class Loudspeaker:
    """A laptop's small speaker: its amplifier clips softly, its driver passes a band."""

    drive: float
    """Soft-clipping drive: y = tanh(drive x) / drive; 1 is nearly clean, 3 audible."""
    low_hz: float
    high_hz: float
    delay: float
    """Seconds of output-plus-input latency, never told to the app."""

    @classmethod
    def draw(cls, seed: int) -> Loudspeaker:
        """A speaker and a latency drawn from ``seed``."""
        rng = np.random.default_rng([seed, 2])
        return cls(float(rng.uniform(1.5, 3.0)), float(rng.uniform(250, 450)),
                   float(rng.uniform(5000, 7000)), float(rng.uniform(0.02, 0.12)))

    def describe(self) -> str:
        """One line."""
        return (f"speaker {self.low_hz:.0f}-{self.high_hz:.0f} Hz, drive {self.drive:.1f}, "
                f"latency {1000 * self.delay:.0f} ms")


LIVE_CREEP_PPM = 130.0
"""How fast the echo fell behind the app's reference on the live tests' private sound
server (null sinks, no sound card): docs/LISTENING_HISTORY.md, "Cancellers take you
down with the echo". Whether a real sound card's streams creep so is not measured."""


class Creep:
    """A stream read back ever later: output sample ``n`` is the input at
    ``(n - TAPS) * (1 - ppm / 1e6)``, interpolated (a windowed sinc of ``2 * TAPS`` taps).
    Streamed: call it with consecutive blocks."""

    TAPS = 8

    def __init__(self, ppm: float) -> None:
        if ppm < 0:
            raise ValueError(f"a creep makes the echo later, not earlier: {ppm:g} ppm")
        self.ratio = 1.0 - ppm * 1e-6
        self._buffer = np.zeros(0)
        self._first = 0
        """Stream index of ``_buffer[0]``."""
        self._done = 0
        """Samples put out so far."""

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """As many samples out as ``x`` brought in."""
        self._buffer = np.concatenate([self._buffer, x.astype(np.float64)])
        at = (np.arange(self._done, self._done + len(x)) - self.TAPS) * self.ratio
        self._done += len(x)
        whole = np.floor(at).astype(np.int64)
        fraction = at - whole
        out = np.zeros(len(x))
        for k in range(1 - self.TAPS, self.TAPS + 1):
            t = k - fraction
            weight = np.sinc(t) * (0.5 + 0.5 * np.cos(np.pi * t / (self.TAPS + 0.5)))
            index = whole + k - self._first
            inside = (index >= 0) & (index < len(self._buffer))
            out[inside] += weight[inside] * self._buffer[index[inside]]
        keep = int(whole[-1]) - self.TAPS - self._first
        if keep > 0:
            self._buffer = self._buffer[keep:]
            self._first += keep
        return out.astype(np.float32)


class EchoPath:
    """Narration blocks (what the app plays) to the echo at the microphone.

    Loudspeaker (soft clip, band-pass), the room's speaker-to-microphone response and the
    unknown latency, streamed: call it with consecutive blocks of one size. With
    ``creep_ppm`` that latency grows by so many millionths (:class:`Creep`), as it did
    against the app's reference on the live tests' sound server. The chain is
    scaled so that speech at the narrator's level comes out as loud as it went in (so a
    gain applied afterwards keeps ``--echo GAIN``'s meaning: the narrator's level at the
    microphone relative to what it plays).
    """

    def __init__(self, room: Room, speaker: Loudspeaker, block: int,
                 calibration: np.ndarray | None = None, creep_ppm: float = 0.0) -> None:
        self.room = room
        self.speaker = speaker
        self.block = block
        self.creep_ppm = creep_ppm
        self._scale = 1.0
        self._reset()
        reference = reference_speech() if calibration is None else calibration
        played = np.pad(reference, (0, block - len(reference) % block))
        out = np.concatenate([self(played[k:k + block])
                              for k in range(0, len(played), block)])
        self._scale = _rms(reference) / max(_rms(out), 1e-12)
        self._reset()

    def _reset(self) -> None:
        delay = round(self.speaker.delay * RATE)
        ir = np.concatenate([np.zeros(delay, np.float32), self.room.speaker_ir])
        self._convolver = BlockConvolver(ir, self.block)
        self._band = signal.butter(2, [self.speaker.low_hz, self.speaker.high_hz],
                                   btype="bandpass", fs=RATE, output="sos")
        self._band_state = signal.sosfilt_zi(self._band) * 0.0
        self._creep = Creep(self.creep_ppm) if self.creep_ppm else None

    def __call__(self, played: np.ndarray) -> np.ndarray:
        """The echo of one block of narration."""
        x = played.astype(np.float64)
        if x.any():
            drive = self.speaker.drive
            x = np.tanh(drive * x) / drive
        x, self._band_state = signal.sosfilt(self._band, x, zi=self._band_state)
        echo = self._scale * self._convolver(x)
        return (echo if self._creep is None else self._creep(echo)).astype(np.float32)


@functools.lru_cache(maxsize=1)
def reference_speech() -> np.ndarray:
    """A narrator-like sentence at the narrator's level (RMS 0.1 while talking)."""
    from benchmarks.voices import speak

    clip = np.asarray(speak("Keep your back straight and breathe slowly, "
                            "then hold for twenty seconds.", "espeak:en-us"), np.float64)
    return (clip * 0.1 / max(_rms(clip), 1e-12)).astype(np.float32)


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.asarray(x, np.float64) ** 2))) if len(x) else 0.0


# --- noise ------------------------------------------------------------------------------


def _coloured(n: int, rng: np.random.Generator, slope: float) -> np.ndarray:
    """Noise whose power falls as 1/f**slope (1 pink, 2 brown), above 20 Hz."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    shape = np.where(freqs < 20.0, 0.0, 1.0 / np.maximum(freqs, 20.0) ** (slope / 2))
    return np.fft.irfft(spectrum * shape, n)


def fan_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """A fan: brown rumble and pink air, the motor's mains hum, and its blade tone
    (blade-pass frequency, pulsing at the rotation rate)."""
    t = np.arange(n) / RATE
    air = _coloured(n, rng, 2.0)
    air /= _rms(air)
    hiss = _coloured(n, rng, 1.0)
    hiss /= _rms(hiss)
    mains = float(rng.choice([50.0, 60.0]))
    hum = sum(np.sin(2 * np.pi * k * 2 * mains * t + rng.uniform(0, 6.3)) / k
              for k in (1, 2, 3))
    rotation = float(rng.uniform(12.0, 25.0))
    blades = int(rng.integers(3, 6))
    blade = (1 + 0.3 * np.sin(2 * np.pi * rotation * t)) * np.sin(
        2 * np.pi * blades * rotation * t)
    return np.asarray(air + 0.6 * hiss + 0.25 * np.asarray(hum) / 1.2 + 0.3 * blade)


def noise(kind: str, n: int, seed: int, room: Room | None = None) -> np.ndarray:
    """``n`` samples of unit-RMS ``kind`` noise (one of :data:`NOISE_KINDS`).

    Babble is other people chatting (espeak-ng variants in no voice set:
    :data:`benchmarks.voices.BABBLE_VOICES`) from elsewhere in ``room``; pink and fan noise
    are diffuse.
    """
    rng = np.random.default_rng([seed, 3])
    if kind == "pink":
        out = _coloured(n, rng, 1.0)
    elif kind == "fan":
        out = fan_noise(n, rng)
    elif kind == "babble":
        from benchmarks.voices import babble

        out = babble(n / RATE, seed)
        if room is not None:
            out = reverberate(out, room.babble_ir)[:n]
    else:
        raise ValueError(f"unknown noise {kind!r}: one of {', '.join(NOISE_KINDS)}")
    return (out / max(_rms(out), 1e-12)).astype(np.float32)
