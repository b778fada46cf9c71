"""The app's own echo canceller, for when the sound server has none.

Where the sound server's canceller runs (:mod:`voicecoach.speech_in.echo_cancel`) it
sees the speaker and the microphone on one clock, and the app leaves echo to it. Where it
cannot run (no ``pactl``, a server without ``module-echo-cancel``), the microphone hears
the narrator at full strength: about as loud as a person two metres away, and commands
said over a line drown in it. Then the app cancels the echo itself: it knows every sample
it plays and when (the speaker's callback stamps them, :class:`PlayedAudio`, on an
unbroken time line), and an adaptive filter learns the rest: the room's echo path, the
loudspeaker, a delay nobody tells it. What the filter leaves is gated away where the
person is not heard (:mod:`voicecoach.speech_in.residual`), as after any canceller.

The filter is speexdsp's (the multi-delay block frequency-domain filter of Speex, BSD),
through ``pyaec``, whose wheels carry it built for Linux, macOS and Windows (x86-64 and
ARM): nothing to compile, nothing downloaded at run time. Only the linear filter is used:
its suppressor and denoiser cost more of the person than they took of the echo.

It replaced WebRTC's AEC3 (from LiveKit's wheel). AEC3 follows a wandering delay by
itself, but its residual-echo suppressor turns the person down with the echo whenever
they talk over the narrator. Measured by ``benchmarks/session_bench.py`` (held-out
voices, RT60 0.5 s, 20 dB pink noise, the narrator's raw echo at 0.5, seeds 1 and 2):
commands obeyed 47 and 52 of 70 and 71 with AEC3, 55 and 55 with this filter and the
gate; over the narrator 21/35 -> 31/39 (seed 1); no command nobody gave. A linear filter
needs the reference to the sample, which is why the time line matters
(:mod:`voicecoach.audio.timeline`). It costs about 2 % of one core.

Pure in the sense of speech in: no devices, no threads. One owner (the listener thread,
or the simulation loop).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voicecoach.audio.pcm import SAMPLE_RATE, to_int16

FRAME_SECONDS = 0.01
"""The filter works on 10 ms frames."""

TAIL_SECONDS = 0.3
"""How much of the echo path the filter learns: the delay nobody tells it and the room's
ringing (0.2 s and 0.5 s did no better in the session benchmark's development rows)."""


class AppCanceller:
    """Takes the narrator's echo out of microphone blocks, given what was played then."""

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        from pyaec import Aec

        self.sample_rate = sample_rate
        self._frame = int(sample_rate * FRAME_SECONDS)
        self._filter: Any = Aec(self._frame, int(TAIL_SECONDS * sample_rate), sample_rate,
                                False)  # the linear filter alone

    def process(self, mic: np.ndarray, reference: np.ndarray) -> np.ndarray:
        """``mic`` (float, full scale 1.0) less the echo of ``reference``: what the speaker
        played over the same moments, as many samples. Whole 10 ms frames are cancelled; a
        shorter tail (blocks are 20 ms, so there is none) passes as it is."""
        if len(mic) != len(reference):
            raise ValueError(f"the microphone has {len(mic)} samples, the reference "
                             f"{len(reference)}")
        heard = to_int16(mic)
        played = to_int16(reference)
        out = np.array(mic, dtype=np.float32)
        for at in range(0, len(mic) - self._frame + 1, self._frame):
            span = slice(at, at + self._frame)
            left = self._filter.cancel_echo(heard[span].tolist(), played[span].tolist())
            out[span] = np.asarray(left, dtype=np.float32) / 32768.0
        return out
