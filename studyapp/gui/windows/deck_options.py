"""The deck options dialog: the deck's preset and every option in it, and the deck's exam.

Opened from the deck list (context menu "Options…" or the gear button).  Switching presets keeps
the edits made to each; OK stores the chosen preset's options (and any other preset's edits), makes
the deck use it and sets the exam, as one action that Edit ▸ Undo takes back.  Adding, cloning,
renaming and deleting presets take effect at once.  The exam panel is projected on a
worker thread a moment after the last edit; it says "Projecting…" meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.decks import ExamPlan, LeechAction, NewCardOrder, Preset, ReviewOrder
from studyapp.domain.steps import format_steps, parse_steps
from studyapp.errors import StudyAppError
from studyapp.gui.viewmodels.deck_options import DeckOptionsViewModel
from studyapp.gui.windows.deck_options_form import DeckOptionsForm, spin_box
from studyapp.services.exam import MAX_TARGET, MIN_TARGET

if TYPE_CHECKING:
    from studyapp.services.presets import SaveOutcome

PREVIEW_DELAY_MS = 250
"""Wait this long after the last exam or limit edit before projecting again."""


class DeckOptionsDialog(DeckOptionsForm):
    """Edits the options of a deck's preset; `ask` is the seam callers (and tests) use."""

    def __init__(
        self, view_model: DeckOptionsViewModel, deck_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._deck_id = deck_id
        self._edits: dict[int, Preset] = {}
        self._shown: Preset | None = None
        self.outcome: SaveOutcome | None = None
        self.setWindowTitle(self.tr("Deck options"))
        self.setAccessibleName(self.tr("Deck options"))
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_exam_panel)
        self._vm.exam_projecting.connect(self._on_projecting)
        self._vm.exam_projected.connect(self._on_projected)

        content = QWidget(self)
        columns = QGridLayout(content)
        columns.addWidget(self._limits_box(content), 0, 0)
        columns.addWidget(self._steps_box(content), 1, 0)
        columns.addWidget(self._order_box(content), 2, 0)
        columns.addWidget(self._exam_box(content), 3, 0)
        columns.addWidget(self._memory_box(content), 0, 1, 2, 1)
        columns.addWidget(self._leech_box(content), 2, 1)
        columns.addWidget(self._answers_box(content), 3, 1)
        columns.setRowStretch(3, 1)  # the exam panel takes the room its wrapped text needs
        # The exam projection follows the limits and retention as they are edited.
        for spin in (self.new_per_day, self.reviews_per_day, self.maximum_interval):
            spin.valueChanged.connect(self._exam_edited)
        self.retention.valueChanged.connect(self._exam_edited)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self._preset_row())
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

        self._load_presets(self._vm.preset_for(deck_id).id)
        self._load_exam(self._vm.exam_plan(deck_id))
        self.resize(960, 640)

    # Building.

    def _preset_row(self) -> QHBoxLayout:
        self.preset_combo = QComboBox(self)
        self.preset_combo.setAccessibleName(self.tr("Preset"))
        self.preset_combo.setMinimumWidth(220)
        self.preset_combo.currentIndexChanged.connect(self._preset_chosen)
        label = QLabel(self.tr("&Preset:"), self)
        label.setBuddy(self.preset_combo)
        self.used_by = QLabel(self)
        self.used_by.setWordWrap(True)
        self.used_by.setAccessibleName(self.tr("Decks using this preset"))
        self.preset_button = QToolButton(self)
        self.preset_button.setText(self.tr("Manage presets"))
        self.preset_button.setAccessibleName(self.tr("Manage presets"))
        self.preset_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.preset_button)
        self.add_action = menu.addAction(self.tr("&Add preset…"), self.add_preset)
        self.clone_action = menu.addAction(self.tr("&Clone preset…"), self.clone_preset)
        self.rename_action = menu.addAction(self.tr("&Rename preset…"), self.rename_preset)
        self.delete_action = menu.addAction(self.tr("&Delete preset"), self.delete_preset)
        self.preset_button.setMenu(menu)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.preset_combo)
        row.addWidget(self.preset_button)
        row.addWidget(self.used_by, 1)
        return row

    def _exam_box(self, parent: QWidget) -> QGroupBox:
        box, form = self._box(parent, self.tr("Exam"))
        self.exam_enabled = QCheckBox(self.tr("This deck has an &exam"), box)
        self.exam_date = QDateEdit(box)
        self.exam_date.setCalendarPopup(True)
        self.exam_date.setDisplayFormat("d MMMM yyyy")
        self.exam_target = spin_box(box, round(MIN_TARGET * 100), round(MAX_TARGET * 100), "%")
        form.addRow(self.exam_enabled)
        self._row(
            form,
            self.tr("Exam &date:"),
            self.exam_date,
            self.tr("Exam date"),
            self.tr("Reviews are kept before this day."),
        )
        self._row(
            form,
            self.tr("Target &recall:"),
            self.exam_target,
            self.tr("Target recall"),
            self.tr("Every card should be at or above this on the exam day."),
        )
        self.exam_sentence = QLabel(box)
        self.exam_sentence.setWordWrap(True)
        self.exam_sentence.setAccessibleName(self.tr("Exam plan"))
        font = self.exam_sentence.font()
        font.setBold(True)
        self.exam_sentence.setFont(font)
        self.exam_details = QLabel(box)
        self.exam_details.setWordWrap(True)
        form.addRow(self.exam_sentence)
        form.addRow(self.exam_details)
        self.exam_enabled.toggled.connect(self._exam_toggled)
        self.exam_date.dateChanged.connect(self._exam_edited)
        self.exam_target.valueChanged.connect(self._exam_edited)
        return box

    # Presets.

    def _load_presets(self, select: int) -> None:
        self._usage = {u.preset.id: u for u in self._vm.usage()}
        self.preset_combo.blockSignals(True)
        self.preset_combo.clear()
        for usage in self._usage.values():
            self.preset_combo.addItem(usage.preset.name, usage.preset.id)
        self.preset_combo.setCurrentIndex(max(0, self.preset_combo.findData(select)))
        self.preset_combo.blockSignals(False)
        self._show_preset(int(self.preset_combo.currentData()))

    @Slot(int)
    def _preset_chosen(self, _index: int) -> None:
        self._remember()
        self._show_preset(int(self.preset_combo.currentData()))

    def _show_preset(self, preset_id: int) -> None:
        preset = self._edits.get(preset_id, self._usage[preset_id].preset)
        self._shown = preset
        names = self._usage[preset_id].deck_names
        self.used_by.setText(
            self.tr("Used by: %1").replace("%1", ", ".join(names))
            if names
            else self.tr("Used by no deck yet")
        )
        self.delete_action.setEnabled(preset_id != min(self._usage))
        self.new_per_day.setValue(preset.new_per_day)
        self.reviews_per_day.setValue(preset.reviews_per_day)
        self.learning_steps.setText(format_steps(preset.learning_steps))
        self.relearning_steps.setText(format_steps(preset.relearning_steps))
        self.retention.setValue(preset.desired_retention)
        self.maximum_interval.setValue(preset.maximum_interval)
        self.new_order.setCurrentIndex(self.new_order.findData(preset.new_card_order))
        self.review_order.setCurrentIndex(self.review_order.findData(preset.review_order))
        self.leech_threshold.setValue(preset.leech_threshold)
        self.leech_action.setCurrentIndex(self.leech_action.findData(preset.leech_action))
        self.bury_new.setChecked(preset.bury_new_siblings)
        self.bury_review.setChecked(preset.bury_review_siblings)
        self.pass_fail.setChecked(preset.pass_fail)
        self.reschedule.setChecked(preset.reschedule_on_change)
        for weekday, check in enumerate(self.easy_days):
            check.setChecked(weekday in preset.easy_days)
        self._retention_changed(preset.desired_retention)
        self._check_steps()

    def _remember(self) -> None:
        """Keep the form's edits to the preset on show (steps only when they read)."""
        edited = self.edited_preset()
        if edited is not None:
            self._edits[edited.id] = edited

    def edited_preset(self) -> Preset | None:
        """The preset on show with the form's values; None while the steps do not read."""
        if self._shown is None:
            return None
        try:
            learning = parse_steps(self.learning_steps.text())
            relearning = parse_steps(self.relearning_steps.text())
        except ValueError:
            return None
        return replace(
            self._shown,
            new_per_day=self.new_per_day.value(),
            reviews_per_day=self.reviews_per_day.value(),
            learning_steps=learning,
            relearning_steps=relearning,
            desired_retention=round(self.retention.value(), 2),
            maximum_interval=self.maximum_interval.value(),
            new_card_order=NewCardOrder(self.new_order.currentData()),
            review_order=ReviewOrder(self.review_order.currentData()),
            leech_threshold=self.leech_threshold.value(),
            leech_action=LeechAction(self.leech_action.currentData()),
            bury_new_siblings=self.bury_new.isChecked(),
            bury_review_siblings=self.bury_review.isChecked(),
            pass_fail=self.pass_fail.isChecked(),
            reschedule_on_change=self.reschedule.isChecked(),
            easy_days=tuple(d for d, check in enumerate(self.easy_days) if check.isChecked()),
        )

    def _ask_name(self, title: str, current: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, self.tr("Preset name:"), text=current)
        return name.strip() if ok and name.strip() else None

    def _after_change(self, select: int) -> None:
        self._remember()
        self._load_presets(select)

    @Slot()
    def add_preset(self) -> None:
        name = self._ask_name(self.tr("Add preset"))
        if name is not None:
            self._try(lambda: self._after_change(self._vm.add(name).id))

    @Slot()
    def clone_preset(self) -> None:
        if self._shown is None:
            return
        source = self._shown.id
        name = self._ask_name(
            self.tr("Clone preset"), self.tr("%1 copy").replace("%1", self._shown.name)
        )
        if name is None:
            return

        def clone() -> None:
            self._remember()
            copy = self._vm.clone(source, name)
            edited = self._edits.get(source)
            if edited is not None:  # the copy takes the options as the form shows them
                self._edits[copy.id] = replace(edited, id=copy.id, name=copy.name)
            self._load_presets(copy.id)

        self._try(clone)

    @Slot()
    def rename_preset(self) -> None:
        if self._shown is None:
            return
        shown = self._shown
        name = self._ask_name(self.tr("Rename preset"), shown.name)
        if name is None:
            return

        def rename() -> None:
            self._remember()
            renamed = self._vm.rename(shown.id, name)
            if shown.id in self._edits:
                self._edits[shown.id] = replace(self._edits[shown.id], name=renamed.name)
            self._load_presets(shown.id)

        self._try(rename)

    @Slot()
    def delete_preset(self) -> None:
        if self._shown is None:
            return
        shown = self._shown
        names = self._usage[shown.id].deck_names
        question = self.tr("Delete the preset “%1”?").replace("%1", shown.name)
        if names:
            question += " " + self.tr("Its decks (%1) will use Default.").replace(
                "%1", ", ".join(names)
            )
        answer = QMessageBox.question(self, self.tr("Delete preset"), question)
        if answer != QMessageBox.StandardButton.Yes:
            return

        def delete() -> None:
            self._vm.delete(shown.id)
            self._edits.pop(shown.id, None)
            self._shown = None
            self._load_presets(self._vm.preset_for(self._deck_id).id)

        self._try(delete)

    def _try(self, action: Callable[[], None]) -> None:
        try:
            action()
        except StudyAppError as error:
            QMessageBox.warning(self, self.tr("Deck options"), str(error))

    # Exam.

    def _load_exam(self, plan: ExamPlan | None) -> None:
        today = self._vm.today()
        first = today + timedelta(days=1)
        self.exam_date.setMinimumDate(QDate(first.year, first.month, first.day))
        when = plan.exam_date if plan is not None else today + timedelta(days=30)
        self.exam_date.setDate(QDate(when.year, when.month, when.day))
        self.exam_target.setValue(round((plan.target_recall if plan else 0.9) * 100))
        self.exam_enabled.setChecked(plan is not None)
        self._exam_toggled(plan is not None)

    def exam_plan(self) -> ExamPlan | None:
        if not self.exam_enabled.isChecked():
            return None
        chosen = self.exam_date.date()
        return ExamPlan(
            date(chosen.year(), chosen.month(), chosen.day()), self.exam_target.value() / 100
        )

    @Slot(bool)
    def _exam_toggled(self, enabled: bool) -> None:
        for widget in (self.exam_date, self.exam_target, self.exam_sentence, self.exam_details):
            widget.setEnabled(enabled)
        self.refresh_exam_panel()

    @Slot()
    def _exam_edited(self) -> None:
        self._preview_timer.start()

    @Slot()
    def refresh_exam_panel(self) -> None:
        """Project the exam as the form stands (the preset's limits included), on a worker
        thread; a projection still running for an earlier edit is dropped."""
        self._preview_timer.stop()
        plan = self.exam_plan()
        preset = self.edited_preset()
        if plan is None or preset is None:
            self._vm.drop_projections()
            self.exam_sentence.setText(
                self.tr("Set an exam date to keep every card ready for that day.")
            )
            self.exam_details.clear()
            return
        self._vm.project(self._deck_id, plan, preset)

    @Slot()
    def _on_projecting(self) -> None:
        self.exam_sentence.setText(self.tr("Projecting…"))

    @Slot(str, str)
    def _on_projected(self, sentence: str, details: str) -> None:
        self.exam_sentence.setText(sentence)
        self.exam_details.setText(details)

    # Closing.

    def accept(self) -> None:
        preset = self.edited_preset()
        if preset is None:
            return
        self._remember()
        others = tuple(edited for edited in self._edits.values() if edited.id != preset.id)
        try:
            self.outcome = self._vm.save(self._deck_id, preset, self.exam_plan(), others)
        except StudyAppError as error:
            QMessageBox.warning(self, self.tr("Deck options"), str(error))
            return
        super().accept()

    def done(self, result: int) -> None:
        self._preview_timer.stop()
        self._vm.drop_projections()
        super().done(result)

    @classmethod
    def ask(
        cls, parent: QWidget | None, view_model: DeckOptionsViewModel, deck_id: int
    ) -> SaveOutcome | None:
        """Show the options of `deck_id`; what saving did, or None when cancelled."""
        dialog = cls(view_model, deck_id, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.outcome
        finally:
            dialog.deleteLater()
