"""Charts of what was studied: reviews per day, reviews by hour, answer buttons, cards added."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QLineSeries, QStackedBarSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QWidget

from studyapp.gui.widgets.charts.base import (
    ChartCard,
    ChartColors,
    attach,
    bar_set,
    day_label,
    grouped,
    index_axis,
    new_chart,
    per_unit,
    percent_axis,
    style_axes,
    tr,
    unit_title,
    value_axis,
)
from studyapp.services.statistics_values import ButtonCounts, DayCount, DayReviews, HourFigures

BOTTOM = Qt.AlignmentFlag.AlignBottom
LEFT = Qt.AlignmentFlag.AlignLeft
RIGHT = Qt.AlignmentFlag.AlignRight

Kinds = tuple[int, int, int, int, int]
"""learning, relearning, young, mature, seconds"""


def _sum(values: list[Kinds]) -> Kinds:
    return (
        sum(v[0] for v in values),
        sum(v[1] for v in values),
        sum(v[2] for v in values),
        sum(v[3] for v in values),
        sum(v[4] for v in values),
    )


def _line(name: str, color: QColor, width: float = 2.0) -> QLineSeries:
    line = QLineSeries()
    line.setName(name)
    pen = QPen(color)
    pen.setWidthF(width)
    line.setPen(pen)
    return line


def reviews_per_day(
    days: Sequence[DayReviews], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    unit, buckets = grouped(
        [(d.day, (d.learning, d.relearning, d.young, d.mature, d.seconds)) for d in days], _sum
    )
    chart = new_chart(tr("Reviews %1").replace("%1", per_unit(unit)), colors)
    series = QStackedBarSeries()
    kinds = (
        (tr("Learning"), colors.learning, 0),
        (tr("Relearning"), colors.relearning, 1),
        (tr("Young"), colors.young, 2),
        (tr("Mature"), colors.mature, 3),
    )
    for name, color, field in kinds:
        series.append(bar_set(name, (value[field] for _, value in buckets), color))
    series.setBarWidth(0.8)
    totals = [sum(value[:4]) for _, value in buckets]
    minutes = [value[4] / 60 for _, value in buckets]
    x = index_axis([day_label(day, unit) for day, _ in buckets], unit_title(unit))
    attach(chart, series, (x, BOTTOM), (value_axis(tr("Reviews"), max(totals, default=0)), LEFT))
    time = _line(tr("Time (minutes)"), colors.time)
    for index, value in enumerate(minutes):
        time.append(index, value)
    attach(chart, time, (x, BOTTOM), (value_axis(tr("Minutes"), max(minutes, default=0)), RIGHT))
    style_axes(chart, colors)
    total = sum(totals)
    hours = sum(minutes) / 60
    explanation = (
        tr("Bars: reviews by kind of card; line: minutes spent. %1 reviews in %2 hours.")
        .replace("%1", f"{total:,}")
        .replace("%2", f"{hours:.1f}")
    )
    return ChartCard(chart, explanation, parent)


def cards_added(
    period: Sequence[date],
    added: Sequence[DayCount],
    colors: ChartColors,
    parent: QWidget | None = None,
) -> ChartCard:
    by_day = {entry.day: entry.cards for entry in added}
    unit, buckets = grouped([(day, by_day.get(day, 0)) for day in period], sum)
    chart = new_chart(tr("Cards added %1").replace("%1", per_unit(unit)), colors)
    series = QBarSeries()
    values = [value for _, value in buckets]
    series.append(bar_set(tr("New cards"), values, colors.new))
    series.setBarWidth(0.8)
    x = index_axis([day_label(day, unit) for day, _ in buckets], unit_title(unit))
    attach(chart, series, (x, BOTTOM), (value_axis(tr("Cards"), max(values, default=0)), LEFT))
    chart.legend().setVisible(False)
    style_axes(chart, colors)
    explanation = tr("New cards put into the collection: %1 in this period.").replace(
        "%1", f"{sum(values):,}"
    )
    return ChartCard(chart, explanation, parent)


def reviews_by_hour(
    hours: Sequence[HourFigures], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    chart = new_chart(tr("Reviews and pass rate by hour of day"), colors)
    by_hour = {figures.hour: figures for figures in hours}
    counts = [by_hour[h].reviews if h in by_hour else 0 for h in range(24)]
    series = QBarSeries()
    series.append(bar_set(tr("Reviews"), counts, colors.new))
    series.setBarWidth(0.8)
    x = index_axis([f"{h:02d}:00" for h in range(24)], tr("Hour of day"), max_labels=8)
    attach(chart, series, (x, BOTTOM), (value_axis(tr("Reviews"), max(counts, default=0)), LEFT))
    rate = _line(tr("Pass rate (%)"), colors.time)
    for hour in range(24):
        figures = by_hour.get(hour)
        if figures is not None and figures.pass_pct is not None and figures.reviews > 0:
            rate.append(hour, figures.pass_pct)
    attach(chart, rate, (x, BOTTOM), (percent_axis(tr("Pass rate")), RIGHT))
    style_axes(chart, colors)
    best = max(range(24), key=lambda h: counts[h]) if any(counts) else None
    explanation = (
        tr("When you study, and how often you pass (not Again) at each hour.")
        if best is None
        else tr(
            "You study most around %1; the line shows how often you pass at each hour."
        ).replace("%1", f"{best:02d}:00")
    )
    return ChartCard(chart, explanation, parent)


def answer_buttons(
    buttons: ButtonCounts, colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    chart = new_chart(tr("Answer buttons"), colors)
    groups = (buttons.learning, buttons.young, buttons.mature)
    series = QBarSeries()
    names = (tr("Again"), tr("Hard"), tr("Good"), tr("Easy"))
    palette = (colors.again, colors.hard, colors.good, colors.easy)
    for button, (name, color) in enumerate(zip(names, palette, strict=True)):
        series.append(bar_set(name, (group[button] for group in groups), color))
    x = QBarCategoryAxis()
    x.setTitleText(tr("Kind of card"))
    x.append([tr("Learning"), tr("Young"), tr("Mature")])
    top = max((max(group) for group in groups), default=0)
    attach(chart, series, (x, BOTTOM), (value_axis(tr("Answers"), top), LEFT))
    style_axes(chart, colors)
    mature = sum(buttons.mature)
    explanation = (
        tr("How you answered each kind of card; mature cards: %1% correct.").replace(
            "%1", f"{100 * (mature - buttons.mature[0]) / mature:.0f}"
        )
        if mature
        else tr("How you answered learning, young and mature cards.")
    )
    return ChartCard(chart, explanation, parent)
