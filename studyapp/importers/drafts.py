"""What every importer hands to the import service: plain frozen values, no ids from our database.

Links inside one draft use keys from the source file, never our ids:
- a note names its note type by `NoteTypeDraft.key`;
- a card names its note by `ImportedNote.key` and its deck by full name ("a::b");
- a review names its card by `ImportedCard.source_id`.

Anki packages carry notes, cards and reviews; text files carry notes only, and the service makes
their cards from the note type's templates (`domain.templates.card_ordinals`).

Notes, cards and reviews come by the hundred thousand, so they are named tuples: as immutable as
frozen dataclasses, and ten times cheaper to make.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from enum import Enum
from types import MappingProxyType
from typing import NamedTuple

from studyapp.domain.cards import (
    BuryKind,
    CardState,
    CardTemplate,
    NoteKind,
    NoteType,
    Rating,
    ReviewKind,
)
from studyapp.domain.clock import from_epoch, study_day, study_day_start, to_epoch

_NO_MEDIA: Mapping[str, bytes] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class NoteTypeDraft:
    """A note type as the file defines it; the service matches it by name and fields."""

    key: str
    """Unique within the draft: the Anki notetype id, or the name for text imports."""
    name: str
    kind: NoteKind
    fields: tuple[str, ...]
    templates: tuple[CardTemplate, ...]
    css: str

    @classmethod
    def from_note_type(cls, note_type: NoteType) -> NoteTypeDraft:
        return cls(
            note_type.name,
            note_type.name,
            note_type.kind,
            note_type.fields,
            note_type.templates,
            note_type.css,
        )


@dataclass(frozen=True, slots=True)
class ImportedDeck:
    name: str
    """Full name with "::" between levels; every parent is listed before its children."""
    description: str = ""


class ImportedNote(NamedTuple):
    key: str
    """Unique within the draft: the Anki note id, or "row N" for text records."""
    guid: str | None
    """The note's permanent id. None (text rows without a GUID column): match by first field."""
    note_type_key: str
    fields: tuple[str, ...]
    """In the note type's field order, exactly as many as it has fields."""
    tags: tuple[str, ...]
    deck: str | None = None
    """Text imports: the deck for the generated cards. Anki packages: None (see the cards)."""
    created_at: int | None = None
    """UTC epoch seconds, if the file knows."""
    modified_at: int | None = None
    line: int | None = None
    """Text imports: the line the row starts on, for messages."""


class DueKind(Enum):
    """What `ImportedCard.due` counts."""

    POSITION = "position"
    """Position in the new queue."""
    EPOCH_SECONDS = "epoch_seconds"
    """A UTC moment (intraday learning)."""
    COLLECTION_DAY = "collection_day"
    """Days since the source collection was created (`ImportDraft.collection_created_at`)."""


class ImportedCard(NamedTuple):
    source_id: str
    """The Anki card id as text."""
    note_key: str
    deck: str
    ordinal: int
    state: CardState
    due: int
    due_kind: DueKind
    interval: int
    """Study days; 0 while (re)learning."""
    ease_factor: int
    """Anki's ease in permille (2500 = 250 %); 0 for new cards."""
    remaining_steps: int
    """(Re)learning steps left before graduating, as Anki counts them (left % 1000)."""
    reps: int
    lapses: int
    flag: int
    """0 (none) to 7."""
    suspended: bool
    buried: BuryKind
    stability: float | None = None
    difficulty: float | None = None
    desired_retention: float | None = None
    last_reviewed_at: int | None = None
    """UTC epoch seconds of the latest review, from the card or else from its history."""


class ImportedReview(NamedTuple):
    source_id: str
    """Stable across re-imports: the Anki revlog id as text."""
    card_source_id: str
    reviewed_at: int
    """UTC epoch milliseconds."""
    kind: ReviewKind
    rating: Rating | None
    state_before: CardState
    last_interval: int
    """Anki's convention, like domain Review: days if positive, seconds if negative."""
    interval: int
    ease_factor: int
    time_taken_ms: int


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A text row that could not be read; the import dialog shows these."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportDraft:
    note_types: tuple[NoteTypeDraft, ...]
    decks: tuple[ImportedDeck, ...]
    notes: tuple[ImportedNote, ...]
    cards: tuple[ImportedCard, ...] = ()
    reviews: tuple[ImportedReview, ...] = ()
    media: Mapping[str, bytes] = field(default_factory=lambda: _NO_MEDIA)
    """Safe file name -> contents; read lazily for packages (each access decompresses)."""
    warnings: tuple[str, ...] = ()
    skipped_rows: tuple[SkippedRow, ...] = ()
    collection_created_at: int | None = None
    """Anki's `crt`: UTC epoch seconds of the start of the source collection's day 0."""
    source_format: str = ""
    """"csv", "anki2", "anki21", "anki21b": for messages and statistics."""


def _no_cleanup() -> None:
    return None


@dataclass(frozen=True, slots=True)
class PackageSource:
    """An Anki package's collection database, for copying its notes, cards and review log with
    SQL instead of reading them row by row (`ImportStream.notes`, `cards` and `reviews` are then
    not read).

    The copy takes the notes of known note types in Anki's note id order, the cards of the notes
    added in Anki's card id order and the reviews of every card read, converted as
    `CollectionReader` converts them."""

    take: Callable[[], bytes | bytearray]
    """The collection database (SQLite, rollback journal), handed over: the reader's own copy
    is closed and the stream's warnings about rows left out are completed. Called once."""
    homes: Mapping[int, str]
    """Anki home deck id (`odid`, else `did`) -> the full name of the deck its cards go to."""
    note_fields: Callable[[str | None, int], list[str]]
    """A note's `flds` and its note type's field count -> its fields, as `notes()` reads them."""
    note_tags: Callable[[str | None], tuple[str, ...]]
    """A note's `tags` -> its tags, as `notes()` reads them."""
    card_memory: Callable[[object], tuple[float | None, float | None, int | None]]
    """A card's `data` -> FSRS stability, difficulty and last review (epoch seconds)."""


@dataclass(frozen=True, slots=True)
class ImportStream:
    """An import read while it is applied: a draft whose notes, cards and reviews are read once,
    in that order, and may come straight from the file (an Anki package's rows are never all
    held in memory at once). `warnings()` is complete after the reviews are read."""

    note_types: tuple[NoteTypeDraft, ...]
    decks: tuple[ImportedDeck, ...]
    notes: Iterable[ImportedNote]
    cards: Iterable[ImportedCard]
    reviews: Iterable[ImportedReview]
    counts: tuple[int, int, int]
    """How many notes, cards and reviews there are to read."""
    warnings: Callable[[], tuple[str, ...]]
    media: Mapping[str, bytes] = field(default_factory=lambda: _NO_MEDIA)
    skipped_rows: tuple[SkippedRow, ...] = ()
    collection_created_at: int | None = None
    source_format: str = ""
    close: Callable[[], None] = _no_cleanup
    """Releases what the rows are read from."""
    package: PackageSource | None = None
    """Set when the notes, cards and reviews may be copied from the package's database
    instead."""

    @classmethod
    def of(cls, draft: ImportDraft) -> ImportStream:
        return cls(
            note_types=draft.note_types,
            decks=draft.decks,
            notes=draft.notes,
            cards=draft.cards,
            reviews=draft.reviews,
            counts=(len(draft.notes), len(draft.cards), len(draft.reviews)),
            warnings=lambda: draft.warnings,
            media=draft.media,
            skipped_rows=draft.skipped_rows,
            collection_created_at=draft.collection_created_at,
            source_format=draft.source_format,
        )

    def draft(self) -> ImportDraft:
        """Everything read into memory."""
        notes, cards, reviews = tuple(self.notes), tuple(self.cards), tuple(self.reviews)
        return ImportDraft(
            note_types=self.note_types,
            decks=self.decks,
            notes=notes,
            cards=cards,
            reviews=reviews,
            media=self.media,
            warnings=self.warnings(),
            skipped_rows=self.skipped_rows,
            collection_created_at=self.collection_created_at,
            source_format=self.source_format,
        )


def card_due(card: ImportedCard, created_at: int | None, rollover_hour: int, zone: tzinfo) -> int:
    """`card.due` converted to the `domain.cards.Card.due` convention for its state.

    New cards keep their position, intraday learning its epoch second. A day count becomes a study
    day for review cards and the start of that study day (epoch seconds) for (re)learning cards.
    """
    if card.due_kind is not DueKind.COLLECTION_DAY:
        return card.due
    if created_at is None:
        raise ValueError("a collection day needs the collection's creation time")
    day = study_day(from_epoch(created_at), rollover_hour, zone) + card.due
    if card.state == CardState.REVIEW:
        return day
    return to_epoch(study_day_start(day, rollover_hour, zone))
