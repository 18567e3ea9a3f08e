"""Exact copies of rows, so that undo can put them back as they were.

A snapshot copies every column, those the domain values leave out included (a card's
`modified_at`, a note's document link), so reverting an action restores the very rows it changed
or deleted, with their ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from studyapp.storage.id_lists import id_chunks
from studyapp.storage.schema import Base, CardRow, DeckRow, NoteRow, ReviewRow
from studyapp.storage.snapshot_values import Row, RowSnapshot


class SnapshotRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def capture(
        self,
        *,
        deck_ids: Iterable[int] = (),
        note_ids: Iterable[int] = (),
        card_ids: Iterable[int] = (),
        reviews_of: Iterable[int] = (),
    ) -> RowSnapshot:
        """The rows with these ids as they are now; `reviews_of` lists cards whose whole review
        log is copied."""
        return RowSnapshot(
            decks=self._rows(DeckRow, DeckRow.id, deck_ids),
            notes=self._rows(NoteRow, NoteRow.id, note_ids),
            cards=self._rows(CardRow, CardRow.id, card_ids),
            reviews=self._rows(ReviewRow, ReviewRow.card_id, reviews_of),
        )

    def capture_notes(self, note_ids: Iterable[int]) -> RowSnapshot:
        """The notes with these ids as they are now, with all their cards and those cards' whole
        review log: everything deleting the notes removes."""
        notes = self._rows(NoteRow, NoteRow.id, note_ids)
        card_ids: list[int] = []
        for chunk in id_chunks([int(row["id"]) for row in notes]):
            query = select(CardRow.id).where(CardRow.note_id.in_(chunk))
            card_ids.extend(int(i) for i in self._session.scalars(query))
        return RowSnapshot(
            notes=notes,
            cards=self._rows(CardRow, CardRow.id, card_ids),
            reviews=self._rows(ReviewRow, ReviewRow.card_id, card_ids),
        )

    def delete_notes(self, note_ids: Iterable[int]) -> RowSnapshot:
        """Delete the notes with their cards and those cards' review log; returns every row
        that went, for `restore`."""
        deleted = self.capture_notes(note_ids)
        self.remove(deleted)
        return deleted

    def _rows(self, model: type[Base], key: Any, ids: Iterable[int]) -> tuple[Row, ...]:
        wanted = sorted(set(ids))
        table = model.__table__
        found: list[Row] = []
        for chunk in id_chunks(wanted):
            query = select(table).where(key.in_(chunk)).order_by(table.c.id)
            found.extend(dict(row._mapping) for row in self._session.execute(query))
        return tuple(found)

    def restore(self, snapshot: RowSnapshot) -> None:
        """Put every row of `snapshot` back: rows that still exist are overwritten, the others
        inserted again with their ids (decks first, review log last)."""
        for model, rows in (
            (DeckRow, snapshot.decks),
            (NoteRow, snapshot.notes),
            (CardRow, snapshot.cards),
            (ReviewRow, snapshot.reviews),
        ):
            self._put_back(model, rows)

    def _put_back(self, model: type[Base], rows: tuple[Row, ...]) -> None:
        if not rows:
            return
        table = model.__table__
        ids = [int(row["id"]) for row in rows]
        existing: set[int] = set()
        for chunk in id_chunks(ids):
            query = select(table.c.id).where(table.c.id.in_(chunk))
            existing.update(int(i) for i in self._session.scalars(query))
        again = [dict(row) for row in rows if int(row["id"]) not in existing]
        overwritten = [dict(row) for row in rows if int(row["id"]) in existing]
        if again:
            self._session.execute(insert(model), again)
        if overwritten:
            self._session.execute(update(model), overwritten)

    def remove(self, snapshot: RowSnapshot) -> None:
        """Delete every row `snapshot` names (review log first, decks last)."""
        for model, rows in (
            (ReviewRow, snapshot.reviews),
            (CardRow, snapshot.cards),
            (NoteRow, snapshot.notes),
            (DeckRow, snapshot.decks),
        ):
            table = model.__table__
            ids = [int(row["id"]) for row in rows]
            for chunk in id_chunks(ids):
                self._session.execute(delete(model).where(table.c.id.in_(chunk)))
