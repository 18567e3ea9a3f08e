"""The deck list's progress bar value: apart from the statistics values so that the deck list
shows without loading them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeckProgress:
    """How a deck's cards (subdecks included) split, for the deck list's bar."""

    new: int
    learning: int
    young: int
    mature: int
