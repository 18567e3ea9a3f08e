"""Notes and note types as the editor changes them: the collection's tags, and changing or
deleting note types."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from studyapp.domain.cards import Note, NoteType
from studyapp.storage.id_lists import id_chunks
from studyapp.storage.rows import note_type_columns, note_value
from studyapp.storage.schema import CardRow, NoteRow, NoteTypeRow, ReviewRow


class NoteStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Notes.

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
        """Every tag used in the collection, sorted case-insensitively; where spellings differ
        only in case, the one the oldest note uses."""
        found: dict[str, str] = {}
        oldest_first = select(NoteRow.tags).group_by(NoteRow.tags).order_by(func.min(NoteRow.id))
        for text in self._session.scalars(oldest_first):
            for tag in (text or "").split():
                found.setdefault(tag.casefold(), tag)
        return sorted(found.values(), key=str.casefold)

    # Note types.

    def update_note_type(self, note_type: NoteType) -> None:
        """Store every part of `note_type` (found by id)."""
        self._session.execute(
            update(NoteTypeRow)
            .where(NoteTypeRow.id == note_type.id)
            .values(**note_type_columns(note_type))
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
        for chunk in id_chunks(doomed):
            self._session.execute(delete(ReviewRow).where(ReviewRow.card_id.in_(chunk)))
            self._session.execute(delete(CardRow).where(CardRow.id.in_(chunk)))
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
