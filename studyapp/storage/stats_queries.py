"""Aggregates for the statistics screen, computed by the database.

Every query groups in SQL and returns a few thousand rows at most, whatever the size of the
review log; the statistics service folds them into days and charts.  A review counts when it has a
rating (manual and rescheduled log rows have none).

Days.  Reviews are grouped by *local hour* in SQL (`reviewed_at` shifted by the sub-hour part of
the zone's UTC offset, then divided by an hour), and the service folds hours into study days with
the real time zone, so days and hours are exact across daylight-saving changes.  Cards added per
day, a cheaper aggregate, computes the study day directly in SQL as
floor((epoch seconds + UTC offset - rollover hour * 3600) / 86400) with the zone's *current* UTC
offset: a review within an hour of the rollover on the far side of a DST change can land on the
neighbouring day there.

Review classes (at the time of the review, from `state_before` and `last_interval`): 0 a new
card's first answer, 1 learning, 2 relearning, 3 young review (interval < 21 days), 4 mature.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from studyapp.domain.cards import CardState
from studyapp.storage.schema import ACTIVE_CARDS, CardRow, NoteRow, ReviewRow

MATURE_DAYS = 21
CLASSES = 5
"""Review classes: new, learning, relearning, young, mature."""
HOUR_MS = 3_600_000
ORDINAL_OF_EPOCH = 719_163
"""`date(1970, 1, 1).toordinal()`: study days are numbered by date ordinals."""

_RATED = ReviewRow.rating.is_not(None)


def review_class() -> Any:
    """The class (0..4) of a review, from the card's state and interval before it."""
    return case(
        (ReviewRow.state_before == int(CardState.NEW), 0),
        (ReviewRow.state_before == int(CardState.LEARNING), 1),
        (ReviewRow.state_before == int(CardState.RELEARNING), 2),
        (ReviewRow.last_interval < MATURE_DAYS, 3),
        else_=4,
    )


def sql_study_day(epoch_seconds: Any, offset_seconds: int, rollover_hour: int) -> Any:
    """The study day (date ordinal) of an epoch-seconds expression, at a fixed UTC offset."""
    shift = offset_seconds - rollover_hour * 3600 + ORDINAL_OF_EPOCH * 86_400
    return (epoch_seconds + shift) // 86_400


class StatsQueries:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._compiled: dict[Any, Any] = {}
        self._latest = (
            select(ReviewRow.reviewed_at)
            .where(_RATED, ReviewRow.reviewed_at < bindparam("before"))
            .order_by(ReviewRow.reviewed_at.desc())
            .limit(1)
        )

    def _tuples(self, query: Any, **values: Any) -> list[tuple[Any, ...]]:
        """The rows of `query` as plain tuples.  On SQLite straight from the driver's cursor:
        for tens of thousands of rows SQLAlchemy's per-row result processing would cost more
        than the query.  Only for queries whose columns need no type processing."""
        connection = self._session.connection()
        if connection.dialect.name != "sqlite":
            return [tuple(row) for row in connection.execute(query, values).all()]
        compiled = self._compiled.get(query)
        if compiled is None:
            compiled = query.compile(
                dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
            )
            if values:  # a query with named parameters is compiled once and reused
                self._compiled[query] = compiled
        parameters = {**compiled.params, **values}
        positions = compiled.positiontup or []
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            rows: list[tuple[Any, ...]] = cursor.execute(
                str(compiled), [parameters[name] for name in positions]
            ).fetchall()
        finally:
            cursor.close()
        return rows

    def _scoped_reviews(self, deck_ids: Sequence[int] | None, *conditions: Any) -> Any:
        """The rated reviews matching `conditions`, limited to cards of `deck_ids` if given.

        With decks the query starts from the deck's cards and reads each card's log through
        the (card, time) index; for the whole collection it walks the time index."""
        query = select().select_from(ReviewRow).where(_RATED, *conditions)
        if deck_ids is not None:
            query = query.join(CardRow, CardRow.id == ReviewRow.card_id).where(
                CardRow.deck_id.in_(deck_ids)
            )
        return query

    def review_hours(
        self, since_ms: int, until_ms: int, deck_ids: Sequence[int] | None, shift_ms: int
    ) -> list[tuple[int, int, int]]:
        """(key, reviews, milliseconds spent), grouped in SQL, where key is
        local hour number * 20 + class * 4 + rating - 1.

        The local hour number is `(reviewed_at + shift_ms) // 1 hour`: with `shift_ms` the
        sub-hour part of the UTC offset, hour boundaries are local ones in every zone."""
        key = ((ReviewRow.reviewed_at + shift_ms) // HOUR_MS) * (CLASSES * 4) + (
            review_class() * 4 + ReviewRow.rating - 1
        )
        query = (
            self._scoped_reviews(
                deck_ids, ReviewRow.reviewed_at >= since_ms, ReviewRow.reviewed_at < until_ms
            )
            .add_columns(key, func.count(), func.sum(ReviewRow.time_taken_ms))
            .group_by(key)
        )
        return self._tuples(query)

    def retention(
        self, since_ms: int, until_ms: int, deck_ids: Sequence[int] | None
    ) -> tuple[int, int, int, int]:
        """(young pass, young fail, mature pass, mature fail) among reviews of review cards.

        A review with the card in the review state is its first review of that study day: an
        answer always moves a review card to a later day or into relearning."""
        fail = ReviewRow.rating == 1
        mature = ReviewRow.last_interval >= MATURE_DAYS
        query = self._scoped_reviews(
            deck_ids,
            ReviewRow.reviewed_at >= since_ms,
            ReviewRow.reviewed_at < until_ms,
            ReviewRow.state_before == int(CardState.REVIEW),
        ).add_columns(
            func.count(),
            func.coalesce(func.sum(case((fail, 1), else_=0)), 0),
            func.coalesce(func.sum(case((mature, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(fail, mature), 1), else_=0)), 0),
        )
        total, fails, matures, mature_fails = (int(v) for v in self._session.execute(query).one())
        young_fail = fails - mature_fails
        young_pass = total - matures - young_fail
        return young_pass, young_fail, matures - mature_fails, mature_fails

    def latest_review_before(self, before_ms: int) -> int | None:
        """The time (UTC epoch ms) of the last rated review before `before_ms`: one index seek."""
        rows = self._tuples(self._latest, before=before_ms)
        return int(rows[0][0]) if rows else None

    def review_count(self, since_ms: int, until_ms: int) -> int:
        query = select(func.count()).where(
            _RATED, ReviewRow.reviewed_at >= since_ms, ReviewRow.reviewed_at < until_ms
        )
        return int(self._session.execute(query).scalar_one())

    def _cards(self, deck_ids: Sequence[int] | None, *conditions: Any) -> Any:
        query = select().select_from(CardRow).where(*conditions)
        if deck_ids is not None:
            query = query.where(CardRow.deck_id.in_(deck_ids))
        return query

    def card_counts(self, deck_ids: Sequence[int] | None) -> dict[str, int]:
        """Cards by state (review split into young and mature), suspended and buried apart."""
        category = case(
            (CardRow.suspended.is_(True), "suspended"),
            (CardRow.buried != 0, "buried"),
            (CardRow.state == int(CardState.NEW), "new"),
            (CardRow.state == int(CardState.LEARNING), "learning"),
            (CardRow.state == int(CardState.RELEARNING), "relearning"),
            (CardRow.interval < MATURE_DAYS, "young"),
            else_="mature",
        )
        query = self._cards(deck_ids).add_columns(category, func.count()).group_by(category)
        counts = dict.fromkeys(
            ("new", "learning", "relearning", "young", "mature", "suspended", "buried"), 0
        )
        counts.update((str(name), int(n)) for name, n in self._session.execute(query))
        return counts

    def deck_states(self) -> list[tuple[int, str, int]]:
        """(deck id, "new" | "learning" | "young" | "mature", cards) for every deck's own cards,
        suspended cards left out."""
        category = case(
            (CardRow.state == int(CardState.NEW), "new"),
            (CardRow.state != int(CardState.REVIEW), "learning"),
            (CardRow.interval < MATURE_DAYS, "young"),
            else_="mature",
        )
        query = (
            select(CardRow.deck_id, category, func.count())
            .where(CardRow.suspended.is_(False))
            .group_by(CardRow.deck_id, category)
        )
        return [(int(d), str(c), int(n)) for d, c, n in self._session.execute(query)]

    def intervals(self, deck_ids: Sequence[int] | None) -> list[tuple[int, int]]:
        """(interval in days, cards) over review and relearning cards."""
        query = (
            self._cards(
                deck_ids,
                CardRow.state.in_([int(CardState.REVIEW), int(CardState.RELEARNING)]),
                CardRow.interval > 0,
            )
            .add_columns(CardRow.interval, func.count())
            .group_by(CardRow.interval)
            .order_by(CardRow.interval)
        )
        return [(int(i), int(n)) for i, n in self._session.execute(query)]

    def due_days(self, deck_ids: Sequence[int] | None, last_day: int) -> list[tuple[int, int]]:
        """(due study day, review cards) for active review cards due by `last_day`, overdue
        ones included."""
        query = (
            self._cards(
                deck_ids,
                ACTIVE_CARDS,
                CardRow.state == int(CardState.REVIEW),
                CardRow.due <= last_day,
            )
            .add_columns(CardRow.due, func.count())
            .group_by(CardRow.due)
            .order_by(CardRow.due)
        )
        return [(int(d), int(n)) for d, n in self._session.execute(query)]

    def added_days(
        self,
        deck_ids: Sequence[int] | None,
        since_seconds: int,
        offset_seconds: int,
        rollover_hour: int,
    ) -> list[tuple[int, int]]:
        """(study day, cards) for cards whose note was created since `since_seconds`."""
        day = sql_study_day(NoteRow.created_at, offset_seconds, rollover_hour)
        query = (
            self._cards(deck_ids, NoteRow.created_at >= since_seconds)
            .join(NoteRow, NoteRow.id == CardRow.note_id)
            .add_columns(day, func.count())
            .group_by(day)
            .order_by(day)
        )
        return [(int(d), int(n)) for d, n in self._session.execute(query)]

    def memory_states(
        self, deck_ids: Sequence[int] | None
    ) -> list[tuple[int, float, float | None]]:
        """(last review day, stability, difficulty) of every card with a memory state: the
        inputs of the retrievability histogram and of the knowledge curve."""
        query = self._cards(
            deck_ids, CardRow.stability.is_not(None), CardRow.last_review_day.is_not(None)
        ).add_columns(CardRow.last_review_day, CardRow.stability, CardRow.difficulty)
        return self._tuples(query)

    def cards_ever_reviewed(self, deck_ids: Sequence[int] | None) -> int:
        """Cards with a review-log row of a new card's first answer, or with a memory state."""
        query = self._cards(
            deck_ids,
            or_(CardRow.last_review_day.is_not(None), CardRow.state != int(CardState.NEW)),
        ).add_columns(func.count())
        return int(self._session.execute(query).scalar_one())

    def first_review_ms(self, deck_ids: Sequence[int] | None) -> int | None:
        """When the first rated review in scope happened (UTC epoch ms)."""
        query = self._scoped_reviews(deck_ids).add_columns(func.min(ReviewRow.reviewed_at))
        value = self._session.execute(query).scalar_one()
        return None if value is None else int(value)
