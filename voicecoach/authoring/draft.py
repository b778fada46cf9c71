"""An imported routine before it is written: the routine file's fields, and beside each
field the notes on what was guessed ("guessed: ...") or needs a look ("review: ...")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepDraft:
    """One step of an imported exercise."""

    letter: str
    text: str
    hold: float | None = None
    """Seconds to hold after the step; None for no hold."""
    hold_is_default: bool = False
    """The article says to hold but not how long: the routine's hold is used."""
    reps: int | None = None
    """Reps to count after the step; None for none."""
    switch: bool = False
    """The side switch ("Repeat on the opposite leg")."""
    notes: tuple[str, ...] = ()
    """Guesses and points to review about this step."""


@dataclass(frozen=True)
class ExerciseDraft:
    """One imported exercise."""

    name: str
    purpose: str
    steps: tuple[StepDraft, ...]
    easier: str
    easier_from_article: bool
    sides: tuple[str, ...] = ()
    name_notes: tuple[str, ...] = ()
    purpose_notes: tuple[str, ...] = ()
    sides_notes: tuple[str, ...] = ()
    easier_notes: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        """Every note on the exercise and its steps, in file order."""
        labels = self.step_labels()
        step_notes = tuple(f"{label}: {note}" for step, label in zip(self.steps, labels,
                                                                      strict=True)
                           for note in step.notes)
        return (self.name_notes + self.purpose_notes + self.sides_notes + self.easier_notes
                + step_notes)

    def step_labels(self) -> tuple[str, ...]:
        """What the report calls each step: "step 2" by its letter, else by its place
        among the steps (as they are counted, without the switch); "side switch" for the
        switch, which is no step of the count ("2 steps (1 2)") whatever its letter."""
        labels: list[str] = []
        place = 0
        for step in self.steps:
            place += not step.switch
            labels.append("side switch" if step.switch else f"step {step.letter or place}")
        return tuple(labels)


@dataclass(frozen=True)
class RoutineDraft:
    """A whole imported routine."""

    name: str
    title: str
    description: str
    source: str
    hold_seconds: float
    reps: int
    exercises: tuple[ExerciseDraft, ...]
    hold_notes: tuple[str, ...] = ()
    rep_seconds: float = 3.0
    rest_seconds: float = 15.0
