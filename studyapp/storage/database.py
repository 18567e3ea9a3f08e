"""The collection database: engine set-up, migrations and one transaction per user action.

Importing this module loads no SQLAlchemy: `Database.for_file` makes its engine on first use, so
the app can show its first screen while SQLAlchemy loads.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp.errors import (
    CollectionDamagedError,
    InvalidInputError,
    StorageError,
    StudyAppError,
)
from studyapp.storage.integrity import is_damage, problems_of
from studyapp.storage.migrations import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.exc import DatabaseError

    from studyapp.storage.repositories import Repositories
    from studyapp.storage.transaction_link import TransactionLink


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


PG_DUMP_HINT = (
    "StudyApp backs up and checks SQLite collections only; a PostgreSQL collection is backed up "
    'with pg_dump (see "Sharing a collection on PostgreSQL" in the README).'
)

_MIGRATION_LOCK = 0x5354_5544  # "STUD": the advisory lock PostgreSQL instances migrate under


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # In WAL mode NORMAL keeps every commit across a crash of the process; only a power cut
    # can lose the last commits, never corrupt the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    try:  # the browser's retrievability needs power(), built in only with SQLite's math functions
        cursor.execute("SELECT power(2.0, 0.5)")
    except sqlite3.OperationalError:
        dbapi_connection.create_function("power", 2, _power, deterministic=True)
    cursor.close()


def _power(base: float | None, exponent: float | None) -> float | None:
    if base is None or exponent is None:
        return None
    try:
        return math.pow(base, exponent)
    except (ValueError, OverflowError):
        return None


_SQLITE_REFUSALS = {
    sqlite3.SQLITE_FULL: "The disk is full",
    sqlite3.SQLITE_READONLY: "The collection file or its folder is read-only",
    sqlite3.SQLITE_PERM: "StudyApp may not write to the collection file",
    sqlite3.SQLITE_CANTOPEN: "StudyApp cannot open the collection file for writing",
    sqlite3.SQLITE_IOERR: "The disk failed while the collection was being written",
}
_POSTGRES_DISK_FULL = "53100"


def _disk_refusal(error: DatabaseError) -> str | None:
    """What the disk refused, in words, or None when the error is of another kind."""
    code = getattr(error.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_REFUSALS.get(code & 0xFF)  # extended codes keep the primary one below
    if getattr(error.orig, "sqlstate", None) == _POSTGRES_DISK_FULL:
        return "The database server's disk is full"
    return None


class Database:
    """One collection, SQLite by default or any SQLAlchemy URL (PostgreSQL)."""

    url: str
    is_sqlite: bool
    sqlite_file: Path | None
    """The collection file of a SQLite database (None for PostgreSQL or an in-memory one)."""

    # What `transaction()` needs of SQLAlchemy, bound when the engine is made:
    _new_link: type[TransactionLink]
    _repositories: type[Repositories]
    _database_error: type[DatabaseError]

    def __init__(self, url: str) -> None:
        """A database at `url`; its engine is made at once (a bad URL raises here)."""
        self._prepare(url, sqlite_file=None)
        engine = self._make_engine()
        self.is_sqlite = engine.dialect.name == "sqlite"
        if self.is_sqlite:
            name = engine.url.database
            if name and name != ":memory:" and not name.startswith("file:"):
                self.sqlite_file = Path(name)

    @classmethod
    def for_file(cls, path: Path) -> Database:
        """The SQLite collection file `path`; its engine, and SQLAlchemy with it, are made on
        first use."""
        database = cls.__new__(cls)
        database._prepare(sqlite_url(path), sqlite_file=path)
        return database

    def _prepare(self, url: str, sqlite_file: Path | None) -> None:
        self.url = url
        self.is_sqlite = sqlite_file is not None
        self.sqlite_file = sqlite_file
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._write_gate: Callable[[], None] | None = None
        self._generation = 0
        self._generation_lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (made by `Database(url)`, on first use after `for_file`)."""
        return self._engine or self._make_engine()

    def _make_engine(self) -> Engine:
        """Make the engine unless a thread already has: one engine per Database."""
        with self._engine_lock:
            if self._engine is not None:
                return self._engine
            from sqlalchemy import create_engine, event
            from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

            from studyapp.storage.repositories import Repositories
            from studyapp.storage.transaction_link import TransactionLink

            try:
                engine = create_engine(self.url)
            except (ArgumentError, NoSuchModuleError, ValueError) as error:
                raise InvalidInputError(
                    f"Cannot open the database {_shown(self.url)}: {error}"
                ) from error
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _configure_sqlite)
                # A new connection starts its own data_version count: stamps taken before it
                # are void.
                event.listen(engine, "connect", self._bump_generation)
            self._new_link = TransactionLink
            self._repositories = Repositories
            self._database_error = DatabaseError
            self._engine = engine
            return engine

    def _bump_generation(self, *_: object) -> None:
        with self._generation_lock:
            self._generation += 1

    @property
    def generation(self) -> int:
        """Bumped after every commit of `transaction()` in this process, to invalidate caches."""
        return self._generation

    def change_stamp(self, repos: Repositories) -> tuple[int, int, int] | None:
        """What a cache of the collection read in `repos`'s transaction is valid for.

        Call it before anything else in the transaction.  The stamp changes with every commit
        made here, and on SQLite with every commit by another connection (`PRAGMA data_version`,
        per connection, so the connection is part of the stamp).  None on other databases: their
        collections are shared, so nothing read may be kept across transactions.
        """
        if not self.is_sqlite:
            return None
        generation = self._generation
        driver = repos.link.driver
        (version,) = driver.pragma("PRAGMA data_version")
        return generation, id(driver.dbapi), int(version)

    def close(self) -> None:
        """Close the engine's pooled connections; nothing to do if it was never made."""
        if self._engine is not None:
            self._engine.dispose()

    def hold_writes(self, gate: Callable[[], None] | None) -> None:
        """Commit no write (and make no backup or migration) until `gate` has returned.

        The start-up integrity check runs while the app reads its first screen: `gate` waits
        for it and raises a StudyAppError when the file is damaged, so a damaged collection is
        read but never written.  Reads never wait.  None: write freely.
        """
        self._write_gate = gate

    def _before_writing(self) -> None:
        gate = self._write_gate
        if gate is not None:
            gate()
            self._write_gate = None

    def schema_revision(self) -> str | None:
        from sqlalchemy import inspect, text

        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def upgrade(self) -> bool:
        """Bring the schema to the newest revision; True if anything had to be done."""
        from sqlalchemy import text
        from sqlalchemy.exc import OperationalError

        try:
            current = self.schema_revision()
        except OperationalError as error:
            raise InvalidInputError(f"Cannot open the database: {error.orig}") from error
        if current == HEAD_REVISION:
            return False
        self._before_writing()
        with self.engine.connect() as connection:
            if self.is_sqlite:
                # A migration that rebuilds a table (Alembic's batch mode) drops the old one;
                # with foreign keys on, that would cascade into cards and the review log.
                # The pragma only takes effect outside a transaction.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            with connection.begin():
                if self.engine.dialect.name == "postgresql":
                    # Instances starting together on a new shared collection migrate in turn;
                    # Alembic reads the revision after the lock, so the later ones find it done.
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                    )
                _run_alembic_upgrade(connection)
                if self.is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise InvalidInputError(
                            f"The schema upgrade left {len(broken)} broken references; "
                            "the collection was not changed."
                        )
            if self.is_sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
        return True

    @contextmanager
    def transaction(self) -> Iterator[Repositories]:
        """Repositories bound to one connection's transaction (storage.transaction_link):
        commits on a clean exit, rolls back on an error.

        A write the disk refuses (full, read-only, failing) is rolled back and raised as a
        StorageError that says so."""
        engine = self._engine or self._make_engine()
        try:
            link = self._new_link(engine)
            try:
                yield self._repositories(link)
                link.flush()
                if self._write_gate is not None and self._wrote(link):
                    self._before_writing()  # raising rolls the writes back
                link.commit()
            finally:
                link.close()
            self._bump_generation()
        except self._database_error as error:
            refusal = _disk_refusal(error)
            if refusal is not None:
                raise StorageError(
                    f"{refusal}, so the change was not saved and the collection is as it was."
                ) from error
            if isinstance(error.orig, sqlite3.DatabaseError) and is_damage(error.orig):
                raise CollectionDamagedError(
                    f"The collection file is damaged ({error.orig}), so nothing was saved. "
                    "Restart StudyApp: it offers to restore the newest good backup."
                ) from error
            raise

    def _wrote(self, link: TransactionLink) -> bool:
        """Whether the transaction wrote anything (sqlite3 begins only before a write)."""
        if not self.is_sqlite:
            return True
        return bool(getattr(link.driver.dbapi, "in_transaction", True))

    def optimize(self) -> None:
        """Refresh the query planner's statistics after bulk changes (SQLite only), from a
        sample of each index's rows (as SQLite advises for `PRAGMA optimize`), not all of them."""
        if self.is_sqlite:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA analysis_limit=1000")
                connection.exec_driver_sql("PRAGMA optimize")

    def backup_to(self, path: Path) -> None:
        """Copy the whole collection into a new SQLite file `path` with SQLite's online backup.

        The copy is one consistent snapshot even while other connections write (WAL readers do
        not block writers).  It is written to a temporary name and renamed into place, so `path`
        is either complete or absent.  The copy uses a rollback journal: one self-contained file.
        """
        self._before_writing()  # a backup of a damaged file would push out a good one
        partial = path.with_name(path.name + ".partial")
        try:
            partial.unlink(missing_ok=True)
            with (
                self._sqlite_connection("Backups") as source,
                closing(sqlite3.connect(partial)) as target,
            ):
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE").fetchall()
            partial.replace(path)
        except sqlite3.Error as error:
            partial.unlink(missing_ok=True)
            raise StudyAppError(f"Cannot write the backup {path}: {error}") from error
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise StudyAppError(f"Cannot write the backup {path}: {error.strerror}") from error

    def quick_check(self) -> list[str]:
        """SQLite's `PRAGMA quick_check` on the open collection: the problems, [] when it is ok."""
        with self._sqlite_connection("Integrity checks") as connection:
            try:
                rows = connection.execute("PRAGMA quick_check").fetchall()
            except sqlite3.DatabaseError as error:
                if is_damage(error):
                    return [str(error)]
                raise
        return problems_of(row[0] for row in rows)

    @contextmanager
    def _sqlite_connection(self, what: str) -> Iterator[sqlite3.Connection]:
        """The sqlite3 connection under one pooled connection of the engine (SQLite only)."""
        if not self.is_sqlite:
            raise StudyAppError(f"{what}: this collection is not a SQLite file. {PG_DUMP_HINT}")
        pooled = self.engine.raw_connection()
        try:
            connection = pooled.driver_connection
            if not isinstance(connection, sqlite3.Connection):  # pragma: no cover - other drivers
                raise StudyAppError(f"{what} need the standard sqlite3 driver.")
            yield connection
        finally:
            pooled.close()

    def sqlite_pragma(self, statement: str) -> list[tuple[Any, ...]]:
        """Run a read-only PRAGMA or EXPLAIN statement (diagnostics and tests)."""
        from sqlalchemy import text

        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(statement))]


def _run_alembic_upgrade(connection: Connection) -> None:
    # Alembic is imported only when the schema actually needs a change, to keep start-up fast.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
