"""The exit statuses of ``voicecoach``, one name for each number the shell sees."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """What the process tells its caller when it ends."""

    OK = 0
    """Done as asked, or stopped quietly as the reader of the output stopped reading
    (``voicecoach history | head -1``)."""
    ERROR = 1
    """Something needed is missing or failed: no speech model, or a broken one."""
    BAD_INPUT = 2
    """The command line, a routine, a voice or a path given was wrong (argparse uses 2 too)."""
    HUNG_UP = 129
    """The terminal closed mid-session (128 + SIGHUP): the session ended as a quit does."""
    INTERRUPTED = 130
    """Ctrl-C (128 + SIGINT, as shells report it)."""
    TERMINATED = 143
    """``kill`` (128 + SIGTERM): the session ended as a quit does."""


class UsageError(ValueError):
    """The command asked for something it must not do (e.g. write over an input); the
    message is one line for people. Exit status :attr:`ExitStatus.BAD_INPUT`."""
