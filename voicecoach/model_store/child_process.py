"""Child processes that do not outlive voicecoach (``mvn``, run by the Maven source)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes a child process get SIGKILL when this process dies.

    Uses Linux's ``prctl(PR_SET_PDEATHSIG)``, which survives ``exec`` (``mvn`` is a shell
    script that execs java), so even ``kill -9`` of voicecoach ends the child instead of
    leaving it running. The signal follows the *thread* that started the child, so call
    this from the thread that waits for it; and as with any ``preexec_fn``, only where no
    other threads run (the install runs in the command line's main thread). None where
    prctl is not available.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork, not after
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec
