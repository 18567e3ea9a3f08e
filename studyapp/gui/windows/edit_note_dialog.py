"""Editing one note in a dialog (key E while studying): the note editor, Save and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from studyapp.gui.viewmodels.note_editor import NoteEditorViewModel
from studyapp.gui.widgets.note_editor import NoteEditor


class EditNoteDialog(QDialog):
    def __init__(
        self, view_model: NoteEditorViewModel, note_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit note"))
        self.setObjectName("editNoteDialog")
        self.editor = NoteEditor(view_model, self)
        self.loaded = self.editor.load_note(note_id)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setToolTip(self.tr("Save the note (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 560)
        self.editor.focus_first_field()

    @Slot()
    def save(self) -> None:
        """Save and close; on a refusal the message shows and the dialog stays open."""
        if self.editor.save():
            self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, view_model: NoteEditorViewModel, note_id: int
    ) -> int | None:
        """Edit note `note_id`; returns its id once saved, None when cancelled or gone."""
        dialog = cls(view_model, note_id, parent)
        try:
            if not dialog.loaded:
                return None
            return note_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
