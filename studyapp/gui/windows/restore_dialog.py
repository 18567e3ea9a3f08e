"""File ▸ Restore backup…: the backups with their date and size, and a confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from studyapp.services.backups import Backup


def _tr(text: str) -> str:
    return QCoreApplication.translate("RestoreBackupDialog", text)


DATE_COLUMN, SIZE_COLUMN, REASON_COLUMN = 0, 1, 2


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def date_text(backup: Backup) -> str:
    return backup.created_at.astimezone().strftime("%Y-%m-%d %H:%M")


class RestoreBackupDialog(QDialog):
    """Lists the backups, newest first (preselected); Restore… returns the chosen one."""

    def __init__(self, backups: list[Backup], folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("Restore backup")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(480, 320)
        self._backups = backups
        intro = QLabel(
            self.tr(
                "StudyApp backs up your collection when it closes and every 6 hours while it is "
                "open, and keeps the newest 30 backups in %1."
            ).replace("%1", folder),
            self,
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName(self.tr("Backups"))
        self.tree.setHeaderLabels([self.tr("Made"), self.tr("Size"), self.tr("Why")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(DATE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SIZE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        reasons = {
            "close": self.tr("StudyApp closed"),
            "periodic": self.tr("every 6 hours"),
            "manual": self.tr("made by hand"),
        }
        for backup in backups:
            item = QTreeWidgetItem(
                [date_text(backup), size_text(backup.size), reasons.get(backup.reason, "")]
            )
            item.setTextAlignment(SIZE_COLUMN, Qt.AlignmentFlag.AlignRight)
            item.setToolTip(DATE_COLUMN, str(backup.path))
            self.tree.addTopLevelItem(item)
        self.empty = QLabel(self.tr("There are no backups yet."), self)
        self.empty.setVisible(not backups)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(
            self.tr("&Restore…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.tree.itemSelectionChanged.connect(self._update_button)
        self.tree.itemActivated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_button()

    def chosen(self) -> Backup | None:
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            return None
        return self._backups[self.tree.indexOfTopLevelItem(item)]

    @Slot()
    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    @staticmethod
    def ask(parent: QWidget | None, backups: list[Backup], folder: str) -> Backup | None:
        """The backup the user chose to restore, or None."""
        dialog = RestoreBackupDialog(backups, folder, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    @staticmethod
    def confirm(parent: QWidget | None, backup: Backup) -> bool:
        """Restoring closes StudyApp: ask first."""
        box = QMessageBox(QMessageBox.Icon.Question, _tr("Restore backup"), "", parent=parent)
        box.setText(_tr("Restore the backup made %1?").replace("%1", date_text(backup)))
        box.setInformativeText(
            _tr(
                "StudyApp will close and put this backup in place of your collection; answers "
                "given since then will not be in it. Your current collection file is kept beside "
                "it, renamed with “.replaced”. Open StudyApp again afterwards."
            )
        )
        restore = box.addButton(_tr("Restore and close"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore
