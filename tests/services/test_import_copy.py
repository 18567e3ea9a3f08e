"""Anki packages imported by copying cards and reviews with SQL give exactly the rows, ids and
messages of the row-by-row import (the portable path PostgreSQL takes)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from studyapp.app import open_collection
from studyapp.domain.clock import ManualClock
from studyapp.errors import ImportCancelledError
from studyapp.importers.anki_package import read_anki_package
from studyapp.services.imports import ImportService, ImportSummary
from studyapp.storage.database import Database, sqlite_url
from tests.importers.anki_builder import latest_package, modern_collection

# (id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data)
_MORE_CARDS = (
    (7, 104, 11, 0, 2, -2, 120, 15, 2500, 6, 1, 0, 0, 0, 2, '{"s":3.5,"d":7}'),
    (8, 104, 11, 1, 1, 3, 101, 0, 0, 2, 0, 2002, 0, 0, 0, "{}"),
    (9, 104, 99, 2, 3, 1, 1_700_001_000, 0, 2300, 9, 3, 1, 0, 0, 0, '{"s":1,"d":2,"lrt":5}'),
    (10, 105, 12, 0, 0, 0, 4, 0, 0, 0, 0, 0, 9, 10, 0, ""),
    (11, 105, 10, 1, 2, 1, 108, 0, 2100, 4, 1, 1003, 0, 0, 0, '{"s":0,"d":11}'),
    (12, 105, 10, 2, 2, -3, 95, 40, 2700, 12, 0, 0, 0, 0, 7, "not json"),
    (13, 998, 10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, ""),
)  # fmt: skip
# (id, cid, ease, ivl, lastIvl, factor, time, type)
_MORE_REVIEWS = (
    (1_700_000_000_000, 7, 3, 15, 7, 2500, 5000, 1),
    (1_700_000_100_000, 7, 0, 20, 15, 2500, 0, 5),
    (1_700_000_200_000, 8, 2, -600, 0, 0, 7000, 0),
    (1_700_000_300_000, 8, 3, -1200, -600, 0, -5, 0),
    (1_700_000_400_000, 9, 1, -600, 10, 2300, 3000, 2),
    (1_700_000_500_000, 11, 3, 4, 0, 2100, 2000, 3),
    (1_700_000_600_000, 11, 7, 4, 0, 2100, 2000, 1),
    (1_700_000_700_000, 12, 3, 4, 0, 2100, 2000, 9),
    (1_700_000_800_000, 13, 3, 4, 0, 2100, 2000, 1),
)


def _rich_package(extra_reviews: bool = False) -> bytes:
    """The builder's sample plus more cards of every kind, orphans and odd review rows."""
    source = sqlite3.connect(":memory:")
    source.deserialize(modern_collection())
    source.executemany(
        "INSERT INTO notes VALUES (?, ?, 1001, 1700000400, 0, 'more', ?, '', 0, 0, '')",
        [(104, "guidD", "front\x1fback"), (105, "guidE", "q\x1fa")],
    )
    source.executemany(
        "INSERT INTO cards VALUES (?,?,?,?,0,0,?,?,?,?,?,?,?,?,?,?,?,?)", _MORE_CARDS
    )
    source.executemany("INSERT INTO revlog VALUES (?,?,0,?,?,?,?,?,?)", _MORE_REVIEWS)
    if extra_reviews:
        source.execute("INSERT INTO revlog VALUES (1700000900000, 1, 0, 3, 30, 30, 2300, 1000, 1)")
    source.commit()
    return latest_package(collection=source.serialize())


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def _attached(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return [row[1] for row in connection.exec_driver_sql("PRAGMA database_list")]


def _import_all(folder: Path, clock: ManualClock, *, copy: bool) -> tuple[Path, list[object]]:
    """Import the rich package, the same again, then one with a new review of a kept card."""
    folder.mkdir()
    file = folder / "collection.sqlite3"
    database, _ = open_collection(sqlite_url(file), clock, folder / "media")
    service = ImportService(database, clock, folder / "media", copy_packages=copy)
    outcomes: list[object] = []
    try:
        for name, package in (
            ("a.apkg", _rich_package()),
            ("a.apkg", _rich_package()),
            ("b.apkg", _rich_package(extra_reviews=True)),
        ):
            path = folder / name
            path.write_bytes(package)
            outcomes.append(_summary(service.import_file(path)))
            assert "studyapp_package" not in _attached(database)
    finally:
        database.close()
    return file, outcomes


def _summary(summary: ImportSummary) -> tuple[object, ...]:
    return (
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.cards_added,
        summary.reviews_added,
        summary.messages,
    )


def test_copied_rows_equal_the_row_by_row_import(tmp_path: Path, clock: ManualClock) -> None:
    stream = read_anki_package(_rich_package())
    stream.close()
    assert stream.package is not None  # so the copy is taken
    copied, copied_outcomes = _import_all(tmp_path / "copy", clock, copy=True)
    portable, portable_outcomes = _import_all(tmp_path / "rows", clock, copy=False)
    assert copied_outcomes == portable_outcomes
    first = copied_outcomes[0]
    assert isinstance(first, tuple)
    assert first[3:5] == (12, 12)
    assert any("without a note" in message for message in first[5])
    for table in ("decks", "notes", "cards", "review_log"):
        copied_rows, portable_rows = _rows(copied, table), _rows(portable, table)
        if table == "notes":  # guids the collection makes are random; the package's are kept
            assert [row[:1] + row[2:] for row in copied_rows] == [
                row[:1] + row[2:] for row in portable_rows
            ]
            continue
        assert copied_rows == portable_rows, table
    reviewed = _rows(copied, "cards")
    assert {row[0] for row in reviewed if row[12] is not None}  # last review days were set


def test_failed_copy_leaves_collection_unchanged_and_detaches(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    service = ImportService(database, clock, tmp_path / "media")
    path = tmp_path / "a.apkg"
    path.write_bytes(_rich_package())
    before = _counts(database)
    stop = False

    def progress(done: int, total: int) -> None:
        nonlocal stop
        stop = stop or 0 < done < total

    cancelled: Callable[[], bool] = lambda: stop  # noqa: E731
    with pytest.raises(ImportCancelledError):
        service.import_file(path, progress=progress, cancelled=cancelled)
    assert "studyapp_package" not in _attached(database)
    assert _counts(database) == before
    with database.engine.connect() as connection, pytest.raises(OperationalError):
        connection.exec_driver_sql("SELECT studyapp_memory('{}', 0)")
    assert service.import_file(path).cards_added == 12


def _counts(database: Database) -> tuple[int, ...]:
    with database.engine.connect() as connection:
        return tuple(
            int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
            for table in ("notes", "cards", "review_log", "decks")
        )
