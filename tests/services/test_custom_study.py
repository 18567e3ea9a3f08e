"""Custom study and filtered decks: forgotten cards, studying ahead, raised limits, cramming."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from studyapp.domain.cards import Card, CardState, Rating, ReviewKind
from studyapp.domain.clock import ManualClock, study_day
from studyapp.domain.decks import DeckFilter
from studyapp.domain.filtered import FilterOrder
from studyapp.errors import InvalidInputError, NotAFilteredDeckError
from studyapp.services.container import Services
from studyapp.services.custom_study import CUSTOM_STUDY_DECK
from studyapp.storage.database import Database
from tests.conftest import DeckMaker


def today(clock: ManualClock) -> int:
    return study_day(clock.now(), 4, clock.zone)


def as_reviews(database: Database, clock: ManualClock, deck_id: int) -> list[int]:
    """Make the deck's cards review cards due 1, 2, 3, ... days from today; their ids."""
    with database.transaction() as repos:
        cards = repos.planning.active_cards([deck_id])
        for i, card in enumerate(cards, start=1):
            repos.cards.save(
                replace(
                    card, state=CardState.REVIEW, due=today(clock) + i, interval=i + 2,
                    stability=float(i + 2), difficulty=5.0, last_review_day=today(clock) - 2,
                    reps=2,
                ),
                0,
            )  # fmt: skip
        return [c.id for c in cards]


def test_study_ahead_gathers_cards_due_soon_and_sends_them_home_on_graduation(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Medicine", 6)
    ids = as_reviews(database, clock, deck_id)

    built = services.custom_study.study_ahead(deck_id, 3)

    assert (built.name, built.cards) == (CUSTOM_STUDY_DECK, 3)
    step = services.study.next_step(built.deck_id)
    assert step.card is not None
    assert step.card.card_id == ids[0]
    assert step.counts.review == 3
    services.study.answer(ids[0], Rating.GOOD, 4_000)
    with database.transaction() as repos:
        card = repos.cards.get(ids[0])
        (review,) = repos.reviews.for_card(ids[0])
    assert card is not None
    assert (card.deck_id, card.home_deck_id) == (deck_id, None)
    assert card.due > today(clock)
    assert card.reps == 3
    assert review.kind is ReviewKind.FILTERED
    assert services.study.next_step(built.deck_id).counts.review == 2


def test_reviewing_forgotten_cards_gathers_todays_agains(
    services: Services, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Forgotten", 4)
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.AGAIN):
        step = services.study.next_step(deck_id)
        assert step.card is not None
        services.study.answer(step.card.card_id, rating, 3_000)
    assert services.custom_study.info(deck_id).forgotten_today == 2

    built = services.custom_study.review_forgotten(deck_id)

    assert built.cards == 2
    assert "rated:1:1" in built.filter.query


def test_cramming_leaves_schedules_unchanged(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Cram", 3)
    ids = as_reviews(database, clock, deck_id)
    with database.transaction() as repos:
        before = {i: repos.cards.get(i) for i in ids}

    built = services.custom_study.cram(deck_id, None)
    assert built.cards == 3
    assert not built.filter.reschedule
    first = services.study.next_step(built.deck_id).card
    assert first is not None
    services.study.answer(first.card_id, Rating.AGAIN, 2_000)
    # Again keeps the card for another look, after the others.
    second = services.study.next_step(built.deck_id).card
    assert second is not None
    assert second.card_id != first.card_id
    services.study.answer(second.card_id, Rating.GOOD, 2_000)

    with database.transaction() as repos:
        after = {i: repos.cards.get(i) for i in ids}
        log = repos.reviews.for_card(first.card_id)
    assert after[second.card_id] == before[second.card_id]  # home, schedule as it was
    assert after[first.card_id] == replace(
        before[first.card_id],  # type: ignore[type-var]
        deck_id=built.deck_id,
        home_deck_id=deck_id,
    )
    assert [(r.kind, r.stability) for r in log] == [(ReviewKind.FILTERED, None)]
    assert services.optimizer.optimize(1).fits[0].reviews == 0  # cramming teaches the fit nothing


def test_cramming_brings_a_forgotten_card_back_after_the_first_learning_step(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Cram steps", 4)
    as_reviews(database, clock, deck_id)
    with database.transaction() as repos:
        preset = repos.presets.get(1)
    assert preset is not None
    assert preset.learning_steps[0] == 60
    built = services.custom_study.cram(deck_id, None)

    def shown() -> int:
        card = services.study.next_step(built.deck_id).card
        assert card is not None
        return card.card_id

    forgotten = shown()
    services.study.answer(forgotten, Rating.AGAIN, 2_000)
    second = shown()
    assert second != forgotten
    services.study.answer(second, Rating.GOOD, 2_000)
    clock.advance(timedelta(seconds=59))
    third = shown()
    assert third not in (forgotten, second)  # its minute is not over yet
    clock.advance(timedelta(seconds=1))
    assert shown() == forgotten  # back after one minute, before the card not yet seen
    services.study.answer(forgotten, Rating.AGAIN, 2_000)
    assert shown() == third
    services.study.answer(third, Rating.GOOD, 2_000)
    fourth = shown()
    services.study.answer(fourth, Rating.GOOD, 2_000)
    assert shown() == forgotten  # nothing else is left: no need to wait out the minute
    services.study.answer(forgotten, Rating.GOOD, 2_000)
    assert services.study.next_step(built.deck_id).card is None


def test_cramming_a_tag(services: Services, make_deck: DeckMaker, database: Database) -> None:
    deck_id = make_deck("Tagged", 4)
    with database.transaction() as repos:
        cards = repos.planning.active_cards([deck_id])
        for card in cards[:2]:
            note = repos.notes.get(card.note_id)
            assert note is not None
            repos.notes.update(replace(note, tags=("cardio_exam",)))

    built = services.custom_study.cram(None, "cardio_exam")

    assert built.cards == 2
    assert services.custom_study.info(deck_id).tags == ("cardio_exam",)
    with pytest.raises(InvalidInputError, match="one word"):
        services.custom_study.cram(None, "two words")


def test_emptying_and_deleting_send_cards_home(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Home", 5)
    as_reviews(database, clock, deck_id)
    deck_filter = DeckFilter('deck:"Home"', 4, FilterOrder.RETRIEVABILITY, True)
    built = services.filtered_decks.create("Before the exam", deck_filter)
    assert built.cards == 4

    assert services.filtered_decks.empty(built.deck_id) == 4
    with database.transaction() as repos:
        assert {c.deck_id for c in repos.planning.active_cards([deck_id])} == {deck_id}
    assert services.filtered_decks.rebuild(built.deck_id).cards == 4
    assert services.filtered_decks.delete(built.deck_id) == 4
    with database.transaction() as repos:
        cards = repos.planning.active_cards([deck_id])
        assert repos.decks.get(built.deck_id) is None
    assert {(c.deck_id, c.home_deck_id) for c in cards} == {(deck_id, None)}
    with pytest.raises(NotAFilteredDeckError):
        services.filtered_decks.empty(deck_id)
    with pytest.raises(InvalidInputError, match="No cards match"):
        services.filtered_decks.create("Nothing", DeckFilter("tag:none_such", 10, 0, True))


def test_raising_todays_limits_shows_more_cards(
    services: Services, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Limits", 40)
    assert services.study.next_step(deck_id).counts.new == 20

    assert services.custom_study.raise_limits(deck_id, new=5) == (5, 0)
    assert services.custom_study.raise_limits(deck_id, new=3, review=10) == (8, 10)

    assert services.study.next_step(deck_id).counts.new == 28
    info = services.custom_study.info(deck_id)
    assert (info.extra_new, info.extra_review) == (8, 10)
    clock.advance(timedelta(days=1))
    assert services.study.next_step(deck_id).counts.new == 20
    with pytest.raises(InvalidInputError):
        services.custom_study.raise_limits(deck_id)


def cards_of(database: Database, ids: list[int]) -> dict[int, Card]:
    with database.transaction() as repos:
        found = {i: repos.cards.get(i) for i in ids}
    return {i: card for i, card in found.items() if card is not None}


def test_building_rebuilding_emptying_and_deleting_are_each_one_undo_step(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Trauma", 6)
    ids = as_reviews(database, clock, deck_id)
    at_home = cards_of(database, ids)
    deck_filter = DeckFilter('deck:"Trauma"', 4, FilterOrder.DUE, True)

    built = services.filtered_decks.create("Before the exam", deck_filter)
    assert services.undo.label() == "Build filtered deck"
    gathered = cards_of(database, ids)
    assert [i for i in ids if gathered[i].deck_id == built.deck_id] == ids[:4]
    services.undo.undo()
    assert cards_of(database, ids) == at_home
    with database.transaction() as repos:
        assert repos.decks.get(built.deck_id) is None
    services.undo.redo()
    assert cards_of(database, ids) == gathered

    # The first card now falls due last, so a rebuild sends it home and gathers the fifth.
    with database.transaction() as repos:
        first = repos.cards.get(ids[0])
        assert first is not None
        repos.cards.save(replace(first, due=first.due + 30), 0)
    before_rebuild = cards_of(database, ids)
    assert services.filtered_decks.rebuild(built.deck_id).cards == 4
    assert services.undo.label() == "Rebuild filtered deck"
    rebuilt = cards_of(database, ids)
    assert [i for i in ids if rebuilt[i].deck_id == built.deck_id] == ids[1:5]
    assert (rebuilt[ids[0]].deck_id, rebuilt[ids[0]].home_deck_id) == (deck_id, None)
    assert (rebuilt[ids[4]].deck_id, rebuilt[ids[4]].home_deck_id) == (built.deck_id, deck_id)
    services.undo.undo()
    assert cards_of(database, ids) == before_rebuild
    services.undo.redo()
    assert cards_of(database, ids) == rebuilt

    assert services.filtered_decks.empty(built.deck_id) == 4
    assert services.undo.label() == "Empty filtered deck"
    emptied = cards_of(database, ids)
    assert {(c.deck_id, c.home_deck_id) for c in emptied.values()} == {(deck_id, None)}
    services.undo.undo()
    assert cards_of(database, ids) == rebuilt
    services.undo.redo()
    assert cards_of(database, ids) == emptied
    services.undo.undo()

    assert services.filtered_decks.delete(built.deck_id) == 4
    assert services.undo.label() == "Delete filtered deck"
    deleted = cards_of(database, ids)
    assert {(c.deck_id, c.home_deck_id) for c in deleted.values()} == {(deck_id, None)}
    services.undo.undo()
    assert cards_of(database, ids) == rebuilt
    restored = services.filtered_decks.get(built.deck_id)
    assert (restored.name, restored.filter, restored.cards) == ("Before the exam", deck_filter, 4)
    services.undo.redo()
    assert cards_of(database, ids) == deleted
    with database.transaction() as repos:
        assert repos.decks.get(built.deck_id) is None
