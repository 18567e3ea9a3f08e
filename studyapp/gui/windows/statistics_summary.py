"""The top of the statistics window: today in plain words, the streak and daily goal, the
verdict, what is due, and the true-retention table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui import time_text

if TYPE_CHECKING:
    from studyapp.services.statistics_values import RetentionRow, Statistics, Streak


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatisticsSummary", text)


def _counted(n: int, one: str, many: str) -> str:
    return (_tr(one) if n == 1 else _tr(many)).replace("%n", f"{n:,}")


def streak_sentence(streak: Streak) -> str:
    """ "Streak: 12 days in a row." plus the goal, e.g. "Daily goal of 50 reviews: met today." """
    days = _counted(streak.days, "%n day", "%n days")
    text = _tr("Streak: %1 in a row.").replace("%1", days) if streak.days else _tr("No streak yet.")
    if streak.goal > 0:
        goal = _counted(streak.goal, "%n review", "%n reviews")
        status = _tr("met today") if streak.goal_met_today else _tr("not met yet today")
        text += " " + _tr("Daily goal of %1: %2.").replace("%1", goal).replace("%2", status)
    return text


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def share(passed: int, failed: int) -> float | None:
    total = passed + failed
    return None if total == 0 else 100 * passed / total


PERIOD_NAMES = {
    "today": "Today",
    "yesterday": "Yesterday",
    "last_week": "Last week",
    "last_month": "Last month",
    "last_year": "Last year",
    "all_time": "All time",
}
RETENTION_HEADERS = (
    "Young passed",
    "Young failed",
    "Young retention",
    "Mature passed",
    "Mature failed",
    "Mature retention",
    "Total retention",
)


def retention_cells(row: RetentionRow) -> list[str]:
    """The table's cells for one period, as shown."""
    young = share(row.young_pass, row.young_fail)
    mature = share(row.mature_pass, row.mature_fail)
    total = share(row.young_pass + row.mature_pass, row.young_fail + row.mature_fail)
    return [
        f"{row.young_pass:,}",
        f"{row.young_fail:,}",
        percent(young),
        f"{row.mature_pass:,}",
        f"{row.mature_fail:,}",
        percent(mature),
        percent(total),
    ]


class RetentionTable(QTableWidget):
    """Young and mature pass/fail with retention % for today … all time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(RETENTION_HEADERS), parent)
        self.setObjectName("retentionTable")
        self.setAccessibleName(_tr("True retention"))
        self.setHorizontalHeaderLabels([_tr(text) for text in RETENTION_HEADERS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_rows(self, rows: tuple[RetentionRow, ...]) -> None:
        self.setRowCount(len(rows))
        self.setVerticalHeaderLabels([_tr(PERIOD_NAMES.get(r.period, r.period)) for r in rows])
        for number, row in enumerate(rows):
            for column, text in enumerate(retention_cells(row)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(number, column, item)
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height)

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return "" if item is None else item.text()


class SummaryBlock(QFrame):
    """The plain-language summary; goal_changed(int) when the user sets the daily goal."""

    goal_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.scope_label = self._label("scopeText", _tr("Scope"))
        self.verdict_label = self._label("verdictText", _tr("Verdict"))
        font = QFont(self.verdict_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.verdict_label.setFont(font)
        self.today_label = self._label("todayText", _tr("Today"))
        self.due_label = self._label("dueText", _tr("Due soon"))
        self.streak_label = self._label("streakText", _tr("Streak"))
        self.goal_spin = QSpinBox(self)
        self.goal_spin.setRange(0, 9999)
        self.goal_spin.setSingleStep(10)
        self.goal_spin.setSpecialValueText(_tr("no goal"))
        self.goal_spin.setSuffix(_tr(" reviews"))
        self.goal_spin.setAccessibleName(_tr("Daily goal in reviews"))
        self.goal_spin.setToolTip(_tr("How many reviews you aim to do each day (0: no goal)"))
        self.goal_spin.setKeyboardTracking(False)
        self.goal_spin.valueChanged.connect(self.goal_changed)
        goal_caption = QLabel(_tr("Daily goal:"), self)
        goal_caption.setBuddy(self.goal_spin)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        rows = (
            (_tr("Today"), self.today_label),
            (_tr("Coming up"), self.due_label),
            (_tr("Streak"), self.streak_label),
        )
        for number, (caption, label) in enumerate(rows):
            heading = QLabel(caption, self)
            heading.setObjectName("summaryCaption")
            bold = QFont(heading.font())
            bold.setBold(True)
            heading.setFont(bold)
            heading.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(heading, number, 0)
            grid.addWidget(label, number, 1, 1, 3)
        grid.addWidget(goal_caption, len(rows), 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.goal_spin, len(rows), 2, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.scope_label)
        layout.addWidget(self.verdict_label)
        layout.addSpacing(4)
        layout.addLayout(grid)

    def _label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_statistics(self, stats: Statistics, period_name: str) -> None:
        self.scope_label.setText(f"{stats.scope} · {period_name}")
        self.verdict_label.setText(stats.summary)
        today = stats.today
        if today.studied:
            text = (
                _tr("You studied %1 in %2; Again %3; %4 correct.")
                .replace("%1", _counted(today.studied, "%n card", "%n cards"))
                .replace("%2", time_text.duration(today.seconds))
                .replace("%3", _counted(today.again, "%n time", "%n times"))
                .replace("%4", percent(today.correct_pct))
            )
        else:
            text = _tr("You have not studied yet today.")
        self.today_label.setText(text)
        due = (
            _tr("%1 due tomorrow, %2 over the next 7 days.")
            .replace("%1", _counted(stats.due_tomorrow, "%n card", "%n cards"))
            .replace("%2", f"{stats.due_next_week:,}")
        )
        if stats.backlog:
            due += " " + _tr("%1 overdue now.").replace("%1", f"{stats.backlog:,}")
        self.due_label.setText(due)
        self.show_streak(stats.streak)

    def show_streak(self, streak: Streak) -> None:
        self.streak_label.setText(streak_sentence(streak))
        self.goal_spin.blockSignals(True)
        self.goal_spin.setValue(streak.goal)
        self.goal_spin.blockSignals(False)
