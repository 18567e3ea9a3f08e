"""The start-up integrity check of a SQLite collection file, with nothing but the sqlite3 module.

It needs no SQLAlchemy, so the app starts it first, on a worker thread, and loads everything else
while SQLite reads the file (SQLite releases the GIL while it reads).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from studyapp.errors import CollectionDamagedError, InvalidInputError


def check_sqlite_file(path: Path) -> list[str]:
    """`PRAGMA quick_check` of a SQLite file, opened read-only: the problems, [] when it is ok.

    The file is never written (no journal-mode change, no checkpoint), so a damaged collection
    stays exactly as it was.  A missing file is an error; a file SQLite cannot read as a database
    (corrupt, truncated, not a database) is reported as a problem.  An empty file is damaged too:
    SQLite would take it for a new, empty collection.
    """
    try:
        if path.stat().st_size == 0:
            return ["the file is empty"]
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path}: {error.strerror}") from error
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as check:
            return problems_of(row[0] for row in check.execute("PRAGMA quick_check"))
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return [str(error)]
        raise InvalidInputError(f"Cannot check the database {path}: {error}") from error


def problems_of(results: Iterable[object]) -> list[str]:
    """The problems in the rows of a `PRAGMA quick_check` ([] for its single "ok")."""
    found = [str(result) for result in results]
    return [] if found == ["ok"] else found


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite refused the file because it is damaged or not a database."""
    return error.sqlite_errorcode in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class IntegrityCheck:
    """`check_sqlite_file` of a collection on a worker thread, started on construction.

    `problems()` waits for it; a missing file has none (a new collection starts there).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._outcome: list[str] | BaseException = []
        self._thread = threading.Thread(target=self._run, name="start-up check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        _yield_to_other_threads()
        try:
            if self.path.exists():
                self._outcome = check_sqlite_file(self.path)
        except BaseException as error:  # handed to the caller of problems(), on its thread
            self._outcome = error

    def problems(self) -> list[str]:
        """The problems found ([]: sound or absent); the check's own error is raised here."""
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome

    def require_sound(self) -> None:
        """Wait for the check; raise CollectionDamagedError when the file is damaged.

        This is the write gate of `Database.hold_writes` while the GUI starts.
        """
        problems = self.problems()
        if problems:
            raise CollectionDamagedError(
                f"The collection {self.path} is damaged ({problems[0]}), so nothing was saved "
                "to it."
            )


def _yield_to_other_threads() -> None:
    """Lower this thread's CPU priority where the system allows it per thread (Linux), so the
    check takes only a core that start-up leaves idle."""
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except OSError:  # not permitted: the check runs at the normal priority
        return
