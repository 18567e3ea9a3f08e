"""Reads for exporting a deck or the whole collection."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.domain.cards import Card, Note, Review
from studyapp.storage.review_repository import review_value
from studyapp.storage.rows import card_value, note_value
from studyapp.storage.schema import CardRow, NoteRow, ReviewRow

_CHUNK = 500


class ExportQueries:
    def __init__(self, session: Session) -> None:
        self._session = session

    def cards_in_decks(self, deck_ids: Sequence[int]) -> list[Card]:
        cards: list[Card] = []
        for start in range(0, len(deck_ids), _CHUNK):
            query = (
                select(CardRow)
                .where(CardRow.deck_id.in_(deck_ids[start : start + _CHUNK]))
                .order_by(CardRow.id)
            )
            cards.extend(card_value(row) for row in self._session.scalars(query))
        return cards

    def notes(self, note_ids: Sequence[int]) -> list[Note]:
        notes: list[Note] = []
        for start in range(0, len(note_ids), _CHUNK):
            query = select(NoteRow).where(NoteRow.id.in_(note_ids[start : start + _CHUNK]))
            notes.extend(note_value(row) for row in self._session.scalars(query))
        return sorted(notes, key=lambda note: note.id)

    def reviews(self, card_ids: Sequence[int]) -> list[Review]:
        reviews: list[Review] = []
        for start in range(0, len(card_ids), _CHUNK):
            query = select(ReviewRow).where(ReviewRow.card_id.in_(card_ids[start : start + _CHUNK]))
            reviews.extend(review_value(row) for row in self._session.scalars(query))
        return sorted(reviews, key=lambda review: (review.reviewed_at, review.id))

    def first_created(self) -> int | None:
        value = self._session.scalar(select(func.min(NoteRow.created_at)))
        return None if value is None else int(value)
