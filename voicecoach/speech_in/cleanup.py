"""What the recognizer hears: the microphone with steady noise taken out and a steady level,
and when the person has stopped speaking.

Two things made the small Vosk model lose words, both measured by
``benchmarks/listener_bench.py``:

* **Steady noise.** A fan, an air conditioner or a laptop's hum under the voice: "pause"
  at 10 dB SNR of pink noise came out as "on" for four voices of five. WebRTC's noise
  suppressor (the one in browser calls, through ``webrtc-noise-gain``, as Home
  Assistant's voice satellites use it) learns the steady noise and takes it out, 10 ms at
  a time, for about 1 % of one core.
* **A quiet voice.** Someone on the floor 2 m away reaches the microphone at -40 to -50
  dBFS. The model's input is not level-normalized (its i-vector adapts to the level, but
  the recognizer restarts that adaptation after every command it finalizes), so quiet
  speech was missed a fifth of the time. The level stage follows the loudness of the
  person's speech (frames well above the noise floor, where the caller does not say they
  are the narrator's echo) and lifts it towards
  :data:`TARGET_DBFS`, slowly (at most :data:`SLEW_DB_PER_FRAME` per 10 ms) and by at
  most :data:`MAX_GAIN_DB`; it never turns speech down.

The suppressor needs about 3 s of a new noise to learn it. A :class:`SilenceGate` on the
cleaned audio, before the gain, tells the recognizer how long the person has been quiet.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voicecoach.audio.pcm import SAMPLE_RATE

FRAME_BYTES = 320
"""10 ms of 16 kHz int16 mono: the only frame size WebRTC's processor takes."""

SUPPRESSION_LEVEL = 4
"""0 (off) to 4 (strongest); 4 was best at every noise level the benchmark tries."""

PRIMING_FRAMES = 30
"""Frames of near-silence the suppressor hears before the first real one."""

TARGET_DBFS = -14.0
"""Level the loud parts of speech are lifted to (about -16 dBFS RMS): the benchmark's
espeak speech was recognized best at -10 to -20 dBFS RMS and worst below -40."""

MAX_GAIN_DB = 36.0
PEAK = 32000.0
"""A frame is never lifted beyond this peak (int16): the gain gives way rather than clip."""
SLEW_DB_PER_FRAME = 0.1
"""Gain changes at most this much per 10 ms frame (10 dB per second)."""

SPEECH_MARGIN_DB = 15.0
"""A frame this far above the gate's noise floor is loud speech."""

SPEECH_RANGE_DB = 20.0
"""Frames this far below the speech level (breaths, tails of words) don't count."""

SPEECH_RISE = 0.1
SPEECH_FALL = 0.01
"""Weights of a louder / quieter speech frame in the running speech level: it follows the
loud parts of speech (vowels), so pauses and soft consonants don't pull it down."""



class SilenceGate:
    """How long the audio has been quiet, against a tracked noise floor.

    Level per 20 ms frame. The floor is the running mean level of non-speech frames;
    it drops at once to a quieter frame and creeps up slowly through long loud stretches
    (so a noise that got louder is learnt). A frame is speech when it is ``margin_db``
    above the floor and louder than ``min_dbfs``.
    """

    def __init__(
        self,
        rate: int = SAMPLE_RATE,
        margin_db: float = 8.0,
        min_dbfs: float = -65.0,
    ):
        self.frame = rate // 50
        self.rate = rate
        self.margin_db = margin_db
        self.min_dbfs = min_dbfs
        self.reset()

    def reset(self) -> None:
        """Forget everything."""
        self.floor_db: float | None = None
        self.samples = 0
        self.last_speech = 0
        self._rest = np.zeros(0, np.float32)

    def feed(self, pcm: bytes, gain_db: float = 0.0) -> None:
        """Take the next chunk of int16 PCM, which will be heard ``gain_db`` louder: the
        floor follows the audio as given, ``min_dbfs`` applies to what is heard."""
        x = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        if len(x) == 0:
            return
        y = np.concatenate([self._rest, x])
        n = len(y) // self.frame
        self._rest = y[n * self.frame :]
        if n == 0:
            return
        power = np.mean(y[: n * self.frame].reshape(n, self.frame) ** 2, axis=1)
        for level in (10.0 * np.log10(power + 1e-12)).tolist():
            self.samples += self.frame
            floor = level if self.floor_db is None else self.floor_db
            if level < floor:
                floor = 0.5 * (floor + level)
            elif level < floor + self.margin_db:
                floor += 0.1 * (level - floor)
            else:
                floor += 0.01
                if level + gain_db > self.min_dbfs:
                    self.last_speech = self.samples
            self.floor_db = floor

    @property
    def quiet_for(self) -> float:
        """Seconds since the last speech frame (up to the end of what was fed)."""
        return (self.samples - self.last_speech) / self.rate


class FrontEnd:
    """Streams int16 mono PCM at 16 kHz through noise suppression and level.

    Takes chunks of any length; returns as many whole 10 ms frames as are ready and
    keeps the rest for the next call (:attr:`pending` samples). Its :attr:`gate` hears
    the cleaned audio *before* the gain, so a rising gain never looks like speech.
    ``clean=False`` passes the audio through untouched (for measuring what this buys).
    """

    def __init__(self, clean: bool = True) -> None:
        from webrtc_noise_gain import AudioProcessor

        self.gate = SilenceGate()
        self._clean = clean
        self._dither = np.random.default_rng(0)
        self._processor: Any = None
        if clean:
            self._processor = AudioProcessor(0, SUPPRESSION_LEVEL)
            for _ in range(PRIMING_FRAMES):
                self._processor.Process10ms(self._dithered(bytes(FRAME_BYTES)))
        self._rest = b""
        self.speech_dbfs: float | None = None
        """Running level of loud speech frames before the gain, once speech was heard."""
        self.gain_db = 0.0

    @property
    def pending(self) -> int:
        """Samples taken but not yet returned (less than one frame)."""
        return len(self._rest) // 2

    @property
    def quiet_for(self) -> float:
        """Seconds since the last speech frame (up to the end of what was processed)."""
        return self.gate.quiet_for

    def process(self, pcm: bytes, person: bool = True) -> bytes:
        """Cleaned audio for ``pcm`` plus what was pending, in whole frames. ``person``
        False says the person is not heard in ``pcm`` (the narrator's echo alone): the
        level stage does not learn the speech level from it."""
        if not self._clean:
            self.gate.feed(pcm)
            return pcm
        data = self._rest + pcm
        whole = len(data) - len(data) % FRAME_BYTES
        self._rest = data[whole:]
        frames = (data[i : i + FRAME_BYTES] for i in range(0, whole, FRAME_BYTES))
        return b"".join(self._frame(frame, person) for frame in frames)

    def _dithered(self, frame: bytes) -> bytes:
        """``frame`` plus one bit of noise: the suppressor takes exact digital silence, or
        speech at its very start, for the noise itself and then removes the next word."""
        x = np.frombuffer(frame, dtype="<i2").astype(np.int32)
        x += self._dither.integers(-1, 2, len(x), dtype=np.int32)
        return np.clip(x, -32768, 32767).astype("<i2").tobytes()

    def _frame(self, frame: bytes, person: bool) -> bytes:
        result = self._processor.Process10ms(self._dithered(frame))
        self.gate.feed(result.audio, self.gain_db)
        x = np.frombuffer(result.audio, dtype="<i2").astype(np.float32)
        self._follow_level(10.0 * float(np.log10(np.mean(x * x) / 32768.0**2 + 1e-12)), person)
        if self.gain_db == 0.0:
            return bytes(result.audio)
        peak = float(np.abs(x).max())
        gain = min(10.0 ** (self.gain_db / 20.0), PEAK / peak if peak else float("inf"))
        return bytes((x * gain).astype("<i2").tobytes())

    def _follow_level(self, level: float, person: bool) -> None:
        """Update the speech level (from the person's frames only) and the gain with one
        frame's level (the noise floor is the gate's, which has just heard this frame)."""
        floor = level if self.gate.floor_db is None else self.gate.floor_db
        speech = level if self.speech_dbfs is None else self.speech_dbfs
        if person and level > floor + SPEECH_MARGIN_DB and level > speech - SPEECH_RANGE_DB:
            rate = SPEECH_RISE if level > speech else SPEECH_FALL
            self.speech_dbfs = speech + rate * (level - speech)
        if self.speech_dbfs is not None:
            wanted = min(max(TARGET_DBFS - self.speech_dbfs, 0.0), MAX_GAIN_DB)
            step = min(max(wanted - self.gain_db, -SLEW_DB_PER_FRAME), SLEW_DB_PER_FRAME)
            self.gain_db += step
