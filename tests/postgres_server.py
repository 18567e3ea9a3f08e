"""A PostgreSQL server for the tests: one fresh, migrated collection database per test.

The server comes from $STUDYAPP_TEST_POSTGRES_URL, a `postgresql+psycopg://` URL whose user may
CREATE DATABASE (`.ci/run` starts such a server).  The schema is migrated once per session into a
template database; each test gets a copy of it (CREATE DATABASE … TEMPLATE), dropped afterwards.
"""

from __future__ import annotations

import inspect
import itertools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from studyapp.storage.database import Database

URL_VARIABLE = "STUDYAPP_TEST_POSTGRES_URL"
_DROP_ATTEMPTS = 3
SKIP_REASON = (
    f"PostgreSQL part skipped: ${URL_VARIABLE} is not set (a postgresql+psycopg:// URL of a "
    "server where the user may CREATE DATABASE; .ci/run starts one)"
)


def shown_url(url: str) -> str:
    """`url` without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


class PostgresServer:
    def __init__(self, url: str) -> None:
        self.url: URL = make_url(url)
        # Databases are created and dropped outside transactions; no pool keeps them in use.
        self._admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self._prefix = f"studyapp_test_{os.getpid()}"
        self._template = f"{self._prefix}_template"
        self._numbers = itertools.count(1)
        self._template_made = False

    def _execute(self, statement: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(statement))

    def _url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _drop(self, name: str) -> None:
        # Under load the server has been seen to refuse a forced drop once; it works on retry.
        for attempt in range(_DROP_ATTEMPTS):
            try:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except DBAPIError:
                if attempt == _DROP_ATTEMPTS - 1:
                    raise
                time.sleep(0.5)

    def _make_template(self) -> None:
        self._drop(self._template)
        self._execute(f'CREATE DATABASE "{self._template}"')
        database = Database(self._url_of(self._template))
        try:
            database.upgrade()
        finally:
            database.close()
        self._template_made = True

    @contextmanager
    def fresh_database(self, migrated: bool = True) -> Iterator[str]:
        """A new database, dropped afterwards: at the newest schema revision, or empty; its URL."""
        name = f"{self._prefix}_{next(self._numbers)}"
        if migrated:
            if not self._template_made:
                self._make_template()
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
        else:
            self._execute(f'CREATE DATABASE "{name}"')
        try:
            yield self._url_of(name)
        finally:
            self._drop(name)

    def close(self) -> None:
        if self._template_made:
            self._drop(self._template)
        self._admin.dispose()


SKIP_LOCATION = (__file__, inspect.getsourcelines(PostgresServer)[1])
"""Where the short test summary says the skipped PostgreSQL variants come from: the class above."""
