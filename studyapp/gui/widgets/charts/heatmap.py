"""A calendar heatmap of reviews per day: one column per week, one row per weekday, darker for
more reviews (QtCharts has no heatmap, so it paints itself)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from studyapp.gui.widgets.charts.base import ChartCard, ChartColors, tr

MAX_WEEKS = 53
LEVELS = 5
"""Colour steps, the first for days without reviews."""
LEFT_MARGIN, TOP_MARGIN, LEGEND_HEIGHT = 40, 20, 26
GAP = 3


def _mix(low: QColor, high: QColor, share: float) -> QColor:
    return QColor(
        round(low.red() + (high.red() - low.red()) * share),
        round(low.green() + (high.green() - low.green()) * share),
        round(low.blue() + (high.blue() - low.blue()) * share),
    )


class CalendarHeatmap(QWidget):
    """Reviews per day for at most the last MAX_WEEKS weeks, Monday at the top."""

    def __init__(
        self, days: Sequence[tuple[date, int]], colors: ChartColors, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._colors = colors
        self._counts = dict(days)
        last = days[-1][0] if days else date.today()
        first = days[0][0] if days else last
        first = max(first, last - timedelta(weeks=MAX_WEEKS - 1))
        self.first_monday = first - timedelta(days=first.weekday())
        self.last_day = last
        self.first_day = first
        self.weeks = (last - self.first_monday).days // 7 + 1
        self._max = max((count for day, count in days if day >= first), default=0)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(tr("Calendar of reviews per day"))

    # Geometry.

    def _cell(self) -> float:
        room = (self.width() - LEFT_MARGIN - 8) / max(self.weeks, 1) - GAP
        return max(6.0, min(18.0, room))

    def sizeHint(self) -> QSize:
        return QSize(LEFT_MARGIN + self.weeks * 21, TOP_MARGIN + 7 * 21 + LEGEND_HEIGHT + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(LEFT_MARGIN + self.weeks * 9, self.sizeHint().height())

    def _origin_x(self) -> float:
        grid = self.weeks * (self._cell() + GAP)
        return LEFT_MARGIN + max(0.0, (self.width() - LEFT_MARGIN - grid) / 2)

    def _rect(self, day: date) -> QRectF:
        step = self._cell() + GAP
        week = (day - self.first_monday).days // 7
        return QRectF(
            self._origin_x() + week * step,
            TOP_MARGIN + day.weekday() * step,
            self._cell(),
            self._cell(),
        )

    def level(self, count: int) -> int:
        """0 for no reviews, else 1 to LEVELS - 1 by share of the busiest day."""
        if count <= 0 or self._max <= 0:
            return 0
        return max(1, min(LEVELS - 1, -(-count * (LEVELS - 1) // self._max)))

    def level_color(self, level: int) -> QColor:
        if level == 0:
            return self._colors.heat_empty
        return _mix(self._colors.heat_low, self._colors.heat_high, (level - 1) / (LEVELS - 2))

    def day_at(self, point: QPoint) -> date | None:
        step = self._cell() + GAP
        week = int((point.x() - self._origin_x()) // step)
        weekday = int((point.y() - TOP_MARGIN) // step)
        if not (0 <= week < self.weeks and 0 <= weekday < 7):
            return None
        day = self.first_monday + timedelta(days=week * 7 + weekday)
        return day if self.first_day <= day <= self.last_day else None

    # Painting.

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colors = self._colors
        locale = QLocale()
        painter.setPen(colors.muted)
        metrics = painter.fontMetrics()
        for weekday in (0, 2, 4):
            name = locale.dayName(weekday + 1, QLocale.FormatType.ShortFormat)
            rect = self._rect(self.first_monday + timedelta(days=weekday))
            painter.drawText(
                QRectF(
                    rect.left() - LEFT_MARGIN, rect.top() - 2, LEFT_MARGIN - 6, rect.height() + 4
                ),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        last_label_end = -1.0
        day = self.first_day
        while day <= self.last_day:
            if day.day == 1 or day == self.first_day:
                left = self._rect(day).left()
                name = locale.monthName(day.month, QLocale.FormatType.ShortFormat)
                if left > last_label_end + 4:
                    painter.drawText(QRectF(left, 0, 80, TOP_MARGIN - 4), name)
                    last_label_end = left + metrics.horizontalAdvance(name)
            day += timedelta(days=1)
        painter.setPen(Qt.PenStyle.NoPen)
        day = self.first_day
        while day <= self.last_day:
            painter.setBrush(self.level_color(self.level(self._counts.get(day, 0))))
            painter.drawRoundedRect(self._rect(day), 2, 2)
            day += timedelta(days=1)
        self._paint_legend(painter)
        painter.end()

    def _paint_legend(self, painter: QPainter) -> None:
        size = 11.0
        top = TOP_MARGIN + 7 * (self._cell() + GAP) + 8
        right = self._origin_x() + self.weeks * (self._cell() + GAP)
        more, less = tr("More"), tr("Less")
        metrics = painter.fontMetrics()
        x = right - metrics.horizontalAdvance(more)
        painter.setPen(self._colors.muted)
        painter.drawText(QRectF(x, top - 2, 80, size + 4), Qt.AlignmentFlag.AlignVCenter, more)
        painter.setPen(Qt.PenStyle.NoPen)
        for level in range(LEVELS - 1, -1, -1):
            x -= size + 3
            painter.setBrush(self.level_color(level))
            painter.drawRoundedRect(QRectF(x, top, size, size), 2, 2)
        width = metrics.horizontalAdvance(less)
        painter.setPen(self._colors.muted)
        painter.drawText(
            QRectF(x - width - 6, top - 2, width + 2, size + 4), Qt.AlignmentFlag.AlignVCenter, less
        )

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        # The tooltip follows the day under the pointer (mouse tracking is on).
        day = self.day_at(event.position().toPoint())
        if day is None:
            self.setToolTip("")
        else:
            self.setToolTip(
                tr("%1: %2 reviews")
                .replace("%1", QLocale().toString(QDate(day.year, day.month, day.day)))
                .replace("%2", f"{self._counts.get(day, 0):,}")
            )
        super().mouseMoveEvent(event)


def calendar(
    days: Sequence[tuple[date, int]], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    heatmap = CalendarHeatmap(days, colors)
    studied = sum(1 for day, count in days if count > 0 and day >= heatmap.first_day)
    shown = (heatmap.last_day - heatmap.first_day).days + 1
    explanation = (
        tr("Each square is a day, a stronger colour for more reviews; studied on %1 of %2 days.")
        .replace("%1", str(studied))
        .replace("%2", str(shown))
    )
    return ChartCard(heatmap, explanation, parent, title=tr("Calendar of reviews"))
