"""Bulk inserts for imports: notes, cards and review-log rows given as plain tuples.

On SQLite the rows go straight to the driver's executemany, their ids given here (after the
table's largest, read once: the write transaction holds the database), so no ORM object, no
SQLAlchemy parameter processing and no RETURNING is paid per row. Elsewhere (PostgreSQL) they go
through SQLAlchemy's insert, which returns the new ids in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm import Session

from studyapp.storage.package_copy import PackageCopy, attached_package
from studyapp.storage.rows import insert_rows, is_sqlite, json_strings, tag_text
from studyapp.storage.schema import CardRow, NoteRow, ReviewRow

NoteRowTuple = tuple[str, int, tuple[str, ...], tuple[str, ...], int, int]
"""A new note: guid, note type id, fields, tags, created at, modified at (epoch seconds)."""
CARD_ROW_COLUMNS = (
    "note_id", "deck_id", "ordinal", "state", "due", "interval", "step", "stability",
    "difficulty", "reps", "lapses", "last_review_day", "flag", "suspended", "buried",
    "modified_at",
)  # fmt: skip
"""The order of a `CardRowTuple` (see `Card` for the meaning of each value)."""
CardRowTuple = tuple[
    int, int, int, int, int, int, int, float | None, float | None, int, int, int | None, int,
    bool, int, int,
]  # fmt: skip
REVIEW_ROW_COLUMNS = (
    "card_id", "reviewed_at", "kind", "rating", "state_before", "last_interval", "interval",
    "time_taken_ms", "source_id",
)  # fmt: skip
"""The order of a `ReviewRowTuple` (see `Review`); stability and difficulty stay empty."""
ReviewRowTuple = tuple[int, int, int, int | None, int, int, int, int, str]
_NOTE_COLUMNS = ("guid", "note_type_id", "fields", "tags", "created_at", "modified_at")
_NOTES = cast(Table, NoteRow.__table__)
_CARDS = cast(Table, CardRow.__table__)
_REVIEWS = cast(Table, ReviewRow.__table__)


class ImportWriter:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._next_ids: dict[str, int] = {}

    def _sqlite(self) -> Connection | None:
        """The connection of this transaction on SQLite (statements go to the driver as they
        are, its errors still become SQLAlchemy's), or None on another database."""
        return self._session.connection() if is_sqlite(self._session) else None

    def _ids(self, table: Table, count: int) -> range:
        """`count` new ids for `table`, after its largest (and after those handed out)."""
        first = self._next_ids.get(table.name)
        if first is None:
            largest = self._session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
            first = int(largest or 0) + 1
        self._next_ids[table.name] = first + count
        return range(first, first + count)

    def can_copy_package(self) -> bool:
        """Whether `copy_package` works here (SQLite)."""
        return is_sqlite(self._session)

    @contextmanager
    def package_copy(self, database: Callable[[], bytes | bytearray]) -> Iterator[PackageCopy]:
        """An Anki package's database (asked of `database()`), attached to copy its notes,
        cards and reviews with SQL (see `package_copy`). Only where `can_copy_package()`."""
        driver = self._sqlite()
        if driver is None:
            raise RuntimeError("copying a package's rows needs SQLite")
        with attached_package(
            driver,
            database,
            lambda count: self._ids(_NOTES, count),
            lambda count: self._ids(_CARDS, count),
        ) as copy:
            yield copy

    def add_notes(self, rows: Sequence[NoteRowTuple]) -> Sequence[int]:
        """Insert notes; their new ids, in order."""
        if not rows:
            return ()
        driver = self._sqlite()
        if driver is None:
            dicts = [
                {**dict(zip(_NOTE_COLUMNS, row, strict=True)), "fields": list(row[2]),
                 "tags": tag_text(row[3])}
                for row in rows
            ]  # fmt: skip
            return insert_rows(self._session, _NOTES, dicts)
        ids = self._ids(_NOTES, len(rows))
        driver.exec_driver_sql(
            "INSERT INTO notes (id, guid, note_type_id, fields, tags, created_at, modified_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (note_id, guid, type_id, json_strings(fields), tag_text(tags), created, modified)
                for note_id, (guid, type_id, fields, tags, created, modified) in zip(
                    ids, rows, strict=True
                )
            ],
        )
        return ids

    def add_cards(self, rows: Sequence[CardRowTuple]) -> Sequence[int]:
        """Insert cards (states and bury kinds as ints); their new ids, in order."""
        if not rows:
            return ()
        driver = self._sqlite()
        if driver is None:
            dicts = [dict(zip(CARD_ROW_COLUMNS, row, strict=True)) for row in rows]
            return insert_rows(self._session, _CARDS, dicts)
        ids = self._ids(_CARDS, len(rows))
        marks = ", ".join("?" * (len(CARD_ROW_COLUMNS) + 1))
        driver.exec_driver_sql(
            f"INSERT INTO cards (id, {', '.join(CARD_ROW_COLUMNS)}) VALUES ({marks})",
            [(card_id, *row) for card_id, row in zip(ids, rows, strict=True)],
        )
        return ids

    def add_reviews(self, rows: Sequence[ReviewRowTuple]) -> None:
        """Insert review-log rows."""
        if not rows:
            return
        driver = self._sqlite()
        if driver is None:
            dicts: list[dict[str, Any]] = [
                dict(zip(REVIEW_ROW_COLUMNS, row, strict=True)) for row in rows
            ]
            self._session.execute(insert(_REVIEWS), dicts)
            return
        marks = ", ".join("?" * len(REVIEW_ROW_COLUMNS))
        driver.exec_driver_sql(
            f"INSERT INTO review_log ({', '.join(REVIEW_ROW_COLUMNS)}) VALUES ({marks})",
            rows,
        )
