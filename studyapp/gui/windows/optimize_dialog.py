"""Tools ▸ Optimize scheduler…: fit FSRS parameters to the user's reviews; say what happened."""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.fit_checks import Evaluation
from studyapp.gui.tasks import Task, expected_message
from studyapp.gui.viewmodels.planning import PlanningViewModel
from studyapp.services.optimizer import Decision

if TYPE_CHECKING:
    from studyapp.services.optimizer import OptimizeResult, PresetFit


def _figure(evaluation: Evaluation, percent: bool) -> str:
    value = evaluation.rmse_bins if percent else evaluation.log_loss
    if math.isnan(value):
        return "n/a"
    return f"{value:.1%}" if percent else f"{value:.3f}"


class OptimizeDialog(QDialog):
    """Choose a preset (or all), run, watch the progress, read the figures and the decision."""

    def __init__(self, view_model: PlanningViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view_model = view_model
        self._task: Task[OptimizeResult] | None = None
        self.result_value: OptimizeResult | None = None
        self.setWindowTitle(self.tr("Optimize scheduler"))
        self.setMinimumWidth(560)

        intro = QLabel(
            self.tr(
                "Fits the scheduler's 21 memory parameters to your own review history, and keeps "
                "them only if they predict your later reviews better than the current ones. "
                "It needs at least a few hundred reviews."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.preset_box = QComboBox(self)
        self.preset_box.setAccessibleName(self.tr("Preset to optimize"))
        self.preset_box.addItem(self.tr("All presets"), None)
        for choice in view_model.presets():
            decks = (self.tr("%1 deck") if choice.decks == 1 else self.tr("%1 decks")).replace(
                "%1", str(choice.decks)
            )
            self.preset_box.addItem(f"{choice.name} ({decks})", choice.preset_id)
        form = QFormLayout()
        form.addRow(self.tr("&Preset:"), self.preset_box)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(self.tr("Progress"))
        self.bar.setVisible(False)
        self.report = QTextBrowser(self)
        self.report.setAccessibleName(self.tr("Results"))
        self.report.setVisible(False)
        self.report.setMinimumHeight(220)

        self.buttons = QDialogButtonBox(self)
        self.run_button = QPushButton(self.tr("&Optimize"), self)
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setToolTip(self.tr("Stop; no parameters will be changed"))
        self.cancel_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, view_model: PlanningViewModel) -> OptimizeResult | None:
        """Show the dialog; the result of the last run, or None if none finished."""
        dialog = cls(view_model, parent)
        dialog.exec()
        return dialog.result_value

    @Slot()
    def run(self) -> None:
        task = self._view_model.optimize(self.preset_box.currentData())
        self._task = task
        task.progressed.connect(self._on_progress)
        task.succeeded.connect(self._on_done)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        task.ended.connect(self._on_ended)
        self.run_button.setEnabled(False)
        self.preset_box.setEnabled(False)
        self.close_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.report.setVisible(False)
        self.status.setText(self.tr("Reading your reviews and fitting…"))
        task.start()

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Stopping…"))

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)

    @Slot(object)
    def _on_done(self, result: OptimizeResult) -> None:
        self.result_value = result
        changed = result.changed
        self.status.setText(
            self.tr("Done: new parameters for %1 of %2 presets.")
            .replace("%1", str(changed))
            .replace("%2", str(len(result.fits)))
            if changed
            else self.tr("Done: no parameters were changed.")
        )
        self.report.setHtml(self._report_html(result))
        self.report.setVisible(True)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self.status.setText(expected_message(error))

    @Slot()
    def _on_cancelled(self) -> None:
        self.status.setText(self.tr("Cancelled: no parameters were changed."))

    @Slot()
    def _on_ended(self) -> None:
        self._task = None
        self.bar.setVisible(False)
        self.run_button.setEnabled(True)
        self.preset_box.setEnabled(True)
        self.close_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _report_html(self, result: OptimizeResult) -> str:
        return "".join(self._fit_html(fit) for fit in result.fits)

    def _fit_html(self, fit: PresetFit) -> str:
        headline = {
            Decision.KEPT_NEW: self.tr("New parameters kept"),
            Decision.KEPT_CURRENT: self.tr("Current parameters kept"),
            Decision.TOO_FEW_REVIEWS: self.tr("Not enough reviews yet"),
        }[fit.decision]
        parts = [
            f"<h3>{escape(fit.preset_name)}: {escape(headline)}</h3>",
            f"<p>{escape(fit.message)}</p>",
        ]
        if fit.current is not None and fit.fitted is not None:
            checked = self.tr("Checked on %1 later reviews the fit did not see.")
            parts.append(
                "<table cellspacing='0' cellpadding='4'>"
                f"<tr><th align='left'></th><th align='right'>{self.tr('Current')}</th>"
                f"<th align='right'>{self.tr('Fitted')}</th></tr>"
                f"<tr><td>{self.tr('Log loss (lower is better)')}</td>"
                f"<td align='right'>{_figure(fit.current, False)}</td>"
                f"<td align='right'>{_figure(fit.fitted, False)}</td></tr>"
                f"<tr><td>{self.tr('RMSE (bins, lower is better)')}</td>"
                f"<td align='right'>{_figure(fit.current, True)}</td>"
                f"<td align='right'>{_figure(fit.fitted, True)}</td></tr>"
                "</table>"
                f"<p>{checked.replace('%1', str(fit.current.count))}</p>"
            )
        return "".join(parts)

    def reject(self) -> None:
        if self._task is not None:  # never close under a running fit
            self.cancel()
            return
        super().reject()
