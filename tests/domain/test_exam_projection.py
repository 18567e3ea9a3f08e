"""The vectorized exam projection against a card-by-card reading of the same plan."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from studyapp.domain.cards import CardState, Rating
from studyapp.domain.decks import Preset
from studyapp.domain.exam import ExamTarget, exam_window
from studyapp.domain.exam_projection import CardColumns, project_exam
from studyapp.domain.memory import (
    MemoryState,
    initial_state,
    next_interval,
    next_state,
    retrievability,
)

TODAY = 740_000


@dataclass(frozen=True)
class Card:
    deck_id: int
    state: CardState
    due: int
    stability: float | None
    difficulty: float | None
    last_review_day: int | None


def follow(
    memory: MemoryState, last: int, day: int, exam: ExamTarget, preset: Preset
) -> tuple[float, int]:
    """Recall on the exam day and reviews, answering Good on every due day (one card)."""
    reviews = 0
    while day < exam.day:
        memory = next_state(memory, day - last, Rating.GOOD, preset.parameters)
        reviews += 1
        interval = next_interval(
            memory.stability, preset.desired_retention, preset.parameters, preset.maximum_interval
        )
        window = exam_window(memory, day, interval, exam, preset.parameters)
        last, day = day, day + (interval if window is None else window[1])
    return retrievability(exam.day - last, memory.stability, preset.parameters), reviews


def reference(
    cards: list[Card], presets: dict[int, Preset], exam: ExamTarget, per_day: int
) -> tuple[int, int, int, float, int, float]:
    """(reviews, learning answers, planned on target, planned average, stopped on target,
    stopped average), one card at a time."""
    reviews = learning = planned_on = stopped_on = new = 0
    planned_sum = stopped_sum = 0.0
    for card in cards:
        preset = presets[card.deck_id]
        if card.stability is None or card.difficulty is None or card.last_review_day is None:
            slot, new = new // per_day, new + 1
            recall, stopped = 0.0, 0.0
            if TODAY + slot < exam.day:
                memory = initial_state(Rating.GOOD, preset.parameters)
                for _ in range(len(preset.learning_steps) - 1):
                    memory = next_state(memory, 0, Rating.GOOD, preset.parameters)
                learning += max(1, len(preset.learning_steps))
                day = TODAY + slot
                interval = next_interval(
                    memory.stability,
                    preset.desired_retention,
                    preset.parameters,
                    preset.maximum_interval,
                )
                window = exam_window(memory, day, interval, exam, preset.parameters)
                first = day + (interval if window is None else window[1])
                recall, answered = follow(memory, day, first, exam, preset)
                reviews += answered
        else:
            memory = MemoryState(card.stability, card.difficulty)
            stopped = retrievability(
                exam.day - card.last_review_day, card.stability, preset.parameters
            )
            first = max(card.due, TODAY) if card.state is CardState.REVIEW else TODAY
            recall, answered = follow(memory, card.last_review_day, first, exam, preset)
            reviews += answered
        planned_sum += recall
        stopped_sum += stopped
        planned_on += recall >= exam.target_recall
        stopped_on += stopped >= exam.target_recall
    count = len(cards)
    return reviews, learning, planned_on, planned_sum / count, stopped_on, stopped_sum / count


def random_cards(seed: int, count: int) -> list[Card]:
    chooser = random.Random(seed)
    cards = []
    for _ in range(count):
        deck = chooser.choice((1, 2))
        kind = chooser.random()
        if kind < 0.25:
            cards.append(Card(deck, CardState.NEW, 0, None, None, None))
        elif kind < 0.35:  # learning today: the next answer is a same-day one
            cards.append(Card(deck, CardState.LEARNING, 0, 0.5, 6.0, TODAY))
        else:
            interval = chooser.randint(1, 200)
            last = TODAY - chooser.randint(0, interval + 20)
            stability = chooser.uniform(0.3, 300.0)
            difficulty = chooser.uniform(1.0, 10.0)
            cards.append(Card(deck, CardState.REVIEW, last + interval, stability, difficulty, last))
    return cards


def columns(cards: list[Card]) -> CardColumns:
    return CardColumns(
        deck_id=[c.deck_id for c in cards],
        state=[int(c.state) for c in cards],
        due=[c.due for c in cards],
        stability=[c.stability for c in cards],
        difficulty=[c.difficulty for c in cards],
        last_review_day=[c.last_review_day for c in cards],
    )


@pytest.mark.parametrize(("seed", "days", "target"), [(1, 30, 0.9), (2, 8, 0.95), (3, 90, 0.8)])
def test_the_projection_matches_card_by_card_answers(seed: int, days: int, target: float) -> None:
    presets = {
        1: Preset(id=1, name="Default", new_per_day=7),
        2: Preset(id=2, name="Steep", desired_retention=0.8, learning_steps=(60, 600, 3600)),
    }
    cards = random_cards(seed, 600)
    exam = ExamTarget(TODAY + days, target)
    projection = project_exam(columns(cards), presets, TODAY, exam, presets[1])
    reviews, learning, planned_on, planned_average, stopped_on, stopped_average = reference(
        cards, presets, exam, per_day=7
    )
    assert projection.cards == 600
    assert projection.new_cards == sum(c.stability is None for c in cards)
    assert (projection.reviews, projection.learning_steps) == (reviews, learning)
    assert (projection.planned_on_target, projection.stopped_on_target) == (planned_on, stopped_on)
    assert projection.planned_average == pytest.approx(planned_average, rel=1e-9)
    assert projection.stopped_average == pytest.approx(stopped_average, rel=1e-9)


def test_an_empty_deck_is_on_track() -> None:
    preset = Preset(id=1, name="Default")
    projection = project_exam(
        CardColumns((), (), (), (), (), ()), {}, TODAY, ExamTarget(TODAY + 5, 0.9), preset
    )
    assert (projection.cards, projection.reviews, projection.planned_average) == (0, 0, 1.0)
    assert projection.feasible


def test_an_exam_today_is_not_feasible() -> None:
    preset = Preset(id=1, name="Default")
    cards = [Card(1, CardState.REVIEW, TODAY, 50.0, 5.0, TODAY - 3)]
    projection = project_exam(columns(cards), {1: preset}, TODAY, ExamTarget(TODAY, 0.9), preset)
    assert projection.days_left == 0
    assert projection.reviews == 0
    assert not projection.feasible
