"""What the browser lists: cards or notes, and the columns it can show and sort by."""

from __future__ import annotations

from enum import StrEnum


class BrowserMode(StrEnum):
    CARDS = "cards"
    NOTES = "notes"


class Column(StrEnum):
    SORT_FIELD = "sort_field"
    QUESTION = "question"
    DECK = "deck"
    NOTE_TYPE = "note_type"
    TAGS = "tags"
    DUE = "due"
    INTERVAL = "interval"
    STABILITY = "stability"
    DIFFICULTY = "difficulty"
    RETRIEVABILITY = "retrievability"
    REVIEWS = "reviews"
    LAPSES = "lapses"
    CREATED = "created"
    MODIFIED = "modified"
    SOURCE = "source"


SORTABLE = frozenset(Column) - {Column.QUESTION}
"""The question is rendered from a template, so it cannot be sorted in the database (as in Anki)."""
