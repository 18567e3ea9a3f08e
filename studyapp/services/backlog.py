"""Backlog recovery: after days away, spread a deck's pile of due reviews over the next days.

See domain.backlog for the rule.  Spreading moves only due dates: memory states, intervals and
everything else stay as they are.  Each moved card gets a RESCHEDULED review-log row, and the
whole spread is one transaction and one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from studyapp.domain.backlog import (
    DueCard,
    SpreadPlan,
    default_days,
    has_backlog,
    plan_spread,
)
from studyapp.domain.cards import Card, CardState, Review, ReviewKind
from studyapp.domain.clock import Clock, to_epoch
from studyapp.domain.decks import Deck, Preset
from studyapp.domain.memory import retrievability
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.queue import StudyDay, subtree
from studyapp.services.settings import read_settings
from studyapp.services.undo import UndoEntry

if TYPE_CHECKING:
    from studyapp.services.undo import UndoStack
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories


@dataclass(frozen=True, slots=True)
class Backlog:
    """A deck whose due reviews exceed its daily review limit."""

    deck_id: int
    deck_name: str
    due_reviews: int
    review_limit: int
    suggested_days: int
    """Days that keep the daily cap at the review limit."""
    today: date


@dataclass(frozen=True, slots=True)
class SpreadSummary:
    """A spread over `days` days: at most `daily_cap` backlog cards a day until `clear_date`."""

    cards: int
    days: int
    daily_cap: int
    clear_date: date


def _summary(plan: SpreadPlan) -> SpreadSummary:
    return SpreadSummary(
        cards=len(plan.days_by_card),
        days=plan.days,
        daily_cap=plan.daily_cap,
        clear_date=date.fromordinal(plan.clear_day),
    )


def _last_review_day(card: Card) -> int:
    return card.last_review_day if card.last_review_day is not None else card.due - card.interval


def card_retrievability(card: Card, today: int, preset: Preset) -> float:
    """Predicted recall of a review card today; its interval stands in for a missing stability."""
    stability = card.stability if card.stability is not None else float(max(card.interval, 1))
    last = _last_review_day(card)
    return retrievability(max(today - last, 0), stability, preset.parameters)


class BacklogService:
    def __init__(self, database: Database, clock: Clock, undo_stack: UndoStack) -> None:
        self._database = database
        self._clock = clock
        self._undo = undo_stack

    def _deck(self, repos: Repositories, deck_id: int) -> tuple[Deck, list[Deck], StudyDay]:
        deck = repos.decks.get(deck_id)
        if deck is None:
            raise NotFoundError(f"There is no deck with id {deck_id}.")
        decks = [d for d in subtree(repos.decks.all(), deck) if d.filter is None]
        day = StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour)
        return deck, decks, day

    def backlog(self, deck_id: int) -> Backlog | None:
        """The deck's backlog, or None when its due reviews fit within its review limit."""
        with self._database.transaction() as repos:
            deck, decks, day = self._deck(repos, deck_id)
            if deck.filter is not None:
                return None
            preset = repos.presets.get(deck.preset_id)
            assert preset is not None
            due = repos.planning.count_due_reviews([d.id for d in decks], day.today)
        if not has_backlog(due, preset.reviews_per_day):
            return None
        return Backlog(
            deck_id=deck.id,
            deck_name=deck.name,
            due_reviews=due,
            review_limit=preset.reviews_per_day,
            suggested_days=default_days(due, preset.reviews_per_day),
            today=date.fromordinal(day.today),
        )

    def _plan(self, repos: Repositories, deck_id: int, days: int) -> tuple[list[Card], SpreadPlan]:
        _, decks, day = self._deck(repos, deck_id)
        presets = {p.id: p for p in repos.presets.all()}
        preset_of = {d.id: presets[d.preset_id] for d in decks}
        cards = repos.planning.due_reviews(list(preset_of), day.today)
        due = [
            DueCard(c.id, card_retrievability(c, day.today, preset_of[c.deck_id])) for c in cards
        ]
        try:
            return cards, plan_spread(due, day.today, days)
        except ValueError as error:
            raise InvalidInputError(f"Cannot spread over {days} days: {error}.") from error

    def preview(self, deck_id: int, days: int) -> SpreadSummary:
        """What spreading over `days` days would do, without doing it."""
        with self._database.transaction() as repos:
            return _summary(self._plan(repos, deck_id, days)[1])

    def spread(self, deck_id: int, days: int) -> SpreadSummary:
        """Spread the deck's due reviews over `days` days, most forgotten first; undoable."""
        with self._database.transaction() as repos:
            cards, plan = self._plan(repos, deck_id, days)
            if not cards:
                raise InvalidInputError("This deck has no due reviews to spread.")
            now_ms = to_epoch(self._clock.now()) * 1000
            moved = [replace(c, due=plan.days_by_card[c.id]) for c in cards]
            rows = [
                Review(
                    card_id=c.id,
                    reviewed_at=now_ms,
                    kind=ReviewKind.RESCHEDULED,
                    rating=None,
                    state_before=CardState.REVIEW,
                    last_interval=c.interval,
                    interval=c.due - _last_review_day(before),
                    time_taken_ms=0,
                    stability=c.stability,
                    difficulty=c.difficulty,
                )
                for before, c in zip(cards, moved, strict=True)
            ]
            self._save(repos, moved)
            review_ids = [[repos.reviews.add(row) for row in rows]]

        def revert(repos: Repositories) -> None:
            for review_id in review_ids[-1]:
                repos.reviews.delete(review_id)
            self._save(repos, cards)

        def reapply(repos: Repositories) -> None:
            self._save(repos, moved)
            review_ids.append([repos.reviews.add(row) for row in rows])

        self._undo.push(UndoEntry("Spread backlog", None, revert, reapply))
        return _summary(plan)

    def _save(self, repos: Repositories, cards: list[Card]) -> None:
        modified = to_epoch(self._clock.now())
        for card in cards:
            repos.cards.save(card, modified)
