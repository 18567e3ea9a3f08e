"""The provenance of a generated note, as services hand it to the document repository.

No SQLAlchemy here: the services that build these load without it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NoteSource:
    """Where a note's fact comes from: a character range of a stored document's text."""

    note_id: int
    document_id: int
    start: int
    end: int
    changed: bool
