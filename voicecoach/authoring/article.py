"""An article's exercises: the titles that start them (headings, "01 of 04" counters,
numbered titles like "1. Cat-cow", or short title lines in plain text), and under each its
purpose paragraphs, steps, modification and the paragraphs after its steps.

Nothing here interprets the words; :mod:`voicecoach.authoring.compose` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from voicecoach.authoring.amounts import find_hold, find_reps
from voicecoach.authoring.blocks import Block, Kind, Label, read_blocks
from voicecoach.authoring.cleanup import sentences
from voicecoach.authoring.modification import modification_in
from voicecoach.authoring.sides import is_switch

_DESCRIBES = re.compile(r"^(?:this|the|these|it)\b", re.IGNORECASE)
_ADDRESSES = re.compile(r"\byour?\b", re.IGNORECASE)


@dataclass
class ExerciseText:
    """One exercise as the article lays it out, its words still the article's."""

    name: str
    intro: list[str] = field(default_factory=list)
    """Paragraphs between the title and the first step."""
    purpose: list[str] = field(default_factory=list)
    """Paragraphs under a purpose label ("Why it helps")."""
    steps: list[tuple[str, str]] = field(default_factory=list)
    """(letter, text) in order; a paragraph between two steps keeps the letter before it."""
    modifications: list[str] = field(default_factory=list)
    """Paragraphs under a modification label."""
    after: list[str] = field(default_factory=list)
    """Paragraphs after the last step, and tips."""
    from_paragraphs: bool = False
    """The article gives no marked steps: they were read from its paragraphs."""


@dataclass(frozen=True)
class ArticleText:
    """The article's title, its exercises and what lies outside them."""

    title: str
    description: str
    exercises: tuple[ExerciseText, ...]
    general: tuple[str, ...]
    """Paragraphs outside any exercise (introductions may say "hold each for 30 s")."""
    left_out: tuple[str, ...]
    """Asides and captions not read as instructions."""


@dataclass
class _Section:
    title: str | None
    blocks: list[Block] = field(default_factory=list)
    opens_article: bool = False
    """The article's headline."""
    from_counter: bool = False
    """The title came after a counter ("01 of 04")."""


def title_like(text: str) -> bool:
    """A short line without an ending, as titles and captions are."""
    words = text.split()
    return (0 < len(words) <= 8 and len(text) <= 70 and text[0].isupper()
            and not re.search(r"[.!?:;,]$", text))


def exercise_name(title: str) -> str:
    """A title without its number ("1.", "Exercise 2:", "#3") or a trailing parenthesis."""
    name = re.sub(r"^(?:(?:exercise|stretch|move|no\.?)\s*)?#?\d{1,2}\s*[.:)\-–—]?\s+", "",
                  title, flags=re.IGNORECASE)
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip(" :")
    return name or title


def read_article(text: str) -> ArticleText:
    """The article's structure; its exercises are the titled sections that have steps
    (the headline's own section only when its steps are marked, or it is alone)."""
    read = read_blocks(text)
    left_out = list(read.left_out)
    sections = _sections(list(read.blocks), left_out)
    exercises: list[ExerciseText] = []
    general: list[str] = []
    for section in sections:
        exercise = _exercise(section) if section.title else None
        headline_only = section.opens_article and len(sections) > 1
        if exercise and exercise.steps and not (headline_only and exercise.from_paragraphs):
            exercises.append(exercise)
        else:
            general.extend(b.text for b in section.blocks if b.kind is Kind.PROSE)
    title = next((s.title for s in sections if s.title and s.opens_article), "")
    description = next((sentences(p)[0] for p in general if sentences(p)), "")
    return ArticleText(title, description, tuple(exercises), tuple(general), tuple(left_out))


def _sections(blocks: list[Block], left_out: list[str]) -> list[_Section]:
    """The article cut at each title; a caption right under a title is left out.

    Plain title lines count only in articles without headings or counters."""
    strong = any(b.kind is Kind.COUNTER or (b.kind is Kind.HEADING and b.level != 1)
                 for b in blocks)
    sections = [_Section(None)]
    title_next = False
    caption_possible = False
    for index, block in enumerate(blocks):
        current = sections[-1]
        if block.kind is Kind.COUNTER:
            title_next = True
            continue
        if caption_possible and _is_caption(block, current):
            left_out.append(block.text)
            caption_possible = False
            continue
        opens = index == 0 and (block.kind is Kind.HEADING
                                or (block.kind is Kind.PROSE and _headline_like(block.text)))
        starts = (title_next or opens or block.kind is Kind.HEADING
                  or (block.kind is Kind.NUMBERED and _numbered_title(blocks, index, current))
                  or (block.kind is Kind.PROSE and not strong and title_like(block.text)
                      and not caption_possible))
        if starts:
            sections.append(_Section(block.text, opens_article=opens,
                                     from_counter=title_next))
            title_next = False
            caption_possible = True
            continue
        caption_possible = False
        current.blocks.append(block)
    return [s for s in sections if s.title or s.blocks]


def _headline_like(text: str) -> bool:
    """An article's first line as its headline: short, not ending as a sentence does."""
    return 0 < len(text.split()) <= 16 and not re.search(r"[.!:;,]$", text)


def _is_caption(block: Block, section: _Section) -> bool:
    """A photo caption under a title: a title-like line naming the exercise again, or
    any title-like line right under a counter's title."""
    if block.kind is not Kind.PROSE or not title_like(block.text) or section.title is None:
        return False
    named = block.text.lower().startswith(exercise_name(section.title).lower())
    return section.from_counter or named


def _numbered_title(blocks: list[Block], index: int, current: _Section) -> bool:
    """A numbered line is an exercise's title ("1. Cat-cow") rather than a step when it
    is short and does not continue or start a run of numbered steps."""
    block = blocks[index]
    if not title_like(block.text) or index + 1 >= len(blocks):
        return False
    number = int(block.marker)
    following = blocks[index + 1]
    if following.kind is Kind.NUMBERED and int(following.marker) == number + 1:
        return False
    earlier = [b for b in current.blocks if b.kind is Kind.NUMBERED]
    return not (earlier and int(earlier[-1].marker) == number - 1)


def _exercise(section: _Section) -> ExerciseText:
    """The parts of one titled section."""
    reader = _SectionReader(ExerciseText(exercise_name(section.title or "")))
    for block in section.blocks:
        reader.read(block)
    return reader.finish()


class _SectionReader:
    """Sorts a section's blocks into intro, purpose, steps, modification and after,
    following the labels ("How to do it", "Modification") between them."""

    def __init__(self, exercise: ExerciseText) -> None:
        self.exercise = exercise
        self.mode = Label.STEPS
        self.steps_label_seen = False
        self.between: list[str] = []
        """Paragraphs after a step, waiting to see whether another step follows."""
        self.instructions: list[str] = []
        """Paragraphs under a steps label before any marked step."""

    def read(self, block: Block) -> None:
        if block.kind is Kind.LABEL:
            label = block.label or Label.OTHER
            if block.text:
                before, self.mode = self.mode, label
                self.paragraph(block.text)
                self.mode = before
                return
            self.exercise.after.extend(self.between)
            self.between.clear()
            self.mode = label
            self.steps_label_seen |= label is Label.STEPS
        elif block.is_item and self._is_step(block):
            self.mode = Label.STEPS
            steps = self.exercise.steps
            letter = steps[-1][0] if steps else ""
            steps.extend((letter, text) for text in self.between)
            self.between.clear()
            steps.append((block.marker if block.kind is not Kind.BULLET else "", block.text))
        else:
            self.paragraph(block.text)

    def _is_step(self, block: Block) -> bool:
        """Items are steps, except bullets under a purpose or tip label and any item
        under a modification label or a label to leave out."""
        if self.mode in (Label.STEPS,):
            return True
        if self.mode in (Label.PURPOSE, Label.TIP):
            return block.kind is not Kind.BULLET
        return False

    def paragraph(self, text: str) -> None:
        """A paragraph (or an item under a label) where the label before it puts it."""
        exercise = self.exercise
        if self.mode is Label.PURPOSE:
            exercise.purpose.append(text)
        elif self.mode is Label.MODIFICATION:
            exercise.modifications.append(text)
        elif self.mode is Label.TIP:
            exercise.after.append(text)
        elif self.mode is Label.STEPS:
            if exercise.steps:
                self.between.append(text)
            elif self.steps_label_seen:
                self.instructions.append(text)
            else:
                exercise.intro.append(text)

    def finish(self) -> ExerciseText:
        exercise = self.exercise
        exercise.after.extend(self.between)
        if exercise.steps:
            exercise.steps[:0] = [("", text) for text in self.instructions]
        else:
            _steps_from_paragraphs(exercise, self.instructions)
        return exercise


def _steps_from_paragraphs(exercise: ExerciseText, instructions: list[str]) -> None:
    """An exercise without marked steps: its instruction paragraphs (or, failing those,
    its intro after the first paragraph) become steps, a sentence each, when they give a
    hold, reps or a side switch in at least two sentences of instructions."""
    intro = exercise.intro
    if instructions:
        paragraphs = instructions
    elif len(intro) > 1 or exercise.purpose:
        paragraphs = intro[1:] if not exercise.purpose else intro
    else:
        paragraphs = intro
    said = [s for p in paragraphs for s in sentences(p)]
    # "This stretch opens the hips." before the instructions says what it is for, and
    # "If this is too intense, ..." among them is the easier variant: neither is a step
    lead = said[:1] if said and _DESCRIBES.match(said[0]) and not _ADDRESSES.search(said[0]) \
        else []
    easier = [s for s in said[len(lead):] if modification_in(s)]
    steps = [s for s in said[len(lead):] if s not in easier]
    if len(steps) < 2 or not any(find_hold(s) or find_reps(s) or is_switch(s) for s in steps):
        return
    exercise.steps = [("", s) for s in steps]
    exercise.intro = [*lead, *(p for p in intro if p not in paragraphs)]
    exercise.after = [*easier, *exercise.after]
    exercise.from_paragraphs = True
