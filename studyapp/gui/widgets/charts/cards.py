"""Charts of the cards as they stand: counts by state, intervals, and the memory model's
difficulty, stability and retrievability."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QHorizontalStackedBarSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from studyapp.gui.widgets.charts.base import (
    ChartCard,
    ChartColors,
    attach,
    bar_set,
    index_axis,
    new_chart,
    style_axes,
    tr,
    value_axis,
)
from studyapp.services.statistics_values import CardCounts, HistogramBin, IntervalBucket

BOTTOM = Qt.AlignmentFlag.AlignBottom
LEFT = Qt.AlignmentFlag.AlignLeft
DASH = "\u2013"
"""Between the ends of a range (an en dash)."""


def card_counts(
    counts: CardCounts, colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    chart = new_chart(tr("Cards by state"), colors)
    states: list[tuple[str, int, QColor]] = [
        (tr("New"), counts.new, colors.new),
        (tr("Learning"), counts.learning, colors.learning),
        (tr("Relearning"), counts.relearning, colors.relearning),
        (tr("Young"), counts.young, colors.young),
        (tr("Mature"), counts.mature, colors.mature),
        (tr("Suspended"), counts.suspended, colors.suspended),
        (tr("Buried"), counts.buried, colors.buried),
    ]
    states.reverse()  # horizontal bars are drawn bottom-up: New on top
    series = QHorizontalStackedBarSeries()
    for row, (name, value, color) in enumerate(states):
        series.append(bar_set(name, (value if i == row else 0 for i in range(len(states))), color))
    series.setBarWidth(0.7)
    y = QBarCategoryAxis()
    y.setTitleText(tr("State"))
    y.append([f"{name} ({value:,})" for name, value, _ in states])
    top = max((value for _, value, _ in states), default=0)
    attach(chart, series, (value_axis(tr("Cards"), top), BOTTOM), (y, LEFT))
    chart.legend().setVisible(False)
    style_axes(chart, colors)
    total = sum(value for _, value, _ in states)
    explanation = tr("%1 cards in all; mature cards have an interval of 21 days or more.").replace(
        "%1", f"{total:,}"
    )
    return ChartCard(chart, explanation, parent)


def _interval_label(days: int) -> str:
    if days < 30:
        return tr("%1 d").replace("%1", str(days))
    if days < 365:
        return tr("%1 mo").replace("%1", f"{days / 30:.0f}")
    return tr("%1 y").replace("%1", f"{days / 365:.1f}".rstrip("0").rstrip("."))


def intervals(
    buckets: Sequence[IntervalBucket], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    chart = new_chart(tr("Review intervals"), colors)
    values = [bucket.cards for bucket in buckets]
    series = QBarSeries()
    series.append(bar_set(tr("Cards"), values, colors.mature))
    series.setBarWidth(0.85)
    x = index_axis([_interval_label(b.days) for b in buckets], tr("Interval (d = days)"))
    attach(chart, series, (x, BOTTOM), (value_axis(tr("Cards"), max(values, default=0)), LEFT))
    chart.legend().setVisible(False)
    style_axes(chart, colors)
    total = sum(values)
    weighted = sum(b.days * b.cards for b in buckets)
    explanation = (
        tr(
            "Days until each review card is due again after its last review; average %1 days."
        ).replace("%1", f"{weighted / total:.0f}")
        if total
        else tr("Days until each review card is due again after its last review.")
    )
    return ChartCard(chart, explanation, parent)


def _histogram(
    title: str,
    axis_title: str,
    bins: Sequence[HistogramBin],
    label: Callable[[HistogramBin], str],
    color: QColor,
    explanation: str,
    colors: ChartColors,
    parent: QWidget | None,
) -> ChartCard:
    chart = new_chart(title, colors)
    values = [b.cards for b in bins]
    series = QBarSeries()
    series.append(bar_set(tr("Cards"), values, color))
    series.setBarWidth(0.85)
    labels = [label(b) for b in bins]
    if bins and bins[-1].upper >= 10 * max(bins[-1].lower, 1):  # an open-ended last bin
        labels[-1] = f"{_number(bins[-1].lower)}+"
    x = index_axis(labels, axis_title, max_labels=6)
    attach(chart, series, (x, BOTTOM), (value_axis(tr("Cards"), max(values, default=0)), LEFT))
    chart.legend().setVisible(False)
    style_axes(chart, colors)
    return ChartCard(chart, explanation, parent)


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def difficulty(
    bins: Sequence[HistogramBin], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    return _histogram(
        tr("Card difficulty"),
        tr("Difficulty (1 = easiest, 10 = hardest)"),
        bins,
        lambda b: f"{_number(b.lower)}{DASH}{_number(b.upper)}",
        colors.relearning,
        tr("How hard the memory model finds each reviewed card; hard cards come back sooner."),
        colors,
        parent,
    )


def stability(
    bins: Sequence[HistogramBin], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    return _histogram(
        tr("Memory stability"),
        tr("Stability (days)"),
        bins,
        lambda b: f"{_number(b.lower)}{DASH}{_number(b.upper)}",
        colors.line,
        tr("Days until recall of a card drops to 90%; it grows with every successful review."),
        colors,
        parent,
    )


def retrievability(
    bins: Sequence[HistogramBin], colors: ChartColors, parent: QWidget | None = None
) -> ChartCard:
    return _histogram(
        tr("Retrievability today"),
        tr("Predicted chance of recall today (%)"),
        bins,
        lambda b: f"{b.lower * 100:.0f}{DASH}{b.upper * 100:.0f}",
        colors.good,
        tr("How likely you are to recall each reviewed card if asked now."),
        colors,
        parent,
    )
