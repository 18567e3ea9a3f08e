"""The deck options dialog's view-model: presets, saving, and the exam panel's projection.

The exam panel is projected on a worker thread (gui.tasks): `project()` starts a projection and
drops the result of any earlier one still running, so only the latest edit reaches the panel.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

from studyapp.domain.decks import ExamPlan, Preset
from studyapp.gui.tasks import Cancelled, Progress, Task, expected_message
from studyapp.gui.viewmodels.planning import PlanningServices, PlanningViewModel

if TYPE_CHECKING:  # types only: the service modules load when the dialog first opens
    from studyapp.services.exam import ExamPanel, ExamService
    from studyapp.services.presets import PresetService, PresetUsage, SaveOutcome


class DeckOptionsServices(Protocol):
    """Presets and exams; the app's `Services` is one, building each on first use."""

    @property
    def presets(self) -> PresetService: ...
    @property
    def exams(self) -> ExamService: ...


def _tr(text: str) -> str:
    return QCoreApplication.translate("DeckOptionsViewModel", text)


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _day(value: date) -> str:
    return f"{value.day} {value.strftime('%B')}"


def exam_sentence(panel: ExamPanel) -> str:
    """One plain sentence: on track, or not feasible and why."""
    projection = panel.projection
    target = _percent(panel.target_recall)
    when = _day(panel.exam_date)
    if projection.feasible:
        return (
            _tr(
                "On track: %1 cards, about %2 reviews a day until %3; every card is projected "
                "above %4."
            )
            .replace("%1", str(projection.cards))
            .replace("%2", str(projection.reviews_per_day))
            .replace("%3", when)
            .replace("%4", target)
        )
    if projection.days_left <= 0:
        return _tr("Not feasible: the exam day has come.")
    if projection.new_cards > panel.new_per_day_limit * projection.days_left:
        needed = -(-projection.new_cards // max(1, panel.new_per_day_limit))
        return (
            _tr(
                "Not feasible: %1 new cards need %2 days at %3 a day, and %4 days are left. "
                "Raise the new card limit."
            )
            .replace("%1", str(projection.new_cards))
            .replace("%2", str(needed))
            .replace("%3", str(panel.new_per_day_limit))
            .replace("%4", str(projection.days_left))
        )
    if projection.reviews_per_day > panel.reviews_per_day_limit:
        return (
            _tr(
                "Not feasible: about %1 reviews a day are needed until %2, more than the daily "
                "limit of %3."
            )
            .replace("%1", str(projection.reviews_per_day))
            .replace("%2", when)
            .replace("%3", str(panel.reviews_per_day_limit))
        )
    below = projection.cards - projection.planned_on_target
    return (
        _tr("Not feasible: %1 of %2 cards are projected below %3 on %4.")
        .replace("%1", str(below))
        .replace("%2", str(projection.cards))
        .replace("%3", target)
        .replace("%4", when)
    )


def exam_details(panel: ExamPanel) -> str:
    """The figures behind the sentence: recall with the plan and if studying stopped now."""
    projection = panel.projection
    cards = max(1, projection.cards)
    return (
        _tr(
            "Following the plan: average recall %1, %2 of cards at or above %3.\n"
            "If you stopped now: average recall %4, %5 of cards at or above %3.\n"
            "%6 days left; %7 new cards still to learn."
        )
        .replace("%1", _percent(projection.planned_average))
        .replace("%2", _percent(projection.planned_on_target / cards))
        .replace("%3", _percent(panel.target_recall))
        .replace("%4", _percent(projection.stopped_average))
        .replace("%5", _percent(projection.stopped_on_target / cards))
        .replace("%6", str(projection.days_left))
        .replace("%7", str(projection.new_cards))
    )


def saved_message(outcome: SaveOutcome) -> str:
    """What saving the options did, for the status bar."""
    parts = []
    if outcome.rescheduled:
        parts.append(
            _tr("Rescheduled %1 cards for the new desired retention.").replace(
                "%1", f"{outcome.rescheduled:,}"
            )
        )
    if outcome.brought_forward:
        parts.append(
            _tr("Brought %1 reviews forward for the exam.").replace(
                "%1", f"{outcome.brought_forward:,}"
            )
        )
    return " ".join(parts) if parts else _tr("Deck options saved.")


class DeckOptionsViewModel(QObject):
    """Holds the preset and exam services.

    Signals: saved() after OK stored the options (the deck list should refresh) and
    status(message) saying what saving did; exam_projecting() when a projection starts and
    exam_projected(sentence, details) with the latest one's result.
    """

    saved = Signal()
    status = Signal(str)
    exam_projecting = Signal()
    exam_projected = Signal(str, str)

    def __init__(
        self,
        services: DeckOptionsServices,
        planning: PlanningServices | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._planning = planning
        self._planning_vm: PlanningViewModel | None = None
        self._latest = 0
        """The number of the latest projection asked for; other results are dropped."""
        self._running: set[Task[ExamPanel | None]] = set()

    @property
    def planning(self) -> PlanningViewModel | None:
        """The workload simulator's view-model ("Help me decide…"), if the tools are there."""
        if self._planning is not None and self._planning_vm is None:
            self._planning_vm = PlanningViewModel(self._planning, parent=self)
        return self._planning_vm

    def usage(self) -> list[PresetUsage]:
        return self._services.presets.usage()

    def preset_for(self, deck_id: int) -> Preset:
        return self._services.presets.for_deck(deck_id)

    def exam_plan(self, deck_id: int) -> ExamPlan | None:
        return self._services.exams.plan(deck_id)

    def add(self, name: str) -> Preset:
        return self._services.presets.add(name)

    def clone(self, preset_id: int, name: str) -> Preset:
        return self._services.presets.clone(preset_id, name)

    def rename(self, preset_id: int, name: str) -> Preset:
        return self._services.presets.rename(preset_id, name)

    def delete(self, preset_id: int) -> None:
        self._services.presets.delete(preset_id)

    def today(self) -> date:
        """Today's study day as a date (the exam date picker starts after it)."""
        return self._services.exams.today()

    def project(self, deck_id: int, plan: ExamPlan, preset: Preset) -> None:
        """Project the exam panel of `deck_id` with `plan` and `preset` on a worker thread."""
        self._latest += 1
        number = self._latest
        exams = self._services.exams

        def work(_progress: Progress, _cancelled: Cancelled) -> ExamPanel | None:
            return exams.preview(deck_id, plan, preset)

        task: Task[ExamPanel | None] = Task(work, self)
        task.succeeded.connect(lambda panel: self._projected(number, panel))
        task.failed.connect(lambda error: self._projection_failed(number, error))
        task.ended.connect(lambda: self._ended(task))
        self._running.add(task)
        self.exam_projecting.emit()
        task.start()

    def drop_projections(self) -> None:
        """Drop the results of projections still running, and wait until they have returned
        (so that nothing reads the collection once the dialog has closed)."""
        self._latest += 1
        for task in list(self._running):
            task.wait()

    def _projected(self, number: int, panel: ExamPanel | None) -> None:
        if number == self._latest and panel is not None:
            self.exam_projected.emit(exam_sentence(panel), exam_details(panel))

    def _projection_failed(self, number: int, error: object) -> None:
        message = expected_message(error)
        if number == self._latest:
            self.exam_projected.emit(message, "")

    def _ended(self, task: Task[ExamPanel | None]) -> None:
        self._running.discard(task)
        task.deleteLater()

    def save(
        self,
        deck_id: int,
        preset: Preset,
        exam: ExamPlan | None,
        other_presets: tuple[Preset, ...] = (),
    ) -> SaveOutcome:
        """Store the preset and any other edited presets, make the deck use the preset, and set
        (or clear) its exam: one transaction, undone as one action."""
        from studyapp.services.presets import DeckOptions

        outcome = self._services.presets.save_options(
            DeckOptions(deck_id, preset, exam, other_presets)
        )
        self.saved.emit()
        self.status.emit(saved_message(outcome))
        return outcome
