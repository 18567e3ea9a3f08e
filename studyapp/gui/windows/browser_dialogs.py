"""The browser's small dialogs; each offers `ask(parent, ...) -> result | None` (None: cancel)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)


class _FormDialog(QDialog):
    """A title, an optional explanation, a form and OK / Cancel."""

    def __init__(self, title: str, explanation: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        if explanation:
            label = QLabel(explanation, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def run(self) -> bool:
        try:
            return self.exec() == QDialog.DialogCode.Accepted
        finally:
            self.deleteLater()


class ChangeDeckDialog(_FormDialog):
    def __init__(self, decks: list[str], parent: QWidget | None) -> None:
        super().__init__(
            self.tr("Change deck"),
            self.tr("Move the selected cards to a deck. A new name makes a new deck."),
            parent,
        )
        self.deck = QComboBox(self)
        self.deck.setEditable(True)
        self.deck.addItems(decks)
        self.deck.setAccessibleName(self.tr("Deck"))
        self.form.addRow(self.tr("&Deck:"), self.deck)

    @classmethod
    def ask(cls, parent: QWidget | None, decks: list[str]) -> str | None:
        dialog = cls(decks, parent)
        if not dialog.run():
            return None
        chosen = dialog.deck.currentText().strip()
        return chosen or None


class TagsDialog(_FormDialog):
    def __init__(self, title: str, tags: list[str], parent: QWidget | None) -> None:
        super().__init__(title, self.tr("Separate tags with spaces."), parent)
        self.tags = QLineEdit(self)
        self.tags.setAccessibleName(self.tr("Tags"))
        completer = QCompleter(tags, self.tags)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(completer)
        self.form.addRow(self.tr("&Tags:"), self.tags)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, tags: list[str]) -> str | None:
        dialog = cls(title, tags, parent)
        if not dialog.run():
            return None
        return dialog.tags.text().strip() or None


class SetDueDialog(_FormDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(
            self.tr("Set due date"),
            self.tr(
                "Days from today: 0 is today, 1 tomorrow; a range such as 0-7 spreads the cards "
                "over the week. Add ! (for example 30!) to set the interval to match."
            ),
            parent,
        )
        self.days = QLineEdit("0", self)
        self.days.setAccessibleName(self.tr("Days from today"))
        self.form.addRow(self.tr("&Due in days:"), self.days)

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        dialog = cls(parent)
        if not dialog.run():
            return None
        return dialog.days.text().strip() or None


class ResetDialog(_FormDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(
            self.tr("Reset cards"),
            self.tr("The selected cards become new cards at the end of the new-card queue."),
            parent,
        )
        self.counts = QCheckBox(self.tr("Also set their review and lapse counts to zero"), self)
        self.form.addRow(self.counts)

    @classmethod
    def ask(cls, parent: QWidget | None) -> bool | None:
        """Whether to reset the counts too, or None when cancelled."""
        dialog = cls(parent)
        if not dialog.run():
            return None
        return dialog.counts.isChecked()


@dataclass(frozen=True, slots=True)
class FindReplaceRequest:
    find: str
    replace: str
    field: str | None
    """A field name, or None for every field."""
    regex: bool
    ignore_case: bool


class FindReplaceDialog(_FormDialog):
    def __init__(self, fields: list[str], parent: QWidget | None) -> None:
        super().__init__(
            self.tr("Find and replace"),
            self.tr(
                "Replaces text in the fields of the selected notes. In a regular expression's "
                "replacement, $1 or ${name} stands for a group."
            ),
            parent,
        )
        self.find_edit = QLineEdit(self)
        self.find_edit.setAccessibleName(self.tr("Find"))
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setAccessibleName(self.tr("Replace with"))
        self.field = QComboBox(self)
        self.field.setAccessibleName(self.tr("In"))
        self.field.addItem(self.tr("All fields"), None)
        for name in fields:
            self.field.addItem(name, name)
        self.regex = QCheckBox(self.tr("Treat input as a &regular expression"), self)
        self.ignore_case = QCheckBox(self.tr("&Ignore case"), self)
        self.ignore_case.setChecked(True)
        self.form.addRow(self.tr("&Find:"), self.find_edit)
        self.form.addRow(self.tr("Replace &with:"), self.replace_edit)
        self.form.addRow(self.tr("I&n:"), self.field)
        self.form.addRow(self.regex)
        self.form.addRow(self.ignore_case)

    @classmethod
    def ask(cls, parent: QWidget | None, fields: list[str]) -> FindReplaceRequest | None:
        dialog = cls(fields, parent)
        if not dialog.run():
            return None
        field = dialog.field.currentData()
        return FindReplaceRequest(
            dialog.find_edit.text(),
            dialog.replace_edit.text(),
            field if isinstance(field, str) else None,
            dialog.regex.isChecked(),
            dialog.ignore_case.isChecked(),
        )


class SaveSearchDialog(_FormDialog):
    def __init__(self, query: str, parent: QWidget | None) -> None:
        super().__init__(self.tr("Save search"), query, parent)
        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Name"))
        self.form.addRow(self.tr("&Name:"), self.name)

    @classmethod
    def ask(cls, parent: QWidget | None, query: str) -> str | None:
        dialog = cls(query, parent)
        if not dialog.run():
            return None
        return dialog.name.text().strip() or None


class ConfirmDeleteDialog(QMessageBox):
    def __init__(self, notes: int, cards: int, parent: QWidget | None) -> None:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        super().__init__(QMessageBox.Icon.Warning, "", "", buttons, parent)
        self.setWindowTitle(self.tr("Delete notes"))
        self.setText(
            self.tr("Delete %1 notes and their %2 cards?")
            .replace("%1", str(notes))
            .replace("%2", str(cards))
        )
        self.setInformativeText(self.tr("Their review history goes too. Undo brings them back."))
        self.setDefaultButton(QMessageBox.StandardButton.No)

    @classmethod
    def ask(cls, parent: QWidget | None, notes: int, cards: int) -> bool | None:
        """True to delete; None when the user keeps them."""
        box = cls(notes, cards, parent)
        try:
            return True if box.exec() == QMessageBox.StandardButton.Yes else None
        finally:
            box.deleteLater()
