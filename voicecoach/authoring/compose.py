"""From an article's exercises to a routine draft: each step's spoken text, its hold or
reps, the side switch and {side}/{other} placeholders, the purpose and the easier
variant, with a note beside every guess."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from voicecoach.authoring.amounts import (
    Amount,
    find_hold,
    find_reps,
    only_holds,
    says_hold_without_length,
    without_hold,
    without_reps,
)
from voicecoach.authoring.article import ArticleText, ExerciseText
from voicecoach.authoring.cleanup import sentences, spoken, without_attribution
from voicecoach.authoring.draft import ExerciseDraft, RoutineDraft, StepDraft
from voicecoach.authoring.modification import modification_in, placeholder
from voicecoach.authoring.sides import (
    OPPOSITE,
    first_side,
    is_switch,
    named_sides,
    one_limb_phrase,
    split_switch,
    switch_words,
    unplaced_sides,
    with_placeholders,
)
from voicecoach.core.commands import command_word_note
from voicecoach.core.routine_rules import name_key

PURPOSE_CHARACTERS = 200
"""A purpose line keeps the article's first sentences up to about this length."""
USUAL_HOLD_SECONDS = 30
"""The routine's hold when the article never says how long."""
USUAL_REPS = 10
"""The routine's reps when the article never counts them."""
RANGE_GUESS = "the low end of the range"
DEFAULT_HOLD_NOTE = "guessed: hold for the routine's hold_seconds (the article gives no length)"
"""The note on a step that says to hold but not how long."""


@dataclass
class Composer:
    """Builds the draft; collects what it leaves out of the routine on the way."""

    left_out: list[str] = field(default_factory=list)

    def routine(self, article: ArticleText, source_name: str) -> RoutineDraft:
        """The whole routine draft."""
        general = " ".join(article.general)
        stated_hold = find_hold(general)
        stated_reps = find_reps(general)
        exercises = _own_names([self.exercise(e, stated_hold) for e in article.exercises])
        steps = [s for e in exercises for s in e.steps]
        hold, hold_notes = _default_hold(stated_hold, steps)
        reps = _default_reps(stated_reps, steps)
        stem = Path(source_name).stem
        title = article.title or stem.replace("-", " ").replace("_", " ").strip() or "Imported"
        return RoutineDraft(
            name=re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "imported",
            title=title,
            description=article.description
            or f"{len(exercises)} exercises imported from {Path(source_name).name}.",
            source=f"{title}, imported from {Path(source_name).name}",
            hold_seconds=hold,
            reps=reps,
            exercises=exercises,
            hold_notes=hold_notes,
        )

    def exercise(self, text: ExerciseText, stated_hold: Amount | None = None,
                 ) -> ExerciseDraft:
        """One exercise draft; ``stated_hold`` is what the article says of all holds."""
        marked = self._marked_steps(text)
        after = self._after_steps(text)
        if not any(s.hold or s.hold_is_default or s.reps for s in marked + after):
            marked = _with_an_amount(marked, text, stated_hold)
        sides, sides_notes, steps = _sides(_holds_joined(marked + after), text)
        easier, easier_from_article, easier_notes = _easier(text, steps)
        purpose, purpose_notes = _purpose(text)
        steps = [replace(s, notes=(*s.notes, *_competing(s.text, "the step"))) for s in steps]
        purpose_notes += _competing(purpose, "the purpose")
        easier_notes += _competing(easier, "the easier text")
        return ExerciseDraft(
            name=text.name, purpose=purpose, steps=tuple(steps), easier=easier,
            easier_from_article=easier_from_article, sides=sides, purpose_notes=purpose_notes,
            sides_notes=sides_notes, easier_notes=easier_notes)

    def _marked_steps(self, text: ExerciseText) -> list[StepDraft]:
        """The article's steps (lettered, numbered, bulleted, or sentences of paragraphs)."""
        steps: list[StepDraft] = []
        for letter, raw in text.steps:
            steps.extend(_step_and_switch(letter, spoken(raw)))
        if text.from_paragraphs and steps:
            note = "review: steps read a sentence each from the paragraphs (the article " \
                   "marks no steps)"
            steps[0] = replace(steps[0], notes=(note, *steps[0].notes))
        return steps

    def _after_steps(self, text: ExerciseText) -> list[StepDraft]:
        """The paragraphs after the steps (and tips) that instruct or switch sides."""
        steps: list[StepDraft] = []
        for raw in text.after:
            words = spoken(raw)
            if not words or modification_in(words):
                continue
            if is_switch(words):
                steps.append(StepDraft("", switch_words(words), switch=True))
            elif find_hold(words) or find_reps(words) or re.search(r"\byour?\b", words, re.I):
                steps.append(_amounted(StepDraft("", words, notes=(
                    "review: a paragraph after the steps, kept as a step",))))
            else:
                self.left_out.append(raw)
        return steps


def _step_and_switch(letter: str, words: str) -> list[StepDraft]:
    """One article step: itself, or a side switch, or both when it ends by switching."""
    if not words:
        return []
    parts = sentences(words)
    head, switch = split_switch(parts[-1])
    if switch is None and is_switch(words):
        return [StepDraft(letter, switch_words(words), switch=True)]
    if switch is None and len(parts) > 1 and is_switch(parts[-1]):
        head, switch = "", parts[-1]
    if switch is None:
        return [_amounted(StepDraft(letter, words))]
    instruction = " ".join([*parts[:-1], head]).strip()
    return [_amounted(StepDraft(letter, instruction)),
            StepDraft(letter, switch_words(switch), switch=True)]


def _amounted(step: StepDraft) -> StepDraft:
    """The step with the hold or reps its words give, and notes on any guess."""
    if step.switch:
        return step
    hold, reps = find_hold(step.text), find_reps(step.text)
    notes = list(step.notes)
    if reps is not None:
        if hold is not None:
            notes.append(f'review: the article gives both a hold ("{hold.phrase}") and reps '
                         f'("{reps.phrase}"); the reps are counted')
        notes.extend(_guess_note("reps", reps))
        return replace(step, text=without_reps(step.text, reps), reps=int(reps.value),
                       notes=tuple(notes))
    if hold is not None:
        notes.extend(_guess_note("hold", hold))
        return replace(step, text=without_hold(step.text, hold), hold=hold.value,
                       notes=tuple(notes))
    last = sentences(step.text)[-1] if step.text else ""
    if says_hold_without_length(last):
        notes.append(DEFAULT_HOLD_NOTE)
        return replace(step, hold_is_default=True, notes=tuple(notes))
    return step


def _holds_joined(steps: list[StepDraft]) -> list[StepDraft]:
    """The steps with each that says only to hold ("3. Hold for 30 seconds.") joined to
    the instruction before it, as that one's hold: read on its own, "Hold." would come
    right before the narrator's "Hold for thirty seconds."."""
    joined: list[StepDraft] = []
    for step in steps:
        before = joined[-1] if joined else None
        if before is not None and _holds_for(step, before):
            joined[-1] = _with_hold_of(before, step)
        elif (step.hold is not None or step.hold_is_default) and only_holds(step.text):
            joined.append(replace(step, notes=(*step.notes, ONLY_HOLDS_NOTE)))
        else:
            joined.append(step)
    return joined


ONLY_HOLDS_NOTE = ("review: the step says only to hold, and the narrator's \"Hold for …\" "
                   "comes right after it: join it to a step or give it words of its own")
"""On a step that says only to hold and has no instruction before it to join (one with
reps or its own hold, or the side switch)."""


def _holds_for(step: StepDraft, before: StepDraft) -> bool:
    """Whether ``step`` only holds ``before``: it says nothing else, and ``before`` is an
    instruction with no length of hold or count of reps of its own."""
    return ((step.hold is not None or step.hold_is_default) and only_holds(step.text)
            and not (before.switch or before.hold or before.reps))


def _with_hold_of(before: StepDraft, step: StepDraft) -> StepDraft:
    """``before`` holding as ``step`` says, noted: the article gives it as a step."""
    what = f"step {step.letter}" if step.letter else "the article's next step"
    length = f"{step.hold:g} s" if step.hold else "the routine's hold_seconds"
    note = f"guessed: holds for {length}, from {what}, which says only to hold"
    notes = [n for n in (*before.notes, *step.notes) if n != DEFAULT_HOLD_NOTE]
    return replace(before, hold=step.hold, hold_is_default=step.hold_is_default,
                   notes=(*notes, note))


def _guess_note(kind: str, amount: Amount) -> list[str]:
    """``guessed: hold 60 s from "one to two minutes"``, or nothing for an exact amount."""
    if not amount.guess:
        return []
    value = f"hold {amount.value:g} s" if kind == "hold" else f"{amount.value:g} reps"
    return [f'guessed: {value} from "{amount.phrase}"' + _why_guessed(amount)]


def _why_guessed(amount: Amount) -> str:
    """`` (why)`` for a guessed amount, beyond taking a range's low end; or nothing."""
    reason = amount.guess.replace(RANGE_GUESS, "").strip(", ")
    return f" ({reason})" if reason else ""


def _with_an_amount(steps: list[StepDraft], text: ExerciseText,
                    stated_hold: Amount | None) -> list[StepDraft]:
    """Steps that give no hold or reps get one on the last: what the exercise's
    introduction says, else the routine's hold."""
    instructions = [i for i, s in enumerate(steps) if not s.switch]
    if not instructions:
        return steps
    last = instructions[-1]
    said = " ".join([*text.intro, *text.purpose])
    reps, hold = find_reps(said), find_hold(said)
    step = steps[last]
    if reps is not None:
        note = f'guessed: {reps.value:g} reps on the last step, from "{reps.phrase}" in the ' \
               "exercise's introduction"
        step = replace(step, reps=int(reps.value), notes=(*step.notes, note))
    elif hold is not None:
        note = f'guessed: hold {hold.value:g} s on the last step, from "{hold.phrase}" in ' \
               "the exercise's introduction"
        step = replace(step, hold=hold.value, notes=(*step.notes, note))
    else:
        said_of_all = f'"{stated_hold.phrase}" in the introduction' if stated_hold else \
            "the article gives no hold or reps for this exercise"
        note = f"guessed: the last step holds for the routine's hold_seconds ({said_of_all})"
        step = replace(step, hold_is_default=True, notes=(*step.notes, note))
    return [*steps[:last], step, *steps[last + 1:]]


def _sides(steps: list[StepDraft], text: ExerciseText,
           ) -> tuple[tuple[str, ...], tuple[str, ...], list[StepDraft]]:
    """The exercise's sides, notes on a guess, and its steps with placeholders."""
    instructions = [s.text for s in steps if not s.switch]
    first = first_side(instructions)
    switches = any(s.switch for s in steps)
    limb = next(filter(None, (one_limb_phrase(t) for t in
                              [*instructions, *text.intro, *text.purpose])), None)
    if first is None and not switches and limb is None:
        return (), (), steps
    first = first or "right"
    notes: tuple[str, ...] = ()
    if not switches:
        named = named_sides(" ".join(instructions))
        said = f'"{limb}"' if limb else "the " + " and ".join(named) + " it names"
        notes = (f"guessed: sides {first}, {OPPOSITE[first]} from {said}; between them the "
                 'narrator says "Switch sides."',)
    placed = [s if s.switch else _placed(s, first) for s in steps]
    switch_at = [i for i, s in enumerate(placed) if s.switch]
    if len(switch_at) > 1:  # a routine switches sides once: keep the first, say so
        placed = [s for i, s in enumerate(placed) if i not in switch_at[1:]]
        notes = (*notes, f"review: the article switches sides {len(switch_at)} times; "
                         "kept the first switch only")
    return (first, OPPOSITE[first]), notes, placed


def _placed(step: StepDraft, first: str) -> StepDraft:
    """A step of a sided exercise with {side}/{other}, and a note on each "right" or
    "left" still in it, which the narrator would say the same on both sides."""
    text = with_placeholders(step.text, first)
    notes = tuple(f'review: "{words}" is said the same on both sides; if it names a side, '
                  "write {side} or {other} there" for words in unplaced_sides(text))
    return replace(step, text=text, notes=(*step.notes, *notes))


def _easier(text: ExerciseText, steps: list[StepDraft]) -> tuple[str, bool, tuple[str, ...]]:
    """The easier variant: the article's, else a conventional placeholder to review."""
    for labelled in text.modifications:
        words = spoken(labelled)
        if words:
            return modification_in(words) or words, True, ()
    passages = [s.text for s in steps if not s.switch] + [spoken(p) for p in text.after]
    passages += [spoken(p) for p in text.intro]
    for passage in passages:
        found = modification_in(passage)
        if found:
            return _without_placeholders(found), True, ()
    moving = any(s.reps for s in steps)
    return placeholder(moving), False, (
        'review: the article gives no modification; this "easier" is a conventional '
        "placeholder",)


def _competing(text: str, what: str) -> tuple[str, ...]:
    """A note when a line (``what``) says a command: said as the narrator reads it, a
    person's "pause" or "repeat" could be taken for the narrator's."""
    found = command_word_note(text)
    return () if found is None else (f"review: {what} {found}",)


def _without_placeholders(text: str) -> str:
    """A summary is said as written: placeholders back to plain words."""
    return text.replace("your {side}", "one").replace("your {other}", "the other") \
        .replace("{side}", "one").replace("{other}", "the other")


def _purpose(text: ExerciseText) -> tuple[str, tuple[str, ...]]:
    """The purpose line: the article's first sentences about the exercise."""
    for paragraph in [*text.purpose, *text.intro]:
        said = sentences(spoken(without_attribution(paragraph)))
        kept: list[str] = []
        for sentence in said:
            if kept and len(" ".join([*kept, sentence])) > PURPOSE_CHARACTERS:
                break
            kept.append(sentence)
        if kept:
            return " ".join(kept), ()
    return "Follow along with each step.", (
        "review: the article gives no purpose line; this one is a placeholder",)


def _default_hold(stated: Amount | None, steps: list[StepDraft],
                  ) -> tuple[float, tuple[str, ...]]:
    """The routine's hold: what the introduction says, else the most common hold; either
    with a note saying where it comes from."""
    if stated is not None:
        return stated.value, (f'guessed: {stated.value:g} s from "{stated.phrase}" in the '
                              "article's introduction" + _why_guessed(stated),)
    holds = Counter(s.hold for s in steps if s.hold)
    if holds:
        common = holds.most_common(1)[0][0]
        return common, (f"guessed: {common:g} s, the hold the article gives most often (it "
                        "gives none for the whole routine)",)
    used = any(s.hold_is_default for s in steps)
    notes = (f"guessed: {USUAL_HOLD_SECONDS} s, a usual hold (the article gives no "
             "length)",) if used else ()
    return USUAL_HOLD_SECONDS, notes


def _default_reps(stated: Amount | None, steps: list[StepDraft]) -> int:
    """The routine's reps: what the introduction says, else the most common count."""
    if stated is not None:
        return int(stated.value)
    counts = Counter(s.reps for s in steps if s.reps)
    return counts.most_common(1)[0][0] if counts else USUAL_REPS


def _own_names(exercises: list[ExerciseDraft]) -> tuple[ExerciseDraft, ...]:
    """Each exercise with its own name, as a routine file needs: a name an earlier exercise
    has gets the first free number ("Neck tilt 2"), and a note saying so."""
    taken = {name_key(e.name) for e in exercises}
    seen: set[str] = set()
    named: list[ExerciseDraft] = []
    for exercise in exercises:
        name = exercise.name
        if name_key(name) in seen:
            number = 2
            while name_key(f"{exercise.name} {number}") in taken:
                number += 1
            name = f"{exercise.name} {number}"
            taken.add(name_key(name))
            note = (f'guessed: named "{name}": the article has another exercise named '
                    f'"{exercise.name}"')
            exercise = replace(exercise, name=name, name_notes=(note,))
        seen.add(name_key(name))
        named.append(exercise)
    return tuple(named)
