"""Putting cards into a known schedule for scheduling tests, through the real repositories."""

from __future__ import annotations

from dataclasses import replace

from studyapp.domain.cards import Card, CardState, Note
from studyapp.domain.clock import ManualClock, study_day, to_epoch
from studyapp.storage.database import Database


def today_of(clock: ManualClock) -> int:
    return study_day(clock.now(), 4, clock.zone)


def card_ids(database: Database, deck_id: int) -> list[int]:
    """The deck's cards in the order they were added."""
    with database.transaction() as repos:
        return [c.card_id for c in repos.schedule.memory_rows([deck_id])]


def make_review(
    database: Database,
    card_id: int,
    *,
    due: int,
    interval: int,
    stability: float,
    difficulty: float = 5.0,
    lapses: int = 0,
    last_review_day: int | None = None,
) -> Card:
    """Turn a card into a review card last reviewed `interval` days before `due` (unless given)."""
    with database.transaction() as repos:
        card = repos.cards.get(card_id)
        assert card is not None
        review = replace(
            card,
            state=CardState.REVIEW,
            due=due,
            interval=interval,
            stability=stability,
            difficulty=difficulty,
            reps=3 + lapses,
            lapses=lapses,
            last_review_day=due - interval if last_review_day is None else last_review_day,
        )
        repos.cards.save(review, 0)
        return review


def add_two_card_note(database: Database, clock: ManualClock, deck_id: int, key: str) -> list[int]:
    """A "Basic (and reversed card)" note in the deck: its two new cards' ids, front first."""
    now = to_epoch(clock.now())
    with database.transaction() as repos:
        reversed_type = repos.note_types.by_name("Basic (and reversed card)")
        assert reversed_type is not None
        note = repos.notes.add(
            Note(0, key, reversed_type.id, (key, f"{key} back", ""), (), now, now)
        )
        position = repos.cards.next_new_position()
        return [
            repos.cards.add(Card(0, note.id, deck_id, ordinal, due=position + ordinal), now).id
            for ordinal in (0, 1)
        ]
