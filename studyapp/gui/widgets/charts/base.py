"""What every chart shares: colours from the palette, axes, and the card around a chart
(its title lives in the chart, a one-line explanation sits under it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QDate, QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from studyapp.gui.theme import is_dark

CHART_HEIGHT = 300
MAX_BARS = 100
"""More days than this are grouped into weeks, more weeks than this into months."""

T = TypeVar("T")


def tr(text: str) -> str:
    return QCoreApplication.translate("Charts", text)


@dataclass(frozen=True, slots=True)
class ChartColors:
    """Series and text colours that read well on the palette's base colour."""

    dark: bool
    background: QColor
    text: QColor
    muted: QColor
    grid: QColor
    new: QColor
    learning: QColor
    relearning: QColor
    young: QColor
    mature: QColor
    suspended: QColor
    buried: QColor
    time: QColor
    line: QColor
    again: QColor
    hard: QColor
    good: QColor
    easy: QColor
    heat_empty: QColor
    heat_low: QColor
    heat_high: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> ChartColors:
        dark = is_dark(palette)

        def pick(light: str, night: str) -> QColor:
            return QColor(night if dark else light)

        return cls(
            dark=dark,
            background=palette.color(QPalette.ColorRole.Base),
            text=palette.color(QPalette.ColorRole.Text),
            muted=pick("#5a5a60", "#a8a8ae"),
            grid=pick("#e2e2e6", "#3a3a3f"),
            new=pick("#3584e4", "#78aeed"),
            learning=pick("#e66100", "#ffa348"),
            relearning=pick("#c01c28", "#ff7b63"),
            young=pick("#8fd19e", "#57a86a"),
            mature=pick("#26803a", "#a2e8b4"),
            suspended=pick("#c88800", "#f6d32d"),
            buried=pick("#8a8a8a", "#9a9a9a"),
            time=pick("#813d9c", "#dc8add"),
            line=pick("#1a5fb4", "#99c1f1"),
            again=pick("#c01c28", "#ff7b63"),
            hard=pick("#c88800", "#f6d32d"),
            good=pick("#2ec27e", "#8ff0a4"),
            easy=pick("#3584e4", "#99c1f1"),
            heat_empty=pick("#ebebee", "#333338"),
            heat_low=pick("#c6e9cf", "#1f4a2b"),
            heat_high=pick("#1e6b31", "#6fd38a"),
        )


# Chart building.


def new_chart(title: str, colors: ChartColors) -> QChart:
    chart = QChart()
    chart.setTheme(
        QChart.ChartTheme.ChartThemeDark if colors.dark else QChart.ChartTheme.ChartThemeLight
    )
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    chart.setTitleFont(font)
    chart.setTitleBrush(colors.text)
    chart.setBackgroundBrush(colors.background)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    legend = chart.legend()
    legend.setLabelColor(colors.text)
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def value_axis(title: str, maximum: float, integer: bool = True) -> QValueAxis:
    """An axis from 0 with round numbers up to at least `maximum`."""
    axis = QValueAxis()
    axis.setTitleText(title)
    top = max(maximum, 1.0 if integer else 0.0001)
    axis.setRange(0, top)
    axis.applyNiceNumbers()
    if integer:
        axis.setLabelFormat("%d")
        low, high = axis.min(), axis.max()
        # Whole numbers only: a tick count that divides the range.
        span = int(high - low)
        ticks = next((n for n in (6, 5, 7, 4, 3, 2) if span % (n - 1) == 0), 2)
        axis.setTickCount(ticks)
    return axis


def percent_axis(title: str) -> QValueAxis:
    axis = QValueAxis()
    axis.setTitleText(title)
    axis.setRange(0, 100)
    axis.setTickCount(6)
    axis.setLabelFormat("%d%%")
    return axis


def index_axis(labels: Sequence[str], title: str, max_labels: int = 7) -> QCategoryAxis:
    """An x axis for bars at 0, 1, 2…: at most `max_labels` of `labels`, evenly spaced."""
    axis = QCategoryAxis()
    axis.setTitleText(title)
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    count = len(labels)
    axis.setStartValue(-0.5)
    axis.setRange(-0.5, max(count, 1) - 0.5)
    step = max(1, -(-count // max_labels))
    for index in range(count - 1, -1, -step)[::-1]:
        axis.append(labels[index], index)
    axis.setGridLineVisible(False)
    return axis


def bar_set(name: str, values: Iterable[float], color: QColor) -> QBarSet:
    bars = QBarSet(name)
    bars.append([float(value) for value in values])
    bars.setColor(color)
    bars.setBorderColor(color)
    return bars


def attach(chart: QChart, series: object, *axes: tuple[QAbstractAxis, Qt.AlignmentFlag]) -> None:
    """Add `series` to `chart` and attach it to `axes` (adding each axis once)."""
    chart.addSeries(series)  # type: ignore[arg-type]
    for axis, alignment in axes:
        if axis not in chart.axes():
            chart.addAxis(axis, alignment)
        series.attachAxis(axis)  # type: ignore[attr-defined]


def style_axes(chart: QChart, colors: ChartColors) -> None:
    for axis in chart.axes():
        axis.setLabelsBrush(colors.text)
        axis.setTitleBrush(colors.text)
        axis.setLinePenColor(colors.muted)
        axis.setGridLineColor(colors.grid)
        font = QFont(axis.titleFont())
        font.setBold(False)
        axis.setTitleFont(font)


# Days and buckets.


def day_label(day: date, unit: str) -> str:
    locale = QLocale()
    qdate = QDate(day.year, day.month, day.day)
    if unit == "month":
        return locale.toString(qdate, "MMM yyyy")
    return locale.toString(qdate, "d MMM")


def grouped(
    days: Sequence[tuple[date, T]], combine: Callable[[list[T]], T]
) -> tuple[str, list[tuple[date, T]]]:
    """Days (oldest first) grouped into days, weeks (from Monday) or months, so that there are
    at most MAX_BARS bars; returns the unit ("day", "week", "month") and (first day, value)."""
    if len(days) <= MAX_BARS:
        return "day", list(days)
    unit = "week" if len(days) <= MAX_BARS * 7 else "month"

    def key(day: date) -> date:
        if unit == "week":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    groups: dict[date, list[T]] = {}
    for day, value in days:
        groups.setdefault(key(day), []).append(value)
    return unit, [(start, combine(values)) for start, values in groups.items()]


def unit_title(unit: str) -> str:
    return {"day": tr("Day"), "week": tr("Week starting"), "month": tr("Month")}[unit]


def per_unit(unit: str) -> str:
    return {"day": tr("per day"), "week": tr("per week"), "month": tr("per month")}[unit]


# The card around a chart.


class ChartCard(QFrame):
    """A chart (or another drawing) with its one-line explanation underneath."""

    def __init__(
        self,
        body: QChart | QWidget,
        explanation: str,
        parent: QWidget | None = None,
        title: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chartCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chart: QChart | None = body if isinstance(body, QChart) else None
        self._title = title if self.chart is None else self.chart.title()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 8)
        layout.setSpacing(4)
        if isinstance(body, QChart):
            view = QChartView(body, self)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(CHART_HEIGHT)
            view.setFrameShape(QFrame.Shape.NoFrame)
            view.setBackgroundBrush(body.backgroundBrush())
            view.setAccessibleName(self._title)
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            layout.addWidget(view, 1)
            self.body: QWidget = view
        else:
            heading = QLabel(title, self)
            heading.setObjectName("chartTitle")
            heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = QFont(heading.font())
            font.setBold(True)
            heading.setFont(font)
            layout.addWidget(heading)
            layout.addWidget(body, 1)
            self.body = body
        self.explanation = QLabel(explanation, self)
        self.explanation.setObjectName("chartExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.explanation)
        self.setAccessibleName(self._title)
        self.setAccessibleDescription(explanation)

    def title(self) -> str:
        return self._title

    def axis_titles(self) -> list[str]:
        if self.chart is None:
            return []
        return [axis.titleText() for axis in self.chart.axes()]
