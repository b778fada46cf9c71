"""The narrator's words taken out of what the microphone heard.

The microphone hears the person and the narrator at once, and the decoder makes one
utterance of both: "ten times begin pause" is the narrator's "Ten times. Begin." and the
person's "pause". The app knows what the narrator said and when
(:class:`~voicecoach.speech_in.selfhearing.SpeechActivity`), so a word of the utterance
that falls inside a line being played (or its echo tail) and is a word of that line, or is
speech outside the grammar (``[unk]``) there, is the narrator's. What is left is the
person's, and only that is judged as a command.

A word the person says that is also in the line playing at that moment ("pause" while the
narrator reads "Pause when you feel a good stretch") cannot be told from the narrator's
own: it is the narrator's. So is the stem of a word of the line ("pause" in "Paused.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

UNKNOWN = "[unk]"
"""Vosk's word for speech outside the grammar."""


@dataclass(frozen=True)
class Word:
    """A recognized word on audio time."""

    text: str
    start: float
    end: float
    conf: float = 1.0


class PlayingLine(Protocol):
    """A narrator line with its words (see ``selfhearing.Line``)."""

    @property
    def words(self) -> frozenset[str]: ...


class NarrationRecord(Protocol):
    """What the narrator played when (``selfhearing.SpeechActivity`` fits)."""

    def lines_during(self, t0: float, t1: float, tail: float = 0.0) -> Sequence[PlayingLine]:
        """Lines playing at some moment of [t0, t1], each extended by ``tail``."""
        ...


def words_of(text: str) -> frozenset[str]:
    """Lower-case words of ``text`` without punctuation."""
    return frozenset(re.findall(r"[a-z']+", text.lower()))


def in_line(word: str, line: Iterable[str]) -> bool:
    """True when ``word`` is a word of the line, or the stem of one ("pause" in "paused",
    "back" in "backward"): such words sound alike enough to be misheard."""
    return any(word == other or (len(word) >= 4 and other.startswith(word)) for other in line)


def is_narrators(word: Word, narration: NarrationRecord, tail: float) -> bool:
    """Whether ``word`` was said by the narrator: inside a line playing then, and one of
    its words (or speech outside the grammar)."""
    lines = narration.lines_during(word.start, word.end, tail)
    if not lines:
        return False
    if word.text == UNKNOWN:
        return True
    return any(in_line(word.text, line.words) for line in lines)


def split_narration(
    words: Sequence[Word], narration: NarrationRecord, tail: float
) -> tuple[list[Word], list[Word]]:
    """(the person's words, the narrator's words) of one utterance, in order."""
    person: list[Word] = []
    narrator: list[Word] = []
    for word in words:
        (narrator if is_narrators(word, narration, tail) else person).append(word)
    return person, narrator
