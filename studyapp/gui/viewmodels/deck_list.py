"""The deck list as a tree model: decks nested by "::" with their new, learning and due counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QStandardItem, QStandardItemModel

from studyapp.domain.decks import DECK_SEPARATOR, DeckCounts
from studyapp.errors import StudyAppError
from studyapp.gui.theme import count_colors
from studyapp.services.decks import DeckService
from studyapp.services.statistics_values import DeckProgress

if TYPE_CHECKING:
    from studyapp.services.statistics import StatisticsService

DECK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""On the Deck column: the deck's id (int), or None for a parent that has no deck row."""
DECK_NAME_ROLE = Qt.ItemDataRole.UserRole + 2
"""On the Deck column: the deck's full name, "A::B"."""

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

    def __init__(
        self,
        decks: DeckService,
        parent: QObject | None = None,
        statistics: StatisticsService | None = None,
    ) -> None:
        super().__init__(parent)
        self._decks = decks
        self._statistics = statistics
        self._progress: dict[int, DeckProgress] = {}
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
    def refresh(self) -> None:
        """Reload every deck and its counts from the service."""
        try:
            rows = self._decks.deck_list()
            if self._statistics is not None:
                self._progress = self._statistics.deck_progress()
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
        deck_item.setToolTip(name)
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
        parent.appendRow(row)
        return deck_item

    def _progress_item(self, deck_id: int | None) -> QStandardItem:
        item = QStandardItem()
        progress = self._progress.get(deck_id) if deck_id is not None else None
        if progress is not None:
            item.setData(progress, PROGRESS_ROLE)
            item.setToolTip(progress_text(progress))
            item.setAccessibleText(progress_text(progress))
        return item

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
