"""Studying a deck: the next card, answering it, and the end-of-session summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from studyapp.domain.cards import Card, CardState, Rating
from studyapp.domain.clock import Clock, from_epoch, study_day_start, to_epoch
from studyapp.domain.decks import Deck
from studyapp.domain.sanitize import sanitize_card_html
from studyapp.domain.scheduler import answer_card, interval_labels
from studyapp.domain.templates import render_answer, render_question
from studyapp.errors import NotFoundError
from studyapp.services.queue import LEARN_AHEAD_SECONDS, DailyQueue, QueueCounts, StudyDay, subtree
from studyapp.services.settings import read_settings
from studyapp.services.undo import UndoEntry, UndoStack
from studyapp.storage.database import Database
from studyapp.storage.repositories import Repositories

MAX_ANSWER_MS = 60_000
"""Longer answers are logged as this long, so a card left open over lunch does not skew stats."""

__all__ = ["QueueCounts", "SessionSummary", "StudyCard", "StudyService", "StudyStep"]


@dataclass(frozen=True, slots=True)
class StudyCard:
    card_id: int
    deck_id: int
    state: CardState
    question_html: str
    answer_html: str
    css: str
    labels: Mapping[Rating, str]
    source: str | None


@dataclass(frozen=True, slots=True)
class StudyStep:
    card: StudyCard | None
    counts: QueueCounts
    next_due: datetime | None
    """With no card: when the next learning card is due today, or None when done for today."""


@dataclass(frozen=True, slots=True)
class SessionSummary:
    studied: int
    seconds: int
    next_due: datetime | None


class StudyService:
    def __init__(self, database: Database, clock: Clock, undo_stack: UndoStack) -> None:
        self._database = database
        self._clock = clock
        self._undo = undo_stack

    def _day(self, repos: Repositories) -> StudyDay:
        return StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour)

    def _subtree(self, repos: Repositories, deck_id: int) -> tuple[Deck, list[Deck]]:
        deck = repos.decks.get(deck_id)
        if deck is None:
            raise NotFoundError(f"There is no deck with id {deck_id}.")
        return deck, subtree(repos.decks.all(), deck)

    def next_step(self, deck_id: int) -> StudyStep:
        """The card to show now in `deck_id` (subdecks included), and what remains today."""
        with self._database.transaction() as repos:
            day = self._day(repos)
            _, decks = self._subtree(repos, deck_id)
            ids = [d.id for d in decks]
            queue = DailyQueue(repos, day, decks)
            counts = queue.counts(deck_id)
            card = repos.cards.first_learning_due(ids, day.now_epoch)
            if card is None and counts.review > 0:
                card = repos.cards.first_review_due(queue.eligible_review(deck_id), day.today)
            if card is None and counts.new > 0:
                card = repos.cards.first_new(queue.eligible_new(deck_id))
            if card is None:
                card = repos.cards.first_learning_due(ids, day.now_epoch + LEARN_AHEAD_SECONDS)
            if card is not None:
                return StudyStep(self._render(repos, card, day), counts, None)
            later = repos.cards.first_learning_due(ids, None)
            if later is not None and later.due < to_epoch(day.end):
                return StudyStep(None, counts, from_epoch(later.due))
            return StudyStep(None, counts, None)

    def _render(self, repos: Repositories, card: Card, day: StudyDay) -> StudyCard:
        note = repos.notes.get(card.note_id)
        deck = repos.decks.get(card.deck_id)
        assert note is not None
        assert deck is not None
        note_type = repos.note_types.get(note.note_type_id)
        preset = repos.presets.get(deck.preset_id)
        assert note_type is not None
        assert preset is not None
        return StudyCard(
            card_id=card.id,
            deck_id=card.deck_id,
            state=card.state,
            question_html=sanitize_card_html(render_question(note_type, note.fields, card.ordinal)),
            answer_html=sanitize_card_html(render_answer(note_type, note.fields, card.ordinal)),
            css=note_type.css,
            labels=interval_labels(card, now=day.now, today=day.today, preset=preset),
            source=note.source,
        )

    def answer(self, card_id: int, rating: Rating, time_taken_ms: int) -> None:
        """Grade a card; the answer is committed when this returns, and can be undone."""
        with self._database.transaction() as repos:
            day = self._day(repos)
            before = repos.cards.get(card_id)
            if before is None:
                raise NotFoundError(f"There is no card with id {card_id}.")
            deck = repos.decks.get(before.deck_id)
            assert deck is not None
            preset = repos.presets.get(deck.preset_id)
            assert preset is not None
            outcome = answer_card(
                before,
                rating,
                now=day.now,
                today=day.today,
                preset=preset,
                time_taken_ms=max(0, min(time_taken_ms, MAX_ANSWER_MS)),
            )
            repos.cards.save(outcome.card, day.now_epoch)
            review_ids = [repos.reviews.add(outcome.review)]

        def revert(repos: Repositories) -> None:
            repos.reviews.delete(review_ids[-1])
            repos.cards.save(before, to_epoch(self._clock.now()))

        def reapply(repos: Repositories) -> None:
            repos.cards.save(outcome.card, to_epoch(self._clock.now()))
            review_ids.append(repos.reviews.add(outcome.review))

        self._undo.push(UndoEntry("Answer", card_id, revert, reapply))

    def session_summary(self, deck_id: int, since: datetime) -> SessionSummary:
        """What was studied in `deck_id` since `since`, and when its next cards are due."""
        with self._database.transaction() as repos:
            day = self._day(repos)
            _, decks = self._subtree(repos, deck_id)
            ids = [d.id for d in decks]
            studied, spent_ms = repos.reviews.totals_since(ids, to_epoch(since) * 1000)
            candidates: list[datetime] = []
            learning = repos.cards.first_learning_due(ids, None)
            if learning is not None:
                candidates.append(from_epoch(learning.due))
            tomorrow = study_day_start(day.today + 1, day.rollover_hour, self._clock.zone)
            left_today = (
                repos.cards.first_review_due(ids, day.today) is not None
                or repos.cards.first_new(ids) is not None
            )
            if left_today:
                candidates.append(tomorrow)
            review_day = repos.cards.earliest_review_day(ids, day.today)
            if review_day is not None:
                candidates.append(study_day_start(review_day, day.rollover_hour, self._clock.zone))
            return SessionSummary(
                studied=studied,
                seconds=round(spent_ms / 1000),
                next_due=min(candidates) if candidates else None,
            )
