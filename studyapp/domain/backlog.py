"""Backlog recovery: spreading a pile of due reviews over several days, most forgotten first.

A deck has a backlog when more review cards are due today (overdue ones included) than its daily
review limit: after days away, the queue would otherwise face the user with all of them at once,
or hide most of them behind the limit in due order, which is not the order that matters.  Spreading
gives each of the next N study days an equal share (the daily cap, rounded up), the cards with the
lowest retrievability today first, so the ones closest to being forgotten are seen soonest.  The
cards falling due on those days in the normal way come on top of the cap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MAX_SPREAD_DAYS = 60


@dataclass(frozen=True, slots=True)
class DueCard:
    """A due review card and its predicted recall today."""

    card_id: int
    retrievability: float


@dataclass(frozen=True, slots=True)
class SpreadPlan:
    """Where each backlog card goes: `days_by_card` maps card id to its new due study day."""

    today: int
    days: int
    daily_cap: int
    days_by_card: dict[int, int]

    @property
    def clear_day(self) -> int:
        """The last study day on which backlog cards are due (`today` when there are none)."""
        return max(self.days_by_card.values(), default=self.today)


def has_backlog(due_reviews: int, review_limit: int) -> bool:
    """Whether the due reviews exceed the daily review limit (a limit of 0 never does)."""
    return review_limit > 0 and due_reviews > review_limit


def default_days(due_reviews: int, review_limit: int) -> int:
    """The days that keep the daily cap at the review limit: due / limit, rounded up."""
    if review_limit <= 0:
        return 1
    return min(max(1, math.ceil(due_reviews / review_limit)), MAX_SPREAD_DAYS)


def plan_spread(cards: Sequence[DueCard], today: int, days: int) -> SpreadPlan:
    """Spread `cards` over `days` study days from `today`, lowest retrievability first.

    Ties go by card id, so the plan is deterministic.  Raises ValueError unless 1 <= days <=
    MAX_SPREAD_DAYS.
    """
    if not 1 <= days <= MAX_SPREAD_DAYS:
        raise ValueError(f"days must be from 1 to {MAX_SPREAD_DAYS}, got {days}")
    cap = max(1, math.ceil(len(cards) / days))
    ordered = sorted(cards, key=lambda card: (card.retrievability, card.card_id))
    placed = {card.card_id: today + index // cap for index, card in enumerate(ordered)}
    return SpreadPlan(today=today, days=days, daily_cap=cap, days_by_card=placed)
