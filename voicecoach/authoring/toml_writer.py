"""A routine draft written as routine TOML, laid out like the built-in routine, each
guess in a comment above the field it concerns."""

from __future__ import annotations

from voicecoach.authoring.draft import ExerciseDraft, RoutineDraft, StepDraft

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    escaped = "".join(_ESCAPES.get(c, c if c >= " " and c != "\x7f" else f"\\u{ord(c):04x}")
                      for c in text)
    return f'"{escaped}"'


def toml_number(value: float) -> str:
    """A whole number without its ".0"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _comments(notes: tuple[str, ...]) -> list[str]:
    return [f"# {' '.join(note.split())}" for note in notes]


def write_routine(draft: RoutineDraft, source_name: str) -> str:
    """The routine file's text."""
    lines = [
        f"# voicecoach routine imported from {' '.join(source_name.split())} by "
        "`voicecoach import`.",
        '# Lines marked "guessed:" or "review:" are the importer\'s choices: check them '
        "against",
        "# the article, then run `voicecoach check` on this file.",
        "",
        "format = 1",
        f"name = {toml_string(draft.name)}",
        f"title = {toml_string(draft.title)}",
        f"description = {toml_string(draft.description)}",
        f"source = {toml_string(draft.source)}",
        *_comments(draft.hold_notes),
        f"hold_seconds = {toml_number(draft.hold_seconds)}",
        f"reps = {draft.reps}",
        f"rep_seconds = {toml_number(draft.rep_seconds)}",
        f"rest_seconds = {toml_number(draft.rest_seconds)}",
    ]
    for exercise in draft.exercises:
        lines += ["", *_exercise_lines(exercise, draft)]
    return "\n".join(lines) + "\n"


def _exercise_lines(exercise: ExerciseDraft, draft: RoutineDraft) -> list[str]:
    lines = [
        "[[exercises]]",
        *_comments(exercise.name_notes),
        f"name = {toml_string(exercise.name)}",
        *_comments(exercise.purpose_notes),
        f"purpose = {toml_string(exercise.purpose)}",
    ]
    if exercise.sides:
        sides = ", ".join(toml_string(side) for side in exercise.sides)
        lines += [*_comments(exercise.sides_notes), f"sides = [{sides}]"]
    lines += [
        "",
        "[exercises.easier]",
        *_comments(exercise.easier_notes),
        f"summary = {toml_string(exercise.easier)}",
        f"from_article = {'true' if exercise.easier_from_article else 'false'}",
    ]
    for step in exercise.steps:
        lines += ["", *_step_lines(step, draft)]
    return lines


def _step_lines(step: StepDraft, draft: RoutineDraft) -> list[str]:
    lines = ["[[exercises.steps]]", *_comments(step.notes)]
    if step.letter:
        lines.append(f"letter = {toml_string(step.letter)}")
    lines.append(f"text = {toml_string(step.text)}")
    if step.switch:
        lines.append("switch = true")
    elif step.hold_is_default or (step.hold is not None and step.hold == draft.hold_seconds):
        lines.append("hold = true")
    elif step.hold is not None:
        lines.append(f"hold = {toml_number(step.hold)}")
    elif step.reps is not None:
        lines.append("reps = true" if step.reps == draft.reps else f"reps = {step.reps}")
    return lines
