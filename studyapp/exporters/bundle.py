"""What every exporter reads: the domain values to write, gathered by the export service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo

from studyapp.domain.cards import Card, Note, NoteType, Review
from studyapp.domain.decks import Deck, Preset


@dataclass(frozen=True, slots=True)
class ExportBundle:
    """A deck (with its subdecks) or the whole collection, as our domain values.

    Ids are ours: notes name their note type, cards their note and deck, reviews their card.
    `Card.due` follows the domain convention (new-queue position, epoch seconds while
    (re)learning, study day for review cards) and `Card.step` is the index of the next step.
    """

    note_types: tuple[NoteType, ...]
    decks: tuple[Deck, ...]
    """Every deck the cards are in, and all of their parents."""
    notes: tuple[Note, ...]
    cards: tuple[Card, ...]
    reviews: tuple[Review, ...]
    media: Mapping[str, bytes]
    """File name in the media folder -> contents; only files the notes use."""
    rollover_hour: int
    zone: tzinfo
    include_scheduling: bool
    """False: every card is exported as new, without review history."""
    created_at: int
    """UTC epoch seconds at which the collection's first study day began (Anki's `crt`)."""
    presets: tuple[Preset, ...] = ()
    """The presets the decks use; a deck whose preset is missing gets the default options."""
