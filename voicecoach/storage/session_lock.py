"""One session at a time saves a routine's progress: the one holding its lock.

The lock is ``flock(2)`` on a file kept open for the whole session (``progress-NAME.lock``
beside the progress file). The kernel lets it go when the process ends, however it ends
(``kill -9`` included), so no stale lock is ever left to clean. The file holds the pid of
the session that holds it, to name that session to another; the file itself stays (were
it removed, two sessions could each lock a file of the same name).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class SessionLock:
    """The lock at ``path``: :meth:`take` it, :meth:`release` it (or leave a ``with``).

    Locks are per open file, so two of these on one path exclude each other in one
    process as in two.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this one holds the lock."""
        return self._fd is not None

    def take(self) -> bool:
        """Take the lock unless another holds it; whether this one holds it now.

        Raises OSError (naming the lock file) when it cannot be made or locked at all: a
        folder that cannot be written, a file system without locks.
        """
        if self._fd is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise OSError(error.errno, error.strerror or str(error), str(self.path)) from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError as error:
            os.close(fd)
            raise OSError(error.errno, error.strerror or str(error), str(self.path)) from error
        self._fd = fd
        pid = f"{os.getpid()}\n".encode()
        try:  # written over the last holder's, then cut to length: never empty meanwhile
            os.pwrite(fd, pid, 0)
            os.ftruncate(fd, len(pid))
        except OSError:
            pass  # the lock holds all the same; only the pid shown to another is lost
        return True

    def holder(self) -> int | None:
        """The pid of the session that holds the lock, as it wrote it (None when it cannot
        be read: none written yet, or no file)."""
        try:
            first = self.path.read_bytes().split(b"\n", 1)[0]
        except OSError:
            return None
        return int(first) if first.isdigit() and int(first) > 0 else None

    def release(self) -> None:
        """Let the lock go (closing its file); nothing when this one does not hold it."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> SessionLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.release()


def held_elsewhere(path: Path) -> bool:
    """Whether another session holds the lock at ``path`` now (False when there is no lock
    to be had at all)."""
    probe = SessionLock(path)
    try:
        free = probe.take()
    except OSError:
        return False
    probe.release()
    return not free
