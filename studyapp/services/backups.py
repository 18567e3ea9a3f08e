"""Automatic backups of a SQLite collection, restoring one, and the start-up integrity check.

A backup is one self-contained SQLite file in the backups folder, made with SQLite's online backup
API (consistent even while the app writes), named after the UTC time it was made:
`backup-20260310-100000Z-close.sqlite3`.  The newest `keep` backups are kept.

Nothing here ever overwrites a collection file: restoring and the start-up check first move the
current file (with its `-wal` and `-shm` companions) aside, next to it, as
`collection.sqlite3.replaced-<time>` or `collection.sqlite3.damaged-<time>`.
PostgreSQL collections are backed up with pg_dump instead (see the README).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from studyapp.domain.clock import Clock
from studyapp.errors import InvalidInputError, NotFoundError, StudyAppError
from studyapp.storage.database import PG_DUMP_HINT
from studyapp.storage.integrity import check_sqlite_file

if TYPE_CHECKING:
    from studyapp.storage.database import Database

log = logging.getLogger(__name__)

KEEP = 30
EVERY_HOURS = 6

_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^backup-(?P<stamp>\d{8}-\d{6})Z(?:-(?P<serial>\d+))?(?:-(?P<reason>[a-z][a-z0-9-]*))?"
    r"\.sqlite3$"
)
_REASON = re.compile(r"^[a-z][a-z0-9-]*$")
_COMPANIONS = ("-wal", "-shm", "-journal")
"""SQLite's files beside a database; they belong to it and move with it."""
_STALE_PARTIAL = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    created_at: datetime
    """When it was made, in UTC (from its file name)."""
    size: int
    """In bytes."""
    reason: str = ""
    """Why it was made: close, periodic, manual, ..."""

    @property
    def name(self) -> str:
        return self.path.name


Backups: TypeAlias = list[Backup]
"""(`BackupService.list` hides the builtin inside the class.)"""
Problems: TypeAlias = list[str]
Paths: TypeAlias = list[Path]


@dataclass(frozen=True, slots=True)
class Damage:
    """What the start-up check found in a damaged collection file."""

    problems: tuple[str, ...]
    newest_good: Backup | None
    """The newest backup that passes the integrity check, if any."""


class BackupService:
    """Backups of one collection into `backups_dir` (created when the first backup is made)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        backups_dir: Path,
        keep: int = KEEP,
        every_hours: float = EVERY_HOURS,
    ) -> None:
        if keep < 1:
            raise ValueError("keep at least one backup")
        self._database = database
        self._clock = clock
        self.backups_dir = backups_dir
        self.keep = keep
        self.every = timedelta(hours=every_hours)
        self._writing = threading.Lock()  # one backup at a time (the GUI timer and the close)

    @property
    def available(self) -> bool:
        """Backups work for SQLite collection files; PostgreSQL uses pg_dump."""
        return self._database.sqlite_file is not None

    @property
    def database_file(self) -> Path | None:
        return self._database.sqlite_file

    def collection_file(self) -> Path:
        """The SQLite collection file; a clear error (use pg_dump) for PostgreSQL."""
        self._require_sqlite()
        assert self._database.sqlite_file is not None
        return self._database.sqlite_file

    # Making and listing backups.

    def create(self, reason: str = "manual") -> Backup:
        """Back the collection up now, then prune to the newest `keep` backups."""
        self._require_sqlite()
        if not _REASON.match(reason):
            raise ValueError(f"a backup reason is lowercase letters and hyphens: {reason!r}")
        with self._writing:
            try:
                self.backups_dir.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StudyAppError(
                    f"Cannot create the backups folder {self.backups_dir}: {error.strerror}"
                ) from error
            now = self._clock.now().astimezone(UTC).replace(microsecond=0)
            path = self._free_name(now, reason)
            self._database.backup_to(path)
            self.prune()
        backup = _parse(path)
        assert backup is not None
        log.info("Backup made (%s): %s, %d bytes", reason, path, backup.size)
        return backup

    def list(self) -> Backups:
        """The backups, newest first."""
        self._require_sqlite()
        if not self.backups_dir.is_dir():
            return []
        found = [b for b in map(_parse, self.backups_dir.iterdir()) if b is not None]
        return sorted(found, key=_order, reverse=True)

    def prune(self) -> Paths:
        """Delete all but the newest `keep` backups (and stale unfinished ones); the deleted."""
        removed: Paths = []
        for backup in self.list()[self.keep :]:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
        cutoff = (self._clock.now() - _STALE_PARTIAL).timestamp()
        for partial in self.backups_dir.glob("backup-*.partial"):
            if partial.stat().st_mtime < cutoff:
                partial.unlink(missing_ok=True)
                removed.append(partial)
        return removed

    def due(self) -> bool:
        """True when no backup was made in the last `every_hours` (never for PostgreSQL)."""
        if not self.available:
            return False
        backups = self.list()
        return not backups or self._clock.now() - backups[0].created_at >= self.every

    def newest(self) -> Backup:
        backups = self.list()
        if not backups:
            raise NotFoundError(f"There are no backups in {self.backups_dir}.")
        return backups[0]

    def check(self, path: Path) -> Problems:
        """The integrity problems of a SQLite file (a backup or a collection); [] when it is ok."""
        return check_sqlite_file(path)

    def newest_good(self) -> Backup | None:
        """The newest backup that passes the integrity check."""
        for backup in self.list():
            problems = self.check(backup.path)
            if not problems:
                return backup
            log.warning("Backup %s is damaged: %s", backup.path, "; ".join(problems))
        return None

    # Start-up check and restoring.

    def damage(self, database_file: Path, problems: Problems) -> Damage | None:
        """What the start-up check (storage.integrity) found in the collection file (None:
        nothing), with the newest good backup.  Nothing is moved or written: the caller decides,
        and then calls `restore(..., set_aside_as="damaged")` or `set_aside_damaged`."""
        if not problems:
            return None
        log.info("The collection %s is damaged: %s", database_file, "; ".join(problems))
        return Damage(tuple(problems), self.newest_good())

    def set_aside_damaged(self, database_file: Path) -> Path:
        """Move a damaged collection aside as `<name>.damaged-<time>` (a new one starts empty)."""
        return self._set_aside(database_file, "damaged")

    def restore(
        self, backup: Path, database_file: Path, set_aside_as: str = "replaced"
    ) -> Path | None:
        """Put the backup in place of the collection file; the collection must be closed.

        The backup is copied and checked first; then the current file is moved aside as
        `<name>.replaced-<time>` (or `.damaged-<time>`) and the copy renamed into place, so at no
        moment is there a half-written collection.  Returns where the current file went (None if
        there was none).
        """
        if not backup.is_file():
            raise NotFoundError(f"There is no backup {backup}.")
        problems = self.check(backup)
        if problems:
            raise InvalidInputError(
                f"The backup {backup} is damaged and was not restored: {'; '.join(problems)}"
            )
        incoming = database_file.with_name(database_file.name + ".restoring")
        try:
            shutil.copyfile(backup, incoming)
            with incoming.open("rb+") as copied:
                os.fsync(copied.fileno())
        except OSError as error:
            incoming.unlink(missing_ok=True)
            raise StudyAppError(
                f"Cannot copy the backup into {database_file.parent}: {error.strerror}. "
                "The collection was not changed."
            ) from error
        problems = self.check(incoming)
        if problems:
            incoming.unlink(missing_ok=True)
            raise StudyAppError(f"The copied backup is damaged: {'; '.join(problems)}")
        replaced = self._set_aside(database_file, set_aside_as) if database_file.exists() else None
        incoming.replace(database_file)
        problems = self.check(database_file)
        if problems:  # pragma: no cover - the copy was checked a moment ago
            raise StudyAppError(
                f"The restored collection fails its integrity check: {'; '.join(problems)}"
            )
        log.info("Restored %s into %s (the old file is %s)", backup, database_file, replaced)
        return replaced

    # Helpers.

    def _require_sqlite(self) -> None:
        if not self.available:
            raise StudyAppError(f"This collection is not a SQLite file. {PG_DUMP_HINT}")

    def _free_name(self, moment: datetime, reason: str) -> Path:
        """A new name after every backup made in the same second (whatever their reasons)."""
        serials = [_order(b)[1] for b in self.list() if b.created_at == moment]
        serial = max(serials, default=0) + 1
        stamp = moment.strftime(_STAMP) + "Z" + ("" if serial == 1 else f"-{serial}")
        return self.backups_dir / f"backup-{stamp}-{reason}.sqlite3"

    def _set_aside(self, database_file: Path, label: str) -> Path:
        """Rename the file and its -wal/-shm companions to `<name>.<label>-<time>`."""
        stamp = self._clock.now().astimezone(UTC).strftime(_STAMP) + "Z"
        aside = database_file.with_name(f"{database_file.name}.{label}-{stamp}")
        serial = 2
        while aside.exists():
            aside = database_file.with_name(f"{database_file.name}.{label}-{stamp}-{serial}")
            serial += 1
        try:
            database_file.rename(aside)
            for suffix in _COMPANIONS:
                companion = database_file.with_name(database_file.name + suffix)
                if companion.exists():
                    companion.rename(aside.with_name(aside.name + suffix))
        except OSError as error:
            raise StudyAppError(
                f"Cannot move {database_file} aside to {aside}: {error.strerror}"
            ) from error
        return aside


def _parse(path: Path) -> Backup | None:
    match = _NAME.match(path.name)
    if match is None or not path.is_file():
        return None
    created = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    return Backup(path, created, path.stat().st_size, match["reason"] or "")


def _order(backup: Backup) -> tuple[datetime, int]:
    match = _NAME.match(backup.path.name)
    serial = int(match["serial"]) if match and match["serial"] else 1
    return backup.created_at, serial
