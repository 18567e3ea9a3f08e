"""The browser's view-model: searching, the sidebar, bulk actions and the collection's undo."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from studyapp.domain.browser_columns import BrowserMode
from studyapp.errors import SearchError, StudyAppError
from studyapp.gui.viewmodels.browser_model import BrowserTableModel
from studyapp.services.browser import Selection

if TYPE_CHECKING:
    from studyapp.services.browser import BrowserService, Sidebar
    from studyapp.services.undo import UndoService

T = TypeVar("T")


class BrowserViewModel(QObject):
    """Commands for the browser window; results come back as signals.

    `searched(rows)` when a search's first rows are in the table, `counted(total)` once every
    match is known (at once for a short result, from a worker thread for a long one),
    `search_failed(message, position)` for a query that cannot be read, `changed(message)` after
    anything changed the collection (an action, undo, redo), `error(message)` for any other
    expected failure.
    """

    searched = Signal(int)
    counted = Signal(int)
    search_failed = Signal(str, int)
    changed = Signal(str)
    error = Signal(str)

    def __init__(
        self, service: BrowserService, undo: UndoService, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._undo = undo
        self.table = BrowserTableModel(service, self)
        self.table.counted.connect(self.counted)
        self.table.failed.connect(self.error)

    # Searching.

    @Slot(str)
    def search(self, query: str) -> bool:
        try:
            count = self.table.search(query)
        except SearchError as error:
            self.search_failed.emit(str(error), error.position)
            return False
        except StudyAppError as error:
            self.error.emit(str(error))
            return False
        self.searched.emit(count)
        return True

    def set_mode(self, mode: BrowserMode) -> None:
        self._guard(lambda: self.table.set_mode(mode))
        self.searched.emit(self.table.rowCount())

    def fetch_all(self) -> bool:
        """Every match in the table (before select all); False when they cannot be read."""
        try:
            self.table.fetch_all()
        except StudyAppError as error:
            self.error.emit(str(error))
            return False
        return True

    def shutdown(self) -> None:
        """Wait for background fetching (the window closes, the database may be closed next)."""
        self.table.stop()

    def sidebar(self) -> Sidebar | None:
        return self._guard(self._service.sidebar)

    def save_search(self, name: str, query: str) -> bool:
        try:
            self._service.save_search(name, query)
        except StudyAppError as error:
            self.error.emit(str(error))
            return False
        return True

    def remove_saved_search(self, name: str) -> None:
        self._guard(lambda: self._service.remove_saved_search(name))

    def selection(self, rows: Sequence[int]) -> Selection:
        return Selection(self.table.mode, tuple(self.table.row_id(r) for r in rows))

    def count_cards(self, selection: Selection) -> tuple[int, int] | None:
        return self._guard(lambda: self._service.count_cards(selection))

    # Bulk actions: each runs, then refreshes the table and reports what happened.

    def change_deck(self, selection: Selection, deck: str) -> None:
        self._act(
            lambda: self._service.change_deck(selection, deck),
            lambda n: self.tr("Moved %1 cards to %2.").replace("%1", str(n)).replace("%2", deck),
        )

    def toggle_suspend(self, selection: Selection) -> None:
        self._act(
            lambda: self._service.toggle_suspend(selection),
            lambda on: self.tr("Suspended.") if on else self.tr("Unsuspended."),
        )

    def toggle_bury(self, selection: Selection) -> None:
        self._act(
            lambda: self._service.toggle_bury(selection),
            lambda on: self.tr("Buried until tomorrow.") if on else self.tr("Unburied."),
        )

    def set_flag(self, selection: Selection, flag: int) -> None:
        self._act(
            lambda: self._service.set_flag(selection, flag),
            lambda chosen: self.tr("Flag set.") if chosen else self.tr("Flag cleared."),
        )

    def reset(self, selection: Selection, reset_counts: bool) -> None:
        self._act(
            lambda: self._service.reset(selection, reset_counts),
            lambda n: self.tr("%1 cards are new again.").replace("%1", str(n)),
        )

    def set_due(self, selection: Selection, spec: str) -> None:
        self._act(
            lambda: self._service.set_due(selection, spec),
            lambda n: self.tr("Set the due date of %1 cards.").replace("%1", str(n)),
        )

    def add_tags(self, selection: Selection, tags: str) -> None:
        self._act(
            lambda: self._service.add_tags(selection, tags),
            lambda n: self.tr("Added tags to %1 notes.").replace("%1", str(n)),
        )

    def remove_tags(self, selection: Selection, tags: str) -> None:
        self._act(
            lambda: self._service.remove_tags(selection, tags),
            lambda n: self.tr("Removed tags from %1 notes.").replace("%1", str(n)),
        )

    def find_and_replace(
        self,
        selection: Selection,
        find: str,
        replace: str,
        field: str | None,
        regex: bool,
        ignore_case: bool,
    ) -> None:
        self._act(
            lambda: self._service.find_and_replace(
                selection, find, replace, field, regex, ignore_case
            ),
            lambda n: self.tr("%1 notes changed.").replace("%1", str(n)),
        )

    def delete_notes(self, selection: Selection) -> None:
        self._act(
            lambda: self._service.delete_notes(selection),
            lambda n: self.tr("Deleted %1 cards.").replace("%1", str(n)),
        )

    # Undo.

    def undo_label(self) -> str | None:
        return self._undo.label()

    def redo_label(self) -> str | None:
        return self._undo.redo_label()

    @Slot()
    def undo(self) -> None:
        self._act(self._undo.undo, lambda o: self.tr("Undone: %1").replace("%1", o.label))

    @Slot()
    def redo(self) -> None:
        self._act(self._undo.redo, lambda o: self.tr("Redone: %1").replace("%1", o.label))

    def _act(self, action: Callable[[], T], message: Callable[[T], str]) -> None:
        try:
            result = action()
        except StudyAppError as error:
            self.error.emit(str(error))
            return
        self._guard(self.table.refresh)
        self.changed.emit(message(result))

    def _guard(self, call: Callable[[], T]) -> T | None:
        try:
            return call()
        except StudyAppError as error:
            self.error.emit(str(error))
            return None
