"""Statistics for the GUI: the window's figures computed on a worker thread, the daily goal,
the streak, card info and the deck list's progress bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from studyapp.errors import StudyAppError
from studyapp.gui.tasks import Cancelled, Progress, Task, expected_message

if TYPE_CHECKING:
    from studyapp.services.deck_progress import DeckProgress
    from studyapp.services.statistics import StatisticsService
    from studyapp.services.statistics_period import Period
    from studyapp.services.statistics_values import CardInfo, Statistics, Streak


class StatisticsViewModel(QObject):
    """Holds the statistics service.

    Signals: loading_changed(bool); loaded(Statistics) with the figures of the latest request
    (answers to older requests are dropped); error(str) with a message for the user;
    streak_changed(Streak) after the daily goal changed.
    """

    loading_changed = Signal(bool)
    loaded = Signal(object)
    error = Signal(str)
    streak_changed = Signal(object)

    def __init__(self, statistics: StatisticsService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = statistics
        self._tasks: list[Task[Statistics]] = []
        self._latest: Task[Statistics] | None = None
        self._statistics: Statistics | None = None

    @property
    def loading(self) -> bool:
        return self._latest is not None

    @property
    def statistics(self) -> Statistics | None:
        """The figures last loaded, or None before the first load."""
        return self._statistics

    # Commands.

    def load(self, deck_id: int | None, period: Period) -> Task[Statistics]:
        """Compute the figures for `deck_id` (None: the whole collection) on a worker thread."""
        service = self._service

        def work(progress: Progress, _cancelled: Cancelled) -> Statistics:
            progress(0, 0)
            return service.compute(deck_id, period)

        task: Task[Statistics] = Task(work)
        task.succeeded.connect(lambda result, t=task: self._on_succeeded(t, result))
        task.failed.connect(lambda error, t=task: self._on_failed(t, error))
        task.ended.connect(lambda t=task: self._on_ended(t))
        self._tasks.append(task)
        was_loading = self.loading
        self._latest = task
        if not was_loading:
            self.loading_changed.emit(True)
        task.start()
        return task

    @Slot(int)
    def set_daily_goal(self, reviews: int) -> None:
        try:
            self._service.set_daily_goal(reviews)
            streak = self._service.streak()
        except StudyAppError as error:
            self.error.emit(str(error))
            return
        self.streak_changed.emit(streak)

    def streak(self) -> Streak | None:
        try:
            return self._service.streak()
        except StudyAppError as error:
            self.error.emit(str(error))
            return None

    def card_info(self, card_id: int) -> CardInfo | None:
        """The card's details, or None (with error emitted) when it is gone."""
        try:
            return self._service.card_info(card_id)
        except StudyAppError as error:
            self.error.emit(str(error))
            return None

    def deck_progress(self) -> dict[int, DeckProgress]:
        return self._service.deck_progress()

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Wait for running computations (the window is closing, the database will be closed)."""
        for task in list(self._tasks):
            task.wait(timeout_s)

    # Task results.

    def _on_succeeded(self, task: Task[Statistics], result: object) -> None:
        from studyapp.services.statistics_values import Statistics

        if task is self._latest and isinstance(result, Statistics):
            self._statistics = result
            self.loaded.emit(result)

    def _on_failed(self, task: Task[Statistics], error: object) -> None:
        if task is not self._latest:
            return
        self.error.emit(expected_message(error))

    def _on_ended(self, task: Task[Statistics]) -> None:
        if task in self._tasks:
            self._tasks.remove(task)
        if task is self._latest:
            self._latest = None
            self.loading_changed.emit(False)
