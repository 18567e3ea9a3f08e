"""The deck list reads settings, decks and presets through the shared collection cache: its counts
follow every change, and the day's unburying happens once however the cache is kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from studyapp.domain.clock import ManualClock
from studyapp.services.burying import LAST_UNBURIED_KEY
from studyapp.services.collection_cache import CollectionCache
from studyapp.services.container import Services
from studyapp.services.queue import DailyQueue, StudyDay
from studyapp.storage.database import Database

DeckMaker = Callable[..., int]


def _new_count(services: Services, deck_id: int) -> int:
    return next(row.new for row in services.decks.deck_list() if row.deck_id == deck_id)


def test_deck_list_follows_preset_and_custom_study_limits(
    services: Services, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Limited", 30)
    assert _new_count(services, deck_id) == 20
    assert _new_count(services, deck_id) == 20  # read again from the kept cache
    preset = services.presets.for_deck(deck_id)
    services.presets.save(replace(preset, new_per_day=5))
    assert _new_count(services, deck_id) == 5
    services.custom_study.raise_limits(deck_id, new=3)
    assert _new_count(services, deck_id) == 8


def test_deck_list_brings_buried_cards_back_on_the_next_day(
    services: Services, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Buried", 3)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    services.card_actions.bury_card(step.card.card_id)
    assert _new_count(services, deck_id) == 2
    clock.advance(timedelta(days=1))
    assert _new_count(services, deck_id) == 3
    step = services.study.next_step(deck_id)
    assert step.card is not None
    services.card_actions.bury_card(step.card.card_id)
    assert _new_count(services, deck_id) == 2
    assert _new_count(services, deck_id) == 2


def test_the_days_unburying_is_seen_by_the_kept_cache(
    database: Database, make_deck: DeckMaker, clock: ManualClock
) -> None:
    make_deck("Unburied", 2)
    cache = CollectionCache(database)
    day = StudyDay.at(clock, 4)
    with database.transaction() as repos:
        reads = cache.reads(repos)
        assert reads.setting(LAST_UNBURIED_KEY) != day.today
        DailyQueue.stored(repos, reads, day, reads.decks())  # the first queue of the day unburies
    cache.kept(reads)
    with database.transaction() as repos:
        # Read anew, not the value from before the unburying: else every queue would unbury.
        assert cache.reads(repos).setting(LAST_UNBURIED_KEY) == day.today
