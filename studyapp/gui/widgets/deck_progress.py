"""The deck list's progress column: a small stacked bar of new, learning, young and mature."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

from studyapp.gui.theme import is_dark
from studyapp.gui.widgets.soft_selection import SoftSelectionDelegate
from studyapp.services.deck_progress import DeckProgress

LIGHT = ("#3584e4", "#e66100", "#8fd19e", "#26803a")
DARK = ("#78aeed", "#ffa348", "#57a86a", "#a2e8b4")


def segment_colors(palette: QPalette) -> tuple[QColor, ...]:
    """New, learning, young and mature, as in the statistics charts."""
    return tuple(QColor(name) for name in (DARK if is_dark(palette) else LIGHT))


def segments(progress: DeckProgress) -> tuple[int, int, int, int]:
    return (progress.new, progress.learning, progress.young, progress.mature)


class DeckProgressDelegate(SoftSelectionDelegate):
    """Paints the DeckProgress in the UserRole as a bar, widths proportional to the counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)  # the row's background and selection
        progress = index.data(Qt.ItemDataRole.UserRole)
        if not isinstance(progress, DeckProgress):
            return
        counts = segments(progress)
        total = sum(counts)
        rect = QRectF(option.rect).adjusted(6, 0, -6, 0)
        height = min(10.0, rect.height() - 6)
        bar = QRectF(rect.left(), rect.center().y() - height / 2, rect.width(), height)
        palette: QPalette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(bar, 3, 3)
        if total > 0:
            painter.setClipRect(bar)
            left = bar.left()
            for count, color in zip(counts, segment_colors(palette), strict=True):
                width = bar.width() * count / total
                painter.setBrush(color)
                painter.drawRect(QRectF(left, bar.top(), width, bar.height()))
                left += width
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 100), hint.height())
