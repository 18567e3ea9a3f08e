"""The summary at the end of an import: the counts, and the reasons for anything skipped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from studyapp.services.imports import ImportSummary


class ImportSummaryDialog(QDialog):
    """What an import did: the counts, and the reasons for anything skipped."""

    def __init__(self, summary: ImportSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("Import finished")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        heading = QLabel(self.tr("Imported %1").replace("%1", summary.file_name), self)
        heading.setObjectName("summaryTitle")
        heading.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setColumnStretch(2, 1)
        self.counts: dict[str, QLabel] = {}
        for key, text, value in (
            ("added", self.tr("Notes added:"), summary.added),
            ("updated", self.tr("Notes updated:"), summary.updated),
            ("unchanged", self.tr("Notes unchanged:"), summary.unchanged),
            ("skipped", self.tr("Rows skipped:"), summary.skipped),
            ("failed", self.tr("Failed:"), summary.failed),
            ("cards", self.tr("Cards added:"), summary.cards_added),
            ("reviews", self.tr("Reviews added:"), summary.reviews_added),
            ("media", self.tr("Media files added:"), summary.media_added),
        ):
            row = len(self.counts)
            number = QLabel(f"{value:,}", self)
            number.setAccessibleName(text.rstrip(":") + f" {value}")
            number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            number.setMinimumWidth(56)
            grid.addWidget(QLabel(text, self), row, 0)
            grid.addWidget(number, row, 1)
            self.counts[key] = number
        self.messages = QPlainTextEdit("\n".join(summary.messages), self)
        self.messages.setReadOnly(True)
        self.messages.setAccessibleName(self.tr("Import messages"))
        self.messages.setVisible(bool(summary.messages))
        self.messages.setMinimumHeight(72)
        self.messages.setMaximumHeight(150)
        messages_label = QLabel(self.tr("Details:"), self)
        messages_label.setVisible(bool(summary.messages))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addSpacing(6)
        layout.addWidget(messages_label)
        layout.addWidget(self.messages)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, summary: ImportSummary) -> None:
        dialog = cls(summary, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
