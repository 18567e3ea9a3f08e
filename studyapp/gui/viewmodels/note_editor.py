"""Adding and editing notes as a QObject: the NoteService's calls, with failures as messages.

Signals: error(str) with a message for the user; note_added(Note) and note_saved(Note) after a
change is committed; changed() after any change (the deck counts and Undo need refreshing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from studyapp.domain.cards import Note, NoteType
from studyapp.domain.decks import Deck
from studyapp.errors import StudyAppError

if TYPE_CHECKING:
    from studyapp.services.notes import CardPreview, EditedNote, NoteDraft, NoteService

T = TypeVar("T")


class NoteEditorViewModel(QObject):
    error = Signal(str)
    note_added = Signal(object)
    note_saved = Signal(object)
    changed = Signal()

    def __init__(self, notes: NoteService, media_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notes = notes
        self._media_dir = media_dir
        self.last_note_type_id: int | None = None
        """The note type the Add dialog used last (it opens with it next time)."""
        self.last_deck_id: int | None = None

    @property
    def media_dir(self) -> Path:
        return self._media_dir

    def _call(self, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except StudyAppError as error:
            self.error.emit(str(error))
            return None

    # Reading.

    def note_types(self) -> list[NoteType]:
        return self._call(self._notes.note_types) or []

    def decks(self) -> list[Deck]:
        return self._call(self._notes.decks) or []

    def tags(self) -> list[str]:
        return self._call(self._notes.tags) or []

    def load(self, note_id: int) -> EditedNote | None:
        return self._call(lambda: self._notes.get(note_id))

    def duplicate_of(
        self, note_type_id: int, first_field: str, ignore_note_id: int | None
    ) -> int | None:
        return self._call(
            lambda: self._notes.duplicate_of(note_type_id, first_field, ignore_note_id)
        )

    def preview(
        self, note_type_id: int, fields: Sequence[str], tags: Sequence[str]
    ) -> list[CardPreview]:
        return self._call(lambda: self._notes.preview(note_type_id, fields, tags)) or []

    # Media.

    def attach_file(self, path: Path) -> str | None:
        """The field HTML for an image or audio file copied into the media folder."""
        return self._call(lambda: self._notes.attach_file(path))

    def attach_bytes(self, content: bytes, name: str) -> str | None:
        return self._call(lambda: self._notes.attach_bytes(content, name))

    # Changing.

    def add(self, draft: NoteDraft) -> Note | None:
        note = self._call(lambda: self._notes.add(draft))
        if note is not None:
            self.last_note_type_id = draft.note_type_id
            self.last_deck_id = draft.deck_id
            self.note_added.emit(note)
            self.changed.emit()
        return note

    def update(self, note_id: int, fields: Sequence[str], tags: Sequence[str]) -> Note | None:
        note = self._call(lambda: self._notes.update(note_id, fields, tags))
        if note is not None:
            self.note_saved.emit(note)
            self.changed.emit()
        return note
