"""File ▸ Export…: what to export and how, then where to save it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui.viewmodels.exporter import (
    ExportOptions,
    format_label,
    formats_for,
    name_filter,
)
from studyapp.services.exports import ExportFormat

NOTES_ONLY = (ExportFormat.TEXT, ExportFormat.CSV, ExportFormat.DECK)
"""Formats without scheduling or media: the notes' fields and tags only."""


class ExportFileChooser:
    """The save dialog, behind a seam tests replace."""

    @classmethod
    def ask(
        cls, parent: QWidget | None, export_format: ExportFormat, suggested: Path
    ) -> Path | None:
        """Where to save, or None when the user cancels."""
        title = QCoreApplication.translate("ExportFileChooser", "Export")
        name, _ = QFileDialog.getSaveFileName(
            parent, title, str(suggested), name_filter(export_format)
        )
        return Path(name) if name else None


class ExportDialog(QDialog):
    """Export: the deck (or all decks), the format, and whether scheduling and media go along."""

    def __init__(
        self, deck_names: list[str], deck: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        title = self.tr("Export")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(480)

        self.deck_box = QComboBox(self)
        self.deck_box.setAccessibleName(self.tr("Deck to export"))
        self.deck_box.addItem(self.tr("All decks"), None)
        for name in deck_names:
            self.deck_box.addItem(name, name)
        if deck is not None and (index := self.deck_box.findData(deck)) >= 0:
            self.deck_box.setCurrentIndex(index)
        self.deck_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.format_box = QComboBox(self)
        self.format_box.setAccessibleName(self.tr("File format"))
        self.format_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.scheduling_box = QCheckBox(self.tr("Include scheduling and review history"), self)
        self.scheduling_box.setAccessibleName(self.tr("Include scheduling and review history"))
        self.scheduling_box.setChecked(True)
        self.media_box = QCheckBox(self.tr("Include media"), self)
        self.media_box.setAccessibleName(self.tr("Include media"))
        self.media_box.setChecked(True)
        self._wanted = {self.scheduling_box: True, self.media_box: True}
        """What the user ticked, shown again when a format that can hold it is chosen."""
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        muted = QPalette(self.note.palette())
        muted.setColor(
            QPalette.ColorRole.WindowText, muted.color(QPalette.ColorRole.PlaceholderText)
        )
        self.note.setPalette(muted)
        self.note.setAccessibleName(self.tr("About this format"))

        self.buttons = QDialogButtonBox(self)
        self.export_button: QPushButton = self.buttons.addButton(
            self.tr("Export…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.export_button.setAccessibleName(self.tr("Export"))
        self.export_button.setToolTip(self.tr("Choose where to save the file"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Export:"), self.deck_box)
        form.addRow(self.tr("&Format:"), self.format_box)
        form.addRow("", self.note)
        form.addItem(QSpacerItem(0, 6))
        form.addRow("", self.scheduling_box)
        form.addRow("", self.media_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addSpacing(12)
        layout.addWidget(self.buttons)

        self.deck_box.currentIndexChanged.connect(self._fill_formats)
        self.format_box.currentIndexChanged.connect(self._update_options)
        self._fill_formats()

    def chosen_deck(self) -> str | None:
        data = self.deck_box.currentData()
        return data if isinstance(data, str) else None

    def chosen_format(self) -> ExportFormat:
        data = self.format_box.currentData()
        return ExportFormat(data) if isinstance(data, str) else ExportFormat.APKG

    def available_formats(self) -> list[ExportFormat]:
        return [ExportFormat(self.format_box.itemData(i)) for i in range(self.format_box.count())]

    def select_format(self, export_format: ExportFormat) -> bool:
        """Choose `export_format`; False when it is not on offer for the chosen deck."""
        index = self.format_box.findData(export_format.value)
        if index >= 0:
            self.format_box.setCurrentIndex(index)
        return index >= 0

    def options(self) -> ExportOptions:
        return ExportOptions(
            deck=self.chosen_deck(),
            export_format=self.chosen_format(),
            include_scheduling=self.scheduling_box.isChecked(),
            include_media=self.media_box.isChecked(),
        )

    @Slot()
    def _fill_formats(self) -> None:
        """The formats for the chosen deck, keeping the chosen one where it is still offered."""
        current = self.chosen_format() if self.format_box.count() else ExportFormat.APKG
        self.format_box.blockSignals(True)
        self.format_box.clear()
        for export_format in formats_for(self.chosen_deck()):
            self.format_box.addItem(format_label(export_format), export_format.value)
        self.format_box.blockSignals(False)
        if not self.select_format(current):
            self.format_box.setCurrentIndex(0)
        self._update_options()

    @Slot()
    def _update_options(self) -> None:
        chosen = self.chosen_format()
        notes_only = chosen in NOTES_ONLY
        for box in self._wanted:
            if box.isEnabled():  # still showing the user's choice for the previous format
                self._wanted[box] = box.isChecked()
            box.setEnabled(not notes_only)
            box.setChecked(self._wanted[box] and not notes_only)
        if chosen is ExportFormat.DECK:
            hint = self.tr("A deck file for StudyApp: the notes' fields, tags and sources.")
        elif notes_only:
            hint = self.tr("One row per note with its fields and tags; no scheduling or media.")
        elif chosen is ExportFormat.APKG_LEGACY:
            hint = self.tr("For Anki 2.1.49 and older, and for apps that read only that format.")
        else:
            hint = self.tr("Opens in Anki 2.1.50 and newer, and in StudyApp.")
        self.note.setText(hint)
        all_decks = self.chosen_deck() is None
        self.deck_box.setToolTip(
            self.tr("The whole collection") if all_decks else self.tr("The deck with its subdecks")
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, deck_names: list[str], deck: str | None = None
    ) -> ExportOptions | None:
        """The options the user chose, or None when they cancel."""
        dialog = cls(deck_names, deck, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.options() if accepted else None
        finally:
            dialog.deleteLater()
