"""One transaction of `Database.transaction()`: a pooled DBAPI connection, and what runs on it.

The study path's statements run on the driver (storage.driver_statements) and commit on it.  A
SQLAlchemy Connection over the same DBAPI connection, and the ORM session joined to its
transaction, are made only when a repository first needs them: building them, and committing
through them, cost a study step about as much as two of its statements.
"""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from studyapp.storage.driver_statements import DriverStatements


class TransactionLink:
    def __init__(self, engine: Engine) -> None:
        """A connection of `engine`'s pool, its transaction begun (SQLite's driver begins
        before the first write, psycopg before the first statement)."""
        self._engine = engine
        try:
            self._pooled = engine.raw_connection()
        except engine.dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(
                None, None, error, engine.dialect.loaded_dbapi.Error, dialect=engine.dialect
            ) from error
        self.driver = DriverStatements(engine.dialect, self._pooled)

    @cached_property
    def connection(self) -> Connection:
        """A SQLAlchemy connection on the same DBAPI connection, in the same transaction,
        made on first use."""
        connection = Connection(self._engine, self._pooled)
        connection.begin()
        return connection

    @cached_property
    def session(self) -> Session:
        """The ORM session, made on first use.  It writes in the connection's transaction and
        leaves committing it to the caller (a rollback of the session rolls it back)."""
        return Session(
            self.connection, join_transaction_mode="rollback_only", expire_on_commit=False
        )

    def flush(self) -> None:
        """Write what the session holds, if a session was made: before the commit."""
        if "session" in self.__dict__:
            self.session.flush()

    def commit(self) -> None:
        """Commit the transaction (through the SQLAlchemy connection, if one was made)."""
        if "connection" in self.__dict__:
            self.connection.commit()
        else:
            self.driver.commit()

    def close(self) -> None:
        """Give the connection back to the pool, rolling back what was not committed."""
        if "session" in self.__dict__:
            self.session.close()
        if "connection" in self.__dict__:
            self.connection.close()
        else:
            self._pooled.close()
