"""The app's own echo canceller, for when the sound server has none.

Where the sound server's canceller runs (:mod:`voicecoach.speech_in.echo_cancel`) it
sees the speaker and the microphone on one clock, and the app leaves echo to it. Where it
cannot run (no ``pactl``, a server without ``module-echo-cancel``), the microphone hears
the narrator at full strength: about as loud as a person two metres away, and commands
said over a line drown in it. Then the app cancels the echo itself: it knows every sample
it plays and when (the speaker's callback stamps them, :class:`PlayedAudio`), and WebRTC's
AEC3 learns the rest: the room's echo path, the loudspeaker, a delay nobody tells it.

AEC3 comes from LiveKit's Python SDK (``livekit``, Apache-2.0), whose wheel carries
WebRTC's audio processing module built for each platform: nothing to compile, nothing
downloaded at run time. Chosen over hand-written adaptive filters (NLMS, frequency-domain
block filters as in pyroomacoustics or padasip: no delay estimation, no residual
suppression, pure-Python loops) and over bindings that must be compiled at install
(``aec-audio-processing``, ``speexdsp``). Measured by ``benchmarks/session_bench.py``
(RT60 0.5 s, 20 dB pink noise, the narrator's raw echo at 0.5): commands obeyed at
random moments 47 % without it and 63 % with it on the held-out voices (51 % and 66 % on
the development voices), with no command nobody gave; it costs about 2 % of one core.

Pure in the sense of speech in: no devices, no threads. One owner (the listener thread,
or the simulation loop).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voicecoach.audio.pcm import SAMPLE_RATE, from_pcm16, to_int16

FRAME_SECONDS = 0.01
"""AEC3 works on 10 ms frames."""


class AppCanceller:
    """Takes the narrator's echo out of microphone blocks, given what was played then."""

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        from livekit import rtc

        self.sample_rate = sample_rate
        self._frame = int(sample_rate * FRAME_SECONDS)
        self._rtc: Any = rtc
        self._apm: Any = rtc.AudioProcessingModule(echo_cancellation=True)

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
            self._apm.process_reverse_stream(self._frame_of(played[span]))
            frame = self._frame_of(heard[span])
            self._apm.process_stream(frame)
            out[span] = from_pcm16(bytes(frame.data))
        return out

    def _frame_of(self, samples: np.ndarray) -> Any:
        return self._rtc.AudioFrame(samples.tobytes(), self.sample_rate, 1, len(samples))
