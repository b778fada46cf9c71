"""The narrator's words taken out of what the microphone heard.

The microphone hears the person and the narrator at once, and the decoder makes one
utterance of both: "ten times begin pause" is the narrator's "Ten times. Begin." and the
person's "pause". The app knows what the narrator said and when
(:class:`~voicecoach.speech_in.selfhearing.SpeechActivity`), so a word of the utterance
that falls inside a line being played (or its echo tail) and is a word of that line, or is
speech outside the grammar (``[unk]``) there, is the narrator's. What is left is the
person's, and only that is judged as a command.

A word the person says that the narrator says too cannot be told from the narrator's by
its sound, only by its time. Where each word of a line falls is estimated from its share
of the line's letters and pauses (:func:`words_said_around`): the same word heard within
:data:`WORD_SLACK` of where the narrator said it is the narrator's ("pause" as the
narrator begins "Pause when you feel a good stretch"); heard seconds later in that line,
it is the person's. So is the stem of a word of the line ("pause" in "Paused.").

A room rings on after a line ends, and its echo decodes as odd short words ("it stop"
after the count "Eight."): when an utterance is no command as it is, the recognizer also
tries it without the words at its edges that overlap a line or its ringing
(:data:`RING_TAIL`), so a person's "stop" right after a count is still theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from voicecoach.core.commands import is_form_of

UNKNOWN = "[unk]"
"""Vosk's word for speech outside the grammar."""

NARRATION_TAIL = 0.35
"""Seconds after a narrator line ends during which its echo may still be heard."""

WORD_SLACK = 1.0
"""Seconds either side of a heard word within which the narrator's estimated time of the
same word makes it the narrator's: the estimate (letters and pauses of a line, both ends
known) errs by a few tenths of a second on a long line; the echo comes up to 0.25 s late."""

WORD_WEIGHT = 1.0
"""Share of a line's time per letter of a word (plus one for the gap after it)."""
DIGIT_LETTERS = 3.0
"""Letters a digit takes to say ("90": "ninety")."""
PAUSE_WEIGHT = {",": 3.0, ";": 4.0, ":": 4.0, ".": 6.0, "!": 6.0, "?": 6.0}
"""Share of a line's time taken by the pause after each punctuation mark, in letters."""

RING_TAIL = 1.2
"""Seconds after a line during which its echo in a reverberant room still decodes as
words (a delay of up to 0.25 s plus RT60 0.8 s, with margin)."""


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

    def words_around(self, t0: float, t1: float) -> frozenset[str]:
        """Its words the narrator said within :data:`WORD_SLACK` of [t0, t1]."""
        ...


class NarrationRecord(Protocol):
    """What the narrator played when (``selfhearing.SpeechActivity`` fits)."""

    def lines_during(self, t0: float, t1: float, tail: float = 0.0) -> Sequence[PlayingLine]:
        """Lines playing at some moment of [t0, t1], each extended by ``tail``."""
        ...


def words_of(text: str) -> frozenset[str]:
    """Lower-case words of ``text`` without punctuation."""
    return frozenset(re.findall(r"[a-z']+", text.lower()))


def words_said_around(text: str, start: float, end: float, t0: float, t1: float,
                      slack: float = WORD_SLACK, cut: float | None = None) -> frozenset[str]:
    """Words of ``text`` (a line that plays from ``start`` to ``end``, or until ``cut``)
    that the narrator said within ``slack`` of [t0, t1], placing each by its share of
    the line's letters and of the pauses its punctuation makes."""
    tokens = re.findall(r"[a-z']+|[0-9]+|[,;:.!?]", text.lower())
    weights = [PAUSE_WEIGHT[t] if t in PAUSE_WEIGHT
               else WORD_WEIGHT * (DIGIT_LETTERS * len(t) if t.isdigit() else len(t) + 1)
               for t in tokens]
    total = sum(weights)
    if total <= 0:
        return frozenset()
    per_weight = max(end - start, 0.0) / total
    said: set[str] = set()
    at = start
    for token, weight in zip(tokens, weights, strict=True):
        begins, at = at, at + weight * per_weight
        if cut is not None and begins > cut:
            break
        if token not in PAUSE_WEIGHT and begins <= t1 + slack and t0 - slack <= at:
            said.add(token)
    return frozenset(said)


def in_line(word: str, line: Iterable[str]) -> bool:
    """True when ``word`` is a word of the line, or the stem of one ("pause" in "paused",
    "back" in "backward", "resume" in "resuming"): such words sound alike enough to be
    misheard."""
    return any(is_form_of(word, other) for other in line)


def is_narrators(word: Word, narration: NarrationRecord, tail: float) -> bool:
    """Whether ``word`` was said by the narrator: inside a line playing then (or its
    ``tail``), and one of its words said about then, or speech outside the grammar."""
    lines = narration.lines_during(word.start, word.end, tail)
    if not lines:
        return False
    if word.text == UNKNOWN:
        return True
    return any(in_line(word.text, line.words_around(word.start, word.end)) for line in lines)


def in_ringing(word: Word, narration: NarrationRecord) -> bool:
    """Whether ``word`` overlaps a line or the room's ringing after it."""
    return bool(narration.lines_during(word.start, word.end, RING_TAIL))


def without_ringing_edges(words: Sequence[Word],
                          narration: NarrationRecord) -> list[list[Word]]:
    """Shorter readings of an utterance: words at its start or end that overlap the
    narrator's ringing taken off (longest first). For an utterance that is no command as
    it is, such as "it stop" after the count "Eight."."""
    first, last = 0, len(words)
    while first < last and in_ringing(words[first], narration):
        first += 1
    while last > first and in_ringing(words[last - 1], narration):
        last -= 1
    readings = []
    for start in range(0, first + 1):
        for stop in range(len(words), last - 1, -1):
            if (start, stop) != (0, len(words)) and start < stop:
                readings.append(list(words[start:stop]))
    readings.sort(key=len, reverse=True)
    return readings


def split_narration(
    words: Sequence[Word], narration: NarrationRecord, tail: float
) -> tuple[list[Word], list[Word]]:
    """(the person's words, the narrator's words) of one utterance, in order."""
    person: list[Word] = []
    narrator: list[Word] = []
    for word in words:
        (narrator if is_narrators(word, narration, tail) else person).append(word)
    return person, narrator
