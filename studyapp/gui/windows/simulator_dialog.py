"""The workload simulator ("Help me decide"): reviews and minutes a day against desired retention.

Importing this module loads QtCharts: import it when the dialog is opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtCore import QCoreApplication, QPointF, Qt, Slot
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from studyapp.errors import StudyAppError
from studyapp.gui.viewmodels.planning import PlanningViewModel
from studyapp.gui.widgets.charts.base import (
    ChartCard,
    ChartColors,
    attach,
    new_chart,
    style_axes,
    value_axis,
)
from studyapp.services.workload import MAX_RETENTION, MIN_RETENTION

if TYPE_CHECKING:
    from studyapp.services.workload import WorkloadCurve


def _percent(retention: float) -> int:
    return round(retention * 100)


class SimulatorDialog(QDialog):
    """The chart, a slider to pick a retention with its cost, and Apply."""

    def __init__(self, curve: WorkloadCurve, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._curve = curve
        self.chosen: float | None = None
        self.setWindowTitle(self.tr("Workload simulator: %1").replace("%1", curve.deck_name))
        self.setMinimumSize(640, 520)
        colors = ChartColors.from_palette(self.palette())

        chart = new_chart(self.tr("Daily workload by desired retention"), colors)
        reviews = QLineSeries()
        reviews.setName(self.tr("Reviews per day"))
        reviews.setPen(QPen(colors.line, 2.5))
        minutes = QLineSeries()
        minutes.setName(self.tr("Minutes per day"))
        minutes.setPen(QPen(colors.time, 2.5, Qt.PenStyle.DashLine))
        for point in curve.points:
            reviews.append(QPointF(_percent(point.retention), point.reviews_per_day))
            minutes.append(QPointF(_percent(point.retention), point.minutes_per_day))
        self.current_marker = QScatterSeries()
        self.current_marker.setName(
            self.tr("Current: %1%").replace("%1", str(_percent(curve.current_retention)))
        )
        self.current_marker.setColor(colors.learning)
        self.current_marker.setMarkerSize(12)
        self.picked_marker = QScatterSeries()
        self.picked_marker.setName(self.tr("Picked"))
        self.picked_marker.setColor(colors.good)
        self.picked_marker.setMarkerSize(10)

        x_axis = value_axis(self.tr("Desired retention (%)"), 100)
        x_axis.setRange(_percent(MIN_RETENTION), 100)
        x_axis.setTickCount(7)
        x_axis.setLabelFormat("%d%%")
        most_reviews = max((p.reviews_per_day for p in curve.points), default=0.0)
        most_minutes = max((p.minutes_per_day for p in curve.points), default=0.0)
        left = value_axis(self.tr("Reviews per day"), most_reviews)
        right = value_axis(self.tr("Minutes per day"), most_minutes)
        bottom, side = Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft
        attach(chart, reviews, (x_axis, bottom), (left, side))
        attach(chart, minutes, (x_axis, bottom), (right, Qt.AlignmentFlag.AlignRight))
        attach(chart, self.current_marker, (x_axis, bottom), (left, side))
        attach(chart, self.picked_marker, (x_axis, bottom), (left, side))
        style_axes(chart, colors)
        self.chart = chart
        explanation = self.tr(
            "Average over the next %1 days for this deck's %2 studied and %3 new cards "
            "(%4 new a day): a higher retention means you forget less but review more."
        )
        for number, value in enumerate(
            (curve.days, curve.learned_cards, curve.new_cards, curve.new_per_day), start=1
        ):
            explanation = explanation.replace(f"%{number}", str(value))
        self.card = ChartCard(chart, explanation, self)

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(_percent(MIN_RETENTION), _percent(MAX_RETENTION))
        self.slider.setValue(_percent(curve.current_retention))
        self.slider.setAccessibleName(self.tr("Desired retention"))
        self.slider.setPageStep(5)
        self.picked = QLabel(self)
        self.picked.setMinimumWidth(280)
        self.slider.valueChanged.connect(self._on_picked)
        pick_row = QHBoxLayout()
        label = QLabel(self.tr("&Retention:"), self)
        label.setBuddy(self.slider)
        pick_row.addWidget(label)
        pick_row.addWidget(self.slider, 1)
        pick_row.addWidget(self.picked)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = QPushButton(self.tr("&Apply to preset “%1”"), self)
        self.apply_button.setText(self.apply_button.text().replace("%1", curve.preset_name))
        self.apply_button.setToolTip(self.tr("Use the picked retention for every deck using it"))
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.card, 1)
        layout.addLayout(pick_row)
        layout.addWidget(self.buttons)
        self._mark_current()
        self._on_picked(self.slider.value())
        self.slider.setFocus()

    def _point(self, percent: int) -> tuple[float, float]:
        for point in self._curve.points:
            if _percent(point.retention) == percent:
                return point.reviews_per_day, point.minutes_per_day
        return 0.0, 0.0

    def _mark_current(self) -> None:
        percent = _percent(self._curve.current_retention)
        self.current_marker.append(QPointF(percent, self._point(percent)[0]))

    @Slot(int)
    def _on_picked(self, percent: int) -> None:
        reviews, minutes = self._point(percent)
        self.picked.setText(
            self.tr("%1%: about %2 reviews and %3 minutes a day")
            .replace("%1", str(percent))
            .replace("%2", f"{reviews:.0f}")
            .replace("%3", f"{minutes:.1f}" if minutes < 10 else f"{minutes:.0f}")
        )
        self.picked_marker.replace([QPointF(percent, reviews)])
        self.apply_button.setEnabled(percent != _percent(self._curve.current_retention))

    @property
    def picked_retention(self) -> float:
        return self.slider.value() / 100

    @classmethod
    def ask(
        cls, parent: QWidget | None, view_model: PlanningViewModel, deck_id: int
    ) -> float | None:
        """Show the simulator for `deck_id`; the retention the user applied, or None.

        The chosen retention is stored in the deck's preset before this returns.
        """
        try:
            curve = view_model.workload(deck_id)
        except StudyAppError as error:
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("SimulatorDialog", "Workload simulator"),
                str(error),
            )
            return None
        dialog = cls(curve, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        retention = dialog.picked_retention
        try:
            view_model.apply_retention(deck_id, retention)
        except StudyAppError as error:
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("SimulatorDialog", "Workload simulator"),
                str(error),
            )
            return None
        return retention
