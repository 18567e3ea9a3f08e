"""An answer works out only the rating given; the result is the one the labels show for it."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

from studyapp.domain.cards import Card, CardState, Rating
from studyapp.domain.clock import study_day
from studyapp.domain.decks import Preset
from studyapp.domain.exam import ExamTarget
from studyapp.domain.scheduler import (
    PASS_FAIL_RATINGS,
    Placement,
    _outcomes,
    answer_card,
    format_interval,
    interval_labels,
)

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TODAY = study_day(NOW, 4, UTC)


def _loads(first: int, last: int) -> Mapping[int, int]:
    """Reviews due per day: uneven, so that load balancing moves intervals."""
    return {day: (day * 7919) % 23 for day in range(first, last + 1)}


def _cards(chooser: random.Random, count: int) -> list[Card]:
    cards = []
    for index in range(count):
        state = chooser.choice(list(CardState))
        card = Card(id=1000 + index, note_id=index, deck_id=1, ordinal=0, state=state)
        if state is not CardState.NEW:
            elapsed = chooser.choice([0, 1, 3, 12, 40, 200])
            card = replace(
                card,
                step=chooser.randint(0, 2),
                interval=max(elapsed, 1),
                stability=chooser.choice([0.3, 2.0, 9.5, 40.0, 300.0]),
                difficulty=chooser.uniform(1.0, 10.0),
                reps=chooser.randint(1, 30),
                lapses=chooser.randint(0, 9),
                last_review_day=TODAY - elapsed,
            )
        cards.append(card)
    return cards


PRESETS = [
    Preset(id=1, name="Default"),
    Preset(id=2, name="No relearning", relearning_steps=(), learning_steps=(60,)),
    Preset(id=3, name="No steps", learning_steps=(), relearning_steps=()),
    Preset(id=4, name="Pass/fail", pass_fail=True),
    Preset(id=5, name="Capped", maximum_interval=30, easy_days=(5, 6)),
]
PLACEMENTS = [
    Placement(),
    Placement(loads=_loads),
    Placement(loads=_loads, exam=ExamTarget(TODAY + 9, 0.9)),
    Placement(exam=ExamTarget(TODAY + 60, 0.85)),
]


def test_each_rating_alone_gives_what_all_four_give() -> None:
    chooser = random.Random(7)
    for card in _cards(chooser, 120):
        for preset in PRESETS:
            for placement in PLACEMENTS:
                every = _outcomes(card, TODAY, preset, placement, tuple(Rating))
                for rating in Rating:
                    alone = _outcomes(card, TODAY, preset, placement, (rating,))
                    assert alone == {rating: every[rating]}, (card, preset.name, rating)


def test_an_answer_lands_where_its_label_says() -> None:
    chooser = random.Random(11)
    for card in _cards(chooser, 80):
        for preset in PRESETS:
            for placement in PLACEMENTS:
                labels = interval_labels(
                    card, now=NOW, today=TODAY, preset=preset, placement=placement
                )
                ratings = PASS_FAIL_RATINGS if preset.pass_fail else tuple(Rating)
                assert set(labels) == set(ratings)
                for rating in ratings:
                    answered = answer_card(
                        card,
                        rating,
                        now=NOW,
                        today=TODAY,
                        preset=preset,
                        time_taken_ms=2000,
                        placement=placement,
                    ).card
                    if answered.state is CardState.REVIEW:
                        delay = (answered.due - TODAY) * 86_400
                    else:
                        delay = answered.due - int(NOW.timestamp())
                    assert labels[rating] == format_interval(delay), (card, rating)
