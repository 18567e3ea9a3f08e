"""What a desired retention costs: a vectorized simulation of a deck under the FSRS-6 model.

For each desired retention the deck is studied for `days` days: the cards already learned start
from their memory states and due days, new cards come in at the daily new limit, every due card
is reviewed, recall is drawn with the model's probability, and the next interval is the one at
which recall falls to that retention.  Every retention is simulated at once, as rows of one
(retentions x cards) array, and each day touches only the cards due that day.  The daily review
limit is not applied: the result is the load the retention would create, not what a limit lets
through.  Deterministic for a seed.

numpy is imported inside the function that needs it, so importing this module stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyapp.domain.memory import (
    MAX_DIFFICULTY,
    MIN_DIFFICULTY,
    MIN_STABILITY,
    PARAMETER_COUNT,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

RETENTIONS: tuple[float, ...] = tuple(round(0.70 + 0.01 * i, 2) for i in range(30))
"""The desired retentions the simulator compares: 0.70, 0.71, ..., 0.99."""

HORIZON_DAYS = 365

FIRST_RATINGS = (0.25, 0.10, 0.55, 0.10)
"""How often a new card's first answer is Again, Hard, Good, Easy."""
RECALL_RATINGS = (0.15, 0.75, 0.10)
"""Among recalled reviews, how often the answer is Hard, Good, Easy."""


@dataclass(frozen=True, slots=True)
class AnswerSeconds:
    """Seconds an answer takes: a new card's learning steps, a review, a relearning step."""

    learn: float = 20.0
    review: float = 8.0
    relearn: float = 15.0


@dataclass(frozen=True, slots=True)
class LearnedCard:
    """A card that has been studied: its memory and when it is due (study day indices)."""

    stability: float
    difficulty: float
    last_review_day: int
    due_day: int


@dataclass(frozen=True, slots=True)
class DeckWorkload:
    """What the simulation starts from."""

    today: int
    learned: tuple[LearnedCard, ...]
    new_cards: int
    new_per_day: int
    maximum_interval: int = 36500


@dataclass(frozen=True, slots=True)
class WorkloadPoint:
    """The average daily load over the horizon at one desired retention."""

    retention: float
    reviews_per_day: float
    minutes_per_day: float


def _check(parameters: Sequence[float], retentions: Sequence[float], days: int) -> None:
    if len(parameters) != PARAMETER_COUNT:
        raise ValueError(f"FSRS-6 needs {PARAMETER_COUNT} parameters, got {len(parameters)}")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if not retentions or not all(0.0 < r < 1.0 for r in retentions):
        raise ValueError("retentions must be in (0, 1)")


def simulate_workload(
    deck: DeckWorkload,
    parameters: Sequence[float],
    seconds: AnswerSeconds,
    retentions: Sequence[float] = RETENTIONS,
    days: int = HORIZON_DAYS,
    seed: int = 0,
) -> list[WorkloadPoint]:
    """The average answers and minutes per day over `days` days, one point per retention.

    A lapse costs a review and one relearning step; a new card costs its first answer plus one
    learning step when that answer is Again or Hard.
    """
    import numpy as np

    _check(parameters, retentions, days)
    w = [float(v) for v in parameters]
    factor = math.pow(0.9, -1.0 / w[20]) - 1.0
    rng = np.random.default_rng(seed)
    introduced = min(deck.new_cards, deck.new_per_day * days) if deck.new_per_day > 0 else 0
    cards = len(deck.learned) + introduced
    rows = len(retentions)
    if cards == 0:
        return [WorkloadPoint(float(r), 0.0, 0.0) for r in retentions]

    # Per card (shared by every retention): the starting state and the day it is next seen.
    stability = np.empty(cards, dtype=np.float64)
    difficulty = np.empty(cards, dtype=np.float64)
    last = np.zeros(cards, dtype=np.int64)
    due = np.empty(cards, dtype=np.int64)
    learned = len(deck.learned)
    for i, card in enumerate(deck.learned):
        stability[i] = max(card.stability, MIN_STABILITY)
        difficulty[i] = card.difficulty
        last[i] = card.last_review_day - deck.today
        due[i] = max(card.due_day - deck.today, 0)
    stability[learned:] = np.nan  # not yet seen
    difficulty[learned:] = np.nan
    if introduced:
        due[learned:] = np.arange(introduced, dtype=np.int64) // deck.new_per_day

    shape = (rows, cards)
    s = np.broadcast_to(stability, shape).copy()
    d = np.broadcast_to(difficulty, shape).copy()
    last_day = np.broadcast_to(last, shape).copy()
    next_day = np.broadcast_to(due, shape).copy()
    # Per row, the interval is S * interval_factor = S / F * (r ** (-1 / w20) - 1).
    interval_factor = (np.power(np.asarray(retentions, dtype=np.float64), -1.0 / w[20]) - 1.0) / (
        factor
    )
    learn_answers = np.zeros(rows, dtype=np.float64)
    review_answers = np.zeros(rows, dtype=np.float64)
    relearn_answers = np.zeros(rows, dtype=np.float64)
    first_cdf = np.cumsum(FIRST_RATINGS)
    recall_cdf = np.cumsum(RECALL_RATINGS)
    easy_difficulty = w[4] - math.exp(3.0 * w[5]) + 1.0

    for day in range(days):
        row, col = np.nonzero(next_day == day)
        if row.size == 0:
            continue
        cs, cd = s[row, col], d[row, col]
        draws = rng.random(row.size)
        is_new = np.isnan(cs)
        new_s = np.empty(row.size, dtype=np.float64)
        new_d = np.empty(row.size, dtype=np.float64)

        if is_new.any():
            first = np.searchsorted(first_cdf, draws[is_new], side="right") + 1
            first = np.minimum(first, 4)
            fs = np.asarray(w[:4])[first - 1]
            fd = np.clip(w[4] - np.exp(w[5] * (first - 1)) + 1.0, MIN_DIFFICULTY, MAX_DIFFICULTY)
            stepped = first < 3
            # A learning step answered Good on the same day: the short-term formula.
            fs = np.where(stepped, fs * np.exp(w[17] * w[18]) * np.power(fs, -w[19]), fs)
            new_s[is_new] = np.maximum(fs, MIN_STABILITY)
            new_d[is_new] = fd
            np.add.at(learn_answers, row[is_new], 1.0 + stepped)

        old = ~is_new
        if old.any():
            os_, od = cs[old], cd[old]
            elapsed = (day - last_day[row[old], col[old]]).astype(np.float64)
            recall = np.power(1.0 + factor * elapsed / os_, -w[20])
            second = rng.random(int(old.sum()))
            recalled = second < recall
            # Reuse the first draw (independent of the second) to pick Hard, Good or Easy.
            grade = np.searchsorted(recall_cdf, draws[old], side="right") + 2
            grade = np.where(recalled, np.minimum(grade, 4), 1)
            growth = (
                math.exp(w[8])
                * (11.0 - od)
                * np.power(os_, -w[9])
                * np.expm1((1.0 - recall) * w[10])
                * np.where(grade == 2, w[15], 1.0)
                * np.where(grade == 4, w[16], 1.0)
            )
            kept = os_ * (1.0 + growth)
            long_term = (
                w[11]
                * np.power(od, -w[12])
                * (np.power(os_ + 1.0, w[13]) - 1.0)
                * np.exp((1.0 - recall) * w[14])
            )
            lapsed = np.minimum(long_term, os_ / math.exp(w[17] * w[18]))
            # After a lapse, one relearning step answered Good the same day.
            relearned = lapsed * np.exp(w[17] * w[18]) * np.power(lapsed, -w[19])
            lapsed = np.maximum(lapsed, relearned)
            new_s[old] = np.maximum(np.where(recalled, kept, lapsed), MIN_STABILITY)
            damped = od - (10.0 - od) * (w[6] / 9.0) * (grade - 3)
            new_d[old] = np.clip(
                w[7] * easy_difficulty + (1.0 - w[7]) * damped, MIN_DIFFICULTY, MAX_DIFFICULTY
            )
            np.add.at(review_answers, row[old], 1.0)
            np.add.at(relearn_answers, row[old], (~recalled).astype(np.float64))

        s[row, col] = new_s
        d[row, col] = new_d
        last_day[row, col] = day
        interval = np.clip(
            np.rint(new_s * interval_factor[row]), 1, max(deck.maximum_interval, 1)
        ).astype(np.int64)
        next_day[row, col] = day + interval

    answers = learn_answers + review_answers + relearn_answers
    spent = (
        learn_answers * seconds.learn
        + review_answers * seconds.review
        + relearn_answers * seconds.relearn
    )
    return [
        WorkloadPoint(float(r), float(answers[i] / days), float(spent[i] / 60.0 / days))
        for i, r in enumerate(retentions)
    ]
