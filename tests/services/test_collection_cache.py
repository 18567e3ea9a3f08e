"""The cached settings, decks and presets are kept across a service's own answers and read anew
after any other change, in this process or (SQLite) by another connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace

import pytest

from studyapp.domain.cards import Rating
from studyapp.services.collection_cache import CollectionCache
from studyapp.services.container import Services
from studyapp.storage.database import Database

DeckMaker = Callable[..., int]


def test_a_commit_that_changed_nothing_cached_keeps_the_cache(
    database: Database, make_deck: DeckMaker, backend: str
) -> None:
    make_deck("Kept", 2)
    cache = CollectionCache(database)
    with database.transaction() as repos:
        first = cache.reads(repos)
        decks = first.decks()
    cache.kept(first)
    with database.transaction() as repos:
        again = cache.reads(repos).decks()
    # PostgreSQL collections are shared: nothing is kept across transactions there.
    assert (again is decks) is (backend == "sqlite")
    assert [d.name for d in again] == [d.name for d in decks]


def test_another_commit_empties_the_cache(database: Database, make_deck: DeckMaker) -> None:
    make_deck("Before", 2)
    cache = CollectionCache(database)
    with database.transaction() as repos:
        reads = cache.reads(repos)
        names = [d.name for d in reads.decks()]
    cache.kept(reads)
    make_deck("After", 1)
    with database.transaction() as repos:
        now = [d.name for d in cache.reads(repos).decks()]
    assert "After" not in names
    assert "After" in now


def test_study_sees_a_preset_change_made_between_answers(
    services: Services, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Graded", 3)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    assert not step.card.pass_fail
    services.study.answer(step.card.card_id, Rating.GOOD, 1000)
    preset = services.presets.for_deck(deck_id)
    services.presets.save(replace(preset, pass_fail=True))
    step = services.study.next_step(deck_id)
    assert step.card is not None
    assert step.card.pass_fail


@pytest.mark.sqlite_only  # another connection to the same file
def test_study_sees_a_change_made_by_another_connection(
    services: Services, database: Database, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Shared", 5)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    services.study.answer(step.card.card_id, Rating.GOOD, 1000)
    assert services.study.next_step(deck_id).counts.new == 4
    preset_id = services.presets.for_deck(deck_id).id
    assert database.sqlite_file is not None
    other = sqlite3.connect(database.sqlite_file)
    with other:
        other.execute("UPDATE presets SET new_per_day = 2 WHERE id = ?", (preset_id,))
    other.close()
    # One new card was introduced today, so a limit of 2 leaves one.
    assert services.study.next_step(deck_id).counts.new == 1
