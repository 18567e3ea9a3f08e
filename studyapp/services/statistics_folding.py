"""Folding the database's review codes into the statistics screen's figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from studyapp.domain.cards import CardState
from studyapp.services.statistics_values import (
    ButtonCounts,
    DayReviews,
    HourFigures,
    IntervalBucket,
    TodayFigures,
)
from studyapp.storage.review_codes import CODE_BASE, HOUR_MS

NEW, LEARNING, RELEARNING, YOUNG, MATURE = range(5)
_INTERVAL_WIDTHS = (1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365, 730)
_MOST_INTERVAL_BUCKETS = 60


def utc_offset_seconds(zone: tzinfo, now: datetime) -> int:
    offset = zone.utcoffset(now.astimezone(zone))
    return 0 if offset is None else int(offset.total_seconds())


@dataclass
class DayTotals:
    by_class: list[int] = field(default_factory=lambda: [0] * 5)
    milliseconds: int = 0
    again: int = 0


@dataclass
class FoldedReviews:
    days: dict[int, DayTotals] = field(default_factory=dict)
    hours: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)] * 24)
    """(reviews, passed) by local hour of day."""
    buttons: list[list[int]] = field(default_factory=lambda: [[0] * 4 for _ in range(5)])
    """Answers by class, then rating."""
    retention: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    """Study day -> (young pass, young fail, mature pass, mature fail)."""


def fold_reviews(
    groups: Sequence[tuple[int, int, int, str]],
    first_day: int,
    starts: Sequence[int],
    zone: tzinfo,
) -> FoldedReviews:
    """Fold review-code groups (see StatsQueries.review_codes) into study days and hours of
    day, with numpy.  `starts` are the UTC epoch-ms starts of the study days from `first_day`
    on, with the end of the last day last.

    Each review is counted once into a (study day, code) table and once into a (local hour of
    day, code) table, where the code's low five bits say its class and rating; every figure is
    then a sum over columns of those two small tables."""
    import numpy as np

    folded = FoldedReviews()
    if not groups:
        return folded
    day_of_hour, hour_of_day = _hour_layout(starts, zone)
    first_hour = np.array([g[0] for g in groups], dtype=np.int64)
    counts = np.array([g[1] for g in groups], dtype=np.int64)
    spent = np.array([g[2] for g in groups], dtype=np.int64)
    text = "".join(g[3] for g in groups).encode("ascii")
    digits = np.frombuffer(text, dtype=np.uint8).reshape(-1, 3).astype(np.int64)
    code = digits[:, 0] * 100 + digits[:, 1] * 10 + digits[:, 2] - (111 * ord("0") + CODE_BASE)
    hour = np.repeat(first_hour, counts) + (code >> 5)
    low = code & 31
    span = len(starts) - 1
    by_day = np.bincount(day_of_hour[hour] * 32 + low, minlength=span * 32).reshape(span, 32)
    by_hour = np.bincount(hour_of_day[hour] * 32 + low, minlength=24 * 32).reshape(24, 32)
    kind, rating = _class_and_rating()
    failed = rating == 0
    by_day_class = by_day @ (kind[:, None] == np.arange(5)).astype(np.int64)
    spent_by_day = np.bincount(day_of_hour[first_hour], weights=spent, minlength=span)
    again_by_day = by_day[:, failed].sum(axis=1)
    retention = np.stack(
        [
            by_day[:, chosen].sum(axis=1)
            for chosen in ((kind == YOUNG) & ~failed, (kind == YOUNG) & failed,
                           (kind == MATURE) & ~failed, (kind == MATURE) & failed)
        ],
        axis=1,
    )  # fmt: skip
    for index in np.flatnonzero(by_day_class.sum(axis=1)).tolist():
        folded.days[first_day + index] = DayTotals(
            by_day_class[index].tolist(), int(spent_by_day[index]), int(again_by_day[index])
        )
        yp, yf, mp, mf = retention[index].tolist()
        folded.retention[first_day + index] = (yp, yf, mp, mf)
    folded.hours = list(
        zip(by_hour.sum(axis=1).tolist(), by_hour[:, ~failed].sum(axis=1).tolist(), strict=True)
    )
    buttons = np.bincount(kind * 4 + rating, weights=by_day.sum(axis=0), minlength=20)
    folded.buttons = buttons.astype(np.int64).reshape(5, 4).tolist()
    return folded


def _class_and_rating() -> tuple[Any, Any]:
    """The review class and rating - 1 of each of the 32 low code values (see CODE_BASE)."""
    import numpy as np

    low = np.arange(32)
    state, rating, mature = (low >> 2) & 3, low & 3, low >> 4
    class_of_state = np.zeros(4, dtype=np.int64)
    class_of_state[[CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING]] = (
        LEARNING, YOUNG, RELEARNING
    )  # fmt: skip
    return class_of_state[state] + mature * (state == CardState.REVIEW), rating


def _hour_layout(starts: Sequence[int], zone: tzinfo) -> tuple[Any, Any]:
    """For every hour of the period, counted from `starts[0]`: its study day (0 for the first)
    and its local hour of day.  A day of 24 hours counts on from the local hour it starts at;
    the local hours of a daylight-saving day (23 or 25 hours) are looked up one by one."""
    import numpy as np

    hours = [(s - starts[0]) // HOUR_MS for s in starts]
    day_of_hour = np.repeat(np.arange(len(starts) - 1), np.diff(hours))
    hour_of_day = np.empty(hours[-1], dtype=np.int64)
    for begin, end, start in zip(hours, hours[1:], starts, strict=False):
        first = datetime.fromtimestamp(start / 1000, zone).hour
        if end - begin == 24:
            hour_of_day[begin:end] = (first + np.arange(24)) % 24
        else:
            hour_of_day[begin:end] = [
                datetime.fromtimestamp((start + h * HOUR_MS) / 1000, zone).hour
                for h in range(end - begin)
            ]
    return day_of_hour, hour_of_day


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 1)


def today_figures(folded: FoldedReviews, today: int) -> TodayFigures:
    totals = folded.days.get(today, DayTotals())
    studied = sum(totals.by_class)
    return TodayFigures(
        studied=studied,
        seconds=round(totals.milliseconds / 1000),
        again=totals.again,
        correct_pct=percent(studied - totals.again, studied),
    )


def reviews_per_day(folded: FoldedReviews, first_day: int, last_day: int) -> list[DayReviews]:
    rows = []
    for day in range(first_day, last_day + 1):
        totals = folded.days.get(day, DayTotals())
        c = totals.by_class
        rows.append(
            DayReviews(
                day=date.fromordinal(day),
                learning=c[NEW] + c[LEARNING],
                relearning=c[RELEARNING],
                young=c[YOUNG],
                mature=c[MATURE],
                total=sum(c),
                seconds=round(totals.milliseconds / 1000),
            )
        )
    return rows


def hourly(folded: FoldedReviews) -> list[HourFigures]:
    return [
        HourFigures(hour=h, reviews=n, pass_pct=percent(passed, n))
        for h, (n, passed) in enumerate(folded.hours)
    ]


def buttons(folded: FoldedReviews) -> ButtonCounts:
    b = folded.buttons

    def added(*kinds: int) -> tuple[int, int, int, int]:
        a, h, g, e = (sum(b[k][r] for k in kinds) for r in range(4))
        return a, h, g, e

    return ButtonCounts(
        learning=added(NEW, LEARNING, RELEARNING), young=added(YOUNG), mature=added(MATURE)
    )


def interval_buckets(counts: Sequence[tuple[int, int]]) -> list[IntervalBucket]:
    """Per-day interval counts in buckets of a round width, at most about 60 of them."""
    if not counts:
        return []
    largest = max(days for days, _ in counts)
    width = next(
        (w for w in _INTERVAL_WIDTHS if largest // w < _MOST_INTERVAL_BUCKETS),
        -(-largest // _MOST_INTERVAL_BUCKETS),
    )
    buckets: dict[int, int] = {}
    for days, cards in counts:
        lower = 1 + ((days - 1) // width) * width if width > 1 else days
        buckets[lower] = buckets.get(lower, 0) + cards
    first = min(buckets)
    return [
        IntervalBucket(days=lower, cards=buckets.get(lower, 0))
        for lower in range(first, max(buckets) + 1, width)
    ]


def learned_by_day(folded: FoldedReviews, first_day: int, last_day: int, total: int) -> list[int]:
    """Cards learned (first answered) by the end of each day: `total` less later first answers."""
    later = 0
    result = []
    for day in range(last_day, first_day - 1, -1):
        result.append(total - later)
        totals = folded.days.get(day)
        if totals is not None:
            later += totals.by_class[NEW]
    return result[::-1]


def summary_sentence(retention: float | None, reviews: int, target: float) -> str:
    target_pct = round(target * 100)
    if retention is None or reviews < MIN_REVIEWS_FOR_VERDICT:
        return (
            f"Not enough reviews yet for a verdict: {reviews} due "
            f"{'card was' if reviews == 1 else 'cards were'} reviewed this month "
            f"(at least {MIN_REVIEWS_FOR_VERDICT} are needed); your target is {target_pct}%."
        )
    recalled = round(retention * 100)
    verdict = "On track" if recalled >= target_pct else "Below target"
    return (
        f"{verdict}: you recalled {recalled}% of due cards this month; "
        f"your target is {target_pct}%."
    )


MIN_REVIEWS_FOR_VERDICT = 20
