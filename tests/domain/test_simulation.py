"""The workload simulator: what each desired retention costs."""

from __future__ import annotations

import pytest

from studyapp.domain.memory import DEFAULT_PARAMETERS
from studyapp.domain.simulation import (
    RETENTIONS,
    AnswerSeconds,
    DeckWorkload,
    LearnedCard,
    simulate_workload,
)


def deck(new_cards: int = 300, learned: int = 400) -> DeckWorkload:
    cards = tuple(
        LearnedCard(
            stability=2.0 + (i % 50), difficulty=3.0 + (i % 6), last_review_day=-(i % 20),
            due_day=i % 30,
        )
        for i in range(learned)
    )  # fmt: skip
    return DeckWorkload(today=0, learned=cards, new_cards=new_cards, new_per_day=10)


def test_higher_retention_costs_more_reviews_and_minutes() -> None:
    points = simulate_workload(deck(), DEFAULT_PARAMETERS, AnswerSeconds(), days=180, seed=1)

    assert [p.retention for p in points] == list(RETENTIONS)
    low, middle, high = points[0], points[20], points[-1]
    assert low.reviews_per_day < middle.reviews_per_day < high.reviews_per_day
    assert low.minutes_per_day < middle.minutes_per_day < high.minutes_per_day
    assert high.reviews_per_day > 3 * low.reviews_per_day


def test_a_deck_without_cards_costs_nothing() -> None:
    empty = DeckWorkload(today=0, learned=(), new_cards=0, new_per_day=20)

    points = simulate_workload(empty, DEFAULT_PARAMETERS, AnswerSeconds(), days=30)

    assert {(p.reviews_per_day, p.minutes_per_day) for p in points} == {(0.0, 0.0)}


def test_results_are_deterministic_for_a_seed() -> None:
    first = simulate_workload(deck(), DEFAULT_PARAMETERS, AnswerSeconds(), days=60, seed=5)
    again = simulate_workload(deck(), DEFAULT_PARAMETERS, AnswerSeconds(), days=60, seed=5)
    other = simulate_workload(deck(), DEFAULT_PARAMETERS, AnswerSeconds(), days=60, seed=6)

    assert first == again
    assert first != other


def test_new_cards_alone_cost_their_learning_time() -> None:
    only_new = DeckWorkload(today=0, learned=(), new_cards=10, new_per_day=10)
    seconds = AnswerSeconds(learn=60.0, review=0.0, relearn=0.0)

    (point,) = simulate_workload(only_new, DEFAULT_PARAMETERS, seconds, (0.9,), days=1)

    # Ten first answers, plus one learning step for each Again or Hard.
    assert 10 <= point.reviews_per_day <= 20
    assert point.minutes_per_day == pytest.approx(point.reviews_per_day)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="21 parameters"):
        simulate_workload(deck(), DEFAULT_PARAMETERS[:5], AnswerSeconds())
    with pytest.raises(ValueError, match="retentions"):
        simulate_workload(deck(), DEFAULT_PARAMETERS, AnswerSeconds(), (1.2,))
