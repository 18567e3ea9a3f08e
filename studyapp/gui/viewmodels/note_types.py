"""Tools ▸ Note types… as a QObject: the NoteTypeService's calls, with failures as messages.

Signals: error(str) with a message for the user; changed(NoteType) after a note type was
changed or added; removed(int) after one was deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from studyapp.domain.cards import NoteType
from studyapp.errors import StudyAppError
from studyapp.services.note_types import template_problems_of

if TYPE_CHECKING:
    from studyapp.services.note_types import NoteTypeService, NoteTypeUsage
    from studyapp.services.notes import CardPreview

T = TypeVar("T")


class NoteTypesViewModel(QObject):
    error = Signal(str)
    changed = Signal(object)
    removed = Signal(int)

    def __init__(self, note_types: NoteTypeService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = note_types

    def _call(self, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except StudyAppError as error:
            self.error.emit(str(error))
            return None

    def _change(self, action: Callable[[], NoteType]) -> NoteType | None:
        changed = self._call(action)
        if changed is not None:
            self.changed.emit(changed)
        return changed

    # Reading.

    def usage(self) -> list[NoteTypeUsage]:
        return self._call(self._service.usage) or []

    def stock_names(self) -> list[str]:
        return self._service.stock_names()

    def preview(self, note_type: NoteType, index: int) -> CardPreview | None:
        return self._call(lambda: self._service.preview(note_type, index))

    @staticmethod
    def problems(note_type: NoteType, index: int, front: str, back: str) -> list[str]:
        return template_problems_of(note_type, index, front, back)

    # Note types.

    def add_stock(self, stock_name: str, name: str) -> NoteType | None:
        return self._change(lambda: self._service.add_stock(stock_name, name))

    def clone(self, note_type_id: int, name: str) -> NoteType | None:
        return self._change(lambda: self._service.clone(note_type_id, name))

    def rename(self, note_type_id: int, name: str) -> NoteType | None:
        return self._change(lambda: self._service.rename(note_type_id, name))

    def delete(self, note_type_id: int) -> bool:
        try:
            self._service.delete(note_type_id)
        except StudyAppError as error:
            self.error.emit(str(error))
            return False
        self.removed.emit(note_type_id)
        return True

    # Fields.

    def add_field(self, note_type_id: int, name: str) -> NoteType | None:
        return self._change(lambda: self._service.add_field(note_type_id, name))

    def rename_field(self, note_type_id: int, index: int, name: str) -> NoteType | None:
        return self._change(lambda: self._service.rename_field(note_type_id, index, name))

    def move_field(self, note_type_id: int, index: int, new_index: int) -> NoteType | None:
        return self._change(lambda: self._service.move_field(note_type_id, index, new_index))

    def remove_field(self, note_type_id: int, index: int) -> NoteType | None:
        return self._change(lambda: self._service.remove_field(note_type_id, index))

    def set_sort_field(self, note_type_id: int, index: int) -> NoteType | None:
        return self._change(lambda: self._service.set_sort_field(note_type_id, index))

    def set_markdown(self, note_type_id: int, markdown: bool) -> NoteType | None:
        return self._change(lambda: self._service.set_markdown(note_type_id, markdown))

    # Card templates.

    def add_template(self, note_type_id: int, name: str) -> NoteType | None:
        return self._change(lambda: self._service.add_template(note_type_id, name))

    def rename_template(self, note_type_id: int, index: int, name: str) -> NoteType | None:
        return self._change(lambda: self._service.rename_template(note_type_id, index, name))

    def remove_template(self, note_type_id: int, index: int) -> NoteType | None:
        return self._change(lambda: self._service.remove_template(note_type_id, index))

    def save_template(
        self, note_type_id: int, index: int, front: str, back: str, css: str
    ) -> NoteType | None:
        """Save a template's front and back and the note type's CSS (all or nothing shown)."""

        def save() -> NoteType:
            self._service.set_template(note_type_id, index, front, back)
            return self._service.set_css(note_type_id, css)

        return self._change(save)
