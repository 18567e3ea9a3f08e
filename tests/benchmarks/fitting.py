"""Parameter fitting figures for `make bench`: speed at three sizes, and quality on held-out data.

Review histories come from synthetic learners (domain.fit_checks.simulate_histories) whose true
weights are the defaults scaled at random.  `fitting_rows()` returns (measure, value, unit) rows.
Never collected by pytest.
"""

from __future__ import annotations

import time

import numpy as np

from studyapp.domain import fit_checks, fitting
from studyapp.domain.memory import DEFAULT_PARAMETERS, fit_parameters

History = list[tuple[int, int]]
SIZES = (10_000, 100_000, 1_000_000)
DAYS = 1500


def learner(seed: int) -> tuple[float, ...]:
    """Weights of a synthetic learner: the defaults scaled at random, within the bounds."""
    rng = np.random.default_rng(seed)
    scaled = np.asarray(DEFAULT_PARAMETERS) * np.exp(rng.normal(0.0, 0.4, size=21))
    scaled[7] = rng.uniform(0.005, 0.08)
    scaled[20] = rng.uniform(0.1, 0.5)
    clipped = np.clip(scaled, fitting.LOWER_BOUNDS, fitting.UPPER_BOUNDS)
    return tuple(float(v) for v in clipped)


def histories_with(reviews: int, weights: tuple[float, ...], seed: int) -> list[History]:
    """Synthetic histories adding up to `reviews` reviews (the last card cut short)."""
    histories: list[History] = []
    count = 0
    batch = 0
    while count < reviews:
        # About 12 reviews per card over DAYS days; simulate in batches until there are enough.
        cards = max(100, (reviews - count) // 10)
        for history in fit_checks.simulate_histories(weights, cards, DAYS, seed * 1000 + batch):
            taken = history[: reviews - count]
            histories.append(taken)
            count += len(taken)
            if count >= reviews:
                break
        batch += 1
    return histories


def fitting_rows() -> list[tuple[str, float, str]]:
    rows: list[tuple[str, float, str]] = []
    for size in SIZES:
        histories = histories_with(size, learner(size), seed=size % 997)
        started = time.perf_counter()
        fit_parameters(histories)
        rows.append((f"fit FSRS-6 weights, {size:,} reviews", time.perf_counter() - started, "s"))

    for seed in (1, 2, 3):
        true = learner(seed)
        training = histories_with(100_000, true, seed=seed)
        held_out = histories_with(50_000, true, seed=seed + 100)
        fitted = fit_parameters(training)
        for label, weights in (("defaults", DEFAULT_PARAMETERS), ("fitted", fitted)):
            result = fit_checks.evaluate(held_out, weights)
            name = f"learner {seed}, {label}"
            rows.append((f"{name}: log loss (held out)", result.log_loss, ""))
            rows.append((f"{name}: RMSE(bins) (held out)", result.rmse_bins, ""))
        best = fit_checks.evaluate(held_out, true)
        rows.append((f"learner {seed}, true weights: log loss (held out)", best.log_loss, ""))
    return rows


if __name__ == "__main__":
    for name, value, unit in fitting_rows():
        print(f"{name:<56} {value:>10.4f} {unit}")
