"""Today's study queue: the study-day window, daily limits and the counts a deck shows.

A deck's counts include its subdecks.  New and review counts are capped by the deck's preset limits
less what was already studied today in its subtree, and a parent's cap applies on top of its
children's (as in Anki's v3 scheduler).  Learning cards are never capped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from studyapp.domain.cards import Card
from studyapp.domain.clock import Clock, study_day, study_day_start, to_epoch
from studyapp.domain.decks import DECK_SEPARATOR, Deck, NewCardOrder, ReviewOrder
from studyapp.services.burying import LAST_UNBURIED_KEY, unburied_by, unbury_for_day
from studyapp.services.collection_cache import CachedReads
from studyapp.services.custom_queue import EXTRA_LIMITS_KEY, adjust_limits, extra_limits_in
from studyapp.storage.repositories import Repositories

LEARN_AHEAD_SECONDS = 20 * 60
"""Learning cards due this soon may be shown early when nothing else is left."""


@dataclass(frozen=True, slots=True)
class StudyDay:
    """Where "now" falls: the study day, and when it started and ends."""

    now: datetime
    today: int
    rollover_hour: int
    start: datetime
    end: datetime

    @classmethod
    def at(cls, clock: Clock, rollover_hour: int) -> StudyDay:
        now = clock.now()
        today = study_day(now, rollover_hour, clock.zone)
        return cls(
            now=now,
            today=today,
            rollover_hour=rollover_hour,
            start=study_day_start(today, rollover_hour, clock.zone),
            end=study_day_start(today + 1, rollover_hour, clock.zone),
        )

    @property
    def now_epoch(self) -> int:
        return to_epoch(self.now)

    @property
    def start_ms(self) -> int:
        return to_epoch(self.start) * 1000


@dataclass(frozen=True, slots=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


def subtree(decks: Iterable[Deck], root: Deck) -> list[Deck]:
    """`root` and every deck below it."""
    prefix = root.name + DECK_SEPARATOR
    return [d for d in decks if d.id == root.id or d.name.startswith(prefix)]


class DailyQueue:
    """Counts and eligibility for today's queue over a set of decks, in one transaction."""

    def __init__(
        self, repos: Repositories, cached: CachedReads, day: StudyDay, decks: list[Deck]
    ) -> None:
        """`cached`: the reads of the transaction of `repos`."""
        if not unburied_by(cached.setting(LAST_UNBURIED_KEY), day.today):
            unbury_for_day(repos, day.today)  # yesterday's buried cards are back
            cached.forget_settings()
        self._decks = {d.id: d for d in decks}
        self._children: dict[int, list[int]] = {d.id: [] for d in decks}
        by_name = {d.name: d.id for d in decks}
        for deck in decks:
            parent, _, _ = deck.name.rpartition(DECK_SEPARATOR)
            if parent in by_name:
                self._children[by_name[parent]].append(deck.id)
        presets = cached.presets()
        studied = repos.reviews.studied_since(day.start_ms)
        self._new_left: dict[int, int] = {}
        self._review_left: dict[int, int] = {}
        for deck_id in self._decks:
            preset = presets[self._decks[deck_id].preset_id]
            below = self._below(deck_id)
            self._new_left[deck_id] = max(
                0, preset.new_per_day - sum(studied.new.get(d, 0) for d in below)
            )
            self._review_left[deck_id] = max(
                0, preset.reviews_per_day - sum(studied.review.get(d, 0) for d in below)
            )
        extra = extra_limits_in(cached.setting(EXTRA_LIMITS_KEY), day.today)
        filtered = adjust_limits(repos, decks, extra, self._new_left, self._review_left)
        # A deck's own cards never count beyond its own remaining limit.
        raw = repos.cards.queue_counts(
            to_epoch(day.end), day.today, self._new_left, self._review_left
        )
        self._raw_new = {**raw.new, **filtered.new}
        self._raw_learning = raw.learning
        self._raw_review = {**raw.review, **filtered.review}

    def _below(self, deck_id: int) -> list[int]:
        found = [deck_id]
        for child in self._children[deck_id]:
            found.extend(self._below(child))
        return found

    def counts(self, deck_id: int) -> QueueCounts:
        return QueueCounts(
            new=self._capped(deck_id, self._raw_new, self._new_left),
            learning=sum(self._raw_learning.get(d, 0) for d in self._below(deck_id)),
            review=self._capped(deck_id, self._raw_review, self._review_left),
        )

    def _capped(self, deck_id: int, raw: dict[int, int], left: dict[int, int]) -> int:
        children = sum(self._capped(c, raw, left) for c in self._children[deck_id])
        return min(left[deck_id], raw.get(deck_id, 0) + children)

    def eligible_new(self, root_id: int) -> list[int]:
        """Decks under `root_id` from which a new card may still be shown today."""
        return self._eligible(root_id, self._new_left)

    def eligible_review(self, root_id: int) -> list[int]:
        return self._eligible(root_id, self._review_left)

    def _eligible(self, deck_id: int, left: dict[int, int]) -> list[int]:
        if left[deck_id] <= 0:
            return []
        found = [deck_id]
        for child in self._children[deck_id]:
            found.extend(self._eligible(child, left))
        return found


def first_review(
    repos: Repositories, deck_ids: Sequence[int], today: int, order: ReviewOrder
) -> Card | None:
    """The due review card to show next under the preset's review sort order."""
    if not deck_ids:
        return None
    if order is ReviewOrder.DUE:
        return repos.cards.first_review_due(deck_ids, today)
    return repos.schedule.first_review_sorted(deck_ids, today, order)


def first_new(repos: Repositories, deck_ids: Sequence[int], order: NewCardOrder) -> Card | None:
    """The new card to introduce next: in the order added, or in a fixed random order."""
    if not deck_ids:
        return None
    if order is NewCardOrder.RANDOM:
        return repos.schedule.first_new_random(deck_ids)
    return repos.cards.first_new(deck_ids)
