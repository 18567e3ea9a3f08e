"""Folding the database's hourly review aggregates into the statistics screen's figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo

from studyapp.domain.clock import study_day
from studyapp.services.statistics_values import (
    ButtonCounts,
    DayReviews,
    HourFigures,
    IntervalBucket,
    TodayFigures,
)

NEW, LEARNING, RELEARNING, YOUNG, MATURE = range(5)
_INTERVAL_WIDTHS = (1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365, 730)
_MOST_INTERVAL_BUCKETS = 60


def sub_hour_shift_ms(zone: tzinfo, now: datetime) -> int:
    """The part of the zone's UTC offset below a whole hour, in ms (India: 30 minutes)."""
    offset = zone.utcoffset(now.astimezone(zone))
    seconds = 0 if offset is None else int(offset.total_seconds())
    return (seconds % 3600) * 1000


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


def fold_hours(
    rows: Sequence[tuple[int, int, int]], shift_ms: int, rollover_hour: int, zone: tzinfo
) -> FoldedReviews:
    """Group (local hour number * 20 + class * 4 + rating - 1, reviews, ms) rows by study day
    and by hour of day, with numpy.

    Each distinct hour is placed with the real zone, so daylight-saving changes are exact."""
    import numpy as np

    folded = FoldedReviews()
    if not rows:
        return folded
    table = np.array(rows, dtype=np.int64)
    hour, combo = np.divmod(table[:, 0], 20)
    count, spent = table[:, 1], table[:, 2]
    kind, rating = np.divmod(combo, 4)
    hours, where = np.unique(hour, return_inverse=True)
    placed = [_place(int(h), shift_ms, rollover_hour, zone) for h in hours.tolist()]
    day_of_hour = np.array([p[0] for p in placed], dtype=np.int64)
    hour_of_day = np.array([p[1] for p in placed], dtype=np.int64)
    first = int(day_of_hour.min())
    day = day_of_hour[where] - first
    span = int(day.max()) + 1
    by_day_class = np.bincount(day * 5 + kind, weights=count, minlength=span * 5).reshape(span, 5)
    spent_by_day = np.bincount(day, weights=spent, minlength=span)
    again_by_day = np.bincount(day, weights=count * (rating == 0), minlength=span)
    failed = rating == 0
    retention = np.zeros((span, 4))
    for column, chosen in enumerate(
        ((kind == YOUNG) & ~failed, (kind == YOUNG) & failed, (kind == MATURE) & ~failed,
         (kind == MATURE) & failed)
    ):  # fmt: skip
        retention[:, column] = np.bincount(day, weights=count * chosen, minlength=span)
    present = np.flatnonzero(by_day_class.sum(axis=1))
    for index in present.tolist():
        classes = [int(v) for v in by_day_class[index]]
        folded.days[first + index] = DayTotals(
            classes, int(spent_by_day[index]), int(again_by_day[index])
        )
        yp, yf, mp, mf = (int(v) for v in retention[index])
        folded.retention[first + index] = (yp, yf, mp, mf)
    local_hour = hour_of_day[where]
    reviews = np.bincount(local_hour, weights=count, minlength=24)
    passed = np.bincount(local_hour, weights=count * ~failed, minlength=24)
    folded.hours = [(int(n), int(p)) for n, p in zip(reviews, passed, strict=True)]
    buttons = np.bincount(combo, weights=count, minlength=20).reshape(5, 4)
    folded.buttons = [[int(v) for v in row] for row in buttons]
    return folded


def _place(hour: int, shift_ms: int, rollover_hour: int, zone: tzinfo) -> tuple[int, int]:
    """The study day and local hour of day of a local hour number."""
    moment = datetime.fromtimestamp((hour * 3_600_000 - shift_ms) / 1000, UTC)
    return study_day(moment, rollover_hour, zone), moment.astimezone(zone).hour


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
