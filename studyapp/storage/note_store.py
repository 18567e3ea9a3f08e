"""Notes and note types as the editor changes them: deleting a note (and undoing that exactly),
the collection's tags, and changing or deleting note types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from studyapp.domain.cards import Note, NoteType
from studyapp.storage.rows import note_value
from studyapp.storage.schema import CardRow, NoteRow, NoteTypeRow, ReviewRow

_LISTED = 500
"""Values per `IN (...)` list."""


@dataclass(frozen=True, slots=True)
class NoteSnapshot:
    """Every stored column of a note, of its cards and of their review-log rows, so that a
    deleted note can be put back exactly as it was (ids, schedules, history, provenance)."""

    note_id: int
    note: dict[str, Any]
    cards: tuple[dict[str, Any], ...]
    reviews: tuple[dict[str, Any], ...]


def _columns(row: Any) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


class NoteStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Notes.

    def snapshot(self, note_id: int) -> NoteSnapshot | None:
        note = self._session.get(NoteRow, note_id)
        if note is None:
            return None
        cards = list(self._session.scalars(select(CardRow).where(CardRow.note_id == note_id)))
        card_ids = [card.id for card in cards]
        reviews = list(
            self._session.scalars(
                select(ReviewRow).where(ReviewRow.card_id.in_(card_ids)).order_by(ReviewRow.id)
            )
        )
        return NoteSnapshot(
            note_id,
            _columns(note),
            tuple(_columns(card) for card in cards),
            tuple(_columns(review) for review in reviews),
        )

    def delete(self, note_id: int) -> None:
        """Delete the note, its cards and their review-log rows."""
        card_ids = list(self._session.scalars(select(CardRow.id).where(CardRow.note_id == note_id)))
        self.delete_cards(card_ids)
        self._session.execute(delete(NoteRow).where(NoteRow.id == note_id))
        self._session.expire_all()

    def restore(self, snapshot: NoteSnapshot) -> None:
        """Insert a deleted note again, with its cards and review-log rows, under their ids."""
        self._session.execute(insert(NoteRow), [snapshot.note])
        self.restore_cards(snapshot.cards, snapshot.reviews)

    def restore_cards(
        self, cards: Sequence[dict[str, Any]], reviews: Sequence[dict[str, Any]] = ()
    ) -> None:
        """Insert deleted cards (rows from a snapshot) again, with their review-log rows."""
        if cards:
            self._session.execute(insert(CardRow), list(cards))
        if reviews:
            self._session.execute(insert(ReviewRow), list(reviews))

    def delete_cards(self, card_ids: Sequence[int]) -> None:
        """Delete these cards and their review-log rows."""
        for start in range(0, len(card_ids), _LISTED):
            chunk = card_ids[start : start + _LISTED]
            self._session.execute(delete(ReviewRow).where(ReviewRow.card_id.in_(chunk)))
            self._session.execute(delete(CardRow).where(CardRow.id.in_(chunk)))
        self._session.expire_all()

    def first_fields(self, note_type_id: int) -> list[tuple[int, str]]:
        """(id, first field) of every note of a type, for duplicate checks."""
        first = NoteRow.fields[0].as_string()
        query = select(NoteRow.id, first).where(NoteRow.note_type_id == note_type_id)
        return [(int(note_id), str(value or "")) for note_id, value in self._session.execute(query)]

    def of_type(self, note_type_id: int, limit: int | None = None) -> list[Note]:
        """The notes of a type, oldest first (the first `limit` of them, if given)."""
        query = select(NoteRow).where(NoteRow.note_type_id == note_type_id).order_by(NoteRow.id)
        if limit is not None:
            query = query.limit(limit)
        return [note_value(row) for row in self._session.scalars(query)]

    def count_of_type(self, note_type_id: int) -> int:
        query = select(func.count()).where(NoteRow.note_type_id == note_type_id)
        return int(self._session.scalar(query) or 0)

    def set_fields(self, note_id: int, fields: Sequence[str]) -> None:
        """Replace a note's field list (the note type's fields were added, moved or removed)."""
        self._session.execute(
            update(NoteRow).where(NoteRow.id == note_id).values(fields=list(fields))
        )

    def tags(self) -> list[str]:
        """Every tag used in the collection, sorted case-insensitively."""
        found: dict[str, str] = {}
        for text in self._session.scalars(select(NoteRow.tags).distinct()):
            for tag in (text or "").split():
                found.setdefault(tag.casefold(), tag)
        return sorted(found.values(), key=str.casefold)

    # Note types.

    def update_note_type(self, note_type: NoteType) -> None:
        """Store every part of `note_type` (found by id)."""
        self._session.execute(
            update(NoteTypeRow)
            .where(NoteTypeRow.id == note_type.id)
            .values(
                name=note_type.name,
                kind=int(note_type.kind),
                fields=list(note_type.fields),
                templates=[
                    {"name": t.name, "front": t.front, "back": t.back} for t in note_type.templates
                ],
                css=note_type.css,
                markdown=note_type.markdown,
                sort_field=note_type.sort_field,
            )
        )
        self._session.expire_all()

    def delete_note_type(self, note_type_id: int) -> None:
        self._session.execute(delete(NoteTypeRow).where(NoteTypeRow.id == note_type_id))

    def remove_template_cards(self, note_type_id: int, ordinal: int) -> None:
        """Delete the cards of template `ordinal` of a note type; later templates' cards move
        down one ordinal."""
        notes = select(NoteRow.id).where(NoteRow.note_type_id == note_type_id)
        doomed = list(
            self._session.scalars(
                select(CardRow.id).where(CardRow.note_id.in_(notes), CardRow.ordinal == ordinal)
            )
        )
        self.delete_cards(doomed)
        highest = self._session.scalar(
            select(func.max(CardRow.ordinal)).where(CardRow.note_id.in_(notes))
        )
        # One ordinal at a time, upwards, so (note, ordinal) stays unique after every row.
        for later in range(ordinal + 1, int(highest if highest is not None else ordinal) + 1):
            self._session.execute(
                update(CardRow)
                .where(CardRow.note_id.in_(notes), CardRow.ordinal == later)
                .values(ordinal=later - 1)
            )
