"""Note types, notes, cards and review-log entries as plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Rating(IntEnum):
    """The four answer grades, numbered as in FSRS and Anki."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class CardState(IntEnum):
    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class BuryKind(IntEnum):
    NONE = 0
    SIBLING = 1
    MANUAL = 2


class NoteKind(IntEnum):
    STANDARD = 0
    CLOZE = 1


class ReviewKind(IntEnum):
    """What produced a review-log row."""

    LEARN = 0
    REVIEW = 1
    RELEARN = 2
    FILTERED = 3
    MANUAL = 4
    RESCHEDULED = 5


@dataclass(frozen=True, slots=True)
class CardTemplate:
    name: str
    front: str
    back: str


@dataclass(frozen=True, slots=True)
class NoteType:
    id: int
    name: str
    kind: NoteKind
    fields: tuple[str, ...]
    templates: tuple[CardTemplate, ...]
    css: str
    markdown: bool = False
    """Fields are edited as Markdown (plain text) rather than rich text."""
    sort_field: int = 0
    """The index of the field the browser sorts and searches notes by."""


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    guid: str
    note_type_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    created_at: int
    """UTC epoch seconds."""
    modified_at: int
    source: str | None = None
    """Where the note's fact comes from (a short provenance note), if known."""


@dataclass(frozen=True, slots=True)
class Card:
    """One card and its schedule.

    `due` depends on `state`: for NEW cards it is the position in the new queue; for LEARNING
    and RELEARNING cards a UTC epoch second; for REVIEW cards a study day (see domain.clock).
    `interval` is the current interval in study days (0 while in learning), `step` the index of the
    next learning or relearning step, `last_review_day` the study day of the latest review.
    """

    id: int
    note_id: int
    deck_id: int
    ordinal: int
    state: CardState = CardState.NEW
    due: int = 0
    interval: int = 0
    step: int = 0
    stability: float | None = None
    difficulty: float | None = None
    reps: int = 0
    lapses: int = 0
    last_review_day: int | None = None
    flag: int = 0
    suspended: bool = False
    buried: BuryKind = BuryKind.NONE
    home_deck_id: int | None = None
    """For a card gathered into a filtered deck: the deck it returns to."""


@dataclass(frozen=True, slots=True)
class Review:
    """One review-log row.

    Intervals follow Anki's convention: positive values are study days, negative values seconds
    (a learning step).  `rating` is None for MANUAL and RESCHEDULED rows.
    """

    card_id: int
    reviewed_at: int
    """UTC epoch milliseconds."""
    kind: ReviewKind
    rating: Rating | None
    state_before: CardState
    last_interval: int
    interval: int
    time_taken_ms: int
    stability: float | None
    difficulty: float | None
    id: int = 0
    source_id: str | None = None
