"""One process at a time on a SQLite collection: an exclusive lock on a file beside it.

The operating system holds the lock for the open file, so it ends with the process however the
process ends (a crash or SIGKILL included): there is never a stale lock to clean up.  POSIX uses
`fcntl.flock`, Windows `msvcrt.locking` on the file's first byte.  PostgreSQL collections are
shared by design and take no lock.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from studyapp.errors import CollectionInUseError, StudyAppError

IN_USE_MESSAGE = "StudyApp is already open with this collection."


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock on `fd` without waiting; False if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class CollectionLock:
    """`with CollectionLock(path):` holds the lock or raises CollectionInUseError at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StudyAppError(
                f"Cannot create the lock file {self.path}: {error.strerror}"
            ) from error
        if not _try_lock(fd):
            os.close(fd)
            raise CollectionInUseError(
                f"{IN_USE_MESSAGE} Close the other StudyApp window (or wait for the other "
                f"studyapp command to finish) and try again. Lock file: {self.path}"
            )
        self._fd = fd

    def release(self) -> None:
        """Closing the file ends the lock; the (empty) lock file itself stays."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> CollectionLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
