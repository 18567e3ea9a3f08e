"""Charts that look ahead or add up memory: the due forecast, estimated total knowledge over
time, and one card's forgetting curve."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import QDateTimeAxis, QLineSeries, QStackedBarSeries, QValueAxis
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QPen
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
from studyapp.services.statistics_values import CurvePoint, ForecastDay, KnowledgeDay

BOTTOM = Qt.AlignmentFlag.AlignBottom
LEFT = Qt.AlignmentFlag.AlignLeft


def forecast(
    days: Sequence[ForecastDay], backlog: int, colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    unit, buckets = grouped([(d.day, d.due) for d in days], sum)
    chart = new_chart(tr("Cards due %1 ahead").replace("%1", per_unit(unit)), colors)
    labels = [day_label(day, unit) for day, _ in buckets]
    due = [value for _, value in buckets]
    overdue: list[int] = []
    if backlog:
        labels.insert(0, tr("Now"))
        due.insert(0, 0)
        overdue = [backlog] + [0] * len(buckets)
    series = QStackedBarSeries()
    if overdue:
        series.append(bar_set(tr("Overdue now"), overdue, colors.relearning))
    series.append(bar_set(tr("Due"), due, colors.new))
    series.setBarWidth(0.8)
    x = index_axis(labels, unit_title(unit))
    top = max(due + overdue, default=0)
    attach(chart, series, (x, BOTTOM), (value_axis(tr("Cards due"), top), LEFT))
    chart.legend().setVisible(bool(overdue))
    style_axes(chart, colors)
    week = sum(d.due for d in days[:7])
    explanation = tr("Review cards falling due: %1 over the next 7 days").replace("%1", f"{week:,}")
    if backlog:
        explanation += tr(", plus %1 overdue now.").replace("%1", f"{backlog:,}")
    else:
        explanation += tr("; nothing is overdue.")
    return ChartCard(chart, explanation, parent)


def _msecs(day: date) -> float:
    moment = QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0))
    return float(moment.toMSecsSinceEpoch())


def knowledge(
    days: Sequence[KnowledgeDay], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    chart = new_chart(tr("Estimated total knowledge over time"), colors)
    line = QLineSeries()
    line.setName(tr("Cards you would recall"))
    pen = QPen(colors.line)
    pen.setWidthF(2.5)
    line.setPen(pen)
    for day in days:
        line.append(_msecs(day.day), day.expected_recalled)
    x = QDateTimeAxis()
    x.setTitleText(tr("Date"))
    x.setFormat("d MMM yy" if len(days) > 400 else "d MMM")
    x.setTickCount(7)
    if days:
        first, last = _msecs(days[0].day), _msecs(days[-1].day)
        x.setRange(
            QDateTime.fromMSecsSinceEpoch(int(first)),
            QDateTime.fromMSecsSinceEpoch(int(max(last, first + 86_400_000))),
        )
    top = max((day.expected_recalled for day in days), default=0.0)
    attach(chart, line, (x, BOTTOM), (value_axis(tr("Cards (expected recall)"), top), LEFT))
    chart.legend().setVisible(False)
    style_axes(chart, colors)
    if days:
        now = days[-1].expected_recalled
        start = days[0].expected_recalled
        change = now - start
        explanation = (
            tr("If quizzed on every card, you would recall about %1 today (%2 this period).")
            .replace("%1", f"{now:,.0f}")
            .replace("%2", f"{change:+,.0f}")
        )
    else:
        explanation = tr("The sum of predicted recall over all studied cards, day by day.")
    return ChartCard(chart, explanation, parent)


def forgetting_curve(
    points: Sequence[CurvePoint], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    chart = new_chart(tr("Forgetting curve"), colors)
    line = QLineSeries()
    line.setName(tr("Predicted recall"))
    pen = QPen(colors.line)
    pen.setWidthF(2.5)
    line.setPen(pen)
    for point in points:
        line.append(point.days, point.recall * 100)
    last = max((point.days for point in points), default=30)
    x = QValueAxis()
    x.setTitleText(tr("Days from today"))
    x.setRange(min((p.days for p in points), default=0), max(last, 1))
    x.setLabelFormat("%d")
    x.applyNiceNumbers()
    attach(chart, line, (x, BOTTOM), (percent_axis(tr("Predicted recall")), LEFT))
    chart.legend().setVisible(False)
    style_axes(chart, colors)
    explanation = (
        tr("Your chance of recalling this card if it is not reviewed before that day.")
        if points
        else tr("The card has not been reviewed yet, so there is no curve.")
    )
    return ChartCard(chart, explanation, parent)
