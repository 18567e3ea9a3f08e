"""Queries for scheduling tools: review histories to fit, workload inputs, backlogs, filtered decks.

A card's home deck is `home_deck_id` while it sits in a filtered deck, else `deck_id`: histories,
workloads and backlogs count cards by their home deck.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from studyapp.domain.cards import Card, CardState, ReviewKind
from studyapp.storage.rows import card_value
from studyapp.storage.schema import ACTIVE_CARDS, CardRow, NoteRow, ReviewRow

_LISTED = 500
"""Values per `IN (...)` list."""

HistoryRow = tuple[int, int, int, int]
"""(card id, reviewed at in epoch milliseconds, rating 1..4, state before)."""


def _home_in(deck_ids: Sequence[int]) -> ColumnElement[bool]:
    return func.coalesce(CardRow.home_deck_id, CardRow.deck_id).in_(list(deck_ids))


def _chunks(values: Sequence[int]) -> list[list[int]]:
    return [list(values[i : i + _LISTED]) for i in range(0, len(values), _LISTED)]


class PlanningQueries:
    def __init__(self, session: Session) -> None:
        self._session = session

    def rated_history_rows(self, deck_ids: Sequence[int]) -> list[HistoryRow]:
        """The rated reviews of the cards whose home deck is in `deck_ids`, card by card in time
        order.  Cramming answers (filtered reviews that left the memory state alone, logged
        without a stability) are left out: they say nothing about the schedule."""
        query = (
            select(
                ReviewRow.card_id, ReviewRow.reviewed_at, ReviewRow.rating, ReviewRow.state_before
            )
            .join(CardRow, CardRow.id == ReviewRow.card_id)
            .where(
                _home_in(deck_ids),
                ReviewRow.rating.is_not(None),
                or_(ReviewRow.kind != int(ReviewKind.FILTERED), ReviewRow.stability.is_not(None)),
            )
            .order_by(ReviewRow.card_id, ReviewRow.reviewed_at, ReviewRow.id)
        )
        return [
            (int(card), int(at), int(rating or 0), int(state))
            for card, at, rating, state in self._session.execute(query)
        ]

    def average_answer_ms(self, deck_ids: Sequence[int]) -> dict[ReviewKind, tuple[float, int]]:
        """Per kind of answer (learn, review, relearn): (average milliseconds, count)."""
        kinds = [int(ReviewKind.LEARN), int(ReviewKind.REVIEW), int(ReviewKind.RELEARN)]
        query = (
            select(ReviewRow.kind, func.avg(ReviewRow.time_taken_ms), func.count())
            .join(CardRow, CardRow.id == ReviewRow.card_id)
            .where(_home_in(deck_ids), ReviewRow.rating.is_not(None), ReviewRow.kind.in_(kinds))
            .group_by(ReviewRow.kind)
        )
        return {
            ReviewKind(kind): (float(average or 0.0), int(count))
            for kind, average, count in self._session.execute(query)
        }

    def active_cards(self, deck_ids: Sequence[int]) -> list[Card]:
        """Every card neither suspended nor buried whose home deck is in `deck_ids`."""
        query = select(CardRow).where(ACTIVE_CARDS, _home_in(deck_ids)).order_by(CardRow.id)
        return [card_value(row) for row in self._session.scalars(query)]

    def due_reviews(self, deck_ids: Sequence[int], today: int) -> list[Card]:
        """Active review cards in `deck_ids` (not in filtered decks) due on or before `today`."""
        query = (
            select(CardRow)
            .where(
                ACTIVE_CARDS,
                CardRow.deck_id.in_(list(deck_ids)),
                CardRow.state == int(CardState.REVIEW),
                CardRow.due <= today,
            )
            .order_by(CardRow.id)
        )
        return [card_value(row) for row in self._session.scalars(query)]

    def count_due_reviews(self, deck_ids: Sequence[int], today: int) -> int:
        query = select(func.count()).where(
            ACTIVE_CARDS,
            CardRow.deck_id.in_(list(deck_ids)),
            CardRow.state == int(CardState.REVIEW),
            CardRow.due <= today,
        )
        return int(self._session.scalar(query) or 0)

    # Filtered decks.

    def in_deck(self, deck_id: int) -> list[Card]:
        """The active cards sitting in `deck_id` itself (for a filtered deck: what it holds)."""
        query = select(CardRow).where(ACTIVE_CARDS, CardRow.deck_id == deck_id).order_by(CardRow.id)
        return [card_value(row) for row in self._session.scalars(query)]

    def ids_in(self, deck_id: int) -> list[int]:
        """Every card sitting in `deck_id` itself, suspended and buried ones too."""
        query = select(CardRow.id).where(CardRow.deck_id == deck_id).order_by(CardRow.id)
        return [int(card_id) for card_id in self._session.scalars(query)]

    def gatherable_among(self, card_ids: Sequence[int]) -> list[Card]:
        """Those of `card_ids` a filtered deck may gather (active, in no filtered deck), in the
        order given."""
        found: dict[int, Card] = {}
        for chunk in _chunks(card_ids):
            query = select(CardRow).where(
                ACTIVE_CARDS, CardRow.home_deck_id.is_(None), CardRow.id.in_(chunk)
            )
            found.update((row.id, card_value(row)) for row in self._session.scalars(query))
        return [found[i] for i in card_ids if i in found]

    def tags_in(self, deck_ids: Sequence[int]) -> list[str]:
        """The tags of the notes with cards in `deck_ids`, sorted case-insensitively."""
        query = (
            select(NoteRow.tags)
            .distinct()
            .join(CardRow, CardRow.note_id == NoteRow.id)
            .where(_home_in(deck_ids), NoteRow.tags != "")
        )
        tags = {tag for text in self._session.scalars(query) for tag in text.split()}
        return sorted(tags, key=str.casefold)

    def move_into(self, card_ids: Sequence[int], filtered_deck_id: int) -> None:
        """Put cards in a filtered deck, remembering their home deck."""
        for chunk in _chunks(card_ids):
            self._session.execute(
                update(CardRow)
                .where(CardRow.id.in_(chunk), CardRow.home_deck_id.is_(None))
                .values(home_deck_id=CardRow.deck_id, deck_id=filtered_deck_id)
            )

    def send_home(self, filtered_deck_id: int, card_ids: Sequence[int] | None = None) -> int:
        """Return the cards of a filtered deck (all, or just `card_ids`) to their home decks."""
        condition = and_(CardRow.deck_id == filtered_deck_id, CardRow.home_deck_id.is_not(None))
        moved = 0
        for chunk in [None] if card_ids is None else _chunks(card_ids):
            where = condition if chunk is None else and_(condition, CardRow.id.in_(chunk))
            result = self._session.execute(
                update(CardRow).where(where).values(deck_id=CardRow.home_deck_id, home_deck_id=None)
            )
            moved += int(getattr(result, "rowcount", 0) or 0)
        return moved

    def last_answers(
        self, card_ids: Sequence[int], kind: ReviewKind, since_ms: int
    ) -> dict[int, tuple[int, int]]:
        """The latest answer of `kind` since `since_ms` per card: (epoch milliseconds, rating)."""
        found: dict[int, tuple[int, int]] = {}
        for chunk in _chunks(card_ids):
            query = (
                select(ReviewRow.card_id, ReviewRow.reviewed_at, ReviewRow.rating)
                .where(
                    ReviewRow.card_id.in_(chunk),
                    ReviewRow.kind == int(kind),
                    ReviewRow.reviewed_at >= since_ms,
                    ReviewRow.rating.is_not(None),
                )
                .order_by(ReviewRow.card_id, ReviewRow.reviewed_at, ReviewRow.id)
            )
            found.update(
                (int(card), (int(at), int(rating or 0)))
                for card, at, rating in self._session.execute(query)
            )
        return found
