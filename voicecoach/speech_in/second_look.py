"""A second, more lenient decode of a short burst of speech the recognizer heard as nothing.

The small model sometimes prunes a short word away entirely: espeak's "done" at 120-160
words a minute leaves only silence in the decoder's lattice, with or without a grammar,
so the recognizer emits nothing at all. The word is there in the audio; the grammar's
prior (one phrase among ~190) outweighs its weak acoustic match.

So :class:`SecondLook` keeps the last few seconds of what the decoder was fed, and follows bursts
of speech with the front end's silence gate. When a burst of :data:`MIN_BURST` to
:data:`MAX_BURST` seconds has been followed by :data:`WAIT` of quiet and the first decoder
still has no words for it (its partial result is empty: it has given up, not merely lagged),
that burst (with :data:`PRE_ROLL` before it) is decoded again by a recognizer whose acoustic
scale is :data:`ACOUSTIC_SCALE`: the sound counts twice as much against the grammar. Its
words are judged by the same rules as the first decoder's.

Measured by ``benchmarks/listener_bench.py --rounds 5`` (each round shifts the speech
against the decoder's 10 ms frames): clean 720 -> 722 of 725 (espeak's "done", the word
that made the clean figure miss its target, 22 -> 25 of 25; one "skip" lost to the
dither's shifted draws), noisy figures within a phrase of before; it heard 6 commands in
2,175 phrases. It costs a second copy of the model in memory (~120 MB, 0.35 s to load)
and ~50 ms of CPU per look.
Decoding *everything* at scale 2.0 instead lost 3 % at 10 dB; a wait of 0.15 s looked
better on the benchmark's own voices and worse on voices it was not tuned on. It does
not help "skip" heard as "keep": that is a word, not nothing, and the first decoder's call.
"""

from __future__ import annotations

import json
from typing import Any

from voicecoach.speech_in.cleanup import SilenceGate
from voicecoach.speech_in.vosk_model import Dither

ACOUSTIC_SCALE = 2.0
"""Kaldi's ``--acoustic-scale`` for the second look (the model's own is 1.0)."""
WAIT = 0.25
"""Quiet after the burst before the first decoder is taken to have given up."""
MIN_BURST = 0.1
MAX_BURST = 1.2
"""Bursts outside these lengths (clicks; sentences) get no second look."""
PRE_ROLL = 0.3
"""Audio kept before the burst's first speech frame (the gate is late on soft onsets)."""
NEW_BURST_AFTER = 0.3
"""Quiet that separates two bursts."""
KEEP_SECONDS = 3.0


class SecondLook:
    """Follows bursts in the audio the first decoder gets and decodes one again when due.

    Keeps the last :data:`KEEP_SECONDS` of that audio; all times are audio times. One
    owner, like :class:`voicecoach.speech_in.recognizer.CommandRecognizer` that holds it.
    """

    def __init__(self, model: Any, grammar: str, sample_rate: int) -> None:
        import vosk

        self.sample_rate = sample_rate
        self._vosk = vosk.KaldiRecognizer(model, sample_rate, grammar)
        self._dither = Dither()
        self._vosk.SetWords(True)
        self._decoded = 0
        """Samples this recognizer has decoded so far (its word times count from its start)."""
        self.reset()

    def reset(self) -> None:
        """Forget the audio and the burst (the gate was reset too)."""
        self._audio = bytearray()
        self._end = 0.0
        self._seen_speech = 0
        self._speech_end = float("-inf")
        self._burst_start: float | None = None
        self._floor = float("-inf")
        """Audio before this was judged already: a look never reaches back past it."""

    def add(self, pcm: bytes, gate: SilenceGate, at_end: float) -> None:
        """Keep ``pcm`` (what the first decoder was just given, ending at audio time
        ``at_end``) and follow ``gate``, which has just heard it."""
        self._audio += pcm
        excess = len(self._audio) - 2 * int(KEEP_SECONDS * self.sample_rate)
        if excess > 0:
            del self._audio[:excess]
        self._end = at_end
        if gate.last_speech == self._seen_speech:
            return
        self._seen_speech = gate.last_speech
        chunk_start = at_end - len(pcm) / 2 / self.sample_rate
        if self._burst_start is None or chunk_start - self._speech_end >= NEW_BURST_AFTER:
            self._burst_start = chunk_start
        self._speech_end = at_end

    def settle(self, words_end: float | None) -> None:
        """The first decoder judged words ending at ``words_end`` (None: unknown). If they
        reach into the current burst, it is theirs: no second look at it."""
        if self._burst_start is not None and (words_end is None or words_end > self._burst_start):
            self._close()

    def take(self, quiet_for: float, *, audio_ended: bool = False) -> tuple[
        list[dict[str, Any]], float
    ] | None:
        """The words of a second look at the current burst, with the offset from their
        times to audio time, when one is due (at most once per burst); else None."""
        start = self._burst_start
        if start is None or (quiet_for < WAIT and not audio_ended):
            return None
        length = self._speech_end - start
        from_time = max(start - PRE_ROLL, self._floor)
        self._close()
        if not MIN_BURST <= length <= MAX_BURST:
            return None
        samples = min(int((self._end - from_time) * self.sample_rate), len(self._audio) // 2)
        segment = bytes(self._audio[len(self._audio) - 2 * samples :])
        offset = self._end - samples / self.sample_rate - self._decoded / self.sample_rate
        self._vosk.AcceptWaveform(self._dither(segment))
        self._decoded += samples
        words: list[dict[str, Any]] = json.loads(self._vosk.FinalResult()).get("result", [])
        return words, offset

    def _close(self) -> None:
        self._burst_start = None
        self._floor = self._end
