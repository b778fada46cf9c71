"""An article as a list of blocks: headings, counters ("01 of 04"), lettered, numbered,
"Step N:" and bulleted items, labels ("Modification:") and paragraphs.

Asides that are not instructions (photo credits, "RELATED:", ads, author bios, "Was this
page helpful?") are set apart as left out; the page's tail after "Related Articles" and
the like is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from voicecoach.authoring.cleanup import plain


class Kind(Enum):
    """What a block of the article is."""

    HEADING = "heading"
    COUNTER = "counter"
    LETTERED = "lettered"
    NUMBERED = "numbered"
    STEP = "step"
    BULLET = "bullet"
    LABEL = "label"
    PROSE = "prose"


class Label(Enum):
    """What a label ("Why it helps:", "Modification:") says the text after it is: a
    purpose, an easier variant, instructions, a tip, or something else to leave out."""

    PURPOSE = "purpose"
    MODIFICATION = "modification"
    STEPS = "steps"
    TIP = "tip"
    OTHER = "other"


@dataclass(frozen=True)
class Block:
    """One heading, item or paragraph, its markup removed."""

    kind: Kind
    text: str
    """The words, without the marker (heading hashes, "(A)", "1.", "-")."""
    marker: str = ""
    """The letter or number of a lettered, numbered or "Step N:" item."""
    level: int = 0
    """A Markdown heading's level (1-6); 0 for a bold line used as a heading."""
    label: Label | None = None
    """For a label: what follows it."""

    @property
    def is_item(self) -> bool:
        """A lettered, numbered, "Step N:" or bulleted item."""
        return self.kind in (Kind.LETTERED, Kind.NUMBERED, Kind.STEP, Kind.BULLET)


@dataclass(frozen=True)
class ReadArticle:
    """The article's blocks and the asides left out of them."""

    blocks: tuple[Block, ...]
    left_out: tuple[str, ...]


_LABELS: tuple[tuple[Label, str], ...] = (
    (Label.PURPOSE, r"why (?:it|this) (?:helps|works|matters)|why do it|why|benefits?|"
                    r"purpose|what it does|what it's good for|good for|targets?|"
                    r"muscles? (?:worked|targeted|stretched)|areas? targeted"),
    (Label.MODIFICATION, r"modifications?|modify(?: it)?|make it easier|to make it easier|"
                         r"easier(?: version| option| variation| modification)?|"
                         r"regressions?|beginners?|if (?:it's|this is) too (?:hard|much)"),
    (Label.STEPS, r"how to(?: do it| do this| perform it)?|steps?|instructions?|directions?|"
                  r"what to do|the move|movement|starting position|start(?:ing)? position|"
                  r"set-?up|technique|do it|form"),
    (Label.TIP, r"tips?|form tips?|pro tips?|notes?|cues?|common mistakes|mistakes to avoid|"
                r"caution|safety|important"),
    (Label.OTHER, r"equipment|you'll need|variations?|make it harder|harder|progressions?"),
)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(?P<text>[^*_]{1,80})(?:\*\*|__)\s*:?\s*$")
_COUNTER = re.compile(r"^\d{1,2}\s+of\s+\d{1,2}$", re.IGNORECASE)
_LETTERED = re.compile(r"^(?:\((?P<a>[A-La-l])\)|(?P<b>[A-La-l])\))\s*(?P<text>\S.*)$|"
                       r"^(?P<c>[A-L])\.\s+(?P<text2>[A-Z].*)$")
_STEP = re.compile(r"^step\s*(?P<n>\d{1,2})\s*[:.)\-–—]\s*(?P<text>.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<n>\d{1,2})[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-*+•·▪◦‣]\s+(?P<text>\S.*)$")
_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")

_ASIDE = re.compile(
    r"^(?:related\b|read more|read next|see also|more:|also read|you (?:may|might) also|"
    r"recommended|advertisement|ad$|sponsored|shop\b|buy\b|subscribe|sign up|follow us|"
    r"share\b|pin it|print\b|(?:photo|image|illustration|video|photograph)s?\s*(?:by\b|:|"
    r"credit|courtesy)|credit:|courtesy of|medically reviewed|fact checked|reviewed by|"
    r"written by|updated\b|published\b|(?:check out|watch|see)\b[^.]*\b(?:video|photo|demo)|"
    r"click|tap here|getty images|shutterstock|istock|this article|editor's note|"
    r"disclaimer|affiliate|!\[|<!--)", re.IGNORECASE)
_BYLINE = re.compile(r"^By [A-Z][\w.'-]+ [A-Z]")
_MEDIA_CREDIT = re.compile(r"\b(?:getty images|shutterstock|istock|unsplash|adobe stock)\b",
                           re.IGNORECASE)
_BIO = re.compile(
    r"^[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3}(?:,\s*[A-Z][\w.,\s]{1,30}?)?\s+is\s+(?:an?|the)\s+"
    r"(?:[\w-]+\s+){0,5}(?:writer|editor|journalist|contributor|author|reporter|"
    r"freelancer|columnist)\b")
_STOP = re.compile(
    r"^(?:was this (?:page|article) helpful\??|related articles|related stories|"
    r"about the author|sources?|references|comments?|more (?:from|stories|articles)\b.*|"
    r"up next|you may also like)\s*:?$", re.IGNORECASE)


def label_of(text: str) -> tuple[Label, str] | None:
    """The label a line starts with ("Why it helps: ...") and the words after it; or
    None. A label alone on its line has "" after it."""
    for label, pattern in _LABELS:
        match = re.match(rf"^(?:{pattern})\s*(?:[:\-–—]\s*(?P<rest>.*)|\??\s*$)", text,
                         re.IGNORECASE)
        if match:
            return label, (match.group("rest") or "").strip()
    return None


def is_aside(text: str) -> bool:
    """A paragraph that is not part of the instructions: ads, credits, bios, pointers."""
    return bool(_ASIDE.match(text) or _BYLINE.match(text) or _BIO.match(text)
                or (len(text) < 80 and _MEDIA_CREDIT.search(text)))


def read_blocks(text: str) -> ReadArticle:
    """The article's blocks, in order, up to its page tail."""
    blocks: list[Block] = []
    left_out: list[str] = []
    for paragraph in _paragraphs(text):
        block = _classify(paragraph)
        if _STOP.match(plain(paragraph)):
            left_out.append(plain(paragraph))
            break
        if block is not None and block.kind is Kind.HEADING and _STOP.match(block.text):
            left_out.append(block.text)  # "## Related Articles": the tail under it too
            break
        if block is None:
            continue
        if block.kind is not Kind.COUNTER and is_aside(block.text):
            left_out.append(block.text)
            continue
        blocks.append(block)
    return ReadArticle(tuple(blocks), tuple(left_out))


def _starts_item(line: str) -> bool:
    return any(p.match(line) for p in (_LETTERED, _STEP, _NUMBERED, _BULLET, _COUNTER))


_LABEL_LINE = re.compile(rf"^(?:{'|'.join(pattern for _, pattern in _LABELS)})\s*[:\-–—]",
                         re.IGNORECASE)


def _starts_label(line: str) -> bool:
    """A line that opens with a label and its colon or dash ("Modification: ...",
    "**Tip:** ...", "Targets - ..."): a block of its own even right under another line.
    Not a line that starts in lower case (a sentence wrapped onto it), nor one whose
    colon comes later ("Tip your chin down: ...")."""
    line = plain(line)
    return line[:1].isupper() and bool(_LABEL_LINE.match(line))


def _looks_like_title(line: str) -> bool:
    line = re.sub(r"^\d{1,2}[.)]\s+", "", line)
    words = line.split()
    return 0 < len(words) <= 6 and not re.search(r"[.!?:;,]$", line) and line[0].isupper()


def _paragraphs(text: str) -> list[str]:
    """Raw paragraphs: split at blank lines, headings, rules, the start of each item and
    each line that opens with a label; a short title line directly above its text is a
    paragraph of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line or _RULE.match(line):
            flush()
        elif (_HEADING.match(line) or _BOLD_LINE.match(line) or _starts_item(line)
              or _STOP.match(plain(line))):
            flush()
            current.append(line)
            if not _starts_item(line) or _COUNTER.match(line):  # "01 of 04" stands alone
                flush()
        elif _starts_label(line) or (len(current) == 1 and _looks_like_title(current[0])
                                     and line[0].isupper()):
            flush()
            current.append(line)
        else:
            current.append(line)
    flush()
    return paragraphs


def _classify(paragraph: str) -> Block | None:
    """One raw paragraph as a block; None when nothing is left of it."""
    heading = _HEADING.match(paragraph)
    if heading:
        return _titled(Block(Kind.HEADING, plain(heading.group(2)), level=len(heading.group(1))))
    bold = _BOLD_LINE.match(paragraph)
    if bold:
        return _titled(Block(Kind.HEADING, plain(bold.group("text")), level=0))
    text = plain(paragraph)
    if not text:
        return None
    if _COUNTER.match(text):
        return Block(Kind.COUNTER, text)
    for kind, pattern in ((Kind.LETTERED, _LETTERED), (Kind.STEP, _STEP),
                          (Kind.NUMBERED, _NUMBERED), (Kind.BULLET, _BULLET)):
        match = pattern.match(text)
        if match:
            return _item(kind, match)
    labelled = label_of(text)
    if labelled:
        label, rest = labelled
        return Block(Kind.LABEL, rest, label=label)
    return Block(Kind.PROSE, text)


def _titled(block: Block) -> Block:
    """A heading that is really a label ("## How to do it") becomes a label."""
    labelled = label_of(block.text)
    if labelled:
        return Block(Kind.LABEL, labelled[1], label=labelled[0])
    return block


def _item(kind: Kind, match: re.Match[str]) -> Block:
    groups = match.groupdict()
    marker = next((groups[k] for k in ("a", "b", "c", "n") if groups.get(k)), "")
    words = groups.get("text") or groups.get("text2") or ""
    return Block(kind, words.strip(), marker=marker.upper())
