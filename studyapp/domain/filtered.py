"""Filtered decks: the order their cards are shown in, and what an answer in one does.

A filtered deck borrows cards from their home decks (Card.home_deck_id) without touching their
schedules.  With rescheduling on, answers are scheduled as in the home deck, logged with the
FILTERED kind, and a card goes home once it graduates to review (as in Anki).  With rescheduling
off (cramming), an answer changes neither the schedule nor the memory state: it is logged as a
FILTERED review without a memory state, Again keeps the card in the filtered deck for another
look, and any other answer sends it home.  As in Anki, a card answered Again comes back once the
first learning step of its home deck's preset has passed (see next_cram_card).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum

from studyapp.domain.cards import Card, CardState, Rating, ReviewKind
from studyapp.domain.decks import DeckFilter
from studyapp.domain.scheduler import Answer

MAX_FILTER_LIMIT = 9999


class FilterOrder(IntEnum):
    """The order a filtered deck gathers and shows its cards in (DeckFilter.order)."""

    RANDOM = 0
    DUE = 1
    """Earliest due first; new cards last, in the order they were added."""
    ADDED = 2
    """Oldest cards first."""
    RETRIEVABILITY = 3
    """Most forgotten first: lowest predicted recall today; new cards last."""


def random_rank(card_id: int, seed: int) -> int:
    """A stable pseudo-random rank of a card: the same deck shows the same shuffle every time."""
    from hashlib import blake2b  # not at start-up: hashlib loads OpenSSL

    digest = blake2b(f"{seed}:{card_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def order_key(
    card: Card, order: FilterOrder, seed: int, recall: float | None
) -> tuple[float, float, int]:
    """The sort key of `card` under `order`; `recall` is its retrievability today (None: new)."""
    is_new = 1.0 if card.state is CardState.NEW else 0.0
    if order is FilterOrder.RANDOM:
        return (0.0, float(random_rank(card.id, seed)), card.id)
    if order is FilterOrder.DUE:
        return (is_new, float(card.due), card.id)
    if order is FilterOrder.ADDED:
        return (0.0, float(card.note_id), card.id)
    return (is_new, 2.0 if recall is None else recall, card.id)


def next_cram_card(
    ordered: Sequence[Card],
    again_at: Mapping[int, int],
    again_delay: Callable[[Card], int | None],
    now_epoch: int,
) -> Card | None:
    """The card a cramming deck shows now, from the cards it holds in filter order (`ordered`).

    `again_at` gives, for the cards whose latest answer today was Again, when that was (epoch
    seconds); `again_delay(card)` how many seconds such a card waits (the first learning step of
    its preset), None for no step.  A card whose wait is over comes first (the one back the
    longest first); then the cards not yet answered, in filter order; when nothing else is
    left, the waiting card that is back soonest is shown early (and one with no step waits
    until then).
    """
    waiting: list[tuple[float, int, int, Card]] = []
    fresh: list[Card] = []
    for card in ordered:
        answered = again_at.get(card.id)
        if answered is None:
            fresh.append(card)
            continue
        delay = again_delay(card)
        back = math.inf if delay is None else float(answered + delay)
        waiting.append((back, answered, card.id, card))
    waiting.sort(key=lambda entry: entry[:3])
    if waiting and waiting[0][0] <= now_epoch:
        return waiting[0][3]
    if fresh:
        return fresh[0]
    return waiting[0][3] if waiting else None


def filtered_answer(deck_filter: DeckFilter, before: Card, answer: Answer) -> Answer:
    """Turn the home deck's answer to `before` into the answer in a filtered deck (see above)."""
    home = before.home_deck_id if before.home_deck_id is not None else before.deck_id
    if deck_filter.reschedule:
        card = answer.card
        if card.state is CardState.REVIEW:
            card = replace(card, deck_id=home, home_deck_id=None)
        return Answer(card, replace(answer.review, kind=ReviewKind.FILTERED))
    card = before
    if answer.review.rating is not Rating.AGAIN:
        card = replace(before, deck_id=home, home_deck_id=None)
    review = replace(
        answer.review,
        kind=ReviewKind.FILTERED,
        interval=before.interval,
        stability=None,
        difficulty=None,
    )
    return Answer(card, review)


@dataclass(frozen=True, slots=True)
class GatherQuery:
    """A search custom study builds a filtered deck from, in the browser's search language
    (domain.search): `deck:"Name"` (the deck and its subdecks), `tag:"name"`, `prop:due<=N`
    (review cards due within N days), `rated:N:1` (answered Again in the last N study days,
    today being the first); every term given must match.
    """

    deck: str | None = None
    tag: str | None = None
    due_within: int | None = None
    forgotten_days: int | None = None

    def text(self) -> str:
        terms = []
        if self.deck is not None:
            terms.append(f'deck:"{_escaped(self.deck)}"')
        if self.tag is not None:
            terms.append(f'tag:"{_escaped(self.tag)}"')
        if self.due_within is not None:
            terms.append(f"prop:due<={self.due_within}")
        if self.forgotten_days is not None:
            terms.append(f"rated:{self.forgotten_days}:1")
        return " ".join(terms)


def _escaped(text: str) -> str:
    """`text` inside a quoted search term, its wildcards and quotes taken literally."""
    for special in ("\\", '"', "*", "_"):
        text = text.replace(special, "\\" + special)
    return text
