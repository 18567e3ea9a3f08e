"""Cards: the study queue's lookups and counts, and bulk writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from studyapp.domain.cards import (
    BuryKind,
    Card,
    CardState,
)
from studyapp.storage.rows import (
    card_columns,
    card_value,
    insert_rows,
    insert_tuples,
)
from studyapp.storage.schema import (
    ACTIVE_CARDS,
    CardRow,
)

CARD_ROW_COLUMNS = (
    "note_id",
    "deck_id",
    "ordinal",
    "state",
    "due",
    "interval",
    "step",
    "stability",
    "difficulty",
    "reps",
    "lapses",
    "last_review_day",
    "flag",
    "suspended",
    "buried",
    "modified_at",
)
"""The order of a `CardRow` tuple (see `Card` for the meaning of each value)."""
CardRowTuple = tuple[
    int, int, int, int, int, int, int, float | None, float | None, int, int, int | None, int,
    bool, int, int,
]  # fmt: skip


def in_decks(deck_ids: Sequence[int]) -> Any:
    """`deck_id IN (...)`; plain equality for one deck, so the queue index also gives the order."""
    if len(deck_ids) == 1:
        return CardRow.deck_id == deck_ids[0]
    return CardRow.deck_id.in_(deck_ids)


@dataclass(frozen=True, slots=True)
class StateCounts:
    """Cards a queue could show, per deck: new, (re)learning due today, reviews due today."""

    new: dict[int, int]
    learning: dict[int, int]
    review: dict[int, int]


class CardRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, card_id: int) -> Card | None:
        row = self._session.get(CardRow, card_id)
        return None if row is None else card_value(row)

    def for_note(self, note_id: int) -> list[Card]:
        rows = self._session.scalars(
            select(CardRow).where(CardRow.note_id == note_id).order_by(CardRow.ordinal)
        )
        return [card_value(r) for r in rows]

    def add(self, card: Card, modified_at: int) -> Card:
        row = CardRow(**card_columns(card), modified_at=modified_at)
        self._session.add(row)
        self._session.flush()
        return card_value(row)

    def add_many(self, cards: Sequence[Card], modified_at: int) -> list[int]:
        """Insert cards in bulk; returns their new ids in order."""
        if not cards:
            return []
        rows = [{**card_columns(card), "modified_at": modified_at} for card in cards]
        return insert_rows(self._session, CardRow.__table__, rows)  # type: ignore[arg-type]

    def add_rows(self, rows: Sequence[CardRowTuple]) -> Sequence[int]:
        """Insert cards given as plain tuples (`CARD_ROW_COLUMNS` order, states and bury kinds
        as ints), the bulk-import path; returns their new ids in order."""
        table = CardRow.__table__
        return insert_tuples(self._session, table, CARD_ROW_COLUMNS, rows)  # type: ignore[arg-type]

    def ids_by_note_and_ordinal(self, note_ids: Sequence[int]) -> dict[tuple[int, int], int]:
        found: dict[tuple[int, int], int] = {}
        for start in range(0, len(note_ids), 500):
            query = select(CardRow.note_id, CardRow.ordinal, CardRow.id).where(
                CardRow.note_id.in_(note_ids[start : start + 500])
            )
            for note_id, ordinal, card_id in self._session.execute(query):
                found[(note_id, ordinal)] = card_id
        return found

    def save(self, card: Card, modified_at: int) -> None:
        """Write every column of `card` (used after answering and to restore a snapshot)."""
        self._session.execute(
            update(CardRow)
            .where(CardRow.id == card.id)
            .values(**card_columns(card), modified_at=modified_at)
        )

    def next_new_position(self) -> int:
        latest = self._session.scalar(
            select(func.max(CardRow.due)).where(CardRow.state == int(CardState.NEW))
        )
        return 0 if latest is None else int(latest) + 1

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(CardRow)) or 0)

    def queue_counts(
        self,
        learn_before: int,
        today: int,
        new_caps: Mapping[int, int],
        review_caps: Mapping[int, int],
    ) -> StateCounts:
        """Active cards per deck: (re)learning due before `learn_before`, and new cards and
        reviews due today, each counted only up to the deck's cap (so the cost is bounded by
        the daily limits, not by the size of the deck)."""
        learning: dict[int, int] = {}
        for state in (CardState.LEARNING, CardState.RELEARNING):
            for deck_id, n in self._counts(
                new_caps, None, CardRow.state == int(state), CardRow.due < learn_before
            ).items():
                learning[deck_id] = learning.get(deck_id, 0) + n
        return StateCounts(
            new=self._counts(new_caps, new_caps, CardRow.state == int(CardState.NEW)),
            learning=learning,
            review=self._counts(
                review_caps,
                review_caps,
                CardRow.state == int(CardState.REVIEW),
                CardRow.due <= today,
            ),
        )

    def _counts(
        self, deck_ids: Iterable[int], caps: Mapping[int, int] | None, *conditions: Any
    ) -> dict[int, int]:
        """Matching active cards per deck, each count stopping at the deck's cap if given.

        One equality lookup per deck: the queue index then answers each count by itself.
        """
        counts: dict[int, int] = {}
        for deck_id in deck_ids:
            cap = None if caps is None else caps[deck_id]
            if cap is not None and cap <= 0:
                continue
            matching = select(CardRow.id).where(
                ACTIVE_CARDS, CardRow.deck_id == deck_id, *conditions
            )
            if cap is not None:
                matching = matching.limit(cap)
            count = self._session.scalar(select(func.count()).select_from(matching.subquery()))
            if count:
                counts[deck_id] = int(count)
        return counts

    def first_learning_due(self, deck_ids: Sequence[int], due_by: int | None) -> Card | None:
        """The (re)learning card due soonest, if it is due by `due_by` (None: whenever).

        One indexed lookup per state, so neither needs a sort.
        """
        found = []
        for state in (CardState.LEARNING, CardState.RELEARNING):
            query = (
                select(CardRow)
                .where(ACTIVE_CARDS, CardRow.state == int(state), in_decks(deck_ids))
                .order_by(CardRow.due, CardRow.id)
                .limit(1)
            )
            if due_by is not None:
                query = query.where(CardRow.due <= due_by)
            row = self._session.scalars(query).first()
            if row is not None:
                found.append(row)
        first = min(found, key=lambda row: (row.due, row.id), default=None)
        return None if first is None else card_value(first)

    def first_review_due(self, deck_ids: Sequence[int], today: int) -> Card | None:
        query = (
            select(CardRow)
            .where(
                ACTIVE_CARDS,
                CardRow.state == int(CardState.REVIEW),
                in_decks(deck_ids),
                CardRow.due <= today,
            )
            .order_by(CardRow.due, CardRow.id)
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else card_value(row)

    def first_new(self, deck_ids: Sequence[int]) -> Card | None:
        query = (
            select(CardRow)
            .where(ACTIVE_CARDS, CardRow.state == int(CardState.NEW), in_decks(deck_ids))
            .order_by(CardRow.due, CardRow.id)
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else card_value(row)

    def earliest_review_day(self, deck_ids: Sequence[int], after_day: int) -> int | None:
        day = self._session.scalar(
            select(func.min(CardRow.due)).where(
                ACTIVE_CARDS,
                CardRow.state == int(CardState.REVIEW),
                in_decks(deck_ids),
                CardRow.due > after_day,
            )
        )
        return None if day is None else int(day)

    def state_counts(self) -> dict[str, int]:
        """Counts over every card: by state, and how many are suspended or buried."""
        query = select(CardRow.state, func.count()).group_by(CardRow.state)
        by_state = {int(state): int(n) for state, n in self._session.execute(query)}
        suspended = self._session.scalar(select(func.count()).where(CardRow.suspended.is_(True)))
        buried = self._session.scalar(select(func.count()).where(CardRow.buried != 0))
        counts = {state.name.lower(): by_state.get(int(state), 0) for state in CardState}
        counts["suspended"] = int(suspended or 0)
        counts["buried"] = int(buried or 0)
        return counts

    def unbury_all(self) -> int:
        result = self._session.execute(
            update(CardRow).where(CardRow.buried != int(BuryKind.NONE)).values(buried=0)
        )
        return int(getattr(result, "rowcount", 0) or 0)
