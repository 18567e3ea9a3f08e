"""The FSRS-6 memory model, checked against its equations and against the `fsrs` package."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from studyapp.domain.memory import (
    DEFAULT_PARAMETERS,
    MemoryState,
    initial_state,
    next_interval,
    next_state,
    predict_recall,
    retrievability,
)

W = DEFAULT_PARAMETERS
BASE = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

# (study day, rating): several review histories, some with same-day repeats.
SEQUENCES: list[list[tuple[int, int]]] = [
    [(0, 3), (1, 3), (4, 3), (13, 3), (40, 3)],
    [(0, 1), (0, 1), (0, 3), (1, 2), (3, 3), (9, 1), (9, 3), (11, 4)],
    [(0, 4), (8, 3), (30, 2), (80, 3), (200, 1), (201, 3)],
    [(0, 2), (0, 3), (2, 1), (2, 2), (2, 3), (5, 4), (25, 3)],
    [(0, 3), (0, 3), (0, 4), (10, 2), (10, 1), (11, 3), (365, 3)],
]


def moment(index: int, day: int) -> datetime:
    """The time of review number `index` on `day`: ten minutes apart, so whole days stay whole."""
    return BASE + timedelta(days=day, minutes=10 * index)


def test_default_parameters_are_the_published_fsrs6_weights() -> None:
    assert len(DEFAULT_PARAMETERS) == 21
    assert tuple(fsrs.scheduler.DEFAULT_PARAMETERS) == DEFAULT_PARAMETERS
    assert DEFAULT_PARAMETERS[20] == pytest.approx(0.1542)


def test_initial_state_per_rating() -> None:
    for rating in (1, 2, 3, 4):
        state = initial_state(rating, W)
        assert state.stability == W[rating - 1]
        expected = min(max(W[4] - math.exp(W[5] * (rating - 1)) + 1, 1.0), 10.0)
        assert state.difficulty == pytest.approx(expected)
    assert initial_state(1, W).difficulty > initial_state(4, W).difficulty


def test_forgetting_curve() -> None:
    stability = 7.5
    assert retrievability(0, stability, W) == 1.0
    assert retrievability(stability, stability, W) == pytest.approx(0.9)
    values = [retrievability(t, stability, W) for t in (1, 5, 30, 365)]
    assert values == sorted(values, reverse=True)
    decay = -W[20]
    factor = 0.9 ** (1 / decay) - 1
    assert retrievability(12.5, stability, W) == pytest.approx(
        (1 + factor * 12.5 / stability) ** decay
    )


def test_next_interval() -> None:
    # FSRS-6 scales the curve so that recall is 90% after S days.
    assert next_interval(10.0, 0.9, W, 36500) == 10
    assert next_interval(100.0, 0.9, W, 36500) == 100
    assert next_interval(100.0, 0.95, W, 36500) < 100 < next_interval(100.0, 0.8, W, 36500)
    assert next_interval(0.1, 0.9, W, 36500) == 1
    assert next_interval(100_000.0, 0.9, W, 36500) == 36500
    assert next_interval(100.0, 0.9, W, 30) == 30
    with pytest.raises(ValueError, match="desired_retention"):
        next_interval(10.0, 1.0, W, 36500)


def test_same_day_review_uses_short_term_terms() -> None:
    state = MemoryState(stability=2.0, difficulty=5.0)
    good = next_state(state, 0, 3, W)
    growth = math.exp(W[17] * (3 - 3 + W[18])) * 2.0 ** -W[19]
    assert good.stability == pytest.approx(2.0 * max(growth, 1.0))
    again = next_state(state, 0, 1, W)
    assert again.stability < state.stability
    # A passing same-day answer never lowers stability.
    big = MemoryState(stability=300.0, difficulty=5.0)
    assert next_state(big, 0, 2, W).stability == pytest.approx(300.0)
    # A day later the long-term formula applies instead.
    assert next_state(state, 1, 3, W).stability != pytest.approx(good.stability)


def test_difficulty_moves_with_the_rating() -> None:
    state = MemoryState(stability=5.0, difficulty=5.0)
    assert next_state(state, 5, 1, W).difficulty > 5.0
    assert next_state(state, 5, 4, W).difficulty < 5.0
    assert 1.0 <= next_state(MemoryState(5.0, 10.0), 5, 1, W).difficulty <= 10.0


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="21 parameters"):
        initial_state(3, W[:20])
    with pytest.raises(ValueError, match="rating"):
        initial_state(5, W)
    with pytest.raises(ValueError, match="negative"):
        next_state(MemoryState(1.0, 5.0), -1, 3, W)


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_memory_states_match_the_fsrs_package(sequence: list[tuple[int, int]]) -> None:
    scheduler = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    theirs = fsrs.Card(card_id=1, due=BASE)
    ours: MemoryState | None = None
    previous_day = 0
    for index, (day, rating) in enumerate(sequence):
        when = moment(index, day)
        theirs, _ = scheduler.review_card(theirs, fsrs.Rating(rating), when)
        if ours is None:
            ours = initial_state(rating, W)
        else:
            ours = next_state(ours, day - previous_day, rating, W)
        previous_day = day
        assert ours.stability == pytest.approx(theirs.stability, rel=1e-4, abs=1e-4)
        assert ours.difficulty == pytest.approx(theirs.difficulty, rel=1e-4, abs=1e-4)
        their_interval = (theirs.due - when).days
        assert next_interval(ours.stability, 0.9, W, 36500) == their_interval


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_predict_recall_matches_the_fsrs_package(sequence: list[tuple[int, int]]) -> None:
    scheduler = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    theirs = fsrs.Card(card_id=1, due=BASE)
    for index, (day, rating) in enumerate(sequence):
        theirs, _ = scheduler.review_card(theirs, fsrs.Rating(rating), moment(index, day))
    last_day = sequence[-1][0]
    for later in (0, 1, 7, 60):
        when = moment(len(sequence) - 1, last_day + later)
        expected = scheduler.get_card_retrievability(theirs, when)
        assert predict_recall(sequence, last_day + later, W) == pytest.approx(expected, rel=1e-6)


def test_predict_recall_examples() -> None:
    # One Good answer leaves stability w2: recall is 90% after w2 days, certain on the same day.
    assert predict_recall([(0, 3)], 0, W) == 1.0
    assert predict_recall([(0, 3)], 3, W) == pytest.approx(retrievability(3, W[2], W))
    assert predict_recall([(0, 3)], 3, W) == pytest.approx(0.8809, abs=1e-4)
    # Only differences of days matter.
    history = [(0, 3), (2, 3), (9, 2)]
    shifted = [(day + 738_000, rating) for day, rating in history]
    assert predict_recall(shifted, 738_030, W) == pytest.approx(predict_recall(history, 30, W))
    # Same-day reviews go through the short-term terms.
    same_day = initial_state(1, W)
    same_day = next_state(same_day, 0, 3, W)
    assert predict_recall([(5, 1), (5, 3)], 9, W) == pytest.approx(
        retrievability(4, same_day.stability, W)
    )
    # Remembering more often makes recall later more likely.
    assert predict_recall([(0, 3), (3, 3)], 30, W) > predict_recall([(0, 3)], 30, W)
    assert predict_recall([(0, 1)], 5, W) < predict_recall([(0, 4)], 5, W)


def test_predict_recall_rejects_bad_histories() -> None:
    with pytest.raises(ValueError, match="at least one review"):
        predict_recall([], 0, W)
    with pytest.raises(ValueError, match="time order"):
        predict_recall([(5, 3), (4, 3)], 10, W)
    with pytest.raises(ValueError, match="before the last review"):
        predict_recall([(5, 3)], 4, W)
    with pytest.raises(ValueError, match="rating"):
        predict_recall([(0, 0)], 1, W)
