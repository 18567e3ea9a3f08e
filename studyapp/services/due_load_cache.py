"""The review cards due per study day that load balancing weighs, read once and kept up to date.

Showing a review card computes every answer button's interval, and answering it computes them
again, each balanced over its fuzz range: without a cache that is several per-day count queries a
card.  A day's count is read the first time a range asks for it and then kept: an answer moves its
card from one day to another in the cache, so the counts stay what the database holds.  Anything
else that may move cards empties the cache: a new study day, or a change of the newest entry on
the undo stack (another undoable action, an undo or a redo).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, CardState
from studyapp.domain.scheduler import DueLoads

if TYPE_CHECKING:
    from studyapp.services.undo import UndoEntry
    from studyapp.storage.repositories import Repositories


class DueLoadCache:
    def __init__(self) -> None:
        self._today: int | None = None
        self._newest: UndoEntry | None = None
        self._loads: dict[int, int] = {}
        """Review cards due on each day read so far (0 included)."""

    def loads(self, repos: Repositories, today: int, newest: UndoEntry | None) -> DueLoads:
        """The loads function for one answer or one card shown on study day `today`, reading
        missing days through `repos`; `newest` is the undo stack's newest entry now."""
        if today != self._today or newest is not self._newest:
            self._loads.clear()
            self._today = today
            self._newest = newest
        cached = self._loads

        def loads(first: int, last: int) -> Mapping[int, int]:
            missing = [day for day in range(first, last + 1) if day not in cached]
            if missing:
                read = repos.schedule.due_loads(missing[0], missing[-1])
                for day in missing:
                    cached[day] = read.get(day, 0)
            return {day: cached[day] for day in range(first, last + 1)}

        return loads

    def answered(self, before: Card, after: Card, entry: UndoEntry) -> None:
        """`before` was answered and is now `after`; `entry` is the answer's undo entry."""
        for card, change in ((before, -1), (after, 1)):
            if card.state is CardState.REVIEW and not card.suspended and card.due in self._loads:
                self._loads[card.due] += change
        self._newest = entry
