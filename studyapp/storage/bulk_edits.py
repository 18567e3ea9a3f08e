"""Changes to many cards or notes at once, and the snapshots that undo them.

Reads go through `IN (...)` lists of at most `_LISTED` ids; writes are one executemany per
statement, never a query per row.  Snapshots are plain column values (dicts), so an undo entry can
hold them outside any session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from studyapp.storage.schema import CardRow, NoteRow, ReviewRow

_LISTED = 500

Values = dict[str, Any]
"""Some columns of one row, its id included."""


@dataclass(frozen=True, slots=True)
class DeletedNotes:
    """Every row that deleting some notes removes, to put back on undo."""

    notes: tuple[Values, ...]
    cards: tuple[Values, ...]
    reviews: tuple[Values, ...]


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _LISTED):
        yield ids[start : start + _LISTED]


def _whole_rows(session: Session, table: Table, key: Any, ids: Sequence[int]) -> list[Values]:
    rows: list[Values] = []
    for chunk in _chunks(ids):
        query = select(table).where(key.in_(chunk)).order_by(table.c.id)
        rows.extend(dict(row) for row in session.execute(query).mappings())
    return rows


class BulkEdits:
    def __init__(self, session: Session) -> None:
        self._session = session

    def card_values(self, card_ids: Sequence[int], columns: Sequence[str]) -> list[Values]:
        """`columns` (and the id) of each card that exists, by id."""
        chosen = [CardRow.id, *(getattr(CardRow, name) for name in columns)]
        rows: list[Values] = []
        for chunk in _chunks(card_ids):
            query = select(*chosen).where(CardRow.id.in_(chunk)).order_by(CardRow.id)
            rows.extend(dict(row) for row in self._session.execute(query).mappings())
        return rows

    def note_values(self, note_ids: Sequence[int], columns: Sequence[str]) -> list[Values]:
        """`columns` (and the id) of each note that exists, by id."""
        chosen = [NoteRow.id, *(getattr(NoteRow, name) for name in columns)]
        rows: list[Values] = []
        for chunk in _chunks(note_ids):
            query = select(*chosen).where(NoteRow.id.in_(chunk)).order_by(NoteRow.id)
            rows.extend(dict(row) for row in self._session.execute(query).mappings())
        return rows

    def update_cards(self, rows: Sequence[Values]) -> None:
        """Write each row's columns to the card with its id: one executemany."""
        if rows:
            self._session.execute(update(CardRow), list(rows))

    def update_notes(self, rows: Sequence[Values]) -> None:
        """Write each row's columns to the note with its id: one executemany."""
        if rows:
            self._session.execute(update(NoteRow), list(rows))

    def add_reviews(self, rows: Sequence[Values]) -> list[Values]:
        """Log review-log rows (without ids), at most one per card: batched inserts.  Returns
        them with their new ids, to delete them on undo and put them back on redo."""
        if not rows:
            return []
        statement = insert(ReviewRow).returning(ReviewRow.card_id, ReviewRow.id)
        ids: dict[int, int] = dict(self._session.execute(statement, list(rows)).all())
        return [{**row, "id": ids[row["card_id"]]} for row in rows]

    def delete_reviews(self, rows: Sequence[Values]) -> None:
        """Delete the review-log rows with these rows' ids."""
        for chunk in _chunks([row["id"] for row in rows]):
            self._session.execute(delete(ReviewRow).where(ReviewRow.id.in_(chunk)))

    def restore_reviews(self, rows: Sequence[Values]) -> None:
        """Put deleted review-log rows back with their ids: one executemany."""
        if rows:
            self._session.execute(insert(ReviewRow), list(rows))

    def note_ids_of_cards(self, card_ids: Sequence[int]) -> list[int]:
        found: set[int] = set()
        for chunk in _chunks(card_ids):
            query = select(CardRow.note_id).where(CardRow.id.in_(chunk))
            found.update(self._session.execute(query).scalars())
        return sorted(found)

    def card_ids_of_notes(self, note_ids: Sequence[int]) -> list[int]:
        found: list[int] = []
        for chunk in _chunks(note_ids):
            query = select(CardRow.id).where(CardRow.note_id.in_(chunk))
            found.extend(self._session.execute(query).scalars())
        return sorted(found)

    def delete_notes(self, note_ids: Sequence[int]) -> DeletedNotes:
        """Delete the notes with their cards and review history; returns what was deleted."""
        card_ids = self.card_ids_of_notes(note_ids)
        deleted = DeletedNotes(
            notes=tuple(_whole_rows(self._session, NoteRow.__table__, NoteRow.id, note_ids)),  # type: ignore[arg-type]
            cards=tuple(_whole_rows(self._session, CardRow.__table__, CardRow.id, card_ids)),  # type: ignore[arg-type]
            reviews=tuple(
                _whole_rows(self._session, ReviewRow.__table__, ReviewRow.card_id, card_ids)  # type: ignore[arg-type]
            ),
        )
        for chunk in _chunks(card_ids):
            self._session.execute(delete(ReviewRow).where(ReviewRow.card_id.in_(chunk)))
            self._session.execute(delete(CardRow).where(CardRow.id.in_(chunk)))
        for chunk in _chunks(note_ids):
            self._session.execute(delete(NoteRow).where(NoteRow.id.in_(chunk)))
        return deleted

    def restore_notes(self, deleted: DeletedNotes) -> None:
        """Put deleted notes, cards and reviews back with their ids (one executemany each)."""
        for table, rows in (
            (NoteRow, deleted.notes),
            (CardRow, deleted.cards),
            (ReviewRow, deleted.reviews),
        ):
            if rows:
                self._session.execute(insert(table), list(rows))

    def redelete_notes(self, deleted: DeletedNotes) -> None:
        """Delete again what `delete_notes` deleted (redo)."""
        self.delete_notes([row["id"] for row in deleted.notes])
