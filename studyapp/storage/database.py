"""The collection database: engine set-up, migrations and one transaction per user action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from studyapp.errors import InvalidInputError
from studyapp.storage.migrations import HEAD_REVISION
from studyapp.storage.repositories import Repositories


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
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
    cursor.close()


class Database:
    """One collection, SQLite by default or any SQLAlchemy URL (PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url)
        except (ArgumentError, NoSuchModuleError, ValueError) as error:
            raise InvalidInputError(f"Cannot open the database {_shown(url)}: {error}") from error
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            event.listen(self.engine, "connect", _configure_sqlite)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def upgrade(self) -> bool:
        """Bring the schema to the newest revision; True if anything had to be done."""
        try:
            current = self.schema_revision()
        except OperationalError as error:
            raise InvalidInputError(f"Cannot open the database: {error.orig}") from error
        if current == HEAD_REVISION:
            return False
        with self.engine.connect() as connection:
            if self.is_sqlite:
                # A migration that rebuilds a table (Alembic's batch mode) drops the old one;
                # with foreign keys on, that would cascade into cards and the review log.
                # The pragma only takes effect outside a transaction.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            with connection.begin():
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
        """Repositories bound to one session: commits on a clean exit, rolls back on an error."""
        session: Session = self._sessions()
        try:
            with session.begin():
                yield Repositories(session)
        finally:
            session.close()

    def optimize(self) -> None:
        """Refresh the query planner's statistics after bulk changes (SQLite only)."""
        if self.is_sqlite:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA optimize")

    def sqlite_pragma(self, statement: str) -> list[tuple[Any, ...]]:
        """Run a read-only PRAGMA or EXPLAIN statement (diagnostics and tests)."""
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
