"""Backlog recovery: spreading a pile of due reviews over days, most forgotten first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from studyapp.domain.cards import CardState, ReviewKind
from studyapp.domain.clock import ManualClock, study_day
from studyapp.errors import InvalidInputError
from studyapp.services.backlog import card_retrievability
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.conftest import DeckMaker


def today(clock: ManualClock) -> int:
    return study_day(clock.now(), 4, clock.zone)


def make_backlog(
    database: Database, clock: ManualClock, deck_id: int, limit: int
) -> dict[int, float]:
    """Turn the deck's cards into overdue reviews of varied stability; the preset's review limit
    becomes `limit`.  Returns each card's retrievability today."""
    now = today(clock)
    with database.transaction() as repos:
        preset = repos.presets.get(1)
        assert preset is not None
        repos.presets.update(replace(preset, reviews_per_day=limit))
        recall = {}
        for i, card in enumerate(repos.planning.active_cards([deck_id])):
            studied = replace(
                card,
                state=CardState.REVIEW,
                interval=5,
                due=now - 1 - i % 7,
                stability=1.0 + (i * 37) % 60,
                difficulty=5.0,
                last_review_day=now - 10 - i % 7,
                reps=3,
            )
            repos.cards.save(studied, 0)
            recall[card.id] = card_retrievability(studied, now, preset)
        return recall


def test_a_backlog_is_more_due_reviews_than_the_review_limit(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Pharmacology", 25)
    make_backlog(database, clock, deck_id, limit=25)
    assert services.backlog.backlog(deck_id) is None

    make_backlog(database, clock, deck_id, limit=10)
    backlog = services.backlog.backlog(deck_id)

    assert backlog is not None
    assert (backlog.due_reviews, backlog.review_limit, backlog.suggested_days) == (25, 10, 3)
    assert backlog.today == date.fromordinal(today(clock))


def test_spreading_puts_the_most_forgotten_first_within_a_daily_cap(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Cardiology", 25)
    recall = make_backlog(database, clock, deck_id, limit=10)

    summary = services.backlog.spread(deck_id, 3)

    assert (summary.cards, summary.days, summary.daily_cap) == (25, 3, 9)
    assert summary.clear_date == date.fromordinal(today(clock) + 2)
    with database.transaction() as repos:
        cards = repos.planning.active_cards([deck_id])
        log = [r for c in cards for r in repos.reviews.for_card(c.id)]
    per_day: dict[int, int] = {}
    for card in cards:
        per_day[card.due] = per_day.get(card.due, 0) + 1
    assert sorted(per_day.items()) == [(today(clock) + k, n) for k, n in enumerate((9, 9, 7))]
    by_due = sorted(cards, key=lambda c: c.due)
    worst_recall_per_day = [
        max(recall[c.id] for c in by_due if c.due == day) for day in sorted(per_day)
    ]
    best_recall_per_day = [
        min(recall[c.id] for c in by_due if c.due == day) for day in sorted(per_day)
    ]
    assert worst_recall_per_day[0] <= best_recall_per_day[1]
    assert worst_recall_per_day[1] <= best_recall_per_day[2]
    assert {(r.kind, r.rating) for r in log} == {(ReviewKind.RESCHEDULED, None)}
    assert len(log) == 25
    assert all(c.stability is not None and c.state is CardState.REVIEW for c in cards)
    assert services.backlog.backlog(deck_id) is None


def test_spreading_is_undone_and_redone(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Trauma", 12)
    make_backlog(database, clock, deck_id, limit=5)
    with database.transaction() as repos:
        before = repos.planning.active_cards([deck_id])

    services.backlog.spread(deck_id, 4)
    assert services.undo.label() == "Spread backlog"
    services.undo.undo()

    with database.transaction() as repos:
        assert repos.planning.active_cards([deck_id]) == before
        assert all(repos.reviews.for_card(c.id) == [] for c in before)
    services.undo.redo()
    with database.transaction() as repos:
        after = repos.planning.active_cards([deck_id])
        assert max(c.due for c in after) == today(clock) + 3
        assert sum(len(repos.reviews.for_card(c.id)) for c in after) == 12


def test_spreading_needs_a_sensible_number_of_days(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Airway", 3)
    with pytest.raises(InvalidInputError, match="no due reviews"):
        services.backlog.spread(deck_id, 2)
    make_backlog(database, clock, deck_id, limit=1)
    with pytest.raises(InvalidInputError, match="Cannot spread over 0 days"):
        services.backlog.preview(deck_id, 0)
    assert services.backlog.preview(deck_id, 3).daily_cap == 1
