"""Decks, the presets that configure them, and what the deck list shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from studyapp.domain.memory import DEFAULT_PARAMETERS

DECK_SEPARATOR = "::"


class NewCardOrder(IntEnum):
    """The order new cards are introduced in."""

    ADDED = 0
    RANDOM = 1


class ReviewOrder(IntEnum):
    """The order due review cards are shown in."""

    DUE = 0
    RETRIEVABILITY = 1
    """Most forgotten first: lowest predicted recall."""
    OVERDUENESS = 2
    """Most overdue relative to the interval first."""


class LeechAction(IntEnum):
    """What happens when a card's lapses reach the leech threshold."""

    TAG = 0
    SUSPEND = 1


@dataclass(frozen=True, slots=True)
class Preset:
    """Options shared by every deck that uses them."""

    id: int
    name: str
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: tuple[int, ...] = (60, 600)
    """Seconds."""
    relearning_steps: tuple[int, ...] = (600,)
    """Seconds."""
    desired_retention: float = 0.9
    maximum_interval: int = 36500
    """Study days."""
    parameters: tuple[float, ...] = DEFAULT_PARAMETERS
    """The 21 FSRS-6 weights."""
    new_card_order: NewCardOrder = NewCardOrder.ADDED
    review_order: ReviewOrder = ReviewOrder.DUE
    leech_threshold: int = 8
    """Lapses that make a card a leech; 0 turns leech detection off."""
    leech_action: LeechAction = LeechAction.TAG
    bury_new_siblings: bool = False
    bury_review_siblings: bool = False
    pass_fail: bool = False
    """Two answer buttons: Again (fail) and Good (pass)."""
    reschedule_on_change: bool = False
    """Recompute due dates when the desired retention or parameters change."""
    easy_days: tuple[int, ...] = ()
    """Weekdays (0 Monday ... 6 Sunday) that get a lighter review load."""
    optimized_at: int | None = None
    """UTC epoch seconds of the last parameter fit that was kept, if any."""


@dataclass(frozen=True, slots=True)
class DeckFilter:
    """What a filtered deck gathers: a search, at most `limit` cards, in `order`."""

    query: str
    limit: int
    order: int
    reschedule: bool = True
    """Whether answers change the cards' schedules; off for cramming."""


@dataclass(frozen=True, slots=True)
class ExamPlan:
    """An exam on `exam_date`: every card should be at or above `target_recall` that day."""

    exam_date: date
    target_recall: float


@dataclass(frozen=True, slots=True)
class Deck:
    id: int
    name: str
    preset_id: int
    exam: ExamPlan | None = None
    filter: DeckFilter | None = None
    """Set for a filtered deck, whose cards have a home deck elsewhere."""
    collapsed: bool = False
    """Whether the deck list shows this deck's subdecks folded away."""

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.name.split(DECK_SEPARATOR))

    @property
    def short_name(self) -> str:
        return self.parts[-1]

    @property
    def depth(self) -> int:
        return len(self.parts) - 1


def parent_names(name: str) -> list[str]:
    """The names of every ancestor of `name`, outermost first: "A::B::C" -> ["A", "A::B"]."""
    parts = name.split(DECK_SEPARATOR)
    return [DECK_SEPARATOR.join(parts[:i]) for i in range(1, len(parts))]


def normalize_deck_name(name: str) -> str:
    """Strip blanks around each level; raises ValueError for an empty level."""
    parts = [part.strip() for part in name.split(DECK_SEPARATOR)]
    if not all(parts):
        raise ValueError(f"deck name {name!r} has an empty level")
    return DECK_SEPARATOR.join(parts)


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """One row of the deck list: what Study would show today, children included."""

    deck_id: int
    name: str
    new: int
    learning: int
    review: int
    collapsed: bool = False
    """Whether the deck list shows this deck's subdecks folded away."""
    filtered: bool = False
    """Whether this is a filtered deck (cards gathered by a search)."""

    @property
    def depth(self) -> int:
        return self.name.count(DECK_SEPARATOR)

    @property
    def short_name(self) -> str:
        return self.name.rsplit(DECK_SEPARATOR, 1)[-1]
