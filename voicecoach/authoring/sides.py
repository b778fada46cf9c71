"""Sides in an article's words: "right leg" and "to the left" become {side}/{other},
"one leg" becomes "your {side} leg", and "Repeat on the opposite leg" is the side switch.

Only a side word before a body part ("right index finger", "left-hand side"), after a
direction ("to the left") or for a named body part ("over the right one") counts, so
"right away" and "the right position" stay as they are; :func:`unplaced_sides` finds
what is left that may still be a side, for review.
"""

from __future__ import annotations

import re

from voicecoach.authoring.amounts import find_hold, find_reps

BODY_PARTS = (
    # arms and hands
    "arm", "upper arm", "forearm", "elbow", "wrist", "hand", "palm", "thumb", "finger",
    "fingertip", "knuckle", "fist", "pinky", "pinkie", "armpit", "underarm", "bicep",
    "biceps", "tricep", "triceps",
    # shoulders, chest and back
    "shoulder", "scapula", "collarbone", "clavicle", "deltoid", "delt", "trap",
    "trapezius", "rotator cuff", "lat", "pec", "pectoral", "chest", "breast",
    "lower back", "upper back", "mid back", "middle back",
    # trunk
    "side", "flank", "rib", "ribcage", "rib cage", "waist", "oblique", "abdomen", "belly",
    "lung", "kidney", "hip", "hip bone", "hipbone", "hip flexor", "pelvis", "groin",
    "psoas", "piriformis", "adductor", "abductor", "half",
    # legs and feet
    "leg", "thigh", "hamstring", "quad", "quadricep", "quadriceps", "it band",
    "iliotibial band", "knee", "kneecap", "calf", "shin", "ankle", "achilles", "heel",
    "sole", "foot", "toe", "instep", "arch", "glute", "gluteal", "buttock", "butt", "bum",
    "bone", "sit bone", "sitting bone",
    # head and neck
    "neck", "ear", "cheek", "cheekbone", "temple", "eye", "eyebrow", "brow", "jaw",
    "jawline", "nostril",
)
"""Nouns that make "right" or "left" before them a side ("right forearm"), with up to
one word between ("left index finger", "right inner thigh"); plurals count too."""

_PLURALS = {"foot": "feet", "calf": "calves", "half": "halves"}
_NOT_BETWEEN = (
    "a an the your my his her their its our this that these those and or but nor so then "
    "than to of on in at by for with from into onto over under up down out off away now "
    "here there again is are was be as if when while until toward towards behind above "
    "below across along through against between beside near next about around each "
    "every per both all one no not just only also too very still more less it").split()
"""Words that never sit between a side and its body part ("right over your heel")."""


def _noun_pattern(noun: str) -> str:
    words = r"[\s-]+".join(re.escape(word) for word in noun.split())
    if noun in _PLURALS:
        return rf"(?:{words}|{re.escape(_PLURALS[noun])})"
    return words + ("(?:es)?" if noun.endswith(("s", "x", "ch", "sh")) else "s?")


BODY_NOUN = re.compile(
    r"\b(?:" + "|".join(_noun_pattern(n) for n in sorted(set(BODY_PARTS), key=len,
                                                            reverse=True)) + r")\b",
    re.IGNORECASE)
_BETWEEN = r"(?!(?:" + "|".join(_NOT_BETWEEN) + r")\b)[a-z]+[\s-]+"
_BODY = rf"(?:{_BETWEEN})?{BODY_NOUN.pattern}"
_NOT_A_SIDE_AFTER = re.compile(
    r"^\s+(?:angle|position|way|amount|time|track|spot|place|form|moment|away|now)\b",
    re.IGNORECASE)
_SIDE_WORD = re.compile(
    r"(?P<pre>\b(?:to|toward|towards|on|onto|over|at|from|facing|into|across)\s+"
    r"(?:the|your)\s+)?\b(?P<side>right|left)\b"
    r"(?:(?P<body>[\s-]+" + _BODY + r")|(?P<one>\s+ones?\b))?",
    re.IGNORECASE)
_THE_BEFORE = re.compile(r"\b(?:the|your)\s+$", re.IGNORECASE)
_ONE_LIMB = re.compile(r"\b(?:one|a single)\s+(leg|arm|knee|foot|hand|hip|side|shoulder)\b",
                       re.IGNORECASE)
_OTHER_LIMB = re.compile(r"\bthe (?:other|opposite)\s+(leg|arm|knee|foot|hand|hip|shoulder)\b",
                         re.IGNORECASE)
_EACH_SIDE = re.compile(
    r"\b(?:(?:on |for )?(?:each|either|both|per) (?:sides?|legs?|arms?)|"
    r"(?:on |for )?the other side|alternat(?:e|ing) (?:sides|legs|arms))\b", re.IGNORECASE)
_SWITCH = re.compile(
    r"^(?:then,?\s+|now,?\s+|and\s+)?(?:"
    r"(?:repeat|switch|swap|change|do the same|perform|do|complete)\b[^.!?]{0,40}?"
    r"\b(?:other|opposite|second)\s+(?:sides?|legs?|arms?|hips?|feet|foot|knees?)"
    r"|(?:switch|swap|change|alternate)\s+(?:sides|legs|arms|feet)(?:\s+and\s+repeat)?"
    r"|repeat (?:on|with) (?:the|your) (?:right|left)\b[^.!?]{0,20}"
    r")[^.!?]{0,25}[.!]?$", re.IGNORECASE)
_SWITCH_CLAUSE = re.compile(
    r",?\s+(?:and\s+then|and|then)\s+(?=(?:repeat|switch|swap|change|do the same)\b)",
    re.IGNORECASE)

_ANY_SIDE = re.compile(r"\b(?:right|left)\b", re.IGNORECASE)
_NEVER_A_SIDE = re.compile(
    r"\ball right\b|\bjust right\b|\b(?:feels?|felt|seems?|is|looks|that's|get it)\s+right\b|"
    r"\bright[\s-]+(?:away|now|here|there|after|before|when|where|as|angled?|angles|amount|"
    r"time|way|position|spot|place|form|moment|track|thing|kind|level|balance|fit|length|"
    r"height|depth|intensity|pace|choice|one for)\b|"
    r"\b(?:have|has|had|'ve|is|are|was|were|be|been|being|get|gets|got|what's|nothing|"
    r"anything|something|still|any|time|seconds?|minutes?|breaths?|reps?)\s+left\b|"
    r"\bleft\s+(?:over|behind|out|alone|untouched|unchanged|off|for|as is)\b",
    re.IGNORECASE)
"""Phrases where "right" or "left" is never a side: "right away", "what's left"."""
_SELDOM_A_SIDE = re.compile(
    r"\bright\s+(?:into|through|up|down|back|to|at|on|in|under|over|below|above|next|"
    r"along|behind)\b", re.IGNORECASE)
"""Phrases where "right" is "just" ("right over your heel") unless a verb of direction
comes before ("turn right to face the wall")."""
_DIRECTION_VERB = re.compile(
    r"\b(?:turn|lean|look|twist|rotate|tilt|step|bend|reach|shift|move|roll|swing|drop|"
    r"sway|glance|face|rock|slide|walk|glide)s?\s+$", re.IGNORECASE)

SIDE_NAMES = ("right", "left")
OPPOSITE = {"right": "left", "left": "right"}


def _is_side_word(match: re.Match[str]) -> bool:
    if match.group("body"):
        return True
    if match.group("one"):  # "your left ankle over the right one"
        before = match.string[:match.start("side")]
        clause = re.split(r"[;.!?]", before)[-1]  # the body part it stands for is near
        return bool(_THE_BEFORE.search(before) and BODY_NOUN.search(clause))
    if match.group("pre"):
        return not _NOT_A_SIDE_AFTER.match(match.string[match.end():])
    return False


def named_sides(text: str) -> list[str]:
    """The sides ``text`` names ("right", "left"), in order, each once."""
    found: list[str] = []
    for match in _SIDE_WORD.finditer(text):
        side = match.group("side").lower()
        if _is_side_word(match) and side not in found:
            found.append(side)
    return found


def first_side(texts: list[str]) -> str | None:
    """The side that becomes {side}: "right" when the texts name it, else "left" when
    they name only that, else None."""
    named = {side for text in texts for side in named_sides(text)}
    if "right" in named:
        return "right"
    return "left" if named else None


def with_placeholders(text: str, first: str) -> str:
    """``text`` with ``first`` as {side}, the opposite as {other}, "one leg" as
    "your {side} leg" and "the other leg" as "your {other} leg"."""

    def replace(match: re.Match[str]) -> str:
        if not _is_side_word(match):
            return match.group(0)
        side = match.group("side")
        placeholder = "{side}" if side.lower() == first else "{other}"
        start = match.start("side") - match.start()
        whole = match.group(0)
        replaced = whole[:start] + placeholder + whole[start + len(side):]
        if side[0].isupper() and match.start() == 0:
            replaced = "Your " + replaced
        return replaced

    text = _SIDE_WORD.sub(replace, text)
    text = _ONE_LIMB.sub(lambda m: "your {side} " + m.group(1), text)
    return _OTHER_LIMB.sub(lambda m: "your {other} " + m.group(1), text)


def one_limb_phrase(text: str) -> str | None:
    """The words that make a move one-sided ("one leg"), if ``text`` has them."""
    match = _ONE_LIMB.search(text) or _EACH_SIDE.search(text)
    return match.group(0) if match else None


def is_switch(sentence: str) -> bool:
    """``sentence`` only says to do it all again on the other side (no count or hold)."""
    sentence = sentence.strip()
    return bool(_SWITCH.match(sentence)) and not (find_hold(sentence) or find_reps(sentence))


def split_switch(sentence: str) -> tuple[str, str | None]:
    """A sentence ending "and repeat on the other side" split into the instruction
    and the switch; (sentence, None) when it has no switch clause."""
    parts = _SWITCH_CLAUSE.split(sentence, maxsplit=1)
    if len(parts) == 2 and is_switch(parts[1]):
        head = parts[0].rstrip(" ,") + "."
        tail = parts[1].strip()
        return head, tail[0].upper() + tail[1:]
    return sentence, None


def switch_words(sentence: str) -> str:
    """A switch sentence said between sides: a named side becomes "other" (the narrator
    names the new side itself)."""
    return re.sub(r"\b(?:right|left)\b", "other", sentence, flags=re.IGNORECASE)


def unplaced_sides(text: str) -> list[str]:
    """The words around each "right" or "left" that ``text`` still says as a side (after
    :func:`with_placeholders`): not "right away", "all right", "left over" and the like."""
    never = [m.span() for m in _NEVER_A_SIDE.finditer(text)]
    seldom = [m.span() for m in _SELDOM_A_SIDE.finditer(text)]
    found: list[str] = []
    for match in _ANY_SIDE.finditer(text):
        start, end = match.span()
        if _within(start, end, never) or (_within(start, end, seldom)
                                          and not _DIRECTION_VERB.search(text[:start])):
            continue
        found.append(_words_around(text, start, end))
    return found


def _within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(first <= start and end <= last for first, last in spans)


def _words_around(text: str, start: int, end: int) -> str:
    """The word at ``start:end`` with up to two words either side: "lean left and hold"."""
    before = re.search(r"(?:\S+\s+){0,2}$", text[:start])
    after = re.match(r"\S*(?:\s+\S+){0,2}", text[end:])
    words = (before.group() if before else "") + text[start:end] + (after.group() if after else "")
    return words.strip(" ,.;:!?\"'")
