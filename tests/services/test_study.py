"""The study service on a real database file: queue order, limits, learn-ahead, counts, undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from studyapp.app import open_collection
from studyapp.domain.cards import CardState, Rating
from studyapp.domain.clock import ManualClock
from studyapp.errors import NothingToUndoError
from studyapp.paths import DataPaths
from studyapp.services.container import Services
from studyapp.storage.database import Database

DeckMaker = Callable[[str, int], int]


def counts_of(services: Services, name: str) -> tuple[int, int, int]:
    row = next(r for r in services.decks.deck_list() if r.name == name)
    return row.new, row.learning, row.review


def test_new_collection_has_the_builtin_deck_capped_at_the_daily_limit(
    services: Services,
) -> None:
    rows = services.decks.deck_list()
    assert [r.name for r in rows] == ["EMT vs EMS"]
    assert (rows[0].new, rows[0].learning, rows[0].review) == (20, 0, 0)


def test_preparing_again_does_not_duplicate_the_builtin_deck(
    services: Services, database: Database
) -> None:
    from studyapp.paths import builtin_deck_files

    again = services.collection.prepare([p.read_bytes() for p in builtin_deck_files()])
    assert again == []
    with database.transaction() as repos:
        assert len(repos.decks.all()) == 1


def test_front_first_then_answer_with_labels(services: Services, make_deck: DeckMaker) -> None:
    deck_id = make_deck("Small", 3)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    assert "Q1" in step.card.question_html
    assert "A1" not in step.card.question_html
    assert "A1" in step.card.answer_html
    assert step.card.labels[Rating.AGAIN] == "<1m"
    assert step.card.labels[Rating.GOOD] == "<10m"
    assert step.card.labels[Rating.EASY].endswith("d")
    assert (step.counts.new, step.counts.learning, step.counts.review) == (3, 0, 0)


def test_queue_order_learning_then_review_then_new(
    services: Services,
    make_deck: DeckMaker,
    clock: ManualClock,
) -> None:
    deck_id = make_deck("Order", 3)
    first = services.study.next_step(deck_id).card
    assert first is not None
    services.study.answer(first.card_id, Rating.EASY, 1000)  # -> review, due in days
    second = services.study.next_step(deck_id).card
    assert second is not None
    services.study.answer(second.card_id, Rating.AGAIN, 1000)  # -> learning, due in 1 minute
    clock.advance(timedelta(days=30))  # review card now due; learning card long due
    order = []
    for _ in range(3):
        card = services.study.next_step(deck_id).card
        assert card is not None
        order.append((card.card_id, card.state))
        services.study.answer(card.card_id, Rating.GOOD, 1000)
    assert [state for _, state in order] == [CardState.LEARNING, CardState.REVIEW, CardState.NEW]
    assert order[0][0] == second.card_id
    assert order[1][0] == first.card_id


def test_daily_new_limit_counts_cards_already_introduced(
    services: Services,
    make_deck: DeckMaker,
) -> None:
    deck_id = make_deck("Many", 30)
    assert counts_of(services, "Many") == (20, 0, 0)
    for _ in range(5):
        card = services.study.next_step(deck_id).card
        assert card is not None
        services.study.answer(card.card_id, Rating.GOOD, 1000)
    assert counts_of(services, "Many") == (15, 5, 0)


def test_parent_counts_include_children_and_parent_limit_caps_them(
    services: Services,
    make_deck: DeckMaker,
) -> None:
    make_deck("Lang::French", 15)
    make_deck("Lang::German", 15)
    rows = {r.name: r for r in services.decks.deck_list()}
    assert list(rows) == ["EMT vs EMS", "Lang", "Lang::French", "Lang::German"]
    assert rows["Lang::French"].new == 15
    assert rows["Lang"].new == 20  # 30 below it, capped by the parent's own limit
    assert rows["Lang::German"].depth == 1


def test_learning_card_due_within_the_learn_ahead_limit_is_shown_early(
    services: Services,
    make_deck: DeckMaker,
    clock: ManualClock,
) -> None:
    deck_id = make_deck("One", 1)
    card = services.study.next_step(deck_id).card
    assert card is not None
    services.study.answer(card.card_id, Rating.GOOD, 1000)  # next step: 10 minutes
    # Nothing else left: a card due within 20 minutes is shown early.
    early = services.study.next_step(deck_id)
    assert early.card is not None
    assert early.card.card_id == card.card_id


def test_waiting_reports_when_the_next_learning_card_is_due(
    services: Services,
    database: Database,
    make_deck: DeckMaker,
    clock: ManualClock,
) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE presets SET learning_steps = '[60, 3600]' WHERE id = 1")
    deck_id = make_deck("Slow", 1)
    card = services.study.next_step(deck_id).card
    assert card is not None
    services.study.answer(card.card_id, Rating.GOOD, 1000)  # next step: 1 hour
    step = services.study.next_step(deck_id)
    assert step.card is None
    assert step.next_due == clock.now().replace(microsecond=0) + timedelta(hours=1)
    clock.advance(timedelta(minutes=41))  # within 20 minutes of due: shown early
    assert services.study.next_step(deck_id).card is not None


def test_undo_restores_card_schedule_and_log_exactly(
    services: Services,
    database: Database,
    make_deck: DeckMaker,
) -> None:
    deck_id = make_deck("Undo", 2)
    card = services.study.next_step(deck_id).card
    assert card is not None
    with database.transaction() as repos:
        before = repos.cards.get(card.card_id)
    services.study.answer(card.card_id, Rating.GOOD, 1500)
    assert services.undo.label() == "Answer"
    outcome = services.undo.undo()
    assert outcome.card_id == card.card_id
    with database.transaction() as repos:
        assert repos.cards.get(card.card_id) == before
        assert repos.reviews.for_card(card.card_id) == []
    again = services.study.next_step(deck_id).card
    assert again is not None
    assert again.card_id == card.card_id
    assert services.undo.label() is None
    with pytest.raises(NothingToUndoError):
        services.undo.undo()


def test_redo_applies_the_answer_again_and_a_new_action_clears_it(
    services: Services,
    database: Database,
    make_deck: DeckMaker,
) -> None:
    deck_id = make_deck("Redo", 2)
    card = services.study.next_step(deck_id).card
    assert card is not None
    services.study.answer(card.card_id, Rating.GOOD, 1500)
    with database.transaction() as repos:
        answered = repos.cards.get(card.card_id)
        logged = [(r.rating, r.interval) for r in repos.reviews.for_card(card.card_id)]
    services.undo.undo()
    assert services.undo.redo_label() == "Answer"
    outcome = services.undo.redo()
    assert outcome.card_id == card.card_id
    with database.transaction() as repos:
        assert repos.cards.get(card.card_id) == answered
        assert [(r.rating, r.interval) for r in repos.reviews.for_card(card.card_id)] == logged
    assert services.undo.redo_label() is None
    services.undo.undo()  # undoing the redone answer removes its new log row
    with database.transaction() as repos:
        assert repos.reviews.for_card(card.card_id) == []
    other = services.study.next_step(deck_id).card
    assert other is not None
    services.study.answer(other.card_id, Rating.AGAIN, 900)
    assert services.undo.redo_label() is None
    with pytest.raises(NothingToUndoError):
        services.undo.redo()


def test_answers_persist_across_reopen(
    services: Services, collection_url: str, data_paths: DataPaths, clock: ManualClock
) -> None:
    deck_id = services.decks.deck_list()[0].deck_id
    for _ in range(5):
        card = services.study.next_step(deck_id).card
        assert card is not None
        services.study.answer(card.card_id, Rating.GOOD, 2000)
    database, reopened = open_collection(collection_url, clock, data_paths.media_dir)
    try:
        row = reopened.decks.deck_list()[0]
        assert (row.new, row.learning, row.review) == (15, 5, 0)
    finally:
        database.close()


def test_session_summary_counts_answers_time_and_next_due(
    services: Services,
    make_deck: DeckMaker,
    clock: ManualClock,
) -> None:
    deck_id = make_deck("Done", 2)
    start = clock.now()
    for _ in range(2):
        card = services.study.next_step(deck_id).card
        assert card is not None
        services.study.answer(card.card_id, Rating.EASY, 4000)
    step = services.study.next_step(deck_id)
    assert step.card is None
    assert step.next_due is None
    summary = services.study.session_summary(deck_id, start)
    assert summary.studied == 2
    assert summary.seconds == 8
    assert summary.next_due is not None
    assert summary.next_due > clock.now()


def test_rollover_hour_decides_when_the_next_day_starts(
    services: Services,
    make_deck: DeckMaker,
    clock: ManualClock,
) -> None:
    from dataclasses import replace

    deck_id = make_deck("Limits", 25)
    for _ in range(20):
        card = services.study.next_step(deck_id).card
        assert card is not None
        services.study.answer(card.card_id, Rating.EASY, 1000)
    assert counts_of(services, "Limits")[0] == 0
    services.settings.save(replace(services.settings.get(), rollover_hour=4))
    clock.current = clock.current.replace(hour=3, minute=59) + timedelta(days=1)
    assert counts_of(services, "Limits")[0] == 0  # 03:59: still the same study day
    clock.advance(timedelta(minutes=2))
    assert counts_of(services, "Limits")[0] == 5  # 04:01: a new study day
