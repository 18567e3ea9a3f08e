"""A deterministic stretch of study, for statistics tests and screenshots with real-looking data."""

from __future__ import annotations

import random
from datetime import timedelta

from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.services.container import Services

_RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
_WEIGHTS = (10, 10, 70, 10)
_MOST_ANSWERS_A_DAY = 150


def simulate_days(services: Services, clock: ManualClock, days: int, seed: int) -> None:
    """Study every top-level deck for `days` days from the clock's current day, answering
    through the study service.  About one day in ten is skipped; the others start between
    8 am and 8 pm (clock time) and answer until nothing is due, learning steps included.
    The clock ends at the start of the day after the last one."""
    chooser = random.Random(seed)
    start = clock.current.replace(hour=0, minute=0, second=0, microsecond=0)
    tops = [d.deck_id for d in services.decks.deck_list() if d.depth == 0]
    for day in range(days):
        clock.current = start + timedelta(days=day, hours=chooser.randint(8, 20))
        if day > 0 and chooser.random() < 0.1:
            continue
        for deck_id in tops:
            _study(services, clock, deck_id, chooser)
    clock.current = start + timedelta(days=days)


def _study(services: Services, clock: ManualClock, deck_id: int, chooser: random.Random) -> None:
    for _ in range(_MOST_ANSWERS_A_DAY):
        step = services.study.next_step(deck_id)
        if step.card is None:
            if step.next_due is None:
                return
            clock.current = max(clock.current, step.next_due) + timedelta(seconds=1)
            continue
        rating = chooser.choices(_RATINGS, _WEIGHTS)[0]
        spent = chooser.randint(2_000, 15_000)
        services.study.answer(step.card.card_id, rating, spent)
        clock.advance(timedelta(milliseconds=spent + chooser.randint(500, 3_000)))
