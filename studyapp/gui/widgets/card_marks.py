"""The card's flag and mark, as the reviewer shows them: a coloured flag and a star."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from studyapp.gui.theme import is_dark

# Anki's flag colours (light, dark), numbered as its flags are.
FLAG_COLORS: dict[int, tuple[str, str]] = {
    1: ("#e01b24", "#ff7b63"),
    2: ("#ff7800", "#ffa348"),
    3: ("#2ec27e", "#57e389"),
    4: ("#1c71d8", "#62a0ea"),
    5: ("#e36dc0", "#f08cd2"),
    6: ("#10a5a5", "#5ed3d3"),
    7: ("#9141ac", "#c061cb"),
}
STAR_COLORS = ("#c88800", "#f6d32d")


def flag_name(flag: int) -> str:
    names = {
        1: QCoreApplication.translate("CardMarks", "Red"),
        2: QCoreApplication.translate("CardMarks", "Orange"),
        3: QCoreApplication.translate("CardMarks", "Green"),
        4: QCoreApplication.translate("CardMarks", "Blue"),
        5: QCoreApplication.translate("CardMarks", "Pink"),
        6: QCoreApplication.translate("CardMarks", "Turquoise"),
        7: QCoreApplication.translate("CardMarks", "Purple"),
    }
    return names.get(flag, "")


def flag_color(flag: int, palette: QPalette) -> QColor:
    light, dark = FLAG_COLORS[flag]
    return QColor(dark if is_dark(palette) else light)


def star(center: QPointF, outer: float) -> QPolygonF:
    """A five-pointed star, point up."""
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else outer * 0.45
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(
            QPointF(center.x() + radius * math.cos(angle), center.y() + radius * math.sin(angle))
        )
    return QPolygonF(points)


class CardMarks(QWidget):
    """Paints the flag (1 to 7, 0 for none) and the star of a marked note; hidden when neither."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flag = 0
        self._marked = False
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setVisible(False)

    @property
    def flag(self) -> int:
        return self._flag

    @property
    def marked(self) -> bool:
        return self._marked

    def set_marks(self, flag: int, marked: bool) -> None:
        self._flag = flag if flag in FLAG_COLORS else 0
        self._marked = marked
        parts = []
        if self._flag:
            parts.append(
                QCoreApplication.translate("CardMarks", "%1 flag").replace(
                    "%1", flag_name(self._flag)
                )
            )
        if marked:
            parts.append(QCoreApplication.translate("CardMarks", "Marked"))
        text = ", ".join(parts)
        self.setToolTip(text)
        self.setAccessibleName(text)
        self.setVisible(bool(parts))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        side = max(20, self.fontMetrics().height() + 4)
        count = int(bool(self._flag)) + int(self._marked)
        return QSize(max(1, count) * (side + 4), side)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = float(self.height())
        left = 2.0
        palette = self.palette()
        if self._flag:
            color = flag_color(self._flag, palette)
            cell = QRectF(left, 0, side, side)
            pole = QPen(color, max(1.5, side / 12))
            painter.setPen(pole)
            x = cell.left() + side * 0.22
            painter.drawLine(
                QPointF(x, cell.top() + side * 0.12), QPointF(x, cell.bottom() - side * 0.06)
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x, cell.top() + side * 0.12),
                        QPointF(cell.right() - side * 0.08, cell.top() + side * 0.3),
                        QPointF(x, cell.top() + side * 0.56),
                    ]
                )
            )
            left += side + 4
        if self._marked:
            light, dark = STAR_COLORS
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(dark if is_dark(palette) else light))
            painter.drawPolygon(star(QPointF(left + side / 2, side / 2 + side * 0.04), side * 0.48))
        painter.end()
