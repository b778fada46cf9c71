"""Routines: frozen data, what a session runs.

Read from TOML with precise errors by :mod:`voicecoach.core.routine_toml`; files on disk
and the built-in routines by :mod:`voicecoach.storage.routine_files`.
"""

from __future__ import annotations

from dataclasses import dataclass

OPPOSITE_SIDE = {"right": "left", "left": "right"}


@dataclass(frozen=True)
class Step:
    """One instruction of an exercise, perhaps followed by a hold or a set of reps."""

    letter: str
    """The article's letter for the step, or "" for steps of our own."""
    text: str
    """What the narrator says; may use {side} and {other}."""
    easier: str | None = None
    """What to say instead on the easier modification (None: the same text)."""
    hold_seconds: float | None = None
    """Hold this long after reading the step (None: no hold)."""
    reps: int | None = None
    """Count this many reps after reading the step (None: no reps)."""
    from_article: bool = True
    """True when ``text`` comes from the source article."""
    easier_from_article: bool = False
    """True when ``easier`` comes from the source article."""

    def spoken(self, *, easier: bool, side: str | None) -> str:
        """The text to say for this step, on the chosen variant and side."""
        template = self.easier if easier and self.easier else self.text
        return fill_sides(template, side)


@dataclass(frozen=True)
class Modification:
    """An exercise's easier variant, announced when the person says "easier"."""

    summary: str
    """What changes, said when switching to it."""
    from_article: bool
    """True when the modification comes from the source article."""


@dataclass(frozen=True)
class Exercise:
    """A stretch: its steps, run once per side."""

    name: str
    """Shown and spoken, e.g. "Hip 90/90 Stretch"."""
    purpose: str
    """One line said when the exercise starts."""
    steps: tuple[Step, ...]
    """The steps, in order, for each side."""
    easier: Modification
    """The easier modification."""
    sides: tuple[str, ...] = ()
    """Sides in order, e.g. ("right", "left"); empty for a symmetric exercise."""
    switch_text: str = "Switch sides."
    """Said between sides."""
    switch_letter: str = ""
    """The article's letter for the side switch, if it has one."""

    def read_aloud(self) -> list[tuple[str, str]]:
        """Every text of the exercise the narrator reads, with where it is ("step 2",
        "the purpose"), sides filled in as the first side."""
        side = self.sides[0] if self.sides else None
        texts = [("the purpose", self.purpose), ("the easier version", self.easier.summary)]
        if self.sides:
            texts.append(("the side switch", self.switch_text))
        for number, step in enumerate(self.steps, start=1):
            texts.append((f"step {number}", step.spoken(easier=False, side=side)))
            if step.easier:
                texts.append((f"step {number}, easier", step.spoken(easier=True, side=side)))
        return texts


@dataclass(frozen=True)
class Routine:
    """A whole session's content."""

    name: str
    """Short id, e.g. "back-pain"."""
    title: str
    """Human title."""
    description: str
    """One line about it."""
    exercises: tuple[Exercise, ...]
    """The exercises, in order."""
    rest_seconds: float = 15.0
    """Rest between exercises."""
    rep_seconds: float = 3.0
    """Tempo: seconds per rep."""
    source: str = ""
    """Where the content comes from."""
    path: str = ""
    """The file it was loaded from."""


def fill_sides(template: str, side: str | None) -> str:
    """Replace {side}/{other} in ``template``."""
    if side is None:
        return template
    return template.replace("{side}", side).replace("{other}", OPPOSITE_SIDE.get(side, "other"))
