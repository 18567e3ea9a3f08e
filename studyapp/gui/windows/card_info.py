"""Card info: a card's details, its review history and its forgetting curve.

Imports QtCharts, so callers import this module only when the dialog is first opened.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui.widgets.charts.base import ChartCard, ChartColors
from studyapp.gui.widgets.charts.future import forgetting_curve
from studyapp.services.statistics_values import CardInfo, ReviewEntry

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
HISTORY_HEADERS = ("When", "Kind", "Answer", "Interval", "Time", "Stability", "Difficulty")


def _number(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


class CardInfoDialog(QDialog):
    """Not modal; closes with Escape. `history` has one row per review, oldest first."""

    def __init__(self, info: CardInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setWindowTitle(self.tr("Card info"))
        self.setAccessibleName(self.tr("Card info"))
        self.setSizeGripEnabled(True)

        details = QFormLayout()
        details.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        added = QLocale().toString(
            QDate(info.added.year, info.added.month, info.added.day),
            QLocale.FormatType.ShortFormat,
        )
        retrievability = None if info.retrievability is None else info.retrievability * 100
        rows = (
            (self.tr("Card"), info.front),
            (self.tr("Deck"), info.deck),
            (self.tr("Note type"), info.note_type),
            (self.tr("State"), info.state),
            (self.tr("Added"), added),
            (self.tr("Due"), info.due),
            (self.tr("Interval"), self.tr("%1 days").replace("%1", str(info.interval_days))),
            (self.tr("Reviews"), str(info.reps)),
            (self.tr("Lapses"), str(info.lapses)),
            (self.tr("Stability"), _number(info.stability, 1, self.tr(" days"))),
            (self.tr("Difficulty"), _number(info.difficulty, 1, " / 10")),
            (self.tr("Recall now"), _number(retrievability, 0, "%")),
        )
        self.detail_labels: dict[str, QLabel] = {}
        for caption, value in rows:
            label = QLabel(value, self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(caption)
            details.addRow(caption + ":", label)
            self.detail_labels[caption] = label

        self.history = QTableWidget(len(info.reviews), len(HISTORY_HEADERS), self)
        self.history.setAccessibleName(self.tr("Review history"))
        self.history.setHorizontalHeaderLabels([self.tr(text) for text in HISTORY_HEADERS])
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setAlternatingRowColors(True)
        self.history.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.history.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, entry in enumerate(info.reviews):
            for column, text in enumerate(self.review_cells(entry)):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.history.setItem(row, column, item)
        self.history.setMinimumHeight(160)
        if not info.reviews:
            self.history.setToolTip(self.tr("This card has not been reviewed yet."))

        self.curve: ChartCard = forgetting_curve(
            info.forgetting_curve, ChartColors.from_palette(self.palette()), self
        )
        self.curve.setMinimumWidth(380)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addLayout(details, 1)
        top.addWidget(self.curve, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        heading = QLabel(self.tr("Review history"), self)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        layout.addWidget(self.history, 1)
        layout.addWidget(buttons)
        self.resize(880, 640)

    def review_cells(self, entry: ReviewEntry) -> list[str]:
        rating = "" if entry.rating is None else self.tr(RATING_NAMES.get(entry.rating, "?"))
        return [
            entry.when.replace("T", " ")[:16],
            entry.kind,
            rating,
            entry.interval,
            self.tr("%1 s").replace("%1", f"{entry.seconds:.0f}"),
            _number(entry.stability, 1, self.tr(" d")),
            _number(entry.difficulty, 1),
        ]

    @classmethod
    def show_info(cls, parent: QWidget | None, info: CardInfo) -> CardInfoDialog:
        dialog = cls(info, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog
