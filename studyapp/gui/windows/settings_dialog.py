"""The Settings dialog: when the study day starts, the theme and the card text size."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.services.settings import MAX_TEXT_SIZE, MIN_TEXT_SIZE, Theme

if TYPE_CHECKING:
    from studyapp.services.settings import AppSettings


class SettingsDialog(QDialog):
    """Edits a copy of AppSettings; `ask` is the seam callers (and tests) use."""

    def __init__(self, current: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current = current
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))

        self.rollover = QSpinBox(self)
        self.rollover.setRange(0, 23)
        self.rollover.setSuffix(self.tr(":00"))
        self.rollover.setValue(current.rollover_hour)
        self.rollover.setAccessibleName(self.tr("Next study day starts at"))
        self.rollover.setToolTip(
            self.tr("The local hour at which a new study day begins (4:00 by default).")
        )

        self.theme = QComboBox(self)
        for theme, text in (
            (Theme.SYSTEM, self.tr("System")),
            (Theme.LIGHT, self.tr("Light")),
            (Theme.DARK, self.tr("Dark")),
        ):
            self.theme.addItem(text, theme.value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(current.theme.value)))
        self.theme.setAccessibleName(self.tr("Theme"))
        self.theme.setToolTip(self.tr("System follows the light or dark setting of your desktop."))

        self.text_size = QSpinBox(self)
        self.text_size.setRange(MIN_TEXT_SIZE, MAX_TEXT_SIZE)
        self.text_size.setSuffix(self.tr(" pt"))
        self.text_size.setValue(current.card_text_size)
        self.text_size.setAccessibleName(self.tr("Card text size"))
        self.text_size.setToolTip(
            self.tr("Also View ▸ Bigger text (Ctrl+=) and Smaller text (Ctrl+-).")
        )

        self.autoplay = QCheckBox(self.tr("&Play audio automatically"), self)
        self.autoplay.setChecked(current.autoplay_audio)
        self.autoplay.setAccessibleName(self.tr("Play audio automatically"))
        self.autoplay.setToolTip(
            self.tr("Play a card's sounds when it is shown. R replays them while studying.")
        )

        form = QFormLayout()
        for text, field in (
            (self.tr("Next study day &starts at:"), self.rollover),
            (self.tr("&Theme:"), self.theme),
            (self.tr("Card &text size:"), self.text_size),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow("", self.autoplay)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))

        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def result_settings(self) -> AppSettings:
        """The settings as the dialog shows them now."""
        return replace(
            self._current,
            rollover_hour=self.rollover.value(),
            theme=Theme(self.theme.currentData()),
            card_text_size=self.text_size.value(),
            autoplay_audio=self.autoplay.isChecked(),
        )

    @classmethod
    def ask(cls, parent: QWidget | None, current: AppSettings) -> AppSettings | None:
        """Show the dialog; the edited settings, or None when the user cancels."""
        dialog = cls(current, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.result_settings()
            return None
        finally:
            dialog.deleteLater()
