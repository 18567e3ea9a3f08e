"""The packing of a review into three decimal digits: made by the statistics queries, decoded by the
statistics service (which loads without SQLAlchemy)."""

from __future__ import annotations

HOUR_MS = 3_600_000
CODE_BASE = 100
"""A review's code is CODE_BASE + hour * 32 + mature * 16 + state_before * 4 + rating - 1: three
digits while the hour (counted from the start of its group) is below 25 and the rating is 1..4.
`mature` is 1 when the interval before the review was at least MATURE_DAYS (see stats_queries)."""
