"""Asking before a destructive action (deleting a note or a deck)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class Confirmation:
    """`ask` is the seam callers (and tests) use."""

    @staticmethod
    def ask(parent: QWidget | None, title: str, text: str, action: str) -> bool | None:
        """Ask with a button named `action` and Cancel (the default); True when confirmed, None
        when the user cancels."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
        box.setAccessibleName(title)
        confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        try:
            box.exec()
            return True if box.clickedButton() is confirm else None
        finally:
            box.deleteLater()
