"""`Database.for_file` loads no SQLAlchemy until the collection is first used, so the app can
draw its first screen meanwhile; the first use, from any thread, makes one engine."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine

from studyapp.storage.database import Database, sqlite_url

pytestmark = pytest.mark.sqlite_only  # for_file opens SQLite collection files


def made_collection(path: Path) -> Path:
    database = Database(sqlite_url(path))
    database.upgrade()
    database.close()
    return path


def test_sqlalchemy_loads_only_when_the_collection_is_first_used(tmp_path: Path) -> None:
    path = made_collection(tmp_path / "collection.sqlite")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studyapp.storage.database import Database\n"
        f"database = Database.for_file(Path({str(path)!r}))\n"
        "print('sqlalchemy' in sys.modules)\n"
        f"Database.for_file(Path({str(tmp_path / 'unused.sqlite')!r})).close()\n"
        "print('sqlalchemy' in sys.modules)\n"
        "with database.transaction() as repos:\n"
        "    repos.settings.set('written', 'lazily')\n"
        "print('sqlalchemy' in sys.modules)\n"
        "database.close()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False", "True"]  # closing an unused one: nothing
    assert not (tmp_path / "unused.sqlite").exists()
    database = Database(sqlite_url(path))
    with database.transaction() as repos:
        assert repos.settings.get("written") == "lazily"
    database.close()


def engines_of_first_calls(database: Database, threads: int) -> list[Engine]:
    """The engine each of `threads` threads' transactions ran on, all starting at once."""
    start = threading.Barrier(threads)
    engines: list[Engine] = []

    def first_call() -> None:
        start.wait()
        with database.transaction() as repos:
            engines.append(repos.link.connection.engine)

    workers = [threading.Thread(target=first_call) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return engines


def test_threads_making_the_first_call_together_share_one_engine(tmp_path: Path) -> None:
    path = made_collection(tmp_path / "collection.sqlite")
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often: without the lock they race
    try:
        for _attempt in range(50):
            database = Database.for_file(path)
            engines = engines_of_first_calls(database, threads=8)
            assert len(engines) == 8
            assert {id(engine) for engine in engines} == {id(database.engine)}
            database.close()
    finally:
        sys.setswitchinterval(switching)


def test_the_engine_is_made_on_first_use_with_the_sqlite_settings(tmp_path: Path) -> None:
    path = made_collection(tmp_path / "collection.sqlite")
    database = Database.for_file(path)
    generation = database.generation
    assert database.sqlite_pragma("PRAGMA journal_mode") == [("wal",)]
    assert database.sqlite_pragma("PRAGMA foreign_keys") == [(1,)]
    assert database.generation > generation  # the first connection bumped it
    assert database.schema_revision() is not None
    assert not database.upgrade()
    database.close()


def test_for_file_agrees_with_the_url_constructor(tmp_path: Path) -> None:
    path = tmp_path / "collection.sqlite"
    lazy = Database.for_file(path)
    eager = Database(sqlite_url(path))
    assert (lazy.url, lazy.is_sqlite, lazy.sqlite_file) == (
        eager.url,
        eager.is_sqlite,
        eager.sqlite_file,
    )
    assert lazy.sqlite_file == path
    assert lazy.is_sqlite
    lazy.close()
    eager.close()
