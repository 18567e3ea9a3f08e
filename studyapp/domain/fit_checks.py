"""Checking fitted FSRS-6 weights: how well weights predict held-out reviews, the fit that keeps
new weights only when they predict better, and synthetic learners to test the fitter with.

numpy is imported inside the functions that need it, as in domain.fitting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from studyapp.domain.fitting import (
    PROBABILITY_FLOOR,
    RMSE_BINS,
    IterationHook,
    check_length,
    dot,
    fit_batch,
    run_model,
)
from studyapp.domain.memory import (
    MIN_REVIEWS_TO_FIT,
    initial_state,
    next_interval,
    next_state,
    retrievability,
)
from studyapp.domain.review_batch import Batch, History, as_batch


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How well parameters predict recall: mean log loss, RMSE(bins), number of predictions.

    RMSE(bins) groups predictions into 20 equal-width bins of predicted recall and takes the
    root mean square of (mean predicted - observed recall rate) over bins, weighted by bin size.
    """

    log_loss: float
    rmse_bins: float
    count: int


@dataclass(frozen=True, slots=True)
class FitReport:
    """The result of fit_with_check: the parameters to use and how both candidates predicted.

    `old` and `new` are evaluated on the later reviews of each card, which the fit did not see;
    `new` belongs to the parameters fitted on the earlier reviews.  When `kept_new` is true,
    `parameters` are then refitted on all reviews, starting from those; otherwise they are the
    current parameters unchanged.
    """

    parameters: tuple[float, ...]
    old: Evaluation
    new: Evaluation
    """When `checked` is false, no fit was tried and this repeats `old`."""
    kept_new: bool
    checked: bool
    """Whether a fit was tried and checked on later reviews: false when the reviews before the
    split were too few to fit or none fell after it (too few study days)."""
    reason: str


def evaluate_batch(batch: Batch, parameters: Sequence[float]) -> Evaluation:
    import numpy as np

    if batch.target_count == 0:
        return Evaluation(log_loss=math.nan, rmse_bins=math.nan, count=0)
    result = run_model(batch, parameters, want_gradient=False)
    predicted = result.predictions[batch.targets]
    actual = batch.recalled[batch.targets]
    p = np.clip(predicted, PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
    log_loss = -float(np.mean(actual * np.log(p) + (1.0 - actual) * np.log1p(-p)))
    bins = np.minimum((predicted * RMSE_BINS).astype(np.int64), RMSE_BINS - 1)
    sizes = np.bincount(bins, minlength=RMSE_BINS).astype(np.float64)
    predicted_sums = np.bincount(bins, weights=predicted, minlength=RMSE_BINS)
    actual_sums = np.bincount(bins, weights=actual, minlength=RMSE_BINS)
    used = sizes > 0
    gaps = (predicted_sums[used] - actual_sums[used]) / sizes[used]
    rmse = math.sqrt((dot(sizes[used], gaps * gaps)) / float(sizes.sum()))
    return Evaluation(log_loss=log_loss, rmse_bins=rmse, count=batch.target_count)


def evaluate(histories: Sequence[History], parameters: Sequence[float]) -> Evaluation:
    """How well `parameters` predict the targets in `histories` (see Evaluation).

    With no targets at all, log_loss and rmse_bins are NaN and count is 0.
    """
    check_length(parameters)
    return evaluate_batch(as_batch(histories), parameters)


def simulate_histories(
    parameters: Sequence[float],
    cards: int,
    days: int,
    seed: int,
    desired_retention: float = 0.9,
) -> list[list[tuple[int, int]]]:
    """Review histories of a synthetic learner whose memory follows `parameters` exactly.

    For checking the fitter (tests, benchmarks): cards are introduced over the first half of
    `days`; Again or Hard on a first review is followed by same-day learning steps and every lapse
    by a same-day relearning step; later reviews fall due at the interval for `desired_retention`,
    taken early or late by a random factor; recall is drawn with the model's probability, so the
    histories carry exactly the information a real learner's would.  Uses the scalar model of
    domain.memory, independent of this module's vectorized one.  Deterministic for a `seed`.
    """
    import numpy as np

    check_length(parameters)
    rng = np.random.default_rng(seed)
    first_ratings = rng.choice(4, size=cards, p=[0.25, 0.1, 0.55, 0.1]) + 1
    introduced = rng.integers(0, max(days // 2, 1), size=cards)
    histories: list[list[tuple[int, int]]] = []
    for card in range(cards):
        day = int(introduced[card])
        rating = int(first_ratings[card])
        history = [(day, rating)]
        state = initial_state(rating, parameters)
        steps = 0
        while rating < 3 and steps < 3:
            rating = 1 if rng.random() < 0.2 else 3
            history.append((day, rating))
            state = next_state(state, 0, rating, parameters)
            steps += 1
        while True:
            interval = next_interval(state.stability, desired_retention, parameters, 36500)
            delay = max(1, round(interval * math.exp(0.35 * float(rng.standard_normal()))))
            day += delay
            if day >= days:
                break
            if rng.random() < retrievability(delay, state.stability, parameters):
                choice = rng.random()
                rating = 2 if choice < 0.15 else 4 if choice > 0.9 else 3
                history.append((day, rating))
                state = next_state(state, delay, rating, parameters)
            else:
                history.append((day, 1))
                state = next_state(state, delay, 1, parameters)
                history.append((day, 3))
                state = next_state(state, 0, 3, parameters)
        histories.append(history)
    return histories


HELD_OUT_SHARE = 0.25
"""fit_with_check holds out about this share of the prediction targets: the latest ones."""


def _split_day(histories: Sequence[History]) -> int:
    """The first held-out study day: about HELD_OUT_SHARE of all targets fall on or after it."""
    days = sorted(
        day for history in histories for (before, _), (day, _) in pairwise(history) if day > before
    )
    if not days:
        return 0
    return days[min(int(len(days) * (1.0 - HELD_OUT_SHARE)), len(days) - 1)]


def fit_with_check(
    histories: Sequence[History],
    current: Sequence[float],
    after_iteration: IterationHook | None = None,
) -> FitReport:
    """Fit new weights and keep them only if they predict recall better than `current`.

    A time-series split at one study day, so the days of all histories must share one numbering
    (as the app's study-day indices do): the reviews before the day on which the latest quarter
    or so of the targets begins are the training part; the targets from that day on are
    predicted by both the current weights and the weights fitted on the training part, each
    from the card's full history up to that review.  (Splitting each card's own history by
    review count instead would bias the check: how many reviews a card has depends on its
    lapses.)  If the new weights have the lower log loss there, they are refitted on all reviews
    (starting from the training-part fit) and returned; otherwise `current` is returned.
    `after_iteration` is called after each iteration of either fit (see IterationHook).
    """
    check_length(current)
    current = tuple(float(v) for v in current)
    split = _split_day(histories)
    cuts = [sum(1 for day, _ in history if day < split) for history in histories]
    training = [history[:cut] for history, cut in zip(histories, cuts, strict=True) if cut]
    held_out = as_batch(histories, targets_from=cuts)
    old = evaluate_batch(held_out, current)
    training_batch = as_batch(training)
    if training_batch.target_count < MIN_REVIEWS_TO_FIT or held_out.target_count == 0:
        return FitReport(
            parameters=current,
            old=old,
            new=old,
            kept_new=False,
            checked=False,
            reason=(
                f"too little data: {training_batch.target_count} reviews to fit on and"
                f" {held_out.target_count} to check against; {MIN_REVIEWS_TO_FIT} needed to fit"
            ),
        )
    candidate = fit_batch(training_batch, current, after_iteration)
    new = evaluate_batch(held_out, candidate)
    if not new.log_loss < old.log_loss:
        return FitReport(
            parameters=current,
            old=old,
            new=new,
            kept_new=False,
            checked=True,
            reason=(
                f"kept the current parameters: on {new.count} later reviews their log loss"
                f" {old.log_loss:.4f} is not beaten by {new.log_loss:.4f}"
            ),
        )
    full = as_batch(histories)
    return FitReport(
        parameters=fit_batch(full, candidate, after_iteration),
        old=old,
        new=new,
        kept_new=True,
        checked=True,
        reason=(
            f"new parameters: on {new.count} later reviews log loss {new.log_loss:.4f}"
            f" against {old.log_loss:.4f}, RMSE(bins) {new.rmse_bins:.4f}"
            f" against {old.rmse_bins:.4f}"
        ),
    )
