"""The "New 20 · Learning 1 · Due 3" line above the card, with coloured numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

from studyapp.gui.theme import count_colors

if TYPE_CHECKING:
    from studyapp.services.study import QueueCounts


class QueueCounter(QLabel):
    """Shows what is left today; the colours follow the palette (light or dark theme)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: QueueCounts | None = None
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName(self.tr("Cards left today"))

    @property
    def counts(self) -> QueueCounts | None:
        return self._counts

    def set_counts(self, counts: QueueCounts | None) -> None:
        self._counts = counts
        self._show()

    def _show(self) -> None:
        counts = self._counts
        if counts is None:
            self.clear()
            self.setAccessibleDescription("")
            return
        colors = count_colors(self.palette())

        def number(value: int, color: str) -> str:
            shown = color if value else colors.zero
            return f'<span style="color:{shown}; font-weight:600">{value}</span>'

        self.setText(
            self.tr("New %1 · Learning %2 · Due %3")
            .replace("%1", number(counts.new, colors.new))
            .replace("%2", number(counts.learning, colors.learning))
            .replace("%3", number(counts.review, colors.review))
        )
        self.setAccessibleDescription(
            self.tr("New %1, learning %2, due %3")
            .replace("%1", str(counts.new))
            .replace("%2", str(counts.learning))
            .replace("%3", str(counts.review))
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._show()
        super().changeEvent(event)
