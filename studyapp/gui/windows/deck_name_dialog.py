"""Asking for a deck's name, to add a deck or rename one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class DeckNameDialog(QDialog):
    """A name field with OK and Cancel; `ask` is the seam callers (and tests) use."""

    def __init__(self, title: str, initial: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.name = QLineEdit(initial, self)
        self.name.setAccessibleName(self.tr("Deck name"))
        self.name.selectAll()
        label = QLabel(self.tr("&Name (use “::” for a subdeck, as in “Cardiology::Drugs”):"), self)
        label.setBuddy(self.name)
        label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        ok.setEnabled(bool(initial.strip()))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.name)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, initial: str = "") -> str | None:
        """The name typed, or None when the user cancels."""
        dialog = cls(title, initial, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.name.text()
            return None
        finally:
            dialog.deleteLater()
