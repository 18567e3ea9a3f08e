"""The Add dialog (key A): note type, deck, the note editor, and Add (Ctrl+Enter).

It stays open after adding, with the fields emptied and the tags kept, for the next note, as
Anki's does.  The note type and deck chosen last are chosen again next time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui.viewmodels.note_editor import NoteEditorViewModel
from studyapp.gui.widgets.note_editor import NoteEditor


class AddNoteDialog(QDialog):
    def __init__(
        self,
        view_model: NoteEditorViewModel,
        deck_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vm = view_model
        self.setWindowTitle(self.tr("Add"))
        self.setObjectName("addNoteDialog")
        self.type_combo = QComboBox(self)
        self.type_combo.setAccessibleName(self.tr("Note type"))
        self.deck_combo = QComboBox(self)
        self.deck_combo.setAccessibleName(self.tr("Deck"))
        self.editor = NoteEditor(view_model, self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("addStatus")
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setDefault(True)
        self.add_button.setAccessibleName(self.tr("Add the note"))
        self.add_button.setToolTip(self.tr("Add the note (Ctrl+Enter)"))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAccessibleName(self.tr("Close the Add window"))

        type_label = QLabel(self.tr("&Type"), self)
        type_label.setBuddy(self.type_combo)
        deck_label = QLabel(self.tr("&Deck"), self)
        deck_label.setBuddy(self.deck_combo)
        top = QHBoxLayout()
        top.addWidget(type_label)
        top.addWidget(self.type_combo, 1)
        top.addSpacing(16)
        top.addWidget(deck_label)
        top.addWidget(self.deck_combo, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.close_button)
        bottom.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.editor, 1)
        layout.addLayout(bottom)

        for note_type in view_model.note_types():
            self.type_combo.addItem(note_type.name, note_type.id)
        for deck in view_model.decks():
            self.deck_combo.addItem(deck.name, deck.id)
        self._choose(self.type_combo, view_model.last_note_type_id)
        self._choose(self.deck_combo, deck_id if deck_id is not None else view_model.last_deck_id)
        self.type_combo.currentIndexChanged.connect(self._type_chosen)
        self.deck_combo.currentIndexChanged.connect(self._deck_chosen)
        self.add_button.clicked.connect(self.add)
        self.close_button.clicked.connect(self.close)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.add)
        self.editor.saved.connect(self._on_added)
        if self.type_combo.count() and self.deck_combo.count():
            self.editor.new_note(self.type_combo.currentData(), self.deck_combo.currentData())
        else:
            self.add_button.setEnabled(False)
        self.resize(900, 560)
        self.editor.focus_first_field()

    @staticmethod
    def _choose(combo: QComboBox, wanted: int | None) -> None:
        index = combo.findData(wanted) if wanted is not None else -1
        if index >= 0:
            combo.setCurrentIndex(index)

    @Slot(int)
    def _type_chosen(self, _index: int) -> None:
        self.editor.set_note_type(self.type_combo.currentData())
        self._vm.last_note_type_id = self.type_combo.currentData()

    @Slot(int)
    def _deck_chosen(self, _index: int) -> None:
        self.editor.set_deck(self.deck_combo.currentData())
        self._vm.last_deck_id = self.deck_combo.currentData()

    @Slot()
    def add(self) -> None:
        self.editor.refresh_checks()  # the status line counts the cards the preview shows
        self.editor.save()

    @Slot(int)
    def _on_added(self, _note_id: int) -> None:
        count = len(self.editor.previews)
        self.status_label.setText(
            self.tr("Added a note with 1 card.")
            if count == 1
            else self.tr("Added a note with %1 cards.").replace("%1", str(count))
        )
        self.editor.clear_fields()

    @classmethod
    def open_for(
        cls, parent: QWidget, view_model: NoteEditorViewModel, deck_id: int | None
    ) -> AddNoteDialog:
        """Show a non-modal Add dialog (deleted when closed)."""
        dialog = cls(view_model, deck_id, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
        dialog.editor.focus_first_field()
        return dialog
