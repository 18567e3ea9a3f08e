"""Today's study queue: the study-day window, daily limits and the counts a deck shows.

A deck's counts include its subdecks.  New and review counts are capped by the deck's preset limits
less what was already studied today in its subtree, and a parent's cap applies on top of its
children's (as in Anki's v3 scheduler).  Learning cards are never capped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from studyapp.domain.cards import BuryKind, Card, CardState, Review
from studyapp.domain.clock import Clock, study_day, study_day_start, to_epoch
from studyapp.domain.decks import DECK_SEPARATOR, Deck, NewCardOrder, Preset, ReviewOrder
from studyapp.domain.filtered import MAX_FILTER_LIMIT
from studyapp.services.burying import LAST_UNBURIED_KEY, unburied_by, unbury_for_day
from studyapp.services.custom_queue import EXTRA_LIMITS_KEY, extra_limits_in, filtered_counts

if TYPE_CHECKING:
    from studyapp.services.collection_cache import CachedReads
    from studyapp.storage.card_repository import CardRepository
    from studyapp.storage.deck_list_sql import StateCounts, StudiedCards
    from studyapp.storage.repositories import Repositories
    from studyapp.storage.review_repository import ReviewRepository

LEARN_AHEAD_SECONDS = 20 * 60
"""Learning cards due this soon may be shown early when nothing else is left."""


@lru_cache(maxsize=8)
def _bounds(today: int, rollover_hour: int, zone: tzinfo) -> tuple[datetime, datetime]:
    """When study day `today` starts and ends (worked out once a day, not for every card)."""
    return (
        study_day_start(today, rollover_hour, zone),
        study_day_start(today + 1, rollover_hour, zone),
    )


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
        zone = clock.zone
        today = study_day(now, rollover_hour, zone)
        start, end = _bounds(today, rollover_hour, zone)
        return cls(now=now, today=today, rollover_hour=rollover_hour, start=start, end=end)

    @property
    def now_epoch(self) -> int:
        return to_epoch(self.now)

    @property
    def start_ms(self) -> int:
        return to_epoch(self.start) * 1000


class QueueReads(Protocol):
    """What today's counts are read from: the repositories of a transaction, or the first
    screen's reads of the collection file (storage.first_screen)."""

    def studied_since(self, since_ms: int) -> StudiedCards: ...

    def queue_counts(
        self,
        learn_before: int,
        today: int,
        new_caps: Mapping[int, int],
        review_caps: Mapping[int, int],
    ) -> StateCounts: ...

    def held(self, deck_id: int) -> tuple[int, int]:
        """The (new, review) cards filtered deck `deck_id` holds."""
        ...


@dataclass(frozen=True, slots=True)
class _StoredReads:
    """QueueReads of a transaction's repositories."""

    cards: CardRepository
    reviews: ReviewRepository

    def studied_since(self, since_ms: int) -> StudiedCards:
        return self.reviews.studied_since(since_ms)

    def queue_counts(
        self,
        learn_before: int,
        today: int,
        new_caps: Mapping[int, int],
        review_caps: Mapping[int, int],
    ) -> StateCounts:
        return self.cards.queue_counts(learn_before, today, new_caps, review_caps)

    def held(self, deck_id: int) -> tuple[int, int]:
        return self.cards.held(deck_id)


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


def _kind(card: Card, learn_before: int, today: int) -> str | None:
    """Which of today's counts `card` is in ("new", "learning", "review"), if any, judged as
    CardRepository.queue_counts counts."""
    if card.suspended or card.buried is not BuryKind.NONE:
        return None
    if card.state is CardState.NEW:
        return "new"
    if card.state is CardState.REVIEW:
        return "review" if card.due <= today else None
    return "learning" if card.due < learn_before else None


@dataclass(frozen=True, slots=True)
class _Tally:
    """What today's counts of a set of decks are made of, per deck id."""

    raw: dict[str, dict[int, int]]
    """Each deck's own cards: "new" and "review" counted up to the deck's remaining limit (at
    least that many when the deck is in `saturated`), "learning" all."""
    saturated: dict[str, frozenset[int]]
    """The decks whose "new" or "review" count reached the limit it was counted up to."""
    studied: dict[CardState, dict[int, int]]
    """Cards introduced (NEW) and reviews answered (REVIEW) today, by the card's deck."""
    seen: frozenset[tuple[int, CardState]]
    """(card id, state before) of those answers: each card counts once."""


class DailyQueue:
    """Counts and eligibility for today's queue over a set of decks.

    Built from the database in one transaction; `after_answer` derives the queue an answer
    leaves without reading anything, or says that only a fresh build would be exact.
    """

    def __init__(
        self,
        reads: QueueReads,
        day: StudyDay,
        decks: list[Deck],
        presets: Mapping[int, Preset],
        extra_limits: Any,
    ) -> None:
        """Count today's queue over `decks` with `reads`, in one transaction, once the day's
        unburying is done.  `extra_limits`: the stored EXTRA_LIMITS_KEY setting."""
        self._today = day.today
        self._learn_before = to_epoch(day.end)
        self._decks = {d.id: d for d in decks}
        self._children: dict[int, list[int]] = {d.id: [] for d in decks}
        by_name = {d.name: d.id for d in decks}
        for deck in decks:
            parent, _, _ = deck.name.rpartition(DECK_SEPARATOR)
            if parent in by_name:
                self._children[by_name[parent]].append(deck.id)
        self._below = {d.id: self._subtree_ids(d.id) for d in decks}
        self._presets = presets
        self._extra = extra_limits_in(extra_limits, day.today)
        studied = reads.studied_since(day.start_ms)
        by_state = {CardState.NEW: studied.new, CardState.REVIEW: studied.review}
        seen = frozenset(
            (card_id, state)
            for state, by_deck in by_state.items()
            for deck_id, card_ids in by_deck.items()
            if deck_id in self._decks
            for card_id in card_ids
        )
        counted = {
            state: {d: len(ids) for d, ids in by_deck.items() if d in self._decks}
            for state, by_deck in by_state.items()
        }
        new_left, review_left = self._limits(counted)
        raw = reads.queue_counts(self._learn_before, day.today, new_left, review_left)
        held = filtered_counts(reads, decks)
        saturated = {
            kind: frozenset(
                d for d in self._decks if d not in held.new and counts.get(d, 0) >= left[d]
            )
            for kind, counts, left in (
                ("new", raw.new, new_left),
                ("review", raw.review, review_left),
            )
        }
        self._tally = _Tally(
            raw={
                "new": {**raw.new, **held.new},
                "learning": raw.learning,
                "review": {**raw.review, **held.review},
            },
            saturated=saturated,
            studied=counted,
            seen=seen,
        )
        self._new_left, self._review_left = new_left, review_left

    @classmethod
    def stored(
        cls, repos: Repositories, cached: CachedReads, day: StudyDay, decks: list[Deck]
    ) -> DailyQueue:
        """Today's queue in the transaction of `repos` (`cached`: its reads); the first on a
        new study day unburies yesterday's buried cards."""
        if not unburied_by(cached.setting(LAST_UNBURIED_KEY), day.today):
            unbury_for_day(repos, day.today)  # yesterday's buried cards are back
            cached.forget_settings()
        reads = _StoredReads(repos.cards, repos.reviews)
        return cls(reads, day, decks, cached.presets(), cached.setting(EXTRA_LIMITS_KEY))

    def _subtree_ids(self, deck_id: int) -> list[int]:
        found = [deck_id]
        for child in self._children[deck_id]:
            found.extend(self._subtree_ids(child))
        return found

    def _limits(self, studied: dict[CardState, dict[int, int]]) -> tuple[dict[int, int], ...]:
        """(new, review) left today per deck: the preset's limits less what was studied in the
        deck's subtree, plus custom study's extra; a filtered deck has no limits."""
        lefts: list[dict[int, int]] = []
        for index, state in enumerate((CardState.NEW, CardState.REVIEW)):
            done = studied[state]
            left: dict[int, int] = {}
            for deck_id, deck in self._decks.items():
                if deck.filter is not None:
                    left[deck_id] = MAX_FILTER_LIMIT
                    continue
                preset = self._presets[deck.preset_id]
                per_day = preset.new_per_day if index == 0 else preset.reviews_per_day
                spent = sum(done.get(d, 0) for d in self._below[deck_id])
                left[deck_id] = max(0, per_day - spent) + self._extra.get(deck_id, (0, 0))[index]
            lefts.append(left)
        return tuple(lefts)

    def after_answer(
        self, changes: Sequence[tuple[Card, Card]], review: Review
    ) -> DailyQueue | None:
        """The queue once `review` is logged and each card of `changes` goes from before to
        after; None when only a fresh build would give exact counts: a card in a filtered deck
        (what those hold is counted otherwise) or changing deck, or a count that was cut at a
        limit and may now fall below it."""
        tally = self._tally
        raw = {kind: dict(counts) for kind, counts in tally.raw.items()}
        for before, after in changes:
            if before.deck_id != after.deck_id or after.home_deck_id is not None:
                return None
            if before.deck_id not in self._decks:
                continue
            for card, change in ((before, -1), (after, 1)):
                kind = _kind(card, self._learn_before, self._today)
                if kind is not None:
                    counts = raw[kind]
                    counts[card.deck_id] = counts.get(card.deck_id, 0) + change
        studied, seen = tally.studied, tally.seen
        answered = (review.card_id, review.state_before)
        deck_id = changes[0][1].deck_id
        counted = answered[1] in studied and review.rating is not None
        if counted and deck_id in self._decks and answered not in seen:
            done = dict(studied[answered[1]])
            done[deck_id] = done.get(deck_id, 0) + 1
            studied = {**studied, answered[1]: done}
            seen = seen | {answered}
        if studied is tally.studied:  # the limits left follow from what was studied alone
            new_left, review_left = self._new_left, self._review_left
        else:
            new_left, review_left = self._limits(studied)
        for kind, left in (("new", new_left), ("review", review_left)):
            if any(raw[kind].get(d, 0) < left[d] for d in tally.saturated[kind]):
                return None
        queue = copy(self)
        queue._tally = _Tally(raw, tally.saturated, studied, seen)
        queue._new_left, queue._review_left = new_left, review_left
        return queue

    def counts(self, deck_id: int) -> QueueCounts:
        raw = self._tally.raw
        return QueueCounts(
            new=self._capped(deck_id, raw["new"], self._new_left),
            learning=sum(raw["learning"].get(d, 0) for d in self._below[deck_id]),
            review=self._capped(deck_id, raw["review"], self._review_left),
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
