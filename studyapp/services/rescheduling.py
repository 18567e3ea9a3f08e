"""Moving review cards' due dates without an answer, logged as RESCHEDULED review-log rows.

Used when a preset's desired retention or parameters change ("Reschedule cards on change") and
when an exam date is set.  The caller's transaction covers the whole batch; the batch remembers
each card's schedule before and after, so that undo can put it back and redo can move it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, CardState, Review, ReviewKind

if TYPE_CHECKING:
    from studyapp.storage.repositories import Repositories

NewInterval = Callable[[Card], int | None]
"""The interval (from its last review) a card should have, or None to leave it as it is."""


@dataclass(frozen=True, slots=True)
class Rescheduled:
    """The cards one batch moved, as they were and as they are now, and the rows it logged."""

    before: tuple[Card, ...]
    after: tuple[Card, ...]
    log: tuple[Review, ...]
    reviewed_at_ms: int
    """The time of every row in `log`."""

    @property
    def count(self) -> int:
        return len(self.after)

    def apply_to(self, cards: Sequence[Card]) -> list[Card]:
        """`cards` with the ones this batch moved as they are after it."""
        moved = {card.id: card for card in self.after}
        return [moved.get(card.id, card) for card in cards]


def reschedule(
    repos: Repositories, cards: Sequence[Card], new_interval: NewInterval, now_epoch: int
) -> Rescheduled:
    """Give each card its new interval (due = last review day + interval) and log one
    RESCHEDULED row for each card that moved."""
    before: list[Card] = []
    after: list[Card] = []
    log: list[Review] = []
    reviewed_at_ms = now_epoch * 1000
    for card in cards:
        if card.last_review_day is None or card.stability is None:
            continue
        interval = new_interval(card)
        if interval is None:
            continue
        due = card.last_review_day + interval
        if due == card.due and interval == card.interval:
            continue
        before.append(card)
        after.append(replace(card, due=due, interval=interval))
        log.append(
            Review(
                card_id=card.id,
                reviewed_at=reviewed_at_ms,
                kind=ReviewKind.RESCHEDULED,
                rating=None,
                state_before=CardState.REVIEW,
                last_interval=card.interval,
                interval=interval,
                time_taken_ms=0,
                stability=card.stability,
                difficulty=card.difficulty,
            )
        )
    batch = Rescheduled(tuple(before), tuple(after), tuple(log), reviewed_at_ms)
    redo_reschedules(repos, [batch], now_epoch)
    return batch


def _schedules(cards: Sequence[Card]) -> list[tuple[int, int, int]]:
    return [(card.id, card.due, card.interval) for card in cards]


def undo_reschedules(repos: Repositories, batches: Sequence[Rescheduled], now_epoch: int) -> None:
    """Put the cards of `batches` back where they were, latest batch first, and delete the rows
    the batches logged."""
    for batch in reversed(batches):
        repos.schedule.set_schedules(_schedules(batch.before), now_epoch)
        repos.schedule.delete_rescheduled_rows(
            [review.card_id for review in batch.log], batch.reviewed_at_ms
        )


def redo_reschedules(repos: Repositories, batches: Sequence[Rescheduled], now_epoch: int) -> None:
    """Move the cards of `batches` again, in order, and log their rows again."""
    for batch in batches:
        repos.schedule.set_schedules(_schedules(batch.after), now_epoch)
        repos.reviews.add_many(batch.log)
