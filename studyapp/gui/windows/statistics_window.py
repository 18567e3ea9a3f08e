"""View ▸ Statistics: scope and period, the summary, the retention table and every chart.

QtCharts is imported with this module, which the main window imports only when the window is
first opened, so start-up stays fast.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QStandardPaths, Qt, Slot
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studyapp.errors import StudyAppError
from studyapp.gui.viewmodels.statistics import StatisticsViewModel
from studyapp.gui.widgets.charts import activity, cards, future, heatmap
from studyapp.gui.widgets.charts.base import ChartCard, ChartColors
from studyapp.gui.windows.statistics_export import StatisticsExportChooser, save_pdf, save_png
from studyapp.gui.windows.statistics_summary import RetentionTable, SummaryBlock
from studyapp.services.statistics_period import Period
from studyapp.services.statistics_values import Statistics, Streak


class StatisticsWindow(QDialog):
    """A window of its own (not modal); loads on a worker thread with a busy bar."""

    def __init__(
        self,
        view_model: StatisticsViewModel,
        deck_id: int | None,
        deck_name: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._deck_id = deck_id
        self.charts: list[ChartCard] = []
        self.setWindowTitle(self.tr("Statistics"))
        self.setAccessibleName(self.tr("Statistics"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.setSizeGripEnabled(True)

        self.scope_combo = QComboBox(self)
        self.scope_combo.setAccessibleName(self.tr("Scope"))
        if deck_id is not None and deck_name is not None:
            self.scope_combo.addItem(
                self.tr("%1 (with subdecks)").replace("%1", deck_name), deck_id
            )
        self.scope_combo.addItem(self.tr("Whole collection"), None)
        self.period_combo = QComboBox(self)
        self.period_combo.setAccessibleName(self.tr("Period"))
        for period, name in self.period_names().items():
            self.period_combo.addItem(name, period.value)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.setAccessibleName(self.tr("Loading statistics"))
        self.busy_bar.setFormat(self.tr("Loading…"))
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setVisible(False)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setToolTip(self.tr("Save this screen as a PDF document or PNG image"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.choose_and_export)

        top = QHBoxLayout()
        for caption, combo in (
            (self.tr("&Show:"), self.scope_combo),
            (self.tr("&Period:"), self.period_combo),
        ):
            label = QLabel(caption, self)
            label.setBuddy(combo)
            top.addWidget(label)
            top.addWidget(combo)
            top.addSpacing(8)
        top.addStretch(1)
        top.addWidget(self.busy_bar)
        top.addWidget(self.export_button)

        self.content = QWidget()
        self.content.setObjectName("statisticsContent")
        self.content.setAutoFillBackground(True)
        self.summary = SummaryBlock(self.content)
        self.retention = RetentionTable(self.content)
        self.placeholder = QLabel(self.tr("Loading statistics…"), self.content)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._column = QVBoxLayout(self.content)
        self._column.setContentsMargins(12, 12, 12, 12)
        self._column.setSpacing(12)
        self._column.addWidget(self.placeholder)
        self._column.addStretch(1)
        self.summary.setVisible(False)
        self.retention.setVisible(False)
        self._rows: list[QWidget] = []
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)

        self.summary.goal_changed.connect(view_model.set_daily_goal)
        view_model.loaded.connect(self._on_loaded)
        view_model.loading_changed.connect(self._on_loading_changed)
        view_model.streak_changed.connect(self._on_streak_changed)
        view_model.error.connect(self._on_error)
        self.scope_combo.currentIndexChanged.connect(self.reload)
        self.period_combo.currentIndexChanged.connect(self.reload)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        self.resize(1120, 860)

    def period_names(self) -> dict[Period, str]:
        return {
            Period.MONTH: self.tr("1 month"),
            Period.QUARTER: self.tr("3 months"),
            Period.YEAR: self.tr("1 year"),
            Period.ALL: self.tr("All time"),
        }

    # Commands.

    @property
    def period(self) -> Period:
        return Period(self.period_combo.currentData())

    @property
    def scope_deck(self) -> int | None:
        value = self.scope_combo.currentData()
        return value if isinstance(value, int) else None

    def set_scope(self, deck_id: int | None) -> None:
        index = self.scope_combo.findData(deck_id)
        if index >= 0:
            self.scope_combo.setCurrentIndex(index)

    def set_period(self, period: Period) -> None:
        self.period_combo.setCurrentIndex(self.period_combo.findData(period.value))

    @Slot()
    def reload(self) -> None:
        self._vm.load(self.scope_deck, self.period)

    @Slot()
    def choose_and_export(self) -> None:
        name = "statistics.pdf"
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        target = StatisticsExportChooser.ask(self, Path(folder or Path.home()) / name)
        if target is not None:
            try:
                self.export_to(target)
            except StudyAppError as error:
                self._on_error(str(error))

    def export_to(self, path: Path) -> None:
        """Save the whole screen as PDF (".pdf") or else PNG."""
        if path.suffix.lower() == ".pdf":
            blocks = [self.summary, self.retention, *self._rows]
            save_pdf(self.content, blocks, path, self.windowTitle())
        else:
            save_png(self.content, path)

    # Showing the figures.

    @Slot(bool)
    def _on_loading_changed(self, loading: bool) -> None:
        self.busy_bar.setVisible(loading)
        self.export_button.setEnabled(not loading and self._vm.statistics is not None)

    @Slot(object)
    def _on_loaded(self, stats: Statistics) -> None:
        self.placeholder.setVisible(False)
        self.summary.setVisible(True)
        self.retention.setVisible(True)
        self.summary.show_statistics(stats, self.period_names()[stats.period])
        self.retention.show_rows(stats.true_retention)
        self._show_charts(stats)
        self.setWindowTitle(self.tr("Statistics: %1").replace("%1", stats.scope))

    def _show_charts(self, stats: Statistics) -> None:
        for row in self._rows:
            self._column.removeWidget(row)
            row.deleteLater()
        self._rows.clear()
        self.charts.clear()
        colors = ChartColors.from_palette(self.palette())
        days = [entry.day for entry in stats.reviews_per_day]
        # Remove the trailing stretch, add the rows, put the stretch back.
        self._column.takeAt(self._column.count() - 1)
        if not any(row is self.summary for row in self._content_widgets()):
            self._column.addWidget(self.summary)
            self._column.addWidget(self._section_title(self.tr("True retention")))
            self._column.addWidget(self.retention)
            note = QLabel(
                self.tr(
                    "Share of due cards you recalled, counting only the first review of a card "
                    "each day; Again is a fail. Mature cards have an interval of 21 days or more."
                ),
                self.content,
            )
            note.setObjectName("chartExplanation")
            note.setWordWrap(True)
            self._column.addWidget(note)
        layout = [
            [heatmap.calendar([(d.day, d.total) for d in stats.reviews_per_day], colors)],
            [future.knowledge(stats.knowledge, colors)],
            [
                activity.reviews_per_day(stats.reviews_per_day, colors),
                future.forecast(stats.forecast, stats.backlog, colors),
            ],
            [
                cards.card_counts(stats.card_counts, colors),
                cards.intervals(stats.intervals, colors),
            ],
            [cards.difficulty(stats.difficulty, colors), cards.stability(stats.stability, colors)],
            [
                cards.retrievability(stats.retrievability, colors),
                activity.reviews_by_hour(stats.hourly, colors),
            ],
            [
                activity.answer_buttons(stats.buttons, colors),
                activity.cards_added(days, stats.added, colors),
            ],
        ]
        for charts in layout:
            row = QWidget(self.content)
            grid = QGridLayout(row)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setHorizontalSpacing(12)
            for column, chart in enumerate(charts):
                chart.setParent(row)
                grid.addWidget(chart, 0, column)
                grid.setColumnStretch(column, 1)
                self.charts.append(chart)
            self._column.addWidget(row)
            self._rows.append(row)
        self._column.addStretch(1)

    def _content_widgets(self) -> list[QWidget]:
        widgets: list[QWidget] = []
        for index in range(self._column.count()):
            item = self._column.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widgets.append(widget)
        return widgets

    def _section_title(self, text: str) -> QLabel:
        label = QLabel(text, self.content)
        label.setObjectName("sectionTitle")
        font = QFont(label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        label.setFont(font)
        return label

    @Slot(object)
    def _on_streak_changed(self, streak: Streak) -> None:
        self.summary.show_streak(streak)

    @Slot(str)
    def _on_error(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Statistics"), message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # Qt events.

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        stats = self._vm.statistics
        if event.type() == QEvent.Type.PaletteChange and stats is not None and self._rows:
            self._show_charts(stats)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._vm.shutdown()
        super().closeEvent(event)
