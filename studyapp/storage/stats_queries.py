"""Aggregates for the statistics screen, computed by the database.

Every query groups in SQL and returns a few thousand rows at most, whatever the size of the
review log; the statistics service folds them into days and charts.  A review counts when it has a
rating (manual and rescheduled log rows have none).

Days.  The service passes the exact start of every study day of the period (found with the real
time zone, so days are right across daylight-saving changes), and review aggregates come back
with each review's hour counted from those starts.  Cards added per day, a cheaper aggregate,
computes the study day directly in SQL as
floor((epoch seconds + UTC offset - rollover hour * 3600) / 86400) with the zone's *current* UTC
offset: a review within an hour of the rollover on the far side of a DST change can land on the
neighbouring day there.

Review codes.  Grouping hundreds of thousands of reviews by (hour, class, rating) makes SQLite
sort them all, and returning one row per group costs as much again.  Instead each review is
packed into three decimal digits (see `CODE_BASE`) and a group returns its reviews' codes as one
string, which the service decodes with numpy.

Review classes (at the time of the review, from `state_before` and `last_interval`): 0 a new
card's first answer, 1 learning, 2 relearning, 3 young review (interval < 21 days), 4 mature.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from sqlalchemy import BigInteger, String, and_, bindparam, case, cast, func, or_, select
from sqlalchemy.orm import Session

from studyapp.domain.cards import CardState
from studyapp.storage.review_codes import CODE_BASE, HOUR_MS
from studyapp.storage.schema import ACTIVE_CARDS, CardRow, NoteRow, ReviewRow

MATURE_DAYS = 21
ORDINAL_OF_EPOCH = 719_163
"""`date(1970, 1, 1).toordinal()`: study days are numbered by date ordinals."""

_RATED = ReviewRow.rating.is_not(None)


def review_code(hour: Any) -> Any:
    """The code (see CODE_BASE) of a review in `hour`."""
    mature = case((ReviewRow.last_interval >= MATURE_DAYS, 16), else_=0)
    return CODE_BASE + hour * 32 + mature + ReviewRow.state_before * 4 + ReviewRow.rating - 1


def sql_study_day(epoch_seconds: Any, offset_seconds: int, rollover_hour: int) -> Any:
    """The study day (date ordinal) of an epoch-seconds expression, at a fixed UTC offset."""
    shift = offset_seconds - rollover_hour * 3600 + ORDINAL_OF_EPOCH * 86_400
    return (epoch_seconds + shift) // 86_400


class StatsQueries:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._compiled: dict[Any, Any] = {}
        self._latest: dict[int, Any] = {}

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

    def review_codes(
        self, starts: Sequence[int], deck_ids: Sequence[int] | None
    ) -> list[tuple[int, int, int, str]]:
        """(first hour, reviews, milliseconds spent, codes) for groups of the rated reviews from
        `starts[0]` to `starts[-1]` (UTC epoch ms), hours counted from `starts[0]`.

        For the whole collection on SQLite a group is one study day, from `starts[i]` to
        `starts[i + 1]`: each day is one range of the time index, read in order with nothing to
        sort, and its codes count hours from the day's start.  Otherwise (a deck's cards, read
        card by card, or a server that groups by hashing) a group is one hour, codes hour 0."""
        if deck_ids is None and self._session.connection().dialect.name == "sqlite":
            return self._codes_by_day(starts)
        first = bindparam("first", 0, type_=BigInteger)
        hour = (ReviewRow.reviewed_at - first) // HOUR_MS
        query = (
            self._scoped_reviews(
                deck_ids,
                ReviewRow.reviewed_at >= first,
                ReviewRow.reviewed_at < bindparam("end", 0, type_=BigInteger),
            )
            .add_columns(
                hour,
                func.count(),
                func.sum(ReviewRow.time_taken_ms),
                func.aggregate_strings(cast(review_code(0), String), ""),
            )
            .group_by(hour)
        )
        return self._tuples(query, first=starts[0], end=starts[-1])

    def _codes_by_day(self, starts: Sequence[int]) -> list[tuple[int, int, int, str]]:
        start = bindparam("start", 0, type_=BigInteger)
        query = self._scoped_reviews(
            None,
            ReviewRow.reviewed_at >= start,
            ReviewRow.reviewed_at < bindparam("end", 0, type_=BigInteger),
        ).add_columns(
            func.count(),
            func.sum(ReviewRow.time_taken_ms),
            # SQLite only: group_concat takes the numbers as they are
            func.group_concat(review_code((ReviewRow.reviewed_at - start) // HOUR_MS), ""),
        )
        groups = []
        for begin, end in pairwise(starts):
            ((reviews, spent, codes),) = self._tuples(query, start=begin, end=end)
            if reviews:
                groups.append(((begin - starts[0]) // HOUR_MS, reviews, spent, codes))
        return groups

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

    def latest_reviews_before(self, befores: Sequence[int]) -> list[int | None]:
        """The time (UTC epoch ms) of the last rated review before each of `befores`, or None:
        one index seek each, all in one statement."""
        query = self._latest.get(len(befores))
        if query is None:
            query = select(
                *(
                    select(ReviewRow.reviewed_at)
                    .where(
                        _RATED,
                        ReviewRow.reviewed_at < bindparam(f"before_{i}", 0, type_=BigInteger),
                    )
                    .order_by(ReviewRow.reviewed_at.desc())
                    .limit(1)
                    .scalar_subquery()
                    for i in range(len(befores))
                )
            )
            self._latest[len(befores)] = query
        values = {f"before_{i}": b for i, b in enumerate(befores)}
        row = self._session.execute(query, values).one()  # compiled once per process
        return [None if value is None else int(value) for value in row]

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
