"""The FSRS-6 memory model: how stability and difficulty change with each answer.

A card's memory is two numbers.  Stability S is the time in days after which the probability of
recall has fallen to 90%; difficulty D (1..10) decides how fast stability grows.  Retrievability R
is the probability of recall after t days, read off the forgetting curve

    R(t, S) = (1 + F * t / S) ** -w20,   with F = 0.9 ** (-1 / w20) - 1  (so that R(S, S) = 0.9).

Time is counted in whole study days (see domain.clock).  A review on the same study day as the one
before it (elapsed 0) changes stability through the short-term terms w17..w19 instead of the
forgetting curve.

The equations follow the published FSRS-6 algorithm; the default weights are those of the `fsrs`
package 6.x.  This module is pure: no I/O, no randomness.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PARAMETER_COUNT = 21

DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212,
    1.2931,
    2.3065,
    8.2956,
    6.4133,
    0.8334,
    3.0194,
    0.001,
    1.8722,
    0.1666,
    0.796,
    1.4835,
    0.0614,
    0.2629,
    1.6483,
    0.6014,
    1.8729,
    0.5425,
    0.0912,
    0.0658,
    0.1542,
)
"""The 21 FSRS-6 default weights w0..w20."""

MIN_STABILITY = 0.001
MIN_DIFFICULTY = 1.0
MAX_DIFFICULTY = 10.0

MIN_REVIEWS_TO_FIT = 400
"""Fewer prediction targets than this (reviews after the first, on a later study day than the
review before) and fit_parameters keeps the defaults."""

_AGAIN, _HARD, _GOOD, _EASY = 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class MemoryState:
    """A card's memory after a review: stability in days, difficulty in 1..10."""

    stability: float
    difficulty: float


def _check_parameters(parameters: Sequence[float]) -> None:
    if len(parameters) != PARAMETER_COUNT:
        raise ValueError(f"FSRS-6 needs {PARAMETER_COUNT} parameters, got {len(parameters)}")


def _check_rating(rating: int) -> None:
    if not _AGAIN <= rating <= _EASY:
        raise ValueError(f"rating must be 1..4, got {rating}")


def _clamp_difficulty(difficulty: float) -> float:
    return min(max(difficulty, MIN_DIFFICULTY), MAX_DIFFICULTY)


def _raw_initial_difficulty(rating: int, w: Sequence[float]) -> float:
    return w[4] - math.exp(w[5] * (rating - 1)) + 1


def initial_state(rating: int, parameters: Sequence[float]) -> MemoryState:
    """The memory state after a card's first review, answered with `rating` (1..4)."""
    _check_parameters(parameters)
    _check_rating(rating)
    stability = max(parameters[rating - 1], MIN_STABILITY)
    difficulty = _clamp_difficulty(_raw_initial_difficulty(rating, parameters))
    return MemoryState(stability, difficulty)


def _next_difficulty(difficulty: float, rating: int, w: Sequence[float]) -> float:
    change = -w[6] * (rating - 3)
    damped = difficulty + (MAX_DIFFICULTY - difficulty) * change / 9.0
    # Mean reversion towards the initial difficulty of an Easy first answer.
    reverted = w[7] * _raw_initial_difficulty(_EASY, w) + (1 - w[7]) * damped
    return _clamp_difficulty(reverted)


def _short_term_stability(stability: float, rating: int, w: Sequence[float]) -> float:
    growth = math.exp(w[17] * (rating - 3 + w[18])) * math.pow(stability, -w[19])
    if rating >= _HARD:
        growth = max(growth, 1.0)
    return max(stability * growth, MIN_STABILITY)


def _recall_stability(
    stability: float, difficulty: float, recall: float, rating: int, w: Sequence[float]
) -> float:
    hard_penalty = w[15] if rating == _HARD else 1.0
    easy_bonus = w[16] if rating == _EASY else 1.0
    growth = (
        math.exp(w[8])
        * (11 - difficulty)
        * math.pow(stability, -w[9])
        * (math.exp((1 - recall) * w[10]) - 1)
        * hard_penalty
        * easy_bonus
    )
    return stability * (1 + growth)


def _forget_stability(
    stability: float, difficulty: float, recall: float, w: Sequence[float]
) -> float:
    long_term = (
        w[11]
        * math.pow(difficulty, -w[12])
        * (math.pow(stability + 1, w[13]) - 1)
        * math.exp((1 - recall) * w[14])
    )
    # A lapse never leaves the card more stable than a same-day Again would.
    short_term = stability / math.exp(w[17] * w[18])
    return min(long_term, short_term)


def next_state(
    state: MemoryState, elapsed_days: int, rating: int, parameters: Sequence[float]
) -> MemoryState:
    """The memory state after a review `elapsed_days` study days after the previous one.

    `elapsed_days` 0 is a same-day review: stability changes through the short-term terms.
    """
    _check_parameters(parameters)
    _check_rating(rating)
    if elapsed_days < 0:
        raise ValueError(f"elapsed_days must not be negative, got {elapsed_days}")
    if elapsed_days == 0:
        stability = _short_term_stability(state.stability, rating, parameters)
    else:
        recall = retrievability(elapsed_days, state.stability, parameters)
        if rating == _AGAIN:
            stability = _forget_stability(state.stability, state.difficulty, recall, parameters)
        else:
            stability = _recall_stability(
                state.stability, state.difficulty, recall, rating, parameters
            )
        stability = max(stability, MIN_STABILITY)
    difficulty = _next_difficulty(state.difficulty, rating, parameters)
    return MemoryState(stability, difficulty)


def _decay_and_factor(parameters: Sequence[float]) -> tuple[float, float]:
    decay = -parameters[20]
    return decay, math.pow(0.9, 1 / decay) - 1


def retrievability(elapsed_days: float, stability: float, parameters: Sequence[float]) -> float:
    """The probability of recall `elapsed_days` days after a review that left `stability`."""
    _check_parameters(parameters)
    decay, factor = _decay_and_factor(parameters)
    return math.pow(1 + factor * max(elapsed_days, 0.0) / stability, decay)


def next_interval(
    stability: float,
    desired_retention: float,
    parameters: Sequence[float],
    maximum_interval: int,
) -> int:
    """The whole number of days after which recall falls to `desired_retention` (unfuzzed).

    At least 1 and at most `maximum_interval`.
    """
    _check_parameters(parameters)
    if not 0.0 < desired_retention < 1.0:
        raise ValueError(f"desired_retention must be in (0, 1), got {desired_retention}")
    decay, factor = _decay_and_factor(parameters)
    days = stability / factor * (math.pow(desired_retention, 1 / decay) - 1)
    return max(1, min(round(days), maximum_interval))


def predict_recall(
    history: Sequence[tuple[int, int]], day: int, parameters: Sequence[float]
) -> float:
    """The probability that a card is recalled at a review on study day `day`.

    `history` is the card's reviews in time order from its first one, as pairs
    (study day index, rating 1..4).  Only differences between days matter, so any numbering of
    study days works.  Reviews on the same day as the one before go through the short-term terms.
    `day` must not be earlier than the last day in `history`; on that same day the result is 1.0.

    Raises ValueError for an empty or unordered history, a rating outside 1..4, or a `day` before
    the last review.
    """
    if not history:
        raise ValueError("predict_recall needs at least one review in the history")
    first_day, first_rating = history[0]
    state = initial_state(first_rating, parameters)
    previous_day = first_day
    for review_day, rating in history[1:]:
        if review_day < previous_day:
            raise ValueError("history must be in time order")
        state = next_state(state, review_day - previous_day, rating, parameters)
        previous_day = review_day
    if day < previous_day:
        raise ValueError(f"day {day} is before the last review on day {previous_day}")
    return retrievability(day - previous_day, state.stability, parameters)


def fit_parameters(histories: Sequence[Sequence[tuple[int, int]]]) -> tuple[float, ...]:
    """The 21 weights w0..w20 that best predict recall in `histories`, within the FSRS-6 bounds.

    Each history is one card's reviews as in predict_recall: pairs (study day index, rating 1..4)
    in time order from its first review; same-day reviews are allowed.  Every review after the
    first on a later study day than the one before is a prediction target, recalled when the
    rating is above Again.  With fewer than MIN_REVIEWS_TO_FIT targets the result is
    DEFAULT_PARAMETERS.  Deterministic; needs numpy and scipy (see domain.fitting).

    Raises ValueError for an empty or unordered history or a rating outside 1..4.
    """
    from studyapp.domain import fitting

    return fitting.fit(histories)
