"""Load balancing: among the intervals fuzz allows, the day with the fewest reviews due.

Each candidate day's load is the number of review cards already due that day; a day the preset
marks as an easy day counts as if it were fuller, so it gets about EASY_DAY_SHARE of an ordinary
day's reviews.  Ties go to the interval closest to the one fuzz alone would have picked (which
spreads cards learned together), then to the shorter one.  Deterministic: same loads, same day.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

EASY_DAY_SHARE = 0.5
"""The share of an ordinary day's review load that an easy day receives."""


def weekday(day: int) -> int:
    """The weekday of study day `day` (0 Monday ... 6 Sunday); study days are date ordinals,
    and ordinal 1 (1 January of year 1) is a Monday."""
    return (day + 6) % 7


def balanced_interval(
    lower: int,
    upper: int,
    *,
    today: int,
    loads: Mapping[int, int],
    easy_days: Collection[int],
    preferred: int,
) -> int:
    """The interval in [lower, upper] whose day (`today` + interval) is least loaded.

    `loads` maps study days to the review cards due on them (missing days have none); an easy day's
    load is divided by EASY_DAY_SHARE.  Raises ValueError for an empty range.
    """
    if lower > upper:
        raise ValueError(f"empty interval range [{lower}, {upper}]")

    def key(interval: int) -> tuple[float, int, int]:
        day = today + interval
        share = EASY_DAY_SHARE if easy_days and weekday(day) in easy_days else 1.0
        return (loads.get(day, 0) + 1) / share, abs(interval - preferred), interval

    return min(range(lower, upper + 1), key=key)
