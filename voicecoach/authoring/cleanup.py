"""Article text made speakable: Markdown and typography removed, asides dropped,
parentheses turned into plain clauses, text split into sentences."""

from __future__ import annotations

import re

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
    "\u2009": " ", "\u200b": "", "\ufeff": "", "\u2026": "...", "{": "(", "}": ")",
})
"""Plain quotes and spaces; braces become parentheses (a routine's text uses braces only
for its {side}/{other} placeholders)."""

_MARKDOWN_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),          # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),      # links keep their text
    (re.compile(r"<[^>]+>"), " "),                     # HTML tags
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),          # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
)

MEDIA_WORDS = re.compile(
    r"\b(?:videos?|photos?|photographs?|images?|pictured|visuals?|demos?|gifs?|"
    r"shown (?:above|below)|see (?:above|below))\b", re.IGNORECASE)
"""Words that make a parenthesis or a sentence a pointer to media, not an instruction."""

_POINTER_START = re.compile(r"^(?:check out|watch|see|click|tap|follow along|scroll)\b",
                            re.IGNORECASE)
_SHOP_START = re.compile(r"^(?:shop|buy|subscribe|sign up)\b", re.IGNORECASE)

_ATTRIBUTION = re.compile(
    r"""([,.!?]?)"\s*(?:[A-Z][\w.'-]*\s+){1,3}(?:says|said|explains|notes|adds|recommends)"""
    r"""(?:[^.]*)?\.""")

_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
_ABBREVIATIONS = re.compile(r"\b(?:i\.e|e\.g|vs|approx|Dr|Mr|Ms|Mrs)\.$",
                            re.IGNORECASE)


def plain(text: str) -> str:
    """Typographic quotes and spaces made plain, Markdown inline markup removed,
    whitespace collapsed."""
    text = text.translate(_TYPOGRAPHY)
    for pattern, replacement in _MARKDOWN_INLINE:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


def without_attribution(text: str) -> str:
    """A quoted purpose without its quotation marks, editorial brackets and "X says"."""
    text = _ATTRIBUTION.sub(lambda m: "." if m.group(1) in ("", ",", ".") else m.group(1), text)
    text = re.sub(r"\[([^\]]*)\]", r"\1", text)
    return re.sub(r"\s+", " ", text.replace('"', "")).strip()


def sentences(text: str) -> list[str]:
    """``text`` split after sentence ends, keeping abbreviations like "i.e." whole."""
    pieces = re.split(r"(?<=[.!?])\s+(?=[\"(]?[A-Z0-9])", text.strip())
    joined: list[str] = []
    for piece in pieces:
        if joined and _ABBREVIATIONS.search(joined[-1]):
            joined[-1] = f"{joined[-1]} {piece}"
        elif piece:
            joined.append(piece)
    return joined


def is_aside_sentence(sentence: str) -> bool:
    """A sentence that points at a video or photo, or a shop, rather than instructing."""
    sentence = sentence.strip(" (")
    if _SHOP_START.match(sentence):
        return True
    return bool(_POINTER_START.match(sentence)) and bool(MEDIA_WORDS.search(sentence))


def spoken(text: str) -> str:
    """Step text for the narrator: asides removed, parentheses made into clauses or
    sentences, ending punctuation ensured, first letter capitalised."""
    text = _PARENTHESIS.sub(_clause, text)
    text = re.sub(r"\s+([,.!?;:])", r"\1", text)
    text = re.sub(r"([,;:])(?=[,.!?])", "", text)
    text = re.sub(r"([.!?])[.,]+", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:-")
    kept = [s for s in sentences(text) if not is_aside_sentence(s)]
    return " ".join(finished(s) for s in kept)


def finished(sentence: str) -> str:
    """``sentence`` with a capital first letter and a full stop if it had no ending."""
    sentence = sentence.strip()
    if not sentence:
        return sentence
    sentence = sentence[0].upper() + sentence[1:]
    return sentence if sentence[-1] in ".!?" else sentence + "."


def _clause(match: re.Match[str]) -> str:
    """One parenthesis: dropped when it points at media; a sentence of its own when it
    ends its sentence; commas around it otherwise."""
    inner = re.sub(r"^(?:i\.e\.|e\.g\.|ie|eg),?\s*", "", match.group(1).strip(), flags=re.I)
    if not inner or MEDIA_WORDS.search(inner):
        return ""
    rest = match.string[match.end():]
    if re.match(r"^[.!?]?\s*$", rest) or re.match(r"^[.!?]\s", rest):
        ending = "" if inner[-1] in ".!?" else "."
        sentence = inner[0].upper() + inner[1:]
        return f". {sentence}{ending}"
    return f", {inner},"
