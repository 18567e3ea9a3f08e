"""Review histories laid out for vectorized model runs: step k of every card, contiguously.

Used by domain.fitting (the loss and its gradient) and domain.fit_checks.  numpy is imported
inside the function that needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.int64]

History = Sequence[tuple[int, int]]
"""One card's reviews in time order: (study day index, rating 1..4)."""

CHUNK = 8192
"""Reviews per window of the flat arrays (the model runs in windows of this size)."""


@dataclass(frozen=True, slots=True)
class Batch:
    """Histories in step-major layout: step k of every card that reaches it, contiguously.

    Cards are sorted longest first; `steps[k - 1]` is the (start, stop) of review step k >= 1 in
    the flat arrays, for cards 0..stop - start - 1 of that order.  Step 0 (the first review) is
    `first_rating`.  `lapses` and `same_day` index the flat arrays; `step_lapses` and
    `step_same_day` index within each step.
    """

    first_rating: IntArray
    steps: list[tuple[int, int]]
    elapsed: FloatArray
    rating_minus_3: FloatArray
    hard: FloatArray
    easy: FloatArray
    recalled: FloatArray
    targets: IntArray
    lapses: IntArray
    same_day: IntArray
    same_day_r3: FloatArray
    step_lapses: list[IntArray]
    step_same_day: list[IntArray]
    target_windows: IntArray
    lapse_windows: IntArray
    same_day_windows: IntArray
    scratch: dict[str, FloatArray] = field(default_factory=dict)

    @property
    def target_count(self) -> int:
        return int(self.targets.size)


def as_batch(histories: Sequence[History], targets_from: Sequence[int] | None = None) -> Batch:
    """The step-major layout of `histories`; raises ValueError for a malformed history.

    With `targets_from`, only reviews at or after index `targets_from[i]` of card i are targets.
    """
    import numpy as np

    lengths = np.fromiter(map(len, histories), dtype=np.int64, count=len(histories))
    if lengths.size and int(lengths.min()) == 0:
        raise ValueError("every history needs at least one review")
    total = int(lengths.sum())
    numbers = chain.from_iterable(chain.from_iterable(histories))
    pairs = np.fromiter(numbers, dtype=np.int64, count=2 * total).reshape(total, 2)
    days, ratings = pairs[:, 0], pairs[:, 1]
    if total and (int(ratings.min()) < 1 or int(ratings.max()) > 4):
        raise ValueError("ratings must be 1..4")
    starts = np.zeros(lengths.size, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    position = np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)
    elapsed = np.zeros(total, dtype=np.int64)
    elapsed[1:] = days[1:] - days[:-1]
    elapsed[position == 0] = 0
    if total and int(elapsed.min()) < 0:
        raise ValueError("every history must be in time order")

    # Longest first; stable, so equal lengths keep their input order (determinism).
    order = np.argsort(-lengths, kind="stable")
    rank = np.empty(lengths.size, dtype=np.int64)
    rank[order] = np.arange(lengths.size, dtype=np.int64)
    longest = int(lengths.max()) if lengths.size else 0
    # counts[k] = number of cards with more than k reviews, for k = 0..longest-1.
    counts = np.bincount(lengths, minlength=longest + 1)[::-1].cumsum()[::-1][1:]
    bounds = np.zeros(longest + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    card = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
    flat = np.empty(total, dtype=np.int64)
    flat[bounds[position] + rank[card]] = np.arange(total, dtype=np.int64)
    # Step 0 is kept apart (first_rating); the flat arrays hold steps 1.. from bounds[1] on.
    offset = int(bounds[1]) if longest else 0
    reviews = flat[offset:]
    steps = [(int(bounds[k]) - offset, int(bounds[k + 1]) - offset) for k in range(1, longest)]

    step_elapsed = elapsed[reviews]
    step_rating = ratings[reviews]
    is_target = step_elapsed > 0
    if targets_from is not None:
        if len(targets_from) != lengths.size:
            raise ValueError("targets_from needs one index per history")
        cut = np.asarray(targets_from, dtype=np.int64)
        is_target &= position[reviews] >= cut[card[reviews]]
    same_day = step_elapsed == 0
    lapse = (step_rating == 1) & ~same_day
    chunk_starts = np.arange(0, total - offset + CHUNK, CHUNK)
    targets = np.flatnonzero(is_target)
    lapses = np.flatnonzero(lapse)
    same_days = np.flatnonzero(same_day)
    return Batch(
        first_rating=ratings[starts[order]],
        steps=steps,
        elapsed=step_elapsed.astype(np.float64),
        rating_minus_3=(step_rating - 3).astype(np.float64),
        hard=(step_rating == 2).astype(np.float64),
        easy=(step_rating == 4).astype(np.float64),
        recalled=(step_rating > 1).astype(np.float64),
        targets=targets,
        lapses=lapses,
        same_day=same_days,
        same_day_r3=(step_rating[same_day] - 3).astype(np.float64),
        step_lapses=[np.flatnonzero(lapse[a:b]) for a, b in steps],
        step_same_day=[np.flatnonzero(same_day[a:b]) for a, b in steps],
        target_windows=np.searchsorted(targets, chunk_starts),
        lapse_windows=np.searchsorted(lapses, chunk_starts),
        same_day_windows=np.searchsorted(same_days, chunk_starts),
    )
