"""An item delegate that marks the selected row with a soft tint, keeping coloured text readable."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

TINT = 0.3
"""How much of the palette's Highlight colour goes into the tint (the rest is Base)."""


def soft_highlight(palette: QPalette) -> QColor:
    strong = palette.color(QPalette.ColorRole.Highlight)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        round(strong.red() * TINT + base.red() * (1 - TINT)),
        round(strong.green() * TINT + base.green() * (1 - TINT)),
        round(strong.blue() * TINT + base.blue() * (1 - TINT)),
    )


class SoftSelectionDelegate(QStyledItemDelegate):
    """Selected cells keep their own text colour (the model's ForegroundRole or the palette's
    Text) instead of HighlightedText; give the view a soft Highlight (see soft_highlight)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if not option.state & QStyle.StateFlag.State_Selected:
            return
        palette: QPalette = option.palette
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        text = (
            foreground.color()
            if foreground is not None and hasattr(foreground, "color")
            else palette.color(QPalette.ColorRole.Text)
        )
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.HighlightedText, text)
        option.palette = palette
