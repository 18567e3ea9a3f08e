"""Decks, the presets that configure them, and what the deck list shows."""

from __future__ import annotations

from dataclasses import dataclass

from studyapp.domain.memory import DEFAULT_PARAMETERS

DECK_SEPARATOR = "::"


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


@dataclass(frozen=True, slots=True)
class Deck:
    id: int
    name: str
    preset_id: int

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

    @property
    def depth(self) -> int:
        return self.name.count(DECK_SEPARATOR)

    @property
    def short_name(self) -> str:
        return self.name.rsplit(DECK_SEPARATOR, 1)[-1]
