"""The decoder's clock on the audio's: where a word Vosk timed was said.

Vosk times words by the samples it was fed. The audio they came from can have gaps that
the decoder never sees: a simulation skips stretches of exact digital silence, a
microphone loses blocks. Read with a single offset (the latest), a word said before a
gap came out as late as the gap was long. So the narrator's "Three." and, 2 s on (1 s of
it skipped), its "Four." decoded together as "repeat" and were timed in the silence
between the lines, where no narration explained them, and obeyed as the person's.

:class:`DecoderTimeline` keeps one offset per stretch of gapless audio and maps each time
by the stretch it falls in.
"""

from __future__ import annotations

from collections import deque
from typing import Any

GAP = 0.05
"""Seconds by which the audio's clock may move past the decoder's between two chunks
before the new chunk starts a new stretch: more than the caller's rounding, less than
any gap whose words would be timed wrong enough to matter."""
KEEP = 512
"""Stretches remembered: far more than any one utterance spans, even where a live
microphone's late callbacks open one every few seconds."""


class DecoderTimeline:
    """Maps the decoder's seconds (samples fed so far) to audio time."""

    def __init__(self) -> None:
        self._stretches: deque[tuple[float, float, float]] = deque(maxlen=KEEP)
        """(decoder seconds where a stretch begins, audio time minus decoder time at its
        start, and as last fed)"""
        self._fed = 0.0

    def follow(self, decoder_end: float, audio_end: float) -> None:
        """A chunk was fed: the decoder's ``decoder_end`` is the audio's ``audio_end``."""
        offset = audio_end - decoder_end
        # against the stretch's first offset, so that small gaps cannot add up unseen
        if self._stretches and abs(offset - self._stretches[-1][1]) <= GAP:
            begin, first, _ = self._stretches[-1]
            self._stretches[-1] = (begin, first, offset)
        else:
            self._stretches.append((self._fed, offset, offset))
        self._fed = decoder_end

    def audio_time(self, decoder_time: float) -> float:
        """The audio time of ``decoder_time`` (by the stretch it falls in)."""
        return decoder_time + self._offset_at(decoder_time)

    def _offset_at(self, decoder_time: float) -> float:
        offset = self._stretches[0][2] if self._stretches else 0.0
        for begin, _, latest in self._stretches:
            if begin > decoder_time:
                break
            offset = latest
        return offset

    def on_audio_time(self, words: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Vosk's word results with ``start`` and ``end`` on audio time, both by the
        stretch that holds the word's middle: Vosk's edges of a word reach a frame or two
        into the silence around it, which may lie across a gap."""
        timed = []
        for word in words:
            edges = [float(word[key]) for key in ("start", "end") if key in word]
            offset = self._offset_at(sum(edges) / len(edges) if edges else 0.0)
            moved: dict[str, Any] = dict(word)
            for key in ("start", "end"):
                if key in word:
                    moved[key] = float(word[key]) + offset
            timed.append(moved)
        return timed
