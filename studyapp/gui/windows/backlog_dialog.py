"""Spread backlog…: after days away, choose over how many days to spread the due reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.backlog import MAX_SPREAD_DAYS
from studyapp.gui.viewmodels.planning import PlanningViewModel

if TYPE_CHECKING:
    from studyapp.services.backlog import Backlog, SpreadSummary


class BacklogDialog(QDialog):
    """The backlog, a number of days, and what that gives: cards a day and the clear date."""

    def __init__(
        self, view_model: PlanningViewModel, backlog: Backlog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._view_model = view_model
        self._backlog = backlog
        self.setWindowTitle(self.tr("Spread backlog: %1").replace("%1", backlog.deck_name))
        self.setMinimumWidth(460)
        intro = QLabel(
            self.tr(
                "%1 reviews are due in this deck, more than its limit of %2 a day. Spread them "
                "over a few days, the ones you are closest to forgetting first, instead of facing "
                "them all at once."
            )
            .replace("%1", str(backlog.due_reviews))
            .replace("%2", str(backlog.review_limit)),
            self,
        )
        intro.setWordWrap(True)
        self.days = QSpinBox(self)
        self.days.setRange(1, MAX_SPREAD_DAYS)
        self.days.setValue(backlog.suggested_days)
        self.days.setSuffix(self.tr(" days"))
        self.days.setAccessibleName(self.tr("Days to spread over"))
        self.plan = QLabel(self)
        self.plan.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Spread &over:"), self.days)
        self.buttons = QDialogButtonBox(self)
        self.spread_button = self.buttons.addButton(
            self.tr("&Spread"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("&Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        self.spread_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.plan)
        layout.addWidget(self.buttons)
        self.days.valueChanged.connect(self._show_plan)
        self._show_plan(self.days.value())

    @Slot(int)
    def _show_plan(self, days: int) -> None:
        summary = self._view_model.preview_spread(self._backlog.deck_id, days)
        self.plan.setText(self.describe(summary))

    def describe(self, summary: SpreadSummary) -> str:
        cleared = QLocale().toString(
            QDate(summary.clear_date.year, summary.clear_date.month, summary.clear_date.day),
            QLocale.FormatType.LongFormat,
        )
        return (
            self.tr(
                "At most %1 of them a day, plus the cards that fall due as usual. "
                "The backlog will be cleared by %2."
            )
            .replace("%1", str(summary.daily_cap))
            .replace("%2", cleared)
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, view_model: PlanningViewModel, backlog: Backlog
    ) -> int | None:
        """The number of days the user chose, or None for Not now."""
        dialog = cls(view_model, backlog, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.days.value()
