"""Today's queue of the deck being studied, kept from one study call to the next.

Building a queue counts the deck's cards and today's answers: most of the cost of showing a card
in a large collection.  The queue is kept for one deck, study day and collection change stamp
(`CollectionCache`): any commit but the study service's own, on SQLite by another connection
too, changes the stamp, and the next call builds the queue from the database again.  After an
answer the kept queue is brought up to date from what the answer changed (DailyQueue.after_answer)
and adopts the stamp the answer's commit leaves; when that cannot be exact it is dropped.
PostgreSQL gives no stamps (the collection is shared), so there every call builds the queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, Review
from studyapp.domain.decks import Deck
from studyapp.services.collection_cache import CachedReads, CollectionCache, Stamp
from studyapp.services.queue import DailyQueue, StudyDay

if TYPE_CHECKING:
    from studyapp.storage.repositories import Repositories

_Key = tuple[int, int, Stamp]
"""(deck id, study day, change stamp)."""


class QueueMemo:
    def __init__(self, cache: CollectionCache) -> None:
        """`cache`: the collection cache whose stamps the kept queue is valid for."""
        self._cache = cache
        self._kept: tuple[_Key, DailyQueue] | None = None
        """Replaced whole, never changed in place (services run on threads)."""

    def queue(
        self, repos: Repositories, cached: CachedReads, day: StudyDay, root: int, decks: list[Deck]
    ) -> DailyQueue:
        """Today's queue of `decks` (deck `root` and its subtree) in the transaction of
        `repos`, whose reads are `cached`: the kept one if still valid, else built afresh
        (kept once the transaction has committed: see `committed`)."""
        kept = self._kept
        if (
            cached.stamp is not None
            and kept is not None
            and kept[0] == (root, day.today, cached.stamp)
        ):
            return kept[1]
        return DailyQueue.stored(repos, cached, day, decks)

    def committed(self, cached: CachedReads, studied: tuple[int, int], queue: DailyQueue) -> None:
        """The transaction of `cached`, in which `queue()` gave `queue`, committed without
        changing anything a queue counts beyond what `queue` already holds (yesterday's buried
        cards coming back): keep `queue` for `studied`, (deck id, study day)."""
        after = self._cache.stamp_after(cached)
        self._kept = None if after is None else ((*studied, after), queue)

    def answered(
        self, cached: CachedReads, changes: Sequence[tuple[Card, Card]], review: Review
    ) -> None:
        """The transaction of `cached` committed an answer: `review` logged, and each card of
        `changes` (the answered card first, then any buried siblings) from before to after."""
        kept = self._kept
        if kept is None:
            return
        (root, today, stamp), queue = kept
        after = self._cache.stamp_after(cached)
        updated = (
            None if stamp != cached.stamp or after is None else queue.after_answer(changes, review)
        )
        self._kept = None if updated is None or after is None else ((root, today, after), updated)
