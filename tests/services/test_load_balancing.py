"""Load balancing and easy days: a review lands on the least loaded day of its fuzz range."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.domain.load_balance import EASY_DAY_SHARE, balanced_interval, weekday
from studyapp.domain.memory import DEFAULT_PARAMETERS, MemoryState, next_interval, next_state
from studyapp.domain.scheduler import fuzz_bounds
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.services.scheduling_cards import card_ids, make_review, today_of

DeckMaker = Callable[..., int]


def test_balanced_interval_takes_the_least_loaded_day() -> None:
    today = date(2026, 3, 9).toordinal()  # a Monday
    loads = {today + 4: 9, today + 5: 3, today + 6: 7, today + 7: 3}
    # Days 5 and 7 tie; the one nearer the fuzzed choice (7) wins.
    chosen = balanced_interval(4, 7, today=today, loads=loads, easy_days=(), preferred=7)
    assert chosen == 7
    assert balanced_interval(4, 6, today=today, loads=loads, easy_days=(), preferred=4) == 5
    # Marked easy, Saturday (day 5) counts as twice as full and loses to Monday (day 7).
    assert weekday(today + 5) == 5
    assert balanced_interval(4, 7, today=today, loads=loads, easy_days=(5,), preferred=5) == 7
    with pytest.raises(ValueError, match="empty"):
        balanced_interval(5, 4, today=today, loads=loads, easy_days=(), preferred=5)


def test_a_study_day_has_its_calendar_weekday() -> None:
    start = date(1999, 12, 27).toordinal()
    for day in (1, *range(start, start + 12_000, 13)):
        assert weekday(day) == date.fromordinal(day).weekday()


def test_an_answer_lands_on_the_least_loaded_day_within_the_fuzz_bounds(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    today = today_of(clock)
    deck_id = make_deck("Balanced", 400)
    answered, *others = card_ids(database, deck_id)
    stability, difficulty, elapsed = 20.0, 5.0, 20
    after = next_state(MemoryState(stability, difficulty), elapsed, Rating.GOOD, DEFAULT_PARAMETERS)
    interval = next_interval(after.stability, 0.9, DEFAULT_PARAMETERS, 36500)
    lower, upper = fuzz_bounds(interval, 36500)
    assert upper - lower >= 4
    lightest = lower + (upper - lower) // 2
    # Every day around the range carries 20 reviews but one, which carries 5.
    days = range(lower - 2, upper + 3)
    loads = {offset: 5 if offset == lightest else 20 for offset in days}
    spare = iter(others)
    for offset, count in loads.items():
        for _ in range(count):
            make_review(database, next(spare), due=today + offset, interval=offset, stability=50.0)
    make_review(database, answered, due=today, interval=elapsed, stability=stability)

    services.study.answer(answered, Rating.GOOD, 1000)

    with database.transaction() as repos:
        card = repos.cards.get(answered)
        assert repos.schedule.due_loads(today + lower, today + upper) == {
            today + offset: count + (offset == lightest)
            for offset, count in loads.items()
            if lower <= offset <= upper
        }
    assert card is not None
    assert card.due == today + lightest


def simulate_month(
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
    name: str,
    easy_days: tuple[int, ...],
) -> Counter[int]:
    """120 review cards studied every day for five weeks (all answered Good): the reviews done
    on each weekday after the first week (whose due dates the test set, not the scheduler)."""
    preset = services.presets.add(name)
    services.presets.save(replace(preset, easy_days=easy_days))
    deck_id = make_deck(name, 120, preset.id)
    start = today_of(clock)
    for number, card_id in enumerate(card_ids(database, deck_id)):
        stability = 8.0 + number % 20
        make_review(database, card_id, due=start + number % 7, interval=3, stability=stability)
    done: Counter[int] = Counter()
    for day in range(35):
        while (step := services.study.next_step(deck_id)).card is not None:
            services.study.answer(step.card.card_id, Rating.GOOD, 1000)
            if day >= 7:
                done[weekday(start + day)] += 1
        clock.advance(timedelta(days=1))
    return done


@pytest.mark.sqlite_only
@pytest.mark.parametrize("easy_days", [(5, 6), ()])
def test_easy_days_get_fewer_reviews_in_a_simulated_month(
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
    easy_days: tuple[int, ...],
) -> None:
    done = simulate_month(services, make_deck, database, clock, "Weekends", easy_days)
    weekend = (done[5] + done[6]) / 2
    ordinary = sum(done[d] for d in range(5)) / 5
    if easy_days:
        # Each easy day gets about EASY_DAY_SHARE of an ordinary day's reviews.
        assert 0.5 * EASY_DAY_SHARE * ordinary < weekend < 0.7 * ordinary
    else:
        assert weekend > 0.8 * ordinary
