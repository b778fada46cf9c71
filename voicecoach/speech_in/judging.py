"""Judging a decoded utterance: a command (:class:`Heard`) or not (:class:`Rejected`).

Only a whole utterance that normalizes to a phrase is a command
(:func:`voicecoach.core.commands.parse_phrase`); an utterance with ``[unk]`` (speech
outside the grammar) or another word is rejected even if it holds a command word, so
"lower back pain" or "pause when you feel a good stretch" never act. Words below
``min_confidence`` reject too (grammar-mode confidences are mostly 1.0, so this only
drops garbage). Given what the narrator played (:mod:`.overlap`), its words are taken out
first and only the person's are judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from voicecoach.core.commands import FILLER_WORDS, PHRASES, parse_phrase
from voicecoach.speech_in.events import Heard, RecognitionEvent, Rejected, RejectReason
from voicecoach.speech_in.overlap import (
    NARRATION_TAIL,
    UNKNOWN,
    NarrationRecord,
    Word,
    is_narrators,
    without_ringing_edges,
)

TRAILING_JUNK = frozenset({"uh", "um", "er", "hmm", "hey"})
"""Fillers that may lead a command ("um, pause") but not end one: after a command they are
mostly the grammar soaking up other speech ("hold for sixty seconds" -> "go back hey")."""


SHARED_WORDS = 2
"""Most of the narrator's words, at each edge, that may complete a person's command."""


def _ambiguous_prefixes() -> frozenset[str]:
    """Phrases that begin a longer phrase of another command (none today)."""
    phrases = {phrase: command for command, items in PHRASES.items() for phrase in items}
    return frozenset(
        short
        for short, command in phrases.items()
        for long, other in phrases.items()
        if long.startswith(short + " ") and other != command
    )


AMBIGUOUS = _ambiguous_prefixes()


def display_text(words: Iterable[str]) -> str:
    """Recognized words for people: ``[unk]`` runs become "…"."""
    out: list[str] = []
    for word in words:
        if word == UNKNOWN:
            if not out or out[-1] != "…":
                out.append("…")
        else:
            out.append(word)
    return " ".join(out)


def judge(
    words: list[dict[str, Any]],
    at: float,
    offset: float,
    min_confidence: float,
    narration: NarrationRecord | None = None,
) -> RecognitionEvent | None:
    """The event for a final result's ``words`` (vosk dicts: word, conf, start, end).

    ``offset`` converts vosk's stream times to audio time. None for an empty result. With
    ``narration``, the narrator's words are taken out first (:mod:`.overlap`) and only the
    person's are judged; an utterance that was all narration is "narrator said it". When
    the person's words are no command but make one with the narrator's next to them, that
    is the command, marked ``shares_narration``.
    """
    words = [w for w in words if w.get("word")]
    if not words:
        return None
    shared = False
    if narration is not None:
        person = _persons_words(words, offset, narration)
        if not person:
            return Rejected(display_text(str(w["word"]) for w in words), at,
                            RejectReason.NARRATOR_SAID_IT)
        reading = _a_command_reading(person, offset, narration)
        completed = (_completed_by_the_narrators_words(words, person)
                     if parse_phrase(_text_of(reading)) is None else None)
        words, shared = (reading, False) if completed is None else (completed, True)
    names = [str(w["word"]) for w in words]
    text = display_text(names)
    if UNKNOWN in names:
        spoken = [n for n in names if n != UNKNOWN and n not in FILLER_WORDS]
        reason = RejectReason.EXTRA_WORDS if spoken else RejectReason.NOT_A_COMMAND
        return Rejected(text, at, reason)
    command = parse_phrase(" ".join(names))
    if command is None:
        return Rejected(text, at, RejectReason.NOT_A_COMMAND)
    if names[-1] in TRAILING_JUNK:
        return Rejected(text, at, RejectReason.EXTRA_WORDS)
    meaningful = [w for w in words if w.get("word") not in FILLER_WORDS] or words
    confidence = min(float(w.get("conf", 1.0)) for w in meaningful)
    if confidence < min_confidence:
        return Rejected(text, at, RejectReason.LOW_CONFIDENCE)
    start = float(words[0]["start"]) + offset if "start" in words[0] else None
    end = float(words[-1]["end"]) + offset if "end" in words[-1] else None
    return Heard(command, text, at, round(confidence, 3), start, end,
                 shares_narration=shared)


def _a_command_reading(words: list[dict[str, Any]], offset: float,
                       narration: NarrationRecord) -> list[dict[str, Any]]:
    """``words``, or the longest reading without words at its edges that overlap the
    narrator's ringing, if only that reading is a command (see :mod:`.overlap`)."""
    if parse_phrase(" ".join(str(w["word"]) for w in words)) is not None:
        return words
    timed = [_timed(w, offset) for w in words]
    for reading in without_ringing_edges(timed, narration):
        if parse_phrase(" ".join(w.text for w in reading)) is not None:
            first = timed.index(reading[0])
            return words[first:first + len(reading)]
    return words


def _completed_by_the_narrators_words(
    words: list[dict[str, Any]], person: list[dict[str, Any]]
) -> list[dict[str, Any]] | None:
    """The shortest run of the utterance that holds all the person's words and is a
    command, taking in up to :data:`SHARED_WORDS` of the narrator's words next to them;
    None if there is none.

    The person says "hold on" as the narrator says "Hold for twenty seconds.": the
    decoder hears one "hold", which the narrator said then, and leaves "on" to the person.
    A word taken in this way must not be a command alone (the narrator's "next" and a
    person's "done" heard as "one" are no "next one"), and the command is obeyed only on
    evidence that the person spoke (:class:`~voicecoach.speech_in.selfhearing.SelfHearingFilter`).
    """
    if not person or any(w["word"] == UNKNOWN for w in person):
        return None
    theirs = [i for i, w in enumerate(words) if any(w is p for p in person)]
    first, last = theirs[0], theirs[-1]
    runs = [(begin, stop)
            for begin in range(max(0, first - SHARED_WORDS), first + 1)
            for stop in range(last + 1, min(len(words), last + 1 + SHARED_WORDS) + 1)]
    for begin, stop in sorted(runs, key=lambda run: run[1] - run[0]):
        run = words[begin:stop]
        taken = [w for i, w in enumerate(run, begin) if i not in theirs]
        if (parse_phrase(_text_of(run)) is not None
                and not any(parse_phrase(str(w["word"])) is not None or w["word"] == UNKNOWN
                            for w in taken)):
            return run
    return None


def _text_of(words: list[dict[str, Any]]) -> str:
    return " ".join(str(w["word"]) for w in words)


def _timed(word: dict[str, Any], offset: float) -> Word:
    return Word(str(word["word"]), float(word.get("start", 0.0)) + offset,
                float(word.get("end", 0.0)) + offset)


def _persons_words(words: list[dict[str, Any]], offset: float,
                   narration: NarrationRecord) -> list[dict[str, Any]]:
    """The words of an utterance the narrator did not say (all of them without timings)."""
    if not all("start" in w and "end" in w for w in words):
        return words
    return [w for w in words if not is_narrators(_timed(w, offset), narration,
                                                  NARRATION_TAIL)]
