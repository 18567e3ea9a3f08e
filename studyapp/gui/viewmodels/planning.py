"""Scheduling tools for the GUI: optimizing parameters, the workload simulator, backlog
recovery, custom study and filtered decks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from studyapp.domain.decks import DeckFilter
from studyapp.gui.tasks import Cancelled, Progress, Task

if TYPE_CHECKING:  # types only: each service module loads when the service is first used
    from studyapp.services.backlog import Backlog, BacklogService, SpreadSummary
    from studyapp.services.custom_study import CustomStudyInfo, CustomStudyService
    from studyapp.services.filtered_decks import FilteredDeck, FilteredDeckService
    from studyapp.services.optimizer import OptimizeResult, OptimizerService, PresetChoice
    from studyapp.services.workload import WorkloadCurve, WorkloadService


class PlanningServices(Protocol):
    """The scheduling services; the app's `Services` is one, building each on first use."""

    @property
    def optimizer(self) -> OptimizerService: ...
    @property
    def workload(self) -> WorkloadService: ...
    @property
    def backlog(self) -> BacklogService: ...
    @property
    def custom_study(self) -> CustomStudyService: ...
    @property
    def filtered_decks(self) -> FilteredDeckService: ...


class PlanningViewModel(QObject):
    """Holds the scheduling services.  Signals: decks_changed() after an action moved cards or
    changed decks (the deck list should refresh)."""

    decks_changed = Signal()

    def __init__(self, services: PlanningServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services

    # Optimizing.

    def presets(self) -> list[PresetChoice]:
        return self._services.optimizer.presets()

    def optimize(self, preset_id: int | None) -> Task[OptimizeResult]:
        """Optimize one preset (None: all) on a worker thread; the caller starts the task."""
        optimizer = self._services.optimizer

        def work(progress: Progress, cancelled: Cancelled) -> OptimizeResult:
            return optimizer.optimize(preset_id, progress, cancelled)

        return Task(work, self)

    # Workload.

    def workload(self, deck_id: int) -> WorkloadCurve:
        return self._services.workload.curve(deck_id)

    def apply_retention(self, deck_id: int, retention: float) -> None:
        self._services.workload.apply_retention(deck_id, retention)

    # Backlog.

    def backlog(self, deck_id: int) -> Backlog | None:
        return self._services.backlog.backlog(deck_id)

    def preview_spread(self, deck_id: int, days: int) -> SpreadSummary:
        return self._services.backlog.preview(deck_id, days)

    def spread(self, deck_id: int, days: int) -> SpreadSummary:
        summary = self._services.backlog.spread(deck_id, days)
        self.decks_changed.emit()
        return summary

    # Custom study and filtered decks.

    def custom_study_info(self, deck_id: int) -> CustomStudyInfo:
        return self._services.custom_study.info(deck_id)

    @property
    def custom_study(self) -> CustomStudyService:
        return self._services.custom_study

    def changed(self) -> None:
        """Tell the deck list that decks or cards moved."""
        self.decks_changed.emit()

    def create_filtered(self, name: str, deck_filter: DeckFilter) -> FilteredDeck:
        built = self._services.filtered_decks.create(name, deck_filter)
        self.decks_changed.emit()
        return built

    def rebuild(self, deck_id: int) -> FilteredDeck:
        built = self._services.filtered_decks.rebuild(deck_id)
        self.decks_changed.emit()
        return built

    def empty(self, deck_id: int) -> int:
        moved = self._services.filtered_decks.empty(deck_id)
        self.decks_changed.emit()
        return moved

    def delete_filtered(self, deck_id: int) -> int:
        moved = self._services.filtered_decks.delete(deck_id)
        self.decks_changed.emit()
        return moved
