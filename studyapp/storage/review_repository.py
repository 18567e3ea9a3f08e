"""The review log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.orm import Session

from studyapp.domain.cards import (
    CardState,
    Rating,
    Review,
    ReviewKind,
)
from studyapp.storage.card_repository import in_decks
from studyapp.storage.deck_list_sql import STUDIED_SINCE_SQL, StudiedCards, studied_cards
from studyapp.storage.driver_statements import Prepared
from studyapp.storage.schema import (
    CardRow,
    ReviewRow,
)
from studyapp.storage.transaction_link import TransactionLink

_STUDIED_SINCE = Prepared(text(STUDIED_SINCE_SQL))
_LOG = cast(Table, ReviewRow.__table__)
_ADD = Prepared(insert(_LOG))
_ADD_RETURNING = Prepared(insert(_LOG).returning(_LOG.c.id))


def _review_columns(review: Review) -> dict[str, Any]:
    """Every column of a review-log row but its id."""
    return {
        "card_id": review.card_id,
        "reviewed_at": review.reviewed_at,
        "kind": int(review.kind),
        "rating": None if review.rating is None else int(review.rating),
        "state_before": int(review.state_before),
        "last_interval": review.last_interval,
        "interval": review.interval,
        "time_taken_ms": review.time_taken_ms,
        "stability": review.stability,
        "difficulty": review.difficulty,
        "source_id": review.source_id,
    }


def review_value(r: ReviewRow) -> Review:
    return Review(
        id=r.id,
        card_id=r.card_id,
        reviewed_at=r.reviewed_at,
        kind=ReviewKind(r.kind),
        rating=None if r.rating is None else Rating(r.rating),
        state_before=CardState(r.state_before),
        last_interval=r.last_interval,
        interval=r.interval,
        time_taken_ms=r.time_taken_ms,
        stability=r.stability,
        difficulty=r.difficulty,
        source_id=r.source_id,
    )


class ReviewRepository:
    def __init__(self, link: TransactionLink) -> None:
        self._link = link

    @property
    def _session(self) -> Session:
        return self._link.session

    def add(self, review: Review) -> int:
        """Log `review`; returns its new id.  Answering logs one row, on the driver."""
        return self._link.driver.insert(_ADD, _ADD_RETURNING, _review_columns(review))

    def add_many(self, reviews: Sequence[Review]) -> None:
        if not reviews:
            return
        self._session.execute(insert(ReviewRow), [_review_columns(r) for r in reviews])

    def source_ids(self, card_ids: Sequence[int]) -> set[tuple[int, str]]:
        """(card id, source id) of the imported rows already logged for these cards."""
        found: set[tuple[int, str]] = set()
        for start in range(0, len(card_ids), 500):
            query = select(ReviewRow.card_id, ReviewRow.source_id).where(
                ReviewRow.card_id.in_(card_ids[start : start + 500]),
                ReviewRow.source_id.is_not(None),
            )
            found.update((card_id, str(source)) for card_id, source in self._session.execute(query))
        return found

    def delete(self, review_id: int) -> None:
        self._session.execute(delete(ReviewRow).where(ReviewRow.id == review_id))

    def for_card(self, card_id: int) -> list[Review]:
        rows = self._session.scalars(
            select(ReviewRow)
            .where(ReviewRow.card_id == card_id)
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
        )
        return [review_value(r) for r in rows]

    def studied_since(self, since_ms: int) -> StudiedCards:
        """New cards introduced and review cards answered since `since_ms`, per card's deck."""
        self._link.flush()
        return studied_cards(self._link.driver.rows(_STUDIED_SINCE, {"since": since_ms}))

    def totals_since(self, deck_ids: Sequence[int], since_ms: int) -> tuple[int, int]:
        """(answers, milliseconds spent) in the given decks since `since_ms`."""
        query = (
            select(func.count(), func.coalesce(func.sum(ReviewRow.time_taken_ms), 0))
            .join(CardRow, CardRow.id == ReviewRow.card_id)
            .where(
                ReviewRow.reviewed_at >= since_ms,
                in_decks(deck_ids),
                ReviewRow.rating.is_not(None),
            )
        )
        count, spent = self._session.execute(query).one()
        return int(count), int(spent)
