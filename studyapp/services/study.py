"""Studying a deck: the next card, answering it, and the end-of-session summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, CardState, Rating
from studyapp.domain.clock import Clock, from_epoch, study_day_start, to_epoch
from studyapp.domain.decks import Deck
from studyapp.domain.filtered import filtered_answer
from studyapp.domain.markdown_fields import fields_as_html
from studyapp.domain.sanitize import sanitize_card_html
from studyapp.domain.scheduler import PASS_FAIL_RATINGS, Placement, answer_card, interval_labels
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.answer_effects import AnswerResult, answer_effects, placement_for
from studyapp.services.collection_cache import CollectionCache
from studyapp.services.custom_queue import next_filtered_card
from studyapp.services.due_load_cache import DueLoadCache
from studyapp.services.queue import (
    LEARN_AHEAD_SECONDS,
    QueueCounts,
    StudyDay,
    first_new,
    first_review,
    subtree,
)
from studyapp.services.queue_memo import QueueMemo
from studyapp.services.undo import UndoEntry

if TYPE_CHECKING:
    from studyapp.services.collection_cache import CachedReads
    from studyapp.services.queue import DailyQueue
    from studyapp.services.undo import UndoStack
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

MAX_ANSWER_MS = 60_000
"""Longer answers are logged as this long, so a card left open over lunch does not skew stats."""

__all__ = [
    "AnswerResult",
    "QueueCounts",
    "SessionSummary",
    "StudyCard",
    "StudyService",
    "StudyStep",
]


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
    pass_fail: bool = False
    """Two answers only: Again (fail) and Good (pass); `labels` has just those two."""
    type_answer: str | None = None
    """The text to type in (the card has `{{type:...}}`), compared on the answer side."""


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
    def __init__(
        self,
        database: Database,
        clock: Clock,
        undo_stack: UndoStack,
        cache: CollectionCache | None = None,
    ) -> None:
        """`cache`: the collection cache the app's services share (else one of its own)."""
        self._database = database
        self._clock = clock
        self._undo = undo_stack
        self._loads = DueLoadCache()
        self._cache = CollectionCache(database) if cache is None else cache
        self._queues = QueueMemo(self._cache)

    def _placement(
        self, repos: Repositories, cached: CachedReads, card: Card, today: int
    ) -> Placement:
        """Where `card`'s next review may land, balanced over the cached per-day loads."""
        loads = self._loads.loads(repos, today, self._undo.peek())
        return placement_for(cached, card, today, loads)

    def _day(self, cached: CachedReads) -> StudyDay:
        return StudyDay.at(self._clock, cached.settings().rollover_hour)

    def _subtree(self, cached: CachedReads, deck_id: int) -> tuple[Deck, list[Deck]]:
        deck = cached.deck(deck_id)
        if deck is None:
            raise NotFoundError(f"There is no deck with id {deck_id}.")
        return deck, subtree(cached.decks(), deck)

    def next_step(self, deck_id: int) -> StudyStep:
        """The card to show now in `deck_id` (subdecks included), and what remains today."""
        with self._database.transaction() as repos:
            cached = self._cache.reads(repos)
            day = self._day(cached)
            deck, decks = self._subtree(cached, deck_id)
            queue = self._queues.queue(repos, cached, day, deck_id, decks)
            step = self._next_step(repos, cached, day, deck, decks, queue)
        self._cache.kept(cached)
        self._queues.committed(cached, (deck_id, day.today), queue)
        return step

    def _next_step(
        self,
        repos: Repositories,
        cached: CachedReads,
        day: StudyDay,
        deck: Deck,
        decks: list[Deck],
        queue: DailyQueue,
    ) -> StudyStep:
        """`decks`: `deck` and its subdecks; `queue`: their queue today."""
        deck_id = deck.id
        ids = [d.id for d in decks]
        counts = queue.counts(deck_id)
        card = (
            next_filtered_card(repos, deck, day.today, day.now_epoch, day.start_ms)
            if deck.filter is not None
            else repos.cards.first_learning_due(ids, day.now_epoch)
        )
        preset = cached.preset(deck.preset_id)
        assert preset is not None
        if card is None and counts.review > 0:
            eligible = queue.eligible_review(deck_id)
            card = first_review(repos, eligible, day.today, preset.review_order)
        if card is None and counts.new > 0:
            card = first_new(repos, queue.eligible_new(deck_id), preset.new_card_order)
        if card is None:
            card = repos.cards.first_learning_due(ids, day.now_epoch + LEARN_AHEAD_SECONDS)
        if card is not None:
            return StudyStep(self._render(repos, cached, card, day), counts, None)
        later = repos.cards.first_learning_due(ids, None)
        if later is not None and later.due < to_epoch(day.end):
            return StudyStep(None, counts, from_epoch(later.due))
        return StudyStep(None, counts, None)

    def _render(
        self, repos: Repositories, cached: CachedReads, card: Card, day: StudyDay
    ) -> StudyCard:
        note = repos.notes.get(card.note_id)
        deck = cached.deck(card.deck_id)
        assert note is not None
        assert deck is not None
        note_type = cached.note_type(note.note_type_id)
        preset = cached.preset(deck.preset_id)
        assert note_type is not None
        assert preset is not None
        # The templates load with the first card shown, not to draw the deck list.
        from studyapp.domain.templates import render_answer, render_question, type_answer_text

        fields = fields_as_html(note_type, note.fields)
        return StudyCard(
            card_id=card.id,
            deck_id=card.deck_id,
            state=card.state,
            question_html=sanitize_card_html(
                render_question(note_type, fields, card.ordinal, note.tags)
            ),
            answer_html=sanitize_card_html(
                render_answer(note_type, fields, card.ordinal, note.tags)
            ),
            css=note_type.css,
            labels=interval_labels(
                card,
                now=day.now,
                today=day.today,
                preset=preset,
                placement=self._placement(repos, cached, card, day.today),
            ),
            source=note.source,
            pass_fail=preset.pass_fail,
            type_answer=type_answer_text(note_type, fields, card.ordinal),
        )

    def answer(self, card_id: int, rating: Rating, time_taken_ms: int) -> AnswerResult:
        """Grade a card; the answer is committed when this returns, and can be undone.

        The result says whether the card became a leech (and was suspended) and how many
        siblings were buried.  Under pass/fail grading only Again and Good are accepted.
        """
        with self._database.transaction() as repos:
            cached = self._cache.reads(repos)
            day = self._day(cached)
            before = repos.cards.get(card_id, for_update=True)
            if before is None:
                raise NotFoundError(f"There is no card with id {card_id}.")
            deck = cached.deck(before.deck_id)
            assert deck is not None
            home = cached.deck(before.home_deck_id) if before.home_deck_id else deck
            assert home is not None
            preset = cached.preset(home.preset_id)
            assert preset is not None
            if preset.pass_fail and rating not in PASS_FAIL_RATINGS:
                raise InvalidInputError("This deck uses pass/fail grading: answer Again or Good.")
            outcome = answer_card(
                before,
                rating,
                now=day.now,
                today=day.today,
                preset=preset,
                time_taken_ms=max(0, min(time_taken_ms, MAX_ANSWER_MS)),
                placement=self._placement(repos, cached, before, day.today),
            )
            if deck.filter is not None:
                outcome = filtered_answer(deck.filter, before, outcome)
            effects = answer_effects(repos, before, outcome, preset, day.today, day.now_epoch)
            effects.apply(repos, day.now_epoch, before)
            review_ids = [repos.reviews.add(outcome.review)]
        self._cache.kept(cached)  # an answer changes cards, notes and the review log only
        self._queues.answered(cached, ((before, effects.card), *effects.siblings), outcome.review)

        def revert(repos: Repositories) -> None:
            repos.reviews.delete(review_ids[-1])
            now = to_epoch(self._clock.now())
            repos.cards.save(before, now)
            effects.revert(repos, now)

        def reapply(repos: Repositories) -> None:
            effects.apply(repos, to_epoch(self._clock.now()))
            review_ids.append(repos.reviews.add(outcome.review))

        entry = UndoEntry("Answer", card_id, revert, reapply)
        self._undo.push(entry)
        self._loads.answered(before, effects.card, entry)
        return effects.result

    def session_summary(self, deck_id: int, since: datetime) -> SessionSummary:
        """What was studied in `deck_id` since `since`, and when its next cards are due."""
        with self._database.transaction() as repos:
            cached = self._cache.reads(repos)
            day = self._day(cached)
            _, decks = self._subtree(cached, deck_id)
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
