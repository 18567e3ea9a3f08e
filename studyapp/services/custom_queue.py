"""How custom study changes today's queue: raised daily limits, and filtered decks.

Custom study can raise a deck's new or review limit for the current study day; the extra is kept
in the settings table under EXTRA_LIMITS_KEY, as {"day": study day, "decks": {deck id: [new,
review]}}, and is forgotten when the day changes.  A filtered deck has no daily limits: it shows
every card it holds, in its filter's order (domain.filtered).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyapp.domain.cards import Card, CardState, Rating, ReviewKind
from studyapp.domain.decks import Deck, Preset
from studyapp.domain.filtered import FilterOrder, next_cram_card, order_key
from studyapp.domain.memory import retrievability

if TYPE_CHECKING:
    from studyapp.services.queue import QueueReads
    from studyapp.storage.repositories import Repositories, SettingRepository

EXTRA_LIMITS_KEY = "custom_study_limits"


def read_extra_limits(settings: SettingRepository, today: int) -> dict[int, tuple[int, int]]:
    """Today's extra (new, review) limits per deck id; nothing once the study day has changed."""
    return extra_limits_in(settings.get(EXTRA_LIMITS_KEY), today)


def extra_limits_in(stored: Any, today: int) -> dict[int, tuple[int, int]]:
    """Today's extra limits in `stored`, the EXTRA_LIMITS_KEY setting's value."""
    if not isinstance(stored, dict) or stored.get("day") != today:
        return {}
    found: dict[int, tuple[int, int]] = {}
    for key, value in dict(stored.get("decks") or {}).items():
        if str(key).isdigit() and isinstance(value, list) and len(value) == 2:
            found[int(key)] = (int(value[0]), int(value[1]))
    return found


def add_extra_limits(
    settings: SettingRepository, today: int, deck_id: int, new: int, review: int
) -> tuple[int, int]:
    """Raise today's limits of `deck_id` by `new` and `review`; returns its extra in total."""
    limits = read_extra_limits(settings, today)
    old_new, old_review = limits.get(deck_id, (0, 0))
    limits[deck_id] = (old_new + new, old_review + review)
    settings.set(
        EXTRA_LIMITS_KEY,
        {"day": today, "decks": {str(k): [n, r] for k, (n, r) in limits.items()}},
    )
    return limits[deck_id]


@dataclass(frozen=True, slots=True)
class FilteredCounts:
    """What filtered decks hold, per deck: new cards and the others (learning aside)."""

    new: dict[int, int]
    review: dict[int, int]


def filtered_counts(reads: QueueReads, decks: Iterable[Deck]) -> FilteredCounts:
    """What the filtered decks among `decks` hold (their counts replace the usual ones: a
    filtered deck has no daily limits)."""
    counts = FilteredCounts({}, {})
    for deck in decks:
        if deck.filter is not None:
            counts.new[deck.id], counts.review[deck.id] = reads.held(deck.id)
    return counts


def recall_today(card: Card, today: int, preset: Preset) -> float | None:
    """A studied card's predicted recall today; None for a card never studied."""
    if card.stability is None or card.last_review_day is None:
        return None
    return retrievability(max(today - card.last_review_day, 0), card.stability, preset.parameters)


def sorted_for_filter(
    repos: Repositories, cards: list[Card], order: FilterOrder, seed: int, today: int
) -> list[Card]:
    """`cards` in a filter's order (retrievability with each card's home-deck preset)."""
    recalls: Mapping[int, float | None] = {}
    if order is FilterOrder.RETRIEVABILITY:
        presets = {p.id: p for p in repos.presets.all()}
        preset_of = {d.id: presets[d.preset_id] for d in repos.decks.all()}
        recalls = {
            c.id: recall_today(c, today, preset_of[c.home_deck_id or c.deck_id]) for c in cards
        }
    return sorted(cards, key=lambda c: order_key(c, order, seed, recalls.get(c.id)))


def next_filtered_card(
    repos: Repositories, deck: Deck, today: int, now_epoch: int, day_start_ms: int
) -> Card | None:
    """The card a filtered deck shows now, or None when only later learning steps remain.

    Rescheduling: (re)learning cards due now first, then new and review cards in filter order.
    Cramming: every card in filter order, and a card answered Again back after the first
    learning step of its home deck's preset (or sooner once nothing else is left), as
    domain.filtered.next_cram_card decides.
    """
    assert deck.filter is not None
    cards = repos.planning.in_deck(deck.id)
    order = FilterOrder(deck.filter.order)
    if deck.filter.reschedule:
        learning = [
            c
            for c in cards
            if c.state in (CardState.LEARNING, CardState.RELEARNING) and c.due <= now_epoch
        ]
        if learning:
            return min(learning, key=lambda c: (c.due, c.id))
        waiting = [c for c in cards if c.state in (CardState.NEW, CardState.REVIEW)]
        ordered = sorted_for_filter(repos, waiting, order, deck.id, today)
        return ordered[0] if ordered else None
    answered = repos.planning.last_answers([c.id for c in cards], ReviewKind.FILTERED, day_start_ms)
    again_at = {
        card_id: at_ms // 1000
        for card_id, (at_ms, rating) in answered.items()
        if rating == int(Rating.AGAIN)
    }
    presets = {p.id: p for p in repos.presets.all()}
    steps_of = {d.id: presets[d.preset_id].learning_steps for d in repos.decks.all()}

    def again_delay(card: Card) -> int | None:
        steps = steps_of[card.home_deck_id or card.deck_id]
        return steps[0] if steps else None

    ordered = sorted_for_filter(repos, cards, order, deck.id, today)
    return next_cram_card(ordered, again_at, again_delay, now_epoch)
