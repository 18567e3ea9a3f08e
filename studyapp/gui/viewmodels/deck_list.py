"""The deck list as a tree model: decks nested by "::" with their new, learning and due counts.

It also changes decks: add, rename, move (drag a deck onto another, or onto the empty space below
the decks for the top level), delete and fold.  A parent's counts include its subdecks, folded or
not, as in Anki.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)

from studyapp.domain.decks import DECK_SEPARATOR, DeckCounts
from studyapp.errors import StudyAppError
from studyapp.gui.tasks import Task, expected_message
from studyapp.gui.theme import count_colors
from studyapp.services.deck_progress import DeckProgress
from studyapp.services.decks import DeckDeletion, DeckService

if TYPE_CHECKING:
    from studyapp.services.statistics import StatisticsService

DECK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""On the Deck column: the deck's id (int), or None for a parent that has no deck row."""
DECK_NAME_ROLE = Qt.ItemDataRole.UserRole + 2
"""On the Deck column: the deck's full name, "A::B"."""
COLLAPSED_ROLE = Qt.ItemDataRole.UserRole + 3
"""On the Deck column: whether the deck's subdecks are folded away (bool)."""
FILTERED_ROLE = Qt.ItemDataRole.UserRole + 4
"""On the Deck column: whether it is a filtered deck (bool), shown in italics in the link colour
as in Anki."""
DECK_MIME_TYPE = "application/x-studyapp-deck-id"
"""Drag and drop inside the deck list carries the dragged deck's id."""

DECK_COLUMN, NEW_COLUMN, LEARNING_COLUMN, DUE_COLUMN, PROGRESS_COLUMN = range(5)
COUNT_COLUMNS = (NEW_COLUMN, LEARNING_COLUMN, DUE_COLUMN)
PROGRESS_ROLE = Qt.ItemDataRole.UserRole
"""On the Progress column: the deck's DeckProgress (subdecks included), or None."""

Index = QModelIndex | QPersistentModelIndex


def progress_text(progress: DeckProgress) -> str:
    """ "120 new, 4 learning, 35 young, 80 mature (239 cards)" """
    total = progress.new + progress.learning + progress.young + progress.mature
    return (
        QCoreApplication.translate(
            "DeckListModel", "%1 new, %2 learning, %3 young, %4 mature (%5 cards)"
        )
        .replace("%1", f"{progress.new:,}")
        .replace("%2", f"{progress.learning:,}")
        .replace("%3", f"{progress.young:,}")
        .replace("%4", f"{progress.mature:,}")
        .replace("%5", f"{total:,}")
    )


def _sibling(index: Index, column: int) -> QModelIndex:
    return index.model().index(index.row(), column, index.parent())


class DeckListModel(QStandardItemModel):
    """Columns Deck, New, Learning, Due and Progress (with `statistics`); call refresh() after
    anything that changes the counts."""

    refreshed = Signal()
    error = Signal(str)
    changed = Signal(str)
    """A deck was added, renamed, moved or deleted (undoable); the argument says what happened."""

    def __init__(
        self,
        decks: DeckService,
        parent: QObject | None = None,
        statistics: StatisticsService | None = None,
        first_rows: Sequence[DeckCounts] | None = None,
    ) -> None:
        """`first_rows`: the first screen's deck list (services.first_screen), which the first
        refresh shows without reading."""
        super().__init__(parent)
        self._decks = decks
        self._statistics = statistics
        self._first_rows = first_rows
        self._opening: Task[None] | None = None
        self._progress: dict[int, DeckProgress] = {}
        self._progress_task: Task[dict[int, DeckProgress]] | None = None
        self._progress_tasks: list[Task[dict[int, DeckProgress]]] = []
        self._progress_pool = QThreadPool(self)
        """Its own thread (for the progress, and the end of opening the collection): they never
        wait behind an import on the global pool."""
        self._progress_pool.setMaxThreadCount(1)
        self.setColumnCount(5 if statistics is not None else 4)
        self.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("DeckListModel", "Deck"),
                QCoreApplication.translate("DeckListModel", "New"),
                QCoreApplication.translate("DeckListModel", "Learning"),
                QCoreApplication.translate("DeckListModel", "Due"),
                QCoreApplication.translate("DeckListModel", "Progress"),
            ][: self.columnCount()]
        )
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        self.setHeaderData(
            DECK_COLUMN, Qt.Orientation.Horizontal, left, Qt.ItemDataRole.TextAlignmentRole
        )

    @Slot()
    def refresh(self, progress: bool = True) -> None:
        """Reload every deck and its counts from the service; with `progress` False, the
        progress column keeps what it last showed (load_progress() brings it up to date)."""
        try:
            rows = self._first_rows if self._first_rows is not None else self._decks.deck_list()
            self._first_rows = None
            if progress and self._statistics is not None:
                self._progress = self._statistics.deck_progress()
                self._progress_task = None  # fresher than what a running task will return
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return
        self.removeRows(0, self.rowCount())
        by_name: dict[str, QStandardItem] = {}
        for counts in rows:
            self._add(counts, by_name)
        self.refreshed.emit()

    def _add(self, counts: DeckCounts, by_name: dict[str, QStandardItem]) -> None:
        parts = counts.name.split(DECK_SEPARATOR)
        parent = self.invisibleRootItem()
        for depth in range(1, len(parts)):
            ancestor = DECK_SEPARATOR.join(parts[:depth])
            if ancestor not in by_name:
                # A parent without a row of its own (rare: the service lists parents).
                by_name[ancestor] = self._append(parent, ancestor, None, None)
            parent = by_name[ancestor]
        by_name[counts.name] = self._append(parent, counts.name, counts.deck_id, counts)

    def _append(
        self,
        parent: QStandardItem,
        name: str,
        deck_id: int | None,
        counts: DeckCounts | None,
    ) -> QStandardItem:
        deck_item = QStandardItem(name.rsplit(DECK_SEPARATOR, 1)[-1])
        deck_item.setData(deck_id, DECK_ID_ROLE)
        deck_item.setData(name, DECK_NAME_ROLE)
        deck_item.setData(counts is not None and counts.collapsed, COLLAPSED_ROLE)
        deck_item.setToolTip(name)
        if counts is not None and counts.filtered:
            self._mark_filtered(deck_item, name)
        values = (
            (None, None, None) if counts is None else (counts.new, counts.learning, counts.review)
        )
        row = [deck_item]
        for value in values:
            item = QStandardItem()
            if value is not None:
                item.setData(value, Qt.ItemDataRole.DisplayRole)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.append(item)
        if self._statistics is not None:
            row.append(self._progress_item(deck_id))
        for item in row:
            item.setEditable(False)
            item.setDropEnabled(deck_id is not None)
        deck_item.setDragEnabled(deck_id is not None)
        parent.appendRow(row)
        return deck_item

    @staticmethod
    def _mark_filtered(item: QStandardItem, name: str) -> None:
        item.setData(True, FILTERED_ROLE)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        described = QCoreApplication.translate(
            "DeckListModel", "Filtered deck: cards gathered from other decks by a search"
        )
        item.setToolTip(f"{name}\n{described}")
        item.setAccessibleDescription(described)
        item.setAccessibleText(
            QCoreApplication.translate("DeckListModel", "%1, filtered deck").replace(
                "%1", item.text()
            )
        )

    def _progress_item(self, deck_id: int | None) -> QStandardItem:
        item = QStandardItem()
        self._show_progress(item, deck_id)
        return item

    def _show_progress(self, item: QStandardItem, deck_id: int | None) -> None:
        progress = self._progress.get(deck_id) if deck_id is not None else None
        text = progress_text(progress) if progress is not None else ""
        item.setData(progress, PROGRESS_ROLE)
        item.setToolTip(text)
        item.setAccessibleText(text)

    # Progress on a worker thread.

    @property
    def loading_progress(self) -> bool:
        """Whether load_progress() is still computing."""
        return self._progress_task is not None

    @Slot()
    def load_progress(self) -> None:
        """Compute the progress column on a worker thread (it reads every card), and show it
        when done: the deck list can be shown, and used, before."""
        statistics = self._statistics
        if statistics is None:
            return
        task: Task[dict[int, DeckProgress]] = Task(
            lambda _progress, _cancelled: statistics.deck_progress(), self, self._progress_pool
        )
        task.succeeded.connect(lambda result: self._on_progress(task, result))
        task.failed.connect(lambda error: self._on_progress_failed(task, error))
        task.ended.connect(lambda: self._progress_ended(task))
        self._progress_task = task
        self._progress_tasks.append(task)
        task.start()

    def refresh_after(self, opening: Callable[[], None]) -> None:
        """Run `opening` (what is left of opening the collection once the first screen shows)
        on the deck list's worker thread, then refresh from the services."""
        task: Task[None] = Task(lambda _progress, _cancelled: opening(), self, self._progress_pool)
        task.succeeded.connect(lambda _result: self.refresh(progress=False))
        task.failed.connect(lambda error: self.error.emit(expected_message(error)))
        self._opening = task
        task.start()

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Wait for the end of opening and a running progress computation (the database is
        about to be closed)."""
        if self._opening is not None:
            self._opening.wait(timeout_s)
        for task in list(self._progress_tasks):
            task.wait(timeout_s)

    def _on_progress(self, task: Task[dict[int, DeckProgress]], result: object) -> None:
        if task is not self._progress_task or not isinstance(result, dict):
            return
        self._progress = result
        self._fill_progress(self.invisibleRootItem())

    def _fill_progress(self, parent: QStandardItem) -> None:
        for row in range(parent.rowCount()):
            deck_item = parent.child(row, DECK_COLUMN)
            progress_item = parent.child(row, PROGRESS_COLUMN)
            deck_id = deck_item.data(DECK_ID_ROLE)
            self._show_progress(progress_item, deck_id if isinstance(deck_id, int) else None)
            self._fill_progress(deck_item)

    def _on_progress_failed(self, task: Task[dict[int, DeckProgress]], error: object) -> None:
        if task is not self._progress_task:
            return
        self.error.emit(expected_message(error))

    def _progress_ended(self, task: Task[dict[int, DeckProgress]]) -> None:
        self._progress_tasks.remove(task)
        if task is self._progress_task:
            self._progress_task = None

    def progress_at(self, index: Index) -> DeckProgress | None:
        """The DeckProgress shown on `index`'s row, or None."""
        if self.columnCount() <= PROGRESS_COLUMN or not index.isValid():
            return None
        value = _sibling(index, PROGRESS_COLUMN).data(PROGRESS_ROLE)
        return value if isinstance(value, DeckProgress) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in COUNT_COLUMNS:
            value = super().data(index, Qt.ItemDataRole.DisplayRole)
            colors = count_colors(QGuiApplication.palette())
            if not value:
                return QBrush(QColor(colors.zero))
            name = {NEW_COLUMN: colors.new, LEARNING_COLUMN: colors.learning}.get(
                index.column(), colors.review
            )
            return QBrush(QColor(name))
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.column() == DECK_COLUMN
            and super().data(index, FILTERED_ROLE)
        ):
            return QBrush(QGuiApplication.palette().color(QPalette.ColorRole.Link))
        return super().data(index, role)

    # Queries used by the view and the tests.

    def deck_id(self, index: Index) -> int | None:
        """The deck id on `index`'s row, or None for an invalid index or a placeholder parent."""
        if not index.isValid():
            return None
        value = _sibling(index, DECK_COLUMN).data(DECK_ID_ROLE)
        return value if isinstance(value, int) else None

    def deck_name(self, index: Index) -> str | None:
        """The full name ("A::B") of the deck on `index`'s row, or None (invalid, placeholder)."""
        if self.deck_id(index) is None:
            return None
        value = _sibling(index, DECK_COLUMN).data(DECK_NAME_ROLE)
        return value if isinstance(value, str) else None

    def index_of_deck(self, deck_id: int) -> QModelIndex:
        """The Deck-column index of `deck_id`, or an invalid index."""
        found = self.match(
            self.index(0, DECK_COLUMN),
            DECK_ID_ROLE,
            deck_id,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return found[0] if found else QModelIndex()

    def index_of_name(self, name: str) -> QModelIndex:
        """The Deck-column index of the deck whose full name is `name`, or an invalid index."""
        found = self.match(
            self.index(0, DECK_COLUMN),
            DECK_NAME_ROLE,
            name,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return found[0] if found else QModelIndex()

    def counts_at(self, index: Index) -> tuple[int, int, int] | None:
        """(new, learning, due) shown on `index`'s row, or None for a placeholder parent."""
        values = [_sibling(index, column).data() for column in COUNT_COLUMNS]
        if any(value is None for value in values):
            return None
        return (int(values[0]), int(values[1]), int(values[2]))

    def is_collapsed(self, index: Index) -> bool:
        """Whether the deck on `index`'s row is to be shown folded."""
        return index.isValid() and bool(_sibling(index, DECK_COLUMN).data(COLLAPSED_ROLE))

    # Changing decks.

    def add_deck(self, name: str) -> int | None:
        """Add a deck (full name, "A::B" for a subdeck); its id, or None (error emitted)."""
        try:
            deck = self._decks.create(name)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return None
        self._changed(
            QCoreApplication.translate("DeckListModel", "Added the deck “%1”.").replace(
                "%1", deck.name
            )
        )
        return deck.id

    def rename_deck(self, deck_id: int, name: str) -> bool:
        """Give the deck a new full name; its subdecks follow it."""
        try:
            deck = self._decks.rename(deck_id, name)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return False
        self._changed(
            QCoreApplication.translate("DeckListModel", "Renamed to “%1”.").replace("%1", deck.name)
        )
        return True

    def move_deck(self, deck_id: int, parent_id: int | None) -> bool:
        """Put the deck under `parent_id` (None: at the top level)."""
        try:
            deck = self._decks.move(deck_id, parent_id)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return False
        self._changed(
            QCoreApplication.translate("DeckListModel", "Moved to “%1”.").replace("%1", deck.name)
        )
        return True

    def deletion(self, deck_id: int) -> DeckDeletion | None:
        """What deleting the deck would take with it (None, error emitted, if it cannot go)."""
        try:
            return self._decks.deletion(deck_id)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return None

    def delete_deck(self, deck_id: int) -> bool:
        try:
            gone = self._decks.delete(deck_id)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return False
        self._changed(
            QCoreApplication.translate(
                "DeckListModel", "Deleted “%1” and %n card(s).", "", gone.cards
            ).replace("%1", gone.name)
        )
        return True

    def set_collapsed(self, index: Index, collapsed: bool) -> None:
        """Remember that the user folded (or unfolded) the deck on `index`'s row."""
        deck_id = self.deck_id(index)
        if deck_id is None or self.is_collapsed(index) == collapsed:
            return
        self.setData(_sibling(index, DECK_COLUMN), collapsed, COLLAPSED_ROLE)
        try:
            self._decks.set_collapsed(deck_id, collapsed)
        except StudyAppError as exc:
            self.error.emit(str(exc))

    def _changed(self, message: str) -> None:
        self.changed.emit(message)
        self.refresh()

    # Drag and drop: a deck dropped onto another goes under it; onto no deck, to the top level.

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [DECK_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = {self.deck_id(index) for index in indexes} - {None}
        if len(ids) == 1:
            data.setData(DECK_MIME_TYPE, QByteArray(str(ids.pop()).encode()))
        return data

    def _dragged(self, data: QMimeData) -> int | None:
        raw = bytes(data.data(DECK_MIME_TYPE).data()).decode(errors="replace")
        return int(raw) if raw.isdigit() else None

    def _target(self, parent: Index) -> tuple[bool, int | None]:
        """(whether a drop on `parent` names a place, the deck to go under or None)."""
        if not parent.isValid():
            return True, None
        deck_id = self.deck_id(parent)
        return deck_id is not None, deck_id

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        dragged = self._dragged(data)
        valid, target = self._target(parent)
        if dragged is None or not valid or action != Qt.DropAction.MoveAction:
            return False
        source = self.index_of_deck(dragged)
        if not source.isValid():
            return False
        if target is None:
            return source.parent().isValid()  # already at the top level: nothing to do
        if target == dragged or self.deck_id(source.parent()) == target:
            return False
        name = self.deck_name(source) or ""
        target_name = self.deck_name(self.index_of_deck(target)) or ""
        return not target_name.startswith(name + DECK_SEPARATOR)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Move the dragged deck; the list is rebuilt once the drop has finished."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        dragged = self._dragged(data)
        _valid, target = self._target(parent)
        assert dragged is not None
        try:
            deck = self._decks.move(dragged, target)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return False
        message = QCoreApplication.translate("DeckListModel", "Moved to “%1”.")
        self.changed.emit(message.replace("%1", deck.name))
        # The view still holds the dragged row until the drag ends: rebuild afterwards.
        QTimer.singleShot(0, self, self.refresh)
        return True
