"""Scheduling queries beyond the plain queue: load per day, sorted queues, bulk rescheduling
(and undoing it), and the columns exam projections read.

Every query here stays within the cards indexes: the per-day load reads `ix_cards_stats_due`
(state, due, suspended, buried) alone, and the sorted queues read the due review cards of the
queue index's range, sorting by an expression in SQL so that no card list reaches Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Float,
    bindparam,
    case,
    cast,
    delete,
    false,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from studyapp.storage.transaction_link import TransactionLink

from studyapp.domain.cards import Card, CardState, ReviewKind
from studyapp.domain.decks import ReviewOrder
from studyapp.domain.exam_projection import CardColumns
from studyapp.storage.card_repository import in_decks
from studyapp.storage.driver_statements import Prepared
from studyapp.storage.rows import card_value
from studyapp.storage.schema import ACTIVE_CARDS, CardRow, ReviewRow

_RANDOM_MULTIPLIER = 2_654_435_761
"""Knuth's multiplicative hash: card id times this, modulo 2**32, is a fixed pseudo-random key."""
_RANDOM_MODULUS = 4_294_967_296


@dataclass(frozen=True, slots=True)
class MemoryRow:
    """What a projection needs of one card: where it is and its memory state."""

    card_id: int
    deck_id: int
    state: CardState
    due: int
    interval: int
    stability: float | None
    difficulty: float | None
    last_review_day: int | None


def _positive(column: Any) -> Any:
    """`column` where it is above 0, else 1 (a divisor that never is 0)."""
    return case((column > 0, column), else_=1)


def _review_sort_key(order: ReviewOrder, today: int) -> Any:
    """An expression that sorts due review cards most urgent first under `order` (not DUE)."""
    last_review = func.coalesce(CardRow.last_review_day, CardRow.due - CardRow.interval)
    elapsed = cast(today - last_review, Float)
    if order is ReviewOrder.RETRIEVABILITY:
        # Recall falls as elapsed / stability grows (for the preset's one forgetting curve).
        stability = func.coalesce(CardRow.stability, cast(_positive(CardRow.interval), Float))
        return (elapsed / stability).desc()
    overdue = cast(today - CardRow.due, Float)
    return (overdue / cast(_positive(CardRow.interval), Float)).desc()


_DUE_LOADS = Prepared(
    select(CardRow.due, func.count())
    .where(
        CardRow.state == int(CardState.REVIEW),
        CardRow.due >= bindparam("first_day"),
        CardRow.due <= bindparam("last_day"),
        CardRow.suspended == false(),
    )
    .group_by(CardRow.due)
)
"""Load balancing reads it while a card is shown and answered: run on the driver."""


class ScheduleQueries:
    def __init__(self, link: TransactionLink) -> None:
        self._link = link

    @property
    def _session(self) -> Session:
        return self._link.session

    def due_loads(self, first_day: int, last_day: int) -> dict[int, int]:
        """Review cards (not suspended) due on each study day from `first_day` to `last_day`,
        in every deck; days with none are left out."""
        rows = self._link.driver.rows(_DUE_LOADS, {"first_day": first_day, "last_day": last_day})
        return {int(day): int(n) for day, n in rows}

    def first_new_random(self, deck_ids: Sequence[int]) -> Card | None:
        """The first new card in a fixed random order: a hash of the card id, so the order
        stays the same from one call to the next and new cards fall anywhere in it."""
        # In 64-bit integers: the product overflows PostgreSQL's 32-bit INTEGER.
        key = (cast(CardRow.id, BigInteger) * literal(_RANDOM_MULTIPLIER, BigInteger)) % literal(
            _RANDOM_MODULUS, BigInteger
        )
        query = (
            select(CardRow)
            .where(ACTIVE_CARDS, CardRow.state == int(CardState.NEW), in_decks(deck_ids))
            .order_by(key, CardRow.id)
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else card_value(row)

    def first_review_sorted(
        self, deck_ids: Sequence[int], today: int, order: ReviewOrder
    ) -> Card | None:
        """The due review card to show first under `order` (RETRIEVABILITY: lowest predicted
        recall; OVERDUENESS: most days overdue relative to the interval); ties by due, then id."""
        query = (
            select(CardRow)
            .where(
                ACTIVE_CARDS,
                CardRow.state == int(CardState.REVIEW),
                in_decks(deck_ids),
                CardRow.due <= today,
            )
            .order_by(_review_sort_key(order, today), CardRow.due, CardRow.id)
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else card_value(row)

    def review_cards(self, deck_ids: Sequence[int]) -> list[Card]:
        """Every review card (suspended and buried ones too) in the decks, by id."""
        query = (
            select(CardRow)
            .where(CardRow.state == int(CardState.REVIEW), CardRow.deck_id.in_(deck_ids))
            .order_by(CardRow.id)
        )
        return [card_value(row) for row in self._session.scalars(query)]

    def memory_rows(self, deck_ids: Sequence[int]) -> list[MemoryRow]:
        """Every card of the decks that is not suspended, as a lean row, by id."""
        query = (
            select(
                CardRow.id,
                CardRow.deck_id,
                CardRow.state,
                CardRow.due,
                CardRow.interval,
                CardRow.stability,
                CardRow.difficulty,
                CardRow.last_review_day,
            )
            .where(CardRow.deck_id.in_(deck_ids), CardRow.suspended == false())
            .order_by(CardRow.id)
        )
        return [
            MemoryRow(
                card_id, deck_id, CardState(state), due, interval, stability, difficulty, last
            )
            for card_id, deck_id, state, due, interval, stability, difficulty, last in (
                self._session.execute(query)
            )
        ]

    def memory_columns(self, deck_ids: Sequence[int]) -> CardColumns:
        """Every card of the decks that is not suspended, by id, as the columns a projection
        reads (one query, no row objects)."""
        query = (
            select(
                CardRow.deck_id,
                CardRow.state,
                CardRow.due,
                CardRow.stability,
                CardRow.difficulty,
                CardRow.last_review_day,
            )
            .where(CardRow.deck_id.in_(deck_ids), CardRow.suspended == false())
            .order_by(CardRow.id)
        )
        rows = self._session.connection().execute(query).all()
        # One pass per column with itemgetter: several times faster than zip(*rows) on Rows.
        deck_id, state, due, stability, difficulty, last_review_day = (
            list(map(itemgetter(column), rows)) for column in range(6)
        )
        return CardColumns(deck_id, state, due, stability, difficulty, last_review_day)

    def set_schedules(self, schedules: Sequence[tuple[int, int, int]], modified_at: int) -> None:
        """Set (card id, due, interval) for many cards in one executemany."""
        if not schedules:
            return
        statement = (
            update(CardRow)
            .where(CardRow.id == bindparam("card_id"))
            .values(due=bindparam("new_due"), interval=bindparam("new_interval"))
            .values(modified_at=modified_at)
        )
        self._session.connection().execute(
            statement,
            [
                {"card_id": card_id, "new_due": due, "new_interval": interval}
                for card_id, due, interval in schedules
            ],
        )

    def delete_rescheduled_rows(self, card_ids: Sequence[int], reviewed_at_ms: int) -> None:
        """Delete the RESCHEDULED review-log rows of these cards logged at `reviewed_at_ms`
        (undoing a batch of reschedules), in one executemany."""
        if not card_ids:
            return
        statement = delete(ReviewRow).where(
            ReviewRow.card_id == bindparam("logged_card_id"),
            ReviewRow.reviewed_at == reviewed_at_ms,
            ReviewRow.kind == int(ReviewKind.RESCHEDULED),
        )
        self._session.connection().execute(
            statement, [{"logged_card_id": card_id} for card_id in card_ids]
        )
