"""The scheduling tools in the main window: Tools ▸ Optimize scheduler…, Workload simulator…,
Create filtered deck…; the deck list's Custom study… (button and context menu), Spread
backlog…, and Rebuild / Empty / Delete for a filtered deck; and the backlog offer on Study."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton, QWidget

from studyapp.errors import StudyAppError
from studyapp.gui.viewmodels.planning import PlanningViewModel
from studyapp.gui.windows.menus import add_action

if TYPE_CHECKING:  # types only: the dialogs are imported when first opened
    from studyapp.services.backlog import Backlog


class PlanningMenu(QObject):
    """Owns the actions; `selected_deck()` gives the deck list's selected deck id (or None),
    `study(deck_id)` opens a deck in the reviewer, `status(text)` shows a status message."""

    def __init__(
        self,
        window: QWidget,
        view_model: PlanningViewModel,
        tools_menu: QMenu,
        deck_list: QWidget,
        selected_deck: Callable[[], int | None],
        study: Callable[[int], None],
        status: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._view_model = view_model
        self._selected = selected_deck
        self._study = study
        self._status = status
        self._declined: set[int] = set()
        tools_menu.addSeparator()
        self.optimize_action = add_action(
            window, tools_menu, self.tr("&Optimize scheduler…"), [],
            self.tr("Fit the scheduler to your own review history"), self.optimize,
        )  # fmt: skip
        self.simulator_action = add_action(
            window, tools_menu, self.tr("&Workload simulator…"), [],
            self.tr("See what each desired retention costs in reviews and minutes a day"),
            self.simulate,
        )  # fmt: skip
        self.filtered_action = add_action(
            window, tools_menu, self.tr("Create &filtered deck…"), [],
            self.tr("Gather cards from a search into a deck of their own"), self.create_filtered,
        )  # fmt: skip
        self.custom_study_action = add_action(
            window, None, self.tr("&Custom study…"), [],
            self.tr("Study forgotten cards, study ahead, raise today's limits or cram"),
            self.custom_study,
        )  # fmt: skip
        self.backlog_action = add_action(
            window, None, self.tr("Spread &backlog…"), [],
            self.tr("Spread a pile of overdue reviews over the next days"), self.spread_backlog,
        )  # fmt: skip
        self.rebuild_action = add_action(
            window, None, self.tr("&Rebuild filtered deck"), [],
            self.tr("Send the cards home and gather again"), self.rebuild,
        )  # fmt: skip
        self.empty_action = add_action(
            window, None, self.tr("E&mpty filtered deck"), [],
            self.tr("Send every card back to its home deck"), self.empty,
        )  # fmt: skip
        self.delete_action = add_action(
            window, None, self.tr("&Delete filtered deck"), [],
            self.tr("Send the cards home and remove the filtered deck"), self.delete_filtered,
        )  # fmt: skip
        for action in (
            self.custom_study_action,
            self.backlog_action,
            self.rebuild_action,
            self.empty_action,
            self.delete_action,
        ):
            deck_list.addAction(action)
        self.custom_study_button = QPushButton(self.tr("Custom study…"), window)
        self.custom_study_button.setToolTip(self.custom_study_action.toolTip())
        self.custom_study_button.setAccessibleName(self.tr("Custom study for the selected deck"))
        self.custom_study_button.clicked.connect(self.custom_study)

    def deck_selected(self, deck_id: int | None, filtered: bool) -> None:
        """Enable what applies to the selected deck (filtered actions only for filtered decks)."""
        filtered = deck_id is not None and filtered
        regular = deck_id is not None and not filtered
        for action in (self.custom_study_action, self.backlog_action, self.simulator_action):
            action.setEnabled(regular)
        self.custom_study_button.setEnabled(regular)
        for action in (self.rebuild_action, self.empty_action, self.delete_action):
            action.setEnabled(filtered)

    def _error(self, error: StudyAppError) -> None:
        QMessageBox.warning(self._window, self.tr("StudyApp"), str(error))

    # Backlog.

    def offer_backlog(self, deck_id: int) -> None:
        """Before studying: offer to spread a backlog, once a session per deck."""
        if deck_id in self._declined:
            return
        try:
            backlog = self._view_model.backlog(deck_id)
        except StudyAppError:
            return  # studying goes on; the reviewer reports real problems
        if backlog is None:
            return
        self._declined.add(deck_id)
        self._ask_spread(deck_id, backlog)

    @Slot()
    def spread_backlog(self) -> None:
        deck_id = self._selected()
        if deck_id is None:
            return
        try:
            backlog = self._view_model.backlog(deck_id)
        except StudyAppError as error:
            self._error(error)
            return
        if backlog is None:
            self._status(self.tr("No backlog: the due reviews fit within the daily limit."))
            return
        self._ask_spread(deck_id, backlog)

    def _ask_spread(self, deck_id: int, backlog: Backlog) -> None:
        from studyapp.gui.windows.backlog_dialog import BacklogDialog

        days = BacklogDialog.ask(self._window, self._view_model, backlog)
        if days is None:
            return
        try:
            summary = self._view_model.spread(deck_id, days)
        except StudyAppError as error:
            self._error(error)
            return
        self._status(
            self.tr("Spread %1 reviews over %2 days (Undo puts them back).")
            .replace("%1", str(summary.cards))
            .replace("%2", str(summary.days))
        )

    # Tools.

    @Slot()
    def optimize(self) -> None:
        from studyapp.gui.windows.optimize_dialog import OptimizeDialog

        OptimizeDialog.ask(self._window, self._view_model)

    @Slot()
    def simulate(self) -> None:
        deck_id = self._selected()
        if deck_id is None:
            self._status(self.tr("Choose a deck to simulate first."))
            return
        from studyapp.gui.windows.simulator_dialog import SimulatorDialog  # loads QtCharts

        retention = SimulatorDialog.ask(self._window, self._view_model, deck_id)
        if retention is not None:
            self._status(
                self.tr("Desired retention set to %1%.").replace("%1", str(round(retention * 100)))
            )

    @Slot()
    def create_filtered(self) -> None:
        from studyapp.gui.windows.custom_study_dialog import FilteredDeckDialog

        chosen = FilteredDeckDialog.ask(self._window)
        if chosen is None:
            return
        try:
            built = self._view_model.create_filtered(*chosen)
        except StudyAppError as error:
            self._error(error)
            return
        self._study(built.deck_id)

    @Slot()
    def custom_study(self) -> None:
        deck_id = self._selected()
        if deck_id is None:
            return
        from studyapp.gui.windows.custom_study_dialog import CustomStudyDialog, CustomStudyKind

        study = self._view_model.custom_study
        try:
            choice = CustomStudyDialog.ask(
                self._window, self._view_model.custom_study_info(deck_id)
            )
            if choice is None:
                return
            match choice.kind:
                case CustomStudyKind.MORE_NEW | CustomStudyKind.MORE_REVIEWS:
                    more_new = choice.kind is CustomStudyKind.MORE_NEW
                    study.raise_limits(
                        deck_id,
                        new=choice.amount if more_new else 0,
                        review=0 if more_new else choice.amount,
                    )
                    self._view_model.changed()
                    self._study(deck_id)
                    return
                case CustomStudyKind.FORGOTTEN:
                    built = study.review_forgotten(deck_id)
                case CustomStudyKind.AHEAD:
                    built = study.study_ahead(deck_id, choice.amount)
                case CustomStudyKind.CRAM_DECK:
                    built = study.cram(deck_id, None)
                case CustomStudyKind.CRAM_TAG:
                    built = study.cram(None, choice.tag)
        except StudyAppError as error:
            self._error(error)
            return
        self._view_model.changed()
        self._study(built.deck_id)

    # Filtered decks.

    @Slot()
    def rebuild(self) -> None:
        self._filtered_action(
            lambda deck_id: self._view_model.rebuild(deck_id).cards, self.tr("Gathered %1 cards.")
        )

    @Slot()
    def empty(self) -> None:
        self._filtered_action(self._view_model.empty, self.tr("Sent %1 cards home."))

    @Slot()
    def delete_filtered(self) -> None:
        self._filtered_action(
            self._view_model.delete_filtered,
            self.tr("Sent %1 cards home and deleted the filtered deck (Undo brings it back)."),
        )

    def _filtered_action(self, act: Callable[[int], int], done: str) -> None:
        deck_id = self._selected()
        if deck_id is None:
            return
        try:
            count = act(deck_id)
        except StudyAppError as error:
            self._error(error)
            return
        self._status(done.replace("%1", str(count)))
