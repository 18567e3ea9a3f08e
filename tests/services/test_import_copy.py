"""Anki packages imported by copying cards and reviews with SQL give exactly the rows, ids and
messages of the row-by-row import (the portable path PostgreSQL takes)."""

from __future__ import annotations

import json
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
    (14, 106, 10, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, ""),
    (15, 107, 11, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, ""),
    (16, 109, 11, 1, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, ""),
    (17, 1_700_000_700_123, 12, 0, 2, 2, 130, 9, 2500, 3, 0, 0, 0, 0, 0, ""),
    (18, 110, 10, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, ""),
)  # fmt: skip
# (id, guid, mid, mod, tags, flds)
_MORE_NOTES = (
    (104, "guidD", 1001, 1_700_000_400, "more", "front\x1fback"),
    (105, "guidE", 1001, 1_700_000_400, "more", "q\x1fa"),
    (106, "guidF", 1001, 0, "  tag1\u3000tag2  x ",
     '<script>alert(1)</script><b onclick="x()">bold</b>\x1fa &amp; b <a href="http://e.vil">'
     "link</a>&nbsp;"),
    (107, "", 1001, 1_700_000_500, "", "one field only"),
    (108, "guidH", 1001, 1_700_000_600, "", "a\x1fb\x1fan extra field"),
    (109, "guidF", 1001, 1_700_000_650, "dupe", "a later note\x1fwith the same guid"),
    (110, "guidJ", 4242, 1_700_000_660, "", "of a note type\x1fthe package lacks"),
    (111, "guidK", 1001, 1_700_000_670, "", 'say "hi"\\ \t tab\x7f café\x1f€ 😀'),
    (112, "guidL", 1001, 1_700_000_680, "", "plain front; no markup\x1fplain back [1]"),
    (113, "guidM", 1001, 1_700_000_690, "", "nul\x00 inside\x1fsecond"),
    (1_700_000_700_123, "guidI", 1001, 1_700_000_700, "",
     '<div style="color: red; background: url(x)">x</div>\x1f<img src="/etc/passwd">'),
)  # fmt: skip
_LATER_GUID_F = 109
"""The later of the package's two notes with the guid guidF."""
_NOTE_IDS = {note[0] for note in _MORE_NOTES}
_CHANGED_NOTES = (
    (104, "guidD", 1001, 1_700_000_800, "more changed", "front changed\x1fback"),
    (105, "guidE", 1002, 1_700_000_800, "", "{{c1::q}}\x1f"),
)
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


def _rich_package(extra_reviews: bool = False, *, unique: bool = False) -> bytes:
    """The builder's sample plus more notes and cards of every kind, orphans and odd review
    rows; with `extra_reviews`, also two notes changed (one to another note type); with
    `unique`, without the later note of a guid and its card (so that every note is new to an
    empty collection)."""
    source = sqlite3.connect(":memory:")
    source.deserialize(modern_collection())
    notes = {note[0]: note for note in _MORE_NOTES if not (unique and note[0] == _LATER_GUID_F)}
    if extra_reviews:
        notes.update((note[0], note) for note in _CHANGED_NOTES)
    source.executemany(
        "INSERT INTO notes VALUES (?, ?, ?, ?, 0, ?, ?, '', 0, 0, '')", list(notes.values())
    )
    source.executemany(
        "INSERT INTO cards VALUES (?,?,?,?,0,0,?,?,?,?,?,?,?,?,?,?,?,?)",
        [card for card in _MORE_CARDS if card[1] in notes or card[1] not in _NOTE_IDS],
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
    assert first[:5] == (12, 1, 0, 15, 12)  # the later guidF note updated the first
    assert any("without a note" in message for message in first[5])
    assert any("unknown note type" in message for message in first[5])
    assert any("different number of fields" in message for message in first[5])
    last = copied_outcomes[2]
    assert isinstance(last, tuple)
    assert last[1] == 3  # guidD changed; guidF twice (to the first note, then the later)
    assert any("guidE already exists with another note type" in m for m in last[5])
    for table in ("decks", "notes", "cards", "review_log"):
        assert _rows(copied, table) == _rows(portable, table), table
    reviewed = _rows(copied, "cards")
    assert {row[0] for row in reviewed if row[12] is not None}  # last review days were set
    notes = {row[1]: row for row in _rows(copied, "notes")}
    assert notes["guidD"][3:5] == ('["front changed", "back"]', " more changed ")
    assert notes["guidE"][3] == '["q", "a"]'
    assert notes["107"][3] == '["one field only", ""]'
    assert notes["guidH"][3] == '["a", "b"]'
    assert notes["guidF"][3:5] == ('["a later note", "with the same guid"]', " dupe ")
    assert notes["guidI"][3] == '["<div style=\\"color: red\\">x</div>", "<img>"]'
    assert notes["guidI"][5] == 1_700_000_700
    assert "guidJ" not in notes
    assert notes["guidK"][3] == json.dumps(['say "hi"\\ \t tab\x7f café', "€ 😀"])
    assert notes["guidL"][3] == '["plain front; no markup", "plain back [1]"]'
    assert notes["guidM"][3] == json.dumps(["nul\x00 inside", "second"])


def test_a_package_of_only_new_notes_copies_as_the_row_by_row_import(
    tmp_path: Path, clock: ManualClock
) -> None:
    """No guid twice and none in the collection: the copy numbers the new notes by itself."""
    files, outcomes = [], []
    for copy in (True, False):
        folder = tmp_path / str(copy)
        folder.mkdir()
        files.append(folder / "collection.sqlite3")
        database, _ = open_collection(sqlite_url(files[-1]), clock, folder / "media")
        path = folder / "a.apkg"
        path.write_bytes(_rich_package(unique=True))
        try:
            service = ImportService(database, clock, folder / "media", copy_packages=copy)
            outcomes.append(_summary(service.import_file(path)))
        finally:
            database.close()
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][:5] == (12, 0, 0, 15, 12)
    for table in ("decks", "notes", "cards", "review_log"):
        assert _rows(files[0], table) == _rows(files[1], table), table


def test_sanitized_fields_and_tags_equal_the_row_by_row_import(
    tmp_path: Path, clock: ManualClock
) -> None:
    """The guidF note alone (no later note of its guid): its sanitized fields and tags."""
    rows = []
    for copy in (True, False):
        folder = tmp_path / str(copy)
        folder.mkdir()
        file = folder / "collection.sqlite3"
        database, _ = open_collection(sqlite_url(file), clock, folder / "media")
        source = sqlite3.connect(":memory:")
        source.deserialize(modern_collection())
        source.execute(
            "INSERT INTO notes VALUES (?, ?, ?, ?, 0, ?, ?, '', 0, 0, '')", _MORE_NOTES[2]
        )
        source.execute(
            "INSERT INTO cards VALUES (?,?,?,?,0,0,?,?,?,?,?,?,?,?,?,?,?,?)", _MORE_CARDS[7]
        )
        source.commit()
        path = folder / "a.apkg"
        path.write_bytes(latest_package(collection=source.serialize()))
        try:
            ImportService(database, clock, folder / "media", copy_packages=copy).import_file(path)
        finally:
            database.close()
        rows.append(_rows(file, "notes"))
    assert rows[0] == rows[1]
    stored = next(row for row in rows[0] if row[1] == "guidF")
    assert stored[3:5] == (
        '["<b>bold</b>", "a &amp; b <a>link</a>&nbsp;"]',
        " tag1 tag2 x ",
    )
    assert stored[5:7] == (int(clock.now().timestamp()),) * 2  # no mod: made now


@pytest.mark.sqlite_only  # the copy attaches the package to a SQLite connection
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
        connection.exec_driver_sql("SELECT studyapp_fields('a', 1)")
    assert service.import_file(path).cards_added == 15


def _counts(database: Database) -> tuple[int, ...]:
    with database.engine.connect() as connection:
        return tuple(
            int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
            for table in ("notes", "cards", "review_log", "decks")
        )
