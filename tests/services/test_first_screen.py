"""The first screen, read from the SQLite file with sqlite3 alone, equals what the services show:
the deck list's rows and the settings, whatever has been studied, buried or limited."""

from __future__ import annotations

import itertools
import random
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.services.container import Services
from studyapp.services.first_screen import FirstScreen, first_screen
from studyapp.services.settings import Theme
from studyapp.storage.database import Database
from studyapp.storage.first_screen import read_snapshot
from tests.services.scheduling_cards import card_ids, make_review, today_of
from tests.services.test_study_queue_memo import DeckMaker, build_collection

pytestmark = pytest.mark.sqlite_only


def read(database: Database, clock: ManualClock) -> FirstScreen | None:
    assert database.sqlite_file is not None
    return read_snapshot(database.sqlite_file, lambda reads: first_screen(reads, clock))


def shown(database: Database, services: Services, clock: ManualClock) -> FirstScreen:
    """The first screen, checked against the services' deck list and settings."""
    screen = read(database, clock)
    assert screen is not None
    assert screen.decks == services.decks.deck_list()
    assert screen.settings == services.settings.get()
    return screen


def test_the_first_screen_follows_a_study_session(
    services: Services, database: Database, clock: ManualClock, make_deck: DeckMaker
) -> None:
    decks = build_collection(services, database, clock, make_deck)
    services.settings.save(replace(services.settings.get(), theme=Theme.DARK, rollover_hour=2))
    chooser = random.Random(7)
    filtered = services.custom_study.study_ahead(decks["Main::A"], 3).deck_id
    services.custom_study.raise_limits(decks["Main::B"], new=2, review=1)
    screens = []
    for turn in range(80):
        deck_id = chooser.choice([decks["Main"], decks["Main::C"], filtered])
        step = services.study.next_step(deck_id)
        if step.card is None:
            clock.advance(timedelta(minutes=10))
            continue
        if turn % 9 == 4:
            services.card_actions.bury_card(step.card.card_id)
        else:
            services.study.answer(step.card.card_id, chooser.choice(list(Rating)), 3000)
        clock.advance(timedelta(seconds=chooser.randint(5, 400)))
        if turn % 10 == 0:
            screens.append(shown(database, services, clock))
    assert screens[0].settings.theme is Theme.DARK
    counted = {row.deck_id: row for row in screens[-1].decks}
    assert counted[filtered].filtered
    assert any(row.new + row.learning + row.review for row in counted.values())
    assert any(before != after for before, after in itertools.pairwise(screens))


def test_limits_and_subdecks_cap_the_counts_as_the_deck_list_does(
    services: Services, database: Database, clock: ManualClock, make_deck: DeckMaker
) -> None:
    preset = services.presets.add("Tight")
    services.presets.save(replace(preset, new_per_day=3, reviews_per_day=2))
    parent = make_deck("Parent", 5, preset.id)
    child = make_deck("Parent::Child", 6)
    for card_id in card_ids(database, child)[:4]:
        make_review(database, card_id, due=today_of(clock) - 1, interval=2, stability=2.0)

    screen = shown(database, services, clock)

    rows = {row.deck_id: row for row in screen.decks}
    assert (rows[parent].new, rows[parent].review) == (3, 2)
    assert (rows[child].new, rows[child].review) == (2, 4)


def test_no_first_screen_while_the_days_unburying_would_bring_cards_back(
    services: Services, database: Database, clock: ManualClock, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Buried", 3)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    services.card_actions.bury_card(step.card.card_id)
    assert [r.new for r in shown(database, services, clock).decks if r.deck_id == deck_id] == [2]

    clock.advance(timedelta(days=1))
    assert read(database, clock) is None  # the usual start-up unburies, then counts

    assert [row.new for row in services.decks.deck_list() if row.deck_id == deck_id] == [3]
    assert shown(database, services, clock) is not None


def test_a_new_day_with_nothing_buried_has_its_first_screen(
    services: Services, database: Database, clock: ManualClock, make_deck: DeckMaker
) -> None:
    make_deck("Plain", 2)
    shown(database, services, clock)
    clock.advance(timedelta(days=1))

    screen = read(database, clock)

    assert screen is not None
    assert screen.decks == services.decks.deck_list()


def test_an_older_schema_or_a_file_that_is_no_collection_has_no_first_screen(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    assert database.sqlite_file is not None
    with sqlite3.connect(database.sqlite_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0003'")
    assert read(database, clock) is None

    other = tmp_path / "other.sqlite3"
    other.write_bytes(b"not a database at all" * 100)
    assert read_snapshot(other, lambda reads: first_screen(reads, clock)) is None
    assert read_snapshot(tmp_path / "missing.sqlite3", lambda reads: reads.decks()) is None
    assert not (tmp_path / "missing.sqlite3").exists()
