"""An easier variant in an article's words ("modify by pointing the toe toward the
ceiling", "If this is too intense, rest your knee on a pillow"), and the conventional
placeholder written, for review, when the article gives none."""

from __future__ import annotations

import re

from voicecoach.authoring.cleanup import finished, sentences

_MODIFY_BY = re.compile(r"\b(?:modify|make it easier|make this easier|ease off)\b[^.!?]*?\bby\b",
                        re.IGNORECASE)
_IF_TOO_HARD = re.compile(
    r"^(?:if\b[^,]*\btoo (?:hard|difficult|intense|much|challenging|uncomfortable|deep)|"
    r"if you (?:can't|cannot|are unable to)\b[^,]*|"
    r"to make (?:it|this|the [\w ]+?) (?:easier|gentler|less intense)|"
    r"for an? (?:easier|gentler) (?:version|variation|option|stretch)|"
    r"(?:beginners|if you're a beginner|if you're new to this)[^,]*)"
    r",\s*(?P<instead>.+)$", re.IGNORECASE)
_EASIER_OPTION = re.compile(
    r"^(?:an? )?(?:easier|gentler) (?:version|variation|option) (?:is|would be) to (?P<do>.+)$",
    re.IGNORECASE)

HOLD_PLACEHOLDER = ("Go only as far as feels comfortable, and use a cushion or a wall for "
                    "support if it helps.")
"""The conventional easier variant of a held stretch, when the article gives none. Said
after "Easier version:" or "You're on the easier version:", so it does not name itself a
version again."""
MOVING_PLACEHOLDER = ("Move through a smaller range, more slowly, only as far as it still "
                      "feels comfortable.")
"""The conventional easier variant of a moving stretch, when the article gives none."""


def modification_in(text: str) -> str | None:
    """The easier variant a passage gives, as a sentence to say; None when it gives none."""
    for sentence in sentences(text):
        modify = _MODIFY_BY.search(sentence)
        if modify:
            return finished(sentence[modify.start():])
        instead = _IF_TOO_HARD.match(sentence)
        if instead:
            return finished(instead.group("instead"))
        option = _EASIER_OPTION.match(sentence)
        if option:
            return finished(option.group("do"))
    return None


def placeholder(moving: bool) -> str:
    """The conventional easier variant for a moving (reps) or a held stretch."""
    return MOVING_PLACEHOLDER if moving else HOLD_PLACEHOLDER
