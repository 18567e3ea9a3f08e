"""The study path's statements: SQLAlchemy Core, compiled once per dialect, run on the driver.

Answering a card and showing the next one take a handful of one-row statements.  Through
SQLAlchemy's Connection each costs some 20 µs of Python (execution context, parameter and result
processing, events) around a few microseconds of database work, most of the time of a study
step.  The statements here are Core statements all the same, compiled by SQLAlchemy for the
connection's dialect on first use, then run on the cursor of the transaction's DBAPI connection:
in the same transaction, with the parameters put in the compiled order.  What the driver returns
is converted by the caller (the columns these statements read need no conversion but a JSON one,
see `DriverStatements.decodes_json`).  A driver error is raised as SQLAlchemy raises it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None
    """The parameter names in placeholder order for a positional paramstyle; None: by name."""
    fixed: dict[str, Any]
    """The values the statement binds itself (a LIMIT's)."""


class Prepared:
    """A Core statement to run with `DriverStatements`, compiled on first use for each dialect
    and, for an INSERT or UPDATE, each set of columns it is given values for."""

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}

    def compiled(self, dialect: Dialect, columns: tuple[str, ...] | None) -> _Compiled:
        """`columns`: the parameter names of an INSERT or UPDATE (they decide its columns)."""
        key = (type(dialect), dialect.server_version_info, dialect.paramstyle, columns)
        found = self._compiled.get(key)
        if found is None:
            compiled = self._statement.compile(
                dialect=dialect, column_keys=None if columns is None else list(columns)
            )
            assert isinstance(compiled, SQLCompiler)
            fixed = {
                name: bind.value
                for name, bind in compiled.binds.items()
                if not bind.required and bind.value is not None
            }
            order = tuple(compiled.positiontup or ()) if compiled.positional else None
            found = _Compiled(str(compiled), order, fixed)
            self._compiled[key] = found
        return found


class DriverStatements:
    """Runs `Prepared` statements on the pooled DBAPI connection `pooled` of `dialect`."""

    def __init__(self, dialect: Dialect, pooled: PoolProxiedConnection) -> None:
        self._pooled = pooled
        self._dialect = dialect
        dbapi = pooled.driver_connection
        assert dbapi is not None
        self.dbapi: Any = dbapi
        """The DBAPI connection (sqlite3's or psycopg's)."""
        self.decodes_json = not self._dialect.supports_native_json_deserialization
        """Whether a JSON column comes back as text to decode (SQLite), not decoded (psycopg)."""
        self._lastrowid = self._dialect.name == "sqlite"

    def rows(self, prepared: Prepared, parameters: Mapping[str, Any]) -> list[Any]:
        """The rows (DBAPI tuples) a SELECT returns."""
        return self._run(prepared, parameters, None, _fetch_all)

    def first(self, prepared: Prepared, parameters: Mapping[str, Any]) -> Any:
        """The first row a SELECT returns, or None."""
        return self._run(prepared, parameters, None, _fetch_one)

    def write(self, prepared: Prepared, parameters: Mapping[str, Any]) -> None:
        """Run an UPDATE or DELETE setting the columns named in `parameters` (its WHERE
        clause's parameters included)."""
        self._run(prepared, parameters, tuple(parameters), _fetch_nothing)

    def insert(self, plain: Prepared, returning: Prepared, values: Mapping[str, Any]) -> int:
        """Insert a row of `values`; returns its new integer primary key.  `plain` is the
        INSERT, `returning` the same with RETURNING the key (for drivers without lastrowid)."""
        columns = tuple(values)
        if self._lastrowid:
            return int(self._run(plain, values, columns, _last_row_id))
        row = self._run(returning, values, columns, _fetch_one)
        return int(row[0])

    def pragma(self, statement: str) -> Any:
        """The first row a parameterless statement written for the driver (a PRAGMA) returns."""
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(statement)
            return cursor.fetchone()
        except self._dialect.loaded_dbapi.Error as error:
            raise self._wrapped(error, statement, (), cursor) from error
        finally:
            cursor.close()

    def commit(self) -> None:
        """Commit the connection's transaction (a refusal is raised as SQLAlchemy's error)."""
        try:
            self.dbapi.commit()
        except self._dialect.loaded_dbapi.Error as error:
            raise self._wrapped(error, "COMMIT", (), None) from error

    def _run(
        self,
        prepared: Prepared,
        parameters: Mapping[str, Any],
        columns: tuple[str, ...] | None,
        fetch: Callable[[Any], _T],
    ) -> _T:
        compiled = prepared.compiled(self._dialect, columns)
        values = {**compiled.fixed, **parameters} if compiled.fixed else parameters
        bound: Any = values if compiled.order is None else [values[n] for n in compiled.order]
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(compiled.sql, bound)
            return fetch(cursor)
        except self._dialect.loaded_dbapi.Error as error:
            raise self._wrapped(error, compiled.sql, bound, cursor) from error
        finally:
            cursor.close()

    def _wrapped(self, error: Exception, sql: str, bound: Any, cursor: Any) -> StatementError:
        """`error` as SQLAlchemy raises it; a lost connection is invalidated, as there."""
        raised: Any = error  # a DBAPI error of the driver's module
        lost = self._dialect.is_disconnect(raised, self.dbapi, cursor)
        if lost:
            self._pooled.invalidate(error)
        base: type[Exception] = self._dialect.loaded_dbapi.Error
        return DBAPIError.instance(
            sql, bound, error, base, connection_invalidated=lost, dialect=self._dialect
        )


def _fetch_all(cursor: Any) -> list[Any]:
    return list(cursor.fetchall())


def _fetch_one(cursor: Any) -> Any:
    return cursor.fetchone()


def _fetch_nothing(_cursor: Any) -> None:
    return None


def _last_row_id(cursor: Any) -> Any:
    return cursor.lastrowid
