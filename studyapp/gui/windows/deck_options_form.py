"""The option sections of the deck options dialog, and their live checks.

`DeckOptionsForm` builds the group boxes that edit a preset's options (daily limits, learning
steps, display order, memory and intervals, leeches, siblings and answers) and checks them as
they are edited; `DeckOptionsDialog` adds the preset row, the exam panel and saving.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from studyapp.domain.decks import LeechAction, NewCardOrder, ReviewOrder
from studyapp.domain.steps import parse_steps
from studyapp.gui.viewmodels.deck_options import DeckOptionsViewModel
from studyapp.services.presets import HIGH_RETENTION, MAX_RETENTION, MIN_RETENTION


def spin_box(parent: QWidget, low: int, high: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    return spin


class DeckOptionsForm(QDialog):
    """The preset option sections; the dialog sets `_vm`, `_deck_id` and `buttons`."""

    _vm: DeckOptionsViewModel
    _deck_id: int
    buttons: QDialogButtonBox

    # Building.

    def _box(self, parent: QWidget, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title, parent)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        return box, form

    def _row(self, form: QFormLayout, text: str, field: QWidget, name: str, tip: str) -> None:
        label = QLabel(text, form.parentWidget())
        label.setBuddy(field)
        field.setAccessibleName(name)
        field.setToolTip(tip)
        form.addRow(label, field)

    def _limits_box(self, parent: QWidget) -> QGroupBox:
        box, form = self._box(parent, self.tr("Daily limits"))
        self.new_per_day = spin_box(box, 0, 9999)
        self.reviews_per_day = spin_box(box, 0, 99999)
        self._row(
            form,
            self.tr("&New cards a day:"),
            self.new_per_day,
            self.tr("New cards a day"),
            self.tr("New cards introduced each study day, subdecks included."),
        )
        self._row(
            form,
            self.tr("Re&views a day:"),
            self.reviews_per_day,
            self.tr("Reviews a day"),
            self.tr("Review cards shown each study day at most."),
        )
        return box

    def _steps_box(self, parent: QWidget) -> QGroupBox:
        box, form = self._box(parent, self.tr("Learning steps"))
        self.learning_steps = QLineEdit(box)
        self.relearning_steps = QLineEdit(box)
        self.learning_steps.setPlaceholderText("1m 10m")
        self.relearning_steps.setPlaceholderText("10m")
        tip = self.tr("Delays such as 1m 10m 1h (s, m, h or d); leave empty for none.")
        self._row(
            form, self.tr("&Learning steps:"), self.learning_steps, self.tr("Learning steps"), tip
        )
        self._row(
            form,
            self.tr("Rel&earning steps:"),
            self.relearning_steps,
            self.tr("Relearning steps"),
            tip,
        )
        self.steps_error = QLabel(box)
        self.steps_error.setObjectName("error")
        self.steps_error.setWordWrap(True)
        self.steps_error.setStyleSheet("color: #c0392b;")
        self.steps_error.hide()
        form.addRow(self.steps_error)
        self.learning_steps.textChanged.connect(self._check_steps)
        self.relearning_steps.textChanged.connect(self._check_steps)
        return box

    def _order_box(self, parent: QWidget) -> QGroupBox:
        box, form = self._box(parent, self.tr("Display order"))
        self.new_order = QComboBox(box)
        self.new_order.addItem(self.tr("In the order added"), NewCardOrder.ADDED)
        self.new_order.addItem(self.tr("Random"), NewCardOrder.RANDOM)
        self.review_order = QComboBox(box)
        self.review_order.addItem(self.tr("Due date"), ReviewOrder.DUE)
        self.review_order.addItem(self.tr("Lowest recall first"), ReviewOrder.RETRIEVABILITY)
        self.review_order.addItem(self.tr("Most overdue (relative)"), ReviewOrder.OVERDUENESS)
        self._row(
            form,
            self.tr("New card &order:"),
            self.new_order,
            self.tr("New card order"),
            self.tr("Random is a fixed shuffle: the order stays put between sessions."),
        )
        self._row(
            form,
            self.tr("Review &sort order:"),
            self.review_order,
            self.tr("Review sort order"),
            self.tr("Lowest recall first shows the most forgotten cards first."),
        )
        return box

    def _memory_box(self, parent: QWidget) -> QGroupBox:
        box, form = self._box(parent, self.tr("Memory and intervals"))
        self.retention = QDoubleSpinBox(box)
        self.retention.setRange(MIN_RETENTION, MAX_RETENTION)
        self.retention.setSingleStep(0.01)
        self.retention.setDecimals(2)
        self.retention.valueChanged.connect(self._retention_changed)
        self.help_decide = QPushButton(self.tr("Help me decide…"), box)
        self.help_decide.setToolTip(self.tr("See what each retention costs in reviews a day"))
        self.help_decide.clicked.connect(self.help_me_decide)
        self.help_decide.setEnabled(self._vm.planning is not None)
        retention_row = QWidget(box)
        row = QHBoxLayout(retention_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.retention, 1)
        row.addWidget(self.help_decide)
        self._row(
            form,
            self.tr("&Desired retention:"),
            retention_row,
            self.tr("Desired retention"),
            self.tr("The chance of recalling a card when it comes up for review."),
        )
        self.retention.setAccessibleName(self.tr("Desired retention"))
        self.retention_warning = QLabel(
            self.tr("Above 0.97 the number of reviews grows steeply for little gain."), box
        )
        self.retention_warning.setWordWrap(True)
        self.retention_warning.setStyleSheet("color: #b9770e;")
        form.addRow(self.retention_warning)
        self.maximum_interval = spin_box(box, 1, 36500, self.tr(" days"))
        self._row(
            form,
            self.tr("&Maximum interval:"),
            self.maximum_interval,
            self.tr("Maximum interval"),
            self.tr("No review is scheduled further ahead than this."),
        )
        self.reschedule = QCheckBox(self.tr("Re&schedule cards on change"), box)
        self.reschedule.setToolTip(
            self.tr("When desired retention changes, move review cards' due dates to match.")
        )
        form.addRow(self.reschedule)
        easy = QWidget(box)
        days = QHBoxLayout(easy)
        days.setContentsMargins(0, 0, 0, 0)
        self.easy_days: list[QCheckBox] = []
        for name in (
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        ):
            check = QCheckBox(name, easy)
            check.setAccessibleName(self.tr("Easy day: %1").replace("%1", name))
            days.addWidget(check)
            self.easy_days.append(check)
        days.addStretch(1)
        easy_label = QLabel(self.tr("Easy days:"), box)
        easy_label.setToolTip(self.tr("Marked days get about half the usual reviews."))
        form.addRow(easy_label, easy)
        return box

    def _leech_box(self, parent: QWidget) -> QGroupBox:
        box, form = self._box(parent, self.tr("Leeches"))
        self.leech_threshold = spin_box(box, 0, 99, self.tr(" lapses"))
        self.leech_threshold.setSpecialValueText(self.tr("Off"))
        self.leech_action = QComboBox(box)
        self.leech_action.addItem(self.tr("Tag only"), LeechAction.TAG)
        self.leech_action.addItem(self.tr("Suspend card"), LeechAction.SUSPEND)
        self._row(
            form,
            self.tr("Leech &threshold:"),
            self.leech_threshold,
            self.tr("Leech threshold"),
            self.tr("Forgotten this many times, a card is a leech (tagged “leech”)."),
        )
        self._row(
            form,
            self.tr("Leech &action:"),
            self.leech_action,
            self.tr("Leech action"),
            self.tr("Suspend takes a leech out of study until you fix it."),
        )
        return box

    def _answers_box(self, parent: QWidget) -> QGroupBox:
        box, form = self._box(parent, self.tr("Siblings and answers"))
        self.bury_new = QCheckBox(self.tr("Bury &new siblings until tomorrow"), box)
        self.bury_review = QCheckBox(self.tr("Bury re&view siblings until tomorrow"), box)
        self.pass_fail = QCheckBox(self.tr("Pass/&fail grading: Again and Good only"), box)
        self.pass_fail.setToolTip(self.tr("Two answer buttons: Again (1) fails, Good (3) passes."))
        for check in (self.bury_new, self.bury_review, self.pass_fail):
            form.addRow(check)
        return box

    # Live checks.

    @Slot()
    def _check_steps(self) -> None:
        problems = []
        for label, field in (
            (self.tr("Learning steps"), self.learning_steps),
            (self.tr("Relearning steps"), self.relearning_steps),
        ):
            try:
                parse_steps(field.text())
            except ValueError as error:
                problems.append(f"{label}: {error}.")
        self.steps_error.setText(" ".join(problems))
        self.steps_error.setVisible(bool(problems))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)

    @Slot(float)
    def _retention_changed(self, value: float) -> None:
        self.retention_warning.setVisible(round(value, 2) > HIGH_RETENTION)

    @Slot()
    def help_me_decide(self) -> None:
        planning = self._vm.planning
        if planning is None:
            return
        from studyapp.gui.windows.simulator_dialog import SimulatorDialog  # loads QtCharts

        retention = SimulatorDialog.ask(self, planning, self._deck_id)
        if retention is not None:
            self.retention.setValue(retention)
