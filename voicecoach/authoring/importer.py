"""``import_article``: an article's text in, routine TOML and a report out."""

from __future__ import annotations

from dataclasses import dataclass

from voicecoach.authoring.article import read_article
from voicecoach.authoring.compose import Composer
from voicecoach.authoring.draft import ExerciseDraft
from voicecoach.authoring.toml_writer import write_routine
from voicecoach.core.routine_toml import parse_routine
from voicecoach.core.words import counted


class NoExercisesError(ValueError):
    """The article has no exercises that can be read; ``str()`` is one line."""

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        super().__init__(
            f"{source_name}: no exercises found (looked for headings or numbered titles "
            "followed by lettered, numbered or bulleted steps, or paragraphs giving a hold "
            "or reps)")


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_article` made of an article."""

    toml: str
    """The routine file's text; :func:`voicecoach.core.routine_toml.parse_routine` accepts it."""
    name: str
    """The routine's short name."""
    title: str
    """The routine's title (the article's headline when it has one)."""
    found: tuple[str, ...]
    """One line per exercise: its steps, sides, holds, reps and easier variant."""
    undecided: tuple[str, ...]
    """One line per guess or point to review, as marked in the file's comments."""
    left_out: tuple[str, ...]
    """Asides not read as instructions (captions, "RELATED:", ads, bios)."""

    def report(self) -> str:
        """The terminal report: what was found, what was guessed, what was left out."""
        lines = [f"Imported {counted(len(self.found), 'exercise')} into routine {self.name!r} "
                 f"({self.title}):"]
        lines += [f"  {line}" for line in self.found]
        if self.undecided:
            lines.append(f"To review ({len(self.undecided)}, marked in the file):")
            lines += [f"  {line}" for line in self.undecided]
        if self.left_out:
            lines.append(f"Left out as not instructions ({len(self.left_out)}):")
            lines += [f"  {_short(line)}" for line in self.left_out]
        return "\n".join(lines)


def import_article(text: str, source_name: str) -> ImportResult:
    """Turn a stretching article (plain text or Markdown) into routine TOML.

    ``source_name`` names the article in the file and in messages (e.g. its file name).
    Raises :class:`NoExercisesError` when no exercise can be read.
    """
    article = read_article(text)
    if not article.exercises:
        raise NoExercisesError(source_name)
    composer = Composer()
    draft = composer.routine(article, source_name)
    toml = write_routine(draft, source_name)
    parse_routine(toml, f"{source_name} (imported)")
    undecided = [f"routine: {note}" for note in draft.hold_notes]
    undecided += [f"{e.name}: {note}" for e in draft.exercises for note in e.notes]
    return ImportResult(
        toml=toml,
        name=draft.name,
        title=draft.title,
        found=tuple(_found(e) for e in draft.exercises),
        undecided=tuple(undecided),
        left_out=(*article.left_out, *composer.left_out),
    )


def _found(exercise: ExerciseDraft) -> str:
    """One line on an exercise: "Hip 90/90 Stretch: 6 steps (A A B C D E), ..."."""
    steps = [s for s in exercise.steps if not s.switch]
    letters = " ".join(s.letter for s in steps if s.letter)
    parts = [counted(len(steps), "step") + (f" ({letters})" if letters else "")]
    if exercise.sides:
        switch = next((s for s in exercise.steps if s.switch), None)
        how = f'switch "{switch.text}"' if switch else "switch guessed"
        parts.append(f"sides {' then '.join(exercise.sides)} ({how})")
    holds = [f"{s.hold:g} s" for s in steps if s.hold]
    holds += ["routine's hold" for s in steps if s.hold_is_default]
    if holds:
        parts.append("holds " + ", ".join(holds))
    reps = [str(s.reps) for s in steps if s.reps]
    if reps:
        parts.append("reps " + ", ".join(reps))
    parts.append("easier from the article" if exercise.easier_from_article
                 else "easier: placeholder")
    return f"{exercise.name}: " + "; ".join(parts)


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."
