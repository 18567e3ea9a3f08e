"""What the package copy asks of the import to convert Anki rows into ours (see `package_copy`).

No SQLAlchemy here: the import service builds these and loads without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Memory = tuple[float | None, float | None, int | None]


@dataclass(frozen=True, slots=True)
class NoteConversion:
    """What turns an Anki note row into ours (see `services.imports`)."""

    types: Sequence[tuple[int, int, int]]
    """(Anki note type id, our note type id, its number of fields); notes of other types are
    left out."""
    fields: Callable[[str | None, int], tuple[str, ...]]
    """A note's `flds` and its number of fields -> the fields to store."""
    tags: Callable[[str | None], tuple[str, ...]]
    now: int
    """Created and modified time of notes whose row has none (epoch seconds)."""
    markup: str
    """Characters without which `fields` changes no value: a `flds` holding none of them and
    exactly the number of fields asked for (separated by \\x1f, as Anki stores them) is only
    split."""


@dataclass(frozen=True, slots=True)
class CardConversion:
    """What turns an Anki card row into ours (see `services.imports`)."""

    first_position: int
    """Added to a new card's position."""
    learning_steps: int
    relearning_steps: int
    first_day: int
    """The study day of the package collection's day 0."""
    modified_at: int
    day_start: Callable[[int], int]
    """Study day -> epoch second at which it starts."""
    study_day: Callable[[int], int]
    """Epoch second -> its study day."""
    memory: Callable[[object], Memory]
    """A card's `data` -> stability, difficulty, last review (epoch seconds)."""
