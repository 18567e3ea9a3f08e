"""The browser's table: a search's rows, shown at once for the first screen, the rest lazily.

A search first asks for one page: the first `PAGE_SIZE` matches, sorted and cut in SQL, with their
values, so the first screen costs one short query whatever the collection's size.  Every matching
id (sorted, and so the count) then comes from a worker thread.  Rows join the table `FETCH_ROWS`
at a time as the view scrolls (`canFetchMore`/`fetchMore`), and `data()` fetches the values of a
row's page when it is first drawn, keeping the last few pages.  `fetch_all()` puts every match in
the table at once, for a selection that must cover the whole result (select all).  Clicking a
header sorts in SQL by running the search again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from studyapp.domain.browser_columns import SORTABLE, BrowserMode, Column
from studyapp.errors import StudyAppError
from studyapp.gui.tasks import Cancelled, Progress, Task, expected_message
from studyapp.gui.time_text import clock_time
from studyapp.services.browser_rows import DueKind

if TYPE_CHECKING:
    from studyapp.services.browser import BrowserService, SearchPage
    from studyapp.services.browser_rows import BrowserRow, Due

PAGE_SIZE = 50
"""Rows per query for values, and the rows of the first page (a tall screen's worth)."""
KEPT_PAGES = 40
FETCH_ROWS = 5000
"""Rows that join the table each time the view scrolls to its end."""

COLUMNS: tuple[Column, ...] = (
    Column.SORT_FIELD,
    Column.QUESTION,
    Column.DECK,
    Column.NOTE_TYPE,
    Column.TAGS,
    Column.DUE,
    Column.INTERVAL,
    Column.STABILITY,
    Column.DIFFICULTY,
    Column.RETRIEVABILITY,
    Column.REVIEWS,
    Column.LAPSES,
    Column.CREATED,
    Column.MODIFIED,
    Column.SOURCE,
)
_NUMERIC = frozenset(
    {
        Column.INTERVAL,
        Column.STABILITY,
        Column.DIFFICULTY,
        Column.RETRIEVABILITY,
        Column.REVIEWS,
        Column.LAPSES,
    }
)
FLAG_COLORS = {
    1: "#e5484d",
    2: "#f76b15",
    3: "#30a46c",
    4: "#0090ff",
    5: "#d6409f",
    6: "#12a594",
    7: "#8e4ec6",
}
"""Anki's flag colors: red, orange, green, blue, pink, turquoise, purple."""
_SUSPENDED = "#f5c400"
_BURIED = "#8b8d98"

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("BrowserTableModel", text)


def column_title(column: Column) -> str:
    titles = {
        Column.SORT_FIELD: _tr("Sort field"),
        Column.QUESTION: _tr("Question"),
        Column.DECK: _tr("Deck"),
        Column.NOTE_TYPE: _tr("Note type"),
        Column.TAGS: _tr("Tags"),
        Column.DUE: _tr("Due"),
        Column.INTERVAL: _tr("Interval"),
        Column.STABILITY: _tr("Stability"),
        Column.DIFFICULTY: _tr("Difficulty"),
        Column.RETRIEVABILITY: _tr("Retrievability"),
        Column.REVIEWS: _tr("Reviews"),
        Column.LAPSES: _tr("Lapses"),
        Column.CREATED: _tr("Created"),
        Column.MODIFIED: _tr("Modified"),
        Column.SOURCE: _tr("Source"),
    }
    return titles[column]


def _due_text(due: Due | None) -> str:
    if due is None:
        return ""
    if due.kind is DueKind.NEW:
        return _tr("New #%1").replace("%1", str(due.position))
    if due.kind is DueKind.REVIEW:
        assert due.day is not None
        return date_text(due.day)
    assert due.moment is not None
    local = due.moment.astimezone()
    return f"{date_text(local.date())} {clock_time(local, local.tzinfo or UTC)}"


def date_text(day: date) -> str:
    """Dates read the same in every locale: 2026-03-13."""
    return day.isoformat()


def cell_text(row: BrowserRow, column: Column) -> str:
    """What a cell shows."""
    days = _tr("%1 d")
    match column:
        case Column.SORT_FIELD:
            return row.sort_field
        case Column.QUESTION:
            return row.question
        case Column.DECK:
            return row.deck
        case Column.NOTE_TYPE:
            return row.note_type
        case Column.TAGS:
            return row.tags
        case Column.DUE:
            text = _due_text(row.due)
            return f"({text})" if row.suspended or row.buried else text
        case Column.INTERVAL:
            if row.interval is not None:
                return days.replace("%1", f"{row.interval:.0f}")
            learning = row.due is not None and row.due.kind is DueKind.LEARNING
            return _tr("(learning)") if learning else ""
        case Column.STABILITY:
            return "" if row.stability is None else days.replace("%1", f"{row.stability:.1f}")
        case Column.DIFFICULTY:
            # As Anki shows it: FSRS difficulty 1-10 as 0-100%.
            return "" if row.difficulty is None else f"{(row.difficulty - 1) / 9:.0%}"
        case Column.RETRIEVABILITY:
            return "" if row.retrievability is None else f"{row.retrievability:.0%}"
        case Column.REVIEWS:
            return str(row.reviews)
        case Column.LAPSES:
            return str(row.lapses)
        case Column.CREATED:
            return date_text(row.created.astimezone().date())
        case Column.MODIFIED:
            return date_text(row.modified.astimezone().date())
        case Column.SOURCE:
            return row.source or ""


class BrowserTableModel(QAbstractTableModel):
    """Rows of cards or notes; `search()` raises SearchError for a query it cannot read.

    `counted(total)` once every match is known; `failed(message)` when fetching them failed.
    """

    counted = Signal(int)
    failed = Signal(str)

    def __init__(self, service: BrowserService, parent: Any = None) -> None:
        super().__init__(parent)
        self._service = service
        self.mode = BrowserMode.CARDS
        self.query = ""
        self.sort_column = Column.DUE
        self.descending = False
        self._ids: list[int] = []
        """The first page's ids until every match is known, then every match; the table shows
        the first `_shown` of them."""
        self._shown = 0
        self._complete = True
        self._pages: OrderedDict[int, dict[int, BrowserRow]] = OrderedDict()
        self._generation = 0
        self._tasks: set[Task[list[int]]] = set()
        """Workers still fetching matches (an older search's result is dropped on arrival)."""
        self.pages_fetched = 0
        """How many pages of values were fetched (tests check that fetching stays lazy)."""

    # Searching.

    def search(self, query: str) -> int:
        """Run `query` with the current mode and sort: the first page now, every match later.
        Returns the rows shown now."""
        page = self._first_page(query)
        self.query = query
        self._show(page)
        return self._shown

    def refresh(self) -> None:
        """Search again (after a change), keeping the query."""
        self._show(self._first_page(self.query))

    def refresh_values(self) -> None:
        """Fetch the shown rows' values again (after an edit that changes no search result)."""
        self._pages.clear()
        if self._shown:
            last = self.index(self._shown - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def set_mode(self, mode: BrowserMode) -> None:
        self.mode = mode
        self.refresh()

    def set_sort(self, column: Column, descending: bool) -> None:
        """The order of the next search (a remembered header), without searching now."""
        if column in SORTABLE:
            self.sort_column = column
            self.descending = descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        if not 0 <= column < len(COLUMNS) or COLUMNS[column] not in SORTABLE:
            return
        if (COLUMNS[column], descending) == (self.sort_column, self.descending):
            return
        self.sort_column = COLUMNS[column]
        self.descending = descending
        try:  # called by the view: a failure is reported, never raised into Qt
            self.refresh()
        except StudyAppError as error:
            self.failed.emit(str(error))

    def _first_page(self, query: str) -> SearchPage:
        return self._service.first_page(
            query, self.mode, self.sort_column, self.descending, PAGE_SIZE
        )

    def _show(self, page: SearchPage) -> None:
        self._generation += 1
        self.beginResetModel()
        self._ids = list(page.ids)
        self._shown = len(self._ids)
        self._complete = page.complete
        self._pages.clear()
        self._pages[0] = {row.id: row for row in page.rows}
        self.endResetModel()
        if page.complete:
            self.counted.emit(len(self._ids))
        else:
            self._count_later()

    def _count_later(self) -> None:
        """Every match, sorted, from a worker thread; a newer search drops the result."""
        generation = self._generation
        service = self._service
        query, mode, sort, descending = self.query, self.mode, self.sort_column, self.descending

        def work(_progress: Progress, _cancelled: Cancelled) -> list[int]:
            return service.search(query, mode, sort, descending)

        task: Task[list[int]] = Task(work, self)
        task.succeeded.connect(lambda ids, g=generation: self._on_matches(g, ids))
        task.failed.connect(lambda error, g=generation: self._on_failed(g, error))
        task.ended.connect(lambda t=task: self._on_ended(t))
        self._tasks.add(task)
        task.start()

    def _on_matches(self, generation: int, ids: object) -> None:
        if generation != self._generation or self._complete or not isinstance(ids, list):
            return
        self._accept(ids)
        self.fetchMore(QModelIndex())

    def _on_failed(self, generation: int, error: object) -> None:
        if generation != self._generation:
            return
        self.failed.emit(expected_message(error))

    def _on_ended(self, task: Task[list[int]]) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    def _accept(self, ids: list[int]) -> None:
        """Every match is known now."""
        if ids[: self._shown] != self._ids[: self._shown]:
            # The collection changed between the first page and this list: show the list.
            self.beginResetModel()
            self._ids = ids
            self._shown = min(self._shown, len(ids))
            self._pages.clear()
            self._complete = True
            self.endResetModel()
        else:
            self._ids = ids
            self._complete = True
        self.counted.emit(len(ids))

    def stop(self, timeout_s: float = 30.0) -> None:
        """Wait for the workers still fetching matches (the window closes)."""
        for task in list(self._tasks):
            task.wait(timeout_s)

    # Rows.

    @property
    def total(self) -> int | None:
        """How many rows match, once known."""
        return len(self._ids) if self._complete else None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < len(self._ids)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        last = min(len(self._ids), self._shown + FETCH_ROWS) - 1
        self.beginInsertRows(QModelIndex(), self._shown, last)
        self._shown = last + 1
        self.endInsertRows()

    def fetch_all(self) -> None:
        """Put every match in the table now, asking for them if the worker has not yet
        brought them; raises StudyAppError when they cannot be read."""
        if not self._complete:
            self._accept(
                self._service.search(self.query, self.mode, self.sort_column, self.descending)
            )
        if self._shown < len(self._ids):
            self.beginInsertRows(QModelIndex(), self._shown, len(self._ids) - 1)
            self._shown = len(self._ids)
            self.endInsertRows()

    def ids(self) -> list[int]:
        """The ids of the rows in the table."""
        return self._ids[: self._shown]

    def row_id(self, row: int) -> int:
        return self._ids[row]

    def rows_of(self, ids: Sequence[int]) -> list[int]:
        """The rows that show these ids now (ids not in the table are left out)."""
        position = {row_id: row for row, row_id in enumerate(self._ids[: self._shown])}
        return [position[i] for i in ids if i in position]

    def row_values(self, row: int) -> BrowserRow | None:
        """The values of a row, from the page cache or fetched with their page."""
        if not 0 <= row < self._shown:
            return None
        page = row // PAGE_SIZE
        cached = self._pages.get(page)
        if cached is None:
            ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            cached = {value.id: value for value in self._service.rows(self.mode, ids)}
            self.pages_fetched += 1
            self._pages[page] = cached
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return cached.get(self._ids[row])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section] not in SORTABLE:
            return _tr("The question cannot be sorted; sort by the sort field instead.")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.BackgroundRole,
        ):
            return None
        row = self.row_values(index.row())
        if row is None:
            return _tr("(deleted)") if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row)
        return cell_text(row, column)

    @staticmethod
    def _background(row: BrowserRow) -> QColor | None:
        color = FLAG_COLORS.get(row.flag)
        if color is None and row.suspended:
            color = _SUSPENDED
        if color is None and row.buried:
            color = _BURIED
        if color is None:
            return None
        tint = QColor(color)
        tint.setAlpha(56)
        return tint
