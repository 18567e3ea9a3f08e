"""Filtered decks in the domain: which card a cramming deck shows next."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from studyapp.domain.cards import Card
from studyapp.domain.filtered import next_cram_card

DECK = [Card(id=i, note_id=i, deck_id=9, ordinal=0, home_deck_id=1) for i in (1, 2, 3)]


def a_minute(card: Card) -> int | None:
    return 60


def no_steps(card: Card) -> int | None:
    return None


def shown(
    again_at: Mapping[int, int], now: int, delay: Callable[[Card], int | None] = a_minute
) -> int:
    card = next_cram_card(DECK, again_at, delay, now)
    assert card is not None
    return card.id


def test_a_forgotten_card_waits_for_its_step_unless_nothing_else_is_left() -> None:
    assert shown({}, 1_000) == 1
    # Card 1 was forgotten at 1000: the others come first until 1060, then card 1.
    assert shown({1: 1_000}, 1_059) == 2
    assert shown({1: 1_000}, 1_060) == 1
    # Two waits over: the one back first comes first, whatever the filter order.
    assert shown({1: 1_010, 3: 1_000}, 2_000) == 3
    # Nothing else left: the card back soonest is shown early.
    assert shown({1: 1_010, 2: 1_005, 3: 1_000}, 1_020) == 3
    assert next_cram_card([], {}, a_minute, 1_000) is None


def test_without_learning_steps_a_forgotten_card_comes_after_the_others() -> None:
    assert shown({1: 0}, 10**9, no_steps) == 2
    assert shown({1: 5, 2: 3, 3: 4}, 10**9, no_steps) == 2  # the oldest answer first
