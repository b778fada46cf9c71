"""Holds and reps in an article's words: "one to two minutes", "30 seconds",
"5 breaths", "10 to 15 times", "3 sets of 10".

A range takes its low end (as the built-in routine does) and is marked as a guess; so is
a hold counted in breaths, and a vague count ("a few"). How long a routine takes ("these
moves take about five minutes", "a 15-minute routine") is not a hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicecoach.core.routine_slips import SECONDS_PER_UNIT

SECONDS_PER_BREATH = 5
"""A slow breath, for holds the article counts in breaths."""

_SMALL = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty").split()
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90}
NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_SMALL, start=1)}
NUMBER_WORDS.update(_TENS)
VAGUE_NUMBERS = {"a few": 3, "a couple of": 2, "a couple": 2, "several": 5}
"""Counts that are not numbers; the value taken is a guess."""

_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_COMPOUND = r"(?:twenty|thirty|forty|fifty)[- ](?:one|two|three|four|five|six|seven|eight|nine)"
_VAGUE = "|".join(sorted(VAGUE_NUMBERS, key=len, reverse=True))
NUMBER = rf"(?:\d+(?:\.\d+)?|{_COMPOUND}|{_VAGUE}|(?:{_WORD})|an?)"
_RANGE = rf"(?P<low>{NUMBER})(?:\s*(?:to|-|–|—|or)\s*(?P<high>{NUMBER}))?"

_DURATION = re.compile(
    rf"\b{_RANGE}[\s-]*(?:(?:deep|slow|full|long|big|more)\s+)?"
    r"(?P<unit>seconds?|secs?|s|minutes?|mins?|breaths?)\b", re.IGNORECASE)
_REPS = re.compile(
    rf"\b{_RANGE}\s*(?:more\s+)?(?P<unit>times|reps?|repetitions?)\b", re.IGNORECASE)
_TIMES_X = re.compile(r"(?:\bx\s?(?P<after>\d+)\b|\b(?P<before>\d+)\s?x\b)", re.IGNORECASE)
_SETS = re.compile(rf"\b(?P<sets>{NUMBER})\s+sets?\s+of\s+{_RANGE}\b", re.IGNORECASE)
_REST_BEFORE = re.compile(
    r"\b(?:rest|relax|wait|every|after|within|up to|over|in)\s+(?:for\s+)?"
    r"(?:(?:about|around|another)\s+)?$", re.IGNORECASE)
_REST_AFTER = re.compile(r"^\s*(?:of rest|rest\b|break\b|between\b|apart\b|later\b)",
                         re.IGNORECASE)
_BARE_HOLD = re.compile(
    r"\b(?:hold|stay)(?: (?:it|this|that|there|here|still|the (?:stretch|pose|position)))?"
    r"(?: (?:there|here))?\s*[.!]?\s*$", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:don't|do not|never|without|instead of|no need to)\s+$",
                       re.IGNORECASE)

_ROUTINE_NOUN = (r"(?:routines?|workouts?|sessions?|sequences?|flows?|practices?|programs?|"
                 r"programmes?|series|circuits?|class(?:es)?|videos?|breaks?|regimens?)")
_ROUTINE_AFTER = re.compile(
    r"^[\s-]*(?:long\s+)?(?:(?!(?:in|on|at|of|for|each|per|every|between|and|or|then|to|"
    r"the|a|an|your|this|that|with)\b)[a-z]+[\s-]+){0,2}" + _ROUTINE_NOUN + r"\b",
    re.IGNORECASE)
"""After a duration: it is a routine's ("a 15-minute routine", "5-minute stretch break")."""
_DAILY_AFTER = re.compile(
    r"^\s*(?:(?:a|per|each|every)\s+(?:day|week|morning|evening|night|afternoon)|daily|"
    r"(?:in\s+)?total|altogether|of (?:your (?:day|time)|stretching|exercise))\b",
    re.IGNORECASE)
"""After a duration: it is a day's practice ("ten minutes a day"), unless held."""
_MODIFIERS = (r"(?:(?:about|around|roughly|approximately|only|just|under|less than|"
              r"fewer than|no more than|as little as|a mere|barely|over)\s+)*")
_TAKES = re.compile(
    r"\b(?P<verb>takes?|took|taking|lasts?|lasted|lasting|needs?(?: is)?|need(?:ed)? is|"
    r"requires?|set aside|carve out|in|within)\s+" + _MODIFIERS + "$", re.IGNORECASE)
"""Before a duration: it is how long something takes ("these moves take about")."""
_ROUTINE_SUBJECT = re.compile(
    r"\b(?:" + _ROUTINE_NOUN + r"|these (?:\w+ ){0,2}(?:moves|stretches|exercises|poses)|"
    r"the whole thing|all of (?:this|them|these))\b", re.IGNORECASE)
_HOLD_VERB = re.compile(r"\b(?:hold|held|holding|stay|remain|breathe|relax|sink|try it)\b",
                        re.IGNORECASE)
"""Near a duration: it is a hold, whatever else is said ("relax for 30 seconds or less")."""
_PER_MOVE = re.compile(r"\b(?:keep|each|per)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """A hold's length in seconds, or a count of reps, as the article gives it."""

    value: float
    """Seconds for a hold, a count for reps."""
    phrase: str
    """The article's words, e.g. "one to two minutes"."""
    guess: str = ""
    """Why the value is a guess ("" when the article says it exactly)."""


def number_value(word: str) -> float | None:
    """The value of a number in digits or words; None when it is not one."""
    word = word.lower().strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    if word in ("a", "an"):
        return 1.0
    if word in VAGUE_NUMBERS:
        return float(VAGUE_NUMBERS[word])
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return None


def _low_end(match: re.Match[str]) -> tuple[float, str]:
    """The low end of a matched range, and why it is a guess ("" when it is not)."""
    low = number_value(match.group("low")) or 1.0
    if match.group("high"):
        return low, "the low end of the range"
    if match.group("low").lower() in VAGUE_NUMBERS:
        return low, f'"{match.group("low")}" taken as {low:g}'
    return low, ""


def find_hold(text: str) -> Amount | None:
    """The first hold length in ``text``: a duration that is not a rest, a pause between
    sides or an interval."""
    for match in _DURATION.finditer(text):
        if _REST_BEFORE.search(text[:match.start()]) or _REST_AFTER.match(text[match.end():]):
            continue
        if match.group("unit").lower() == "s" and not match.group("low")[0].isdigit():
            continue
        if is_routine_length(text, match):
            continue
        low, guess = _low_end(match)
        unit = match.group("unit").lower().rstrip("s") or "s"
        if unit.startswith("breath"):
            seconds = low * SECONDS_PER_BREATH
            guess = ", ".join(filter(None, [guess, f"about {SECONDS_PER_BREATH} s a breath"]))
        else:
            seconds = low * SECONDS_PER_UNIT[unit]
        return Amount(seconds, match.group(0).strip(), guess)
    return None


def find_reps(text: str) -> Amount | None:
    """The first count of reps in ``text``: "10 to 15 times", "3 sets of 10", "x10"."""
    sets = _SETS.search(text)
    if sets:
        low, guess = _low_end(sets)
        note = f"{sets.group('sets')} sets: one set is counted"
        return Amount(low, sets.group(0), ", ".join(filter(None, [guess, note])))
    match = _REPS.search(text)
    if match and match.group("low").lower() not in ("a", "an"):
        low, guess = _low_end(match)
        return Amount(low, match.group(0).strip(), guess)
    times = _TIMES_X.search(text)
    if times:
        count = times.group("after") or times.group("before")
        return Amount(float(count), times.group(0).strip())
    return None


def is_routine_length(text: str, match: re.Match[str]) -> bool:
    """The duration ``match`` found in ``text`` is how long a routine or a day's practice
    takes ("These moves take about five minutes.", "a 15-minute routine"), not a hold."""
    if match.group("unit").lower().startswith("breath"):
        return False
    before = re.split(r"[.!?;:]\s", text[:match.start()])[-1]
    after = re.split(r"[.!?;:](?:\s|$)", text[match.end():])[0]
    takes = _TAKES.search(before)
    if takes and not (_imperative(before[:takes.start()], takes.group("verb"))
                      or _PER_MOVE.search(after)):
        return True
    if _ROUTINE_AFTER.match(after):
        return True
    if _HOLD_VERB.search(before + after):
        return False
    return bool(_DAILY_AFTER.match(after)
                or (_ROUTINE_SUBJECT.search(before) and not _PER_MOVE.search(before + after)))


def _imperative(before: str, verb: str) -> bool:
    """``verb`` starts its clause as a command does ("Take 30 seconds to settle")."""
    return verb.lower() == "take" and not re.search(r"\w", re.sub(
        r"\b(?:then|and|now|so)\b", "", before.rsplit(",", 1)[-1], flags=re.IGNORECASE))


def says_hold_without_length(text: str) -> bool:
    """``text`` ends by telling to hold ("Breathe and hold.") but gives no length."""
    match = _BARE_HOLD.search(text)
    return match is not None and not _NEGATION.search(text[:match.start()])


def only_holds(text: str) -> bool:
    """``text`` says nothing but to hold ("Hold.", "Hold the stretch."): once its length
    is taken out, it adds nothing to the narrator's "Hold for thirty seconds."."""
    match = _BARE_HOLD.search(text)
    return match is not None and not text[:match.start()].strip()


def without_hold(text: str, amount: Amount) -> str:
    """``text`` without its hold length: the timer holds, for whatever length is set."""
    pattern = (r",?\s*(?:for\s+)?(?:(?:about|around|at least|up to|roughly|approximately)\s+)?"
               + re.escape(amount.phrase))
    return _tidy(re.sub(pattern, "", text, count=1))


def without_reps(text: str, amount: Amount) -> str:
    """``text`` with its count of reps said as "with my count": the narrator counts."""
    phrase = re.escape(amount.phrase)
    done = re.sub(rf"\b(do|perform|complete)\s+(?:for\s+)?{phrase}", r"\1 the reps with my count",
                  text, count=1, flags=re.IGNORECASE)
    if done == text:
        done = re.sub(rf"(?:\bfor\s+)?{phrase}", "with my count", text, count=1)
    return _tidy(done)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.!?;:])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()
