"""Messages before (or after) the main window: collection in use, damaged collection, errors.

The composition root calls these when there is no main window: `show_in_use` for a second
instance, `ask_recovery` when the start-up integrity check failed, `show_error` when restoring a
backup after the window closed went wrong.  Each creates the QApplication if there is none yet.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from studyapp.gui.launch import application

if TYPE_CHECKING:
    from studyapp.services.backups import Damage


def _tr(text: str) -> str:
    return QCoreApplication.translate("CollectionMessages", text)


def show_in_use() -> None:
    """A second instance: StudyApp is already open with this collection."""
    application()
    box = QMessageBox(QMessageBox.Icon.Information, _tr("StudyApp"), "")
    box.setText(_tr("StudyApp is already open with this collection."))
    box.setInformativeText(
        _tr("Switch to the open StudyApp window. Only one StudyApp at a time can use a collection.")
    )
    box.exec()


def show_error(message: str) -> None:
    application()
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("StudyApp"), message)
    box.exec()


class Recovery(enum.Enum):
    RESTORE = "restore"
    """Put the newest good backup in place of the damaged collection."""
    START_EMPTY = "start-empty"
    """Keep the damaged file aside and start a new, empty collection."""


class RecoveryDialog(QMessageBox):
    """The collection failed its integrity check: restore the newest good backup?"""

    def __init__(self, database_file: Path, damage: Damage, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Warning, self.tr("StudyApp"), "", parent=parent)
        self.setText(self.tr("Your collection is damaged and cannot be opened safely."))
        self.setDetailedText(
            self.tr("Collection: %1").replace("%1", str(database_file))
            + "\n\n"
            + "\n".join(damage.problems)
        )
        keep = self.tr("The damaged file is kept beside it, renamed with “.damaged”.")
        self.restore_button: QPushButton | None = None
        backup = damage.newest_good
        if backup is not None:
            made = backup.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.setInformativeText(
                self.tr("Restore the newest good backup, made %1? %2")
                .replace("%1", made)
                .replace("%2", keep)
            )
            self.restore_button = self.addButton(
                self.tr("Restore backup"), QMessageBox.ButtonRole.AcceptRole
            )
        else:
            self.setInformativeText(
                self.tr("There is no good backup to restore. %1").replace("%1", keep)
            )
        self.empty_button = self.addButton(
            self.tr("Start with an empty collection"), QMessageBox.ButtonRole.DestructiveRole
        )
        self.quit_button = self.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button or self.quit_button)
        self.setEscapeButton(self.quit_button)

    def choice(self) -> Recovery | None:
        clicked = self.clickedButton()
        if clicked is not None and clicked is self.restore_button:
            return Recovery.RESTORE
        if clicked is not None and clicked is self.empty_button:
            return Recovery.START_EMPTY
        return None

    @staticmethod
    def ask(parent: QWidget | None, database_file: Path, damage: Damage) -> Recovery | None:
        dialog = RecoveryDialog(database_file, damage, parent)
        dialog.exec()
        return dialog.choice()


def ask_recovery(database_file: Path, damage: Damage) -> Recovery | None:
    """Before the main window: what to do with a damaged collection (None: quit)."""
    application()
    return RecoveryDialog.ask(None, database_file, damage)
