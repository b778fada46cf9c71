"""A process that cannot end by itself is ended: the last resort after a session.

The sound libraries can hang in their own shutdown: a sound server killed in the middle of
a line once left PortAudio waiting for frames for ever, after the session had said how it
ended. Python then never got back to run a signal handler, so Ctrl-C did nothing either.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading

logger = logging.getLogger(__name__)

STUCK_AFTER = 15.0
"""Seconds after the command returned by which the process must have ended (all it has
left to do is Python's own exit: the session's bounded waits are over by then)."""


def end_if_stuck(status: int, after: float = STUCK_AFTER) -> None:
    """From now on, a process still running ``after`` seconds later ends with ``status``
    (its output flushed; atexit handlers, where the hang is, skipped). A daemon timer: a
    process that ends in time is not held back by it."""

    def end() -> None:
        logger.error("still running %.0f s after the session ended: ending it", after)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status)

    timer = threading.Timer(after, end)
    timer.daemon = True
    timer.name = "voicecoach-exit-watchdog"
    timer.start()
