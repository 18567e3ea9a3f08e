"""Changes to many cards or notes at once, and the column values that undo them.

Reads go through `IN (...)` lists of at most `LISTED` ids; writes are one executemany per
statement, never a query per row.  Snapshots are plain column values (dicts), so an undo entry can
hold them outside any session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from studyapp.storage.id_lists import id_chunks
from studyapp.storage.schema import CardRow, NoteRow, ReviewRow

Values = dict[str, Any]
"""Some columns of one row, its id included."""


class BulkEdits:
    def __init__(self, session: Session) -> None:
        self._session = session

    def card_values(self, card_ids: Sequence[int], columns: Sequence[str]) -> list[Values]:
        """`columns` (and the id) of each card that exists, by id."""
        return self._values(CardRow, card_ids, columns)

    def note_values(self, note_ids: Sequence[int], columns: Sequence[str]) -> list[Values]:
        """`columns` (and the id) of each note that exists, by id."""
        return self._values(NoteRow, note_ids, columns)

    def _values(
        self, model: type[CardRow | NoteRow], ids: Sequence[int], columns: Sequence[str]
    ) -> list[Values]:
        chosen = [model.id, *(getattr(model, name) for name in columns)]
        rows: list[Values] = []
        for chunk in id_chunks(ids):
            query = select(*chosen).where(model.id.in_(chunk)).order_by(model.id)
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
        for chunk in id_chunks([row["id"] for row in rows]):
            self._session.execute(delete(ReviewRow).where(ReviewRow.id.in_(chunk)))

    def restore_reviews(self, rows: Sequence[Values]) -> None:
        """Put deleted review-log rows back with their ids: one executemany."""
        if rows:
            self._session.execute(insert(ReviewRow), list(rows))

    def note_ids_of_cards(self, card_ids: Sequence[int]) -> list[int]:
        found: set[int] = set()
        for chunk in id_chunks(card_ids):
            query = select(CardRow.note_id).where(CardRow.id.in_(chunk))
            found.update(self._session.execute(query).scalars())
        return sorted(found)

    def card_ids_of_notes(self, note_ids: Sequence[int]) -> list[int]:
        found: list[int] = []
        for chunk in id_chunks(note_ids):
            query = select(CardRow.id).where(CardRow.note_id.in_(chunk))
            found.extend(self._session.execute(query).scalars())
        return sorted(found)
