"""Progress calculations over many cards at once: recall today, histograms, knowledge over time.

Vectorized with numpy (imported inside the functions, so start-up stays fast).  Days are study days
(see domain.clock).  The forgetting curve is the FSRS-6 one in domain.memory.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

STABILITY_BINS = 64
"""Log-spaced stability groups for the knowledge curve (each group uses its cards' mean)."""


def recall_array(
    elapsed: FloatArray, stability: FloatArray, parameters: Sequence[float]
) -> FloatArray:
    """memory.retrievability for arrays of elapsed days and stabilities."""
    import numpy as np

    decay = -parameters[20]
    factor = math.pow(0.9, 1 / decay) - 1
    result: FloatArray = np.power(1 + factor * np.maximum(elapsed, 0.0) / stability, decay)
    return result


def mean_recall_between_reviews(desired_retention: float, parameters: Sequence[float]) -> float:
    """The average predicted recall over one interval that ends at `desired_retention`.

    The same for every stability (the curve depends on elapsed / stability only)."""
    import numpy as np

    decay = -parameters[20]
    factor = math.pow(0.9, 1 / decay) - 1
    end = (math.pow(desired_retention, 1 / decay) - 1) / factor  # interval / stability
    points = np.linspace(0.0, end, 1001)
    values = recall_array(points, np.ones_like(points), parameters)
    return float(np.mean((values[1:] + values[:-1]) / 2))


def histogram(values: FloatArray, edges: Sequence[float]) -> list[tuple[float, float, int]]:
    """(lower, upper, count) for consecutive `edges`; the last bin includes its upper edge."""
    import numpy as np

    counts, _ = np.histogram(values, bins=np.asarray(edges, dtype=np.float64))
    return [(float(edges[i]), float(edges[i + 1]), int(counts[i])) for i in range(len(counts))]


def knowledge_curve(
    first_day: int,
    days: int,
    last_review: npt.ArrayLike,
    stability: npt.ArrayLike,
    learned_by_day: Sequence[int],
    parameters: Sequence[float],
    between_reviews: float,
) -> list[float]:
    """Expected number of cards recalled on each of `days` study days from `first_day`.

    A card last reviewed on day L with stability S (its current memory state) counts
    R(d - L, S) on every day d >= L.  Before L its state on day d is not kept, only that it was
    being studied: a card already learned by day d (`learned_by_day[i]` cards on day
    first_day + i) but reviewed again later counts `between_reviews`, the mean recall over an
    interval.  The exact part is a convolution over last-review days, computed per stability
    group with an FFT, so the cost does not grow with cards x days.
    """
    import numpy as np

    result = np.zeros(days, dtype=np.float64)
    last = np.asarray(last_review, dtype=np.int64)
    stabilities = np.asarray(stability, dtype=np.float64)
    end_day = first_day + days - 1
    reviewed_by = np.zeros(days, dtype=np.float64)
    if last.size:
        stabilities = np.maximum(stabilities, 1e-3)
        start = int(min(last.min(), first_day))
        span = end_day - start + 1
        keep = last <= end_day
        last, stabilities = last[keep], stabilities[keep]
        logs = np.log(stabilities)
        edges = np.linspace(logs.min(), logs.max() + 1e-9, STABILITY_BINS + 1)
        groups = np.clip(np.searchsorted(edges, logs, side="right") - 1, 0, STABILITY_BINS - 1)
        size = 1 << (2 * span - 1).bit_length()
        elapsed = np.arange(span, dtype=np.float64)
        offsets = last - start
        total = np.zeros(span, dtype=np.float64)
        for group in np.unique(groups):
            members = groups == group
            counts = np.bincount(offsets[members], minlength=span).astype(np.float64)
            mean_stability = float(np.exp(logs[members].mean()))
            curve = recall_array(elapsed, np.full(span, mean_stability), parameters)
            total += np.fft.irfft(np.fft.rfft(counts, size) * np.fft.rfft(curve, size), size)[:span]
        result += total[first_day - start :]
        reviewed = np.cumsum(np.bincount(offsets, minlength=span))[first_day - start :]
        reviewed_by = reviewed.astype(np.float64)
    learned = np.asarray(learned_by_day, dtype=np.float64)
    result += np.maximum(learned - reviewed_by, 0.0) * between_reviews
    return [max(0.0, float(v)) for v in result]
