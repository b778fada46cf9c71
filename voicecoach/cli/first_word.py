"""What the first word of ``voicecoach``'s command line means: a subcommand, an option of
``run``'s or a routine (both run it), or neither, said with what it likely stands for."""

from __future__ import annotations

import difflib
import os
import shlex

from voicecoach.storage.routine_files import builtin_names

TOP_OPTIONS = ("-h", "--help", "--version")
"""The options of ``voicecoach`` itself; any other option is ``run``'s."""


def with_command(args: list[str], commands: tuple[str, ...]) -> list[str]:
    """``args`` with the subcommand (one of ``commands``) in front: ``run`` when none is
    given, when an option of ``run`` comes first (``voicecoach --mute``) and when a routine
    does (``voicecoach neck.toml``)."""
    if not args:
        return ["run"]
    first = args[0]
    if first in (*commands, *TOP_OPTIONS):
        return args
    if first.startswith("-") or _names_a_routine(first):
        return ["run", *args]
    return args


def _names_a_routine(word: str) -> bool:
    """Whether ``word`` is a built-in routine's name or a routine file's: a ``.toml`` file,
    there or not (``run`` says when it is not), or any file there but an article's."""
    if word in builtin_names() or word.lower().endswith(".toml"):
        return True
    return os.path.isfile(word) and not word.lower().endswith(ARTICLE_SUFFIXES)


def unknown_command(word: str, commands: tuple[str, ...]) -> str:
    """The error for a first argument that is neither a subcommand nor a routine, with
    what it likely stands for last."""
    choices = ", ".join(commands)
    return (f"argument COMMAND: invalid choice: {word!r} (choose from {choices}; or name "
            f"a routine to run: a built-in routine or a routine file){_meant(word, commands)}")


ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
"""What an article saved for ``import`` is usually called."""

SUBCOMMAND_LIKENESS = 0.75
"""How alike a word and a subcommand must be to suggest it (difflib's ratio): "runn" is
"run", "neck" is not "check"."""


def _meant(word: str, commands: tuple[str, ...]) -> str:
    """"; did you mean 'neck.toml'?" for a routine file named without its .toml; how to
    import an article; a near-miss of a built-in routine or of a subcommand; else ""."""
    if os.path.isfile(f"{word}.toml"):
        return f"; did you mean {word + '.toml'!r}?"
    if word.lower().endswith(ARTICLE_SUFFIXES) and os.path.isfile(word):
        return f"; to make a routine of an article: voicecoach import {shlex.quote(word)}"
    routine = difflib.get_close_matches(word, builtin_names(), n=1)
    if routine:
        return f"; did you mean {routine[0]!r}, the built-in routine?"
    command = difflib.get_close_matches(word, commands, n=1, cutoff=SUBCOMMAND_LIKENESS)
    return f"; did you mean {command[0]!r}?" if command else ""
