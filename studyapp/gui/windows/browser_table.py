"""The browser's result table: select all fetches every match first; the columns start at set
widths, some hidden, with the sort indicator on the view model's sort column."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from studyapp.domain.browser_columns import Column
from studyapp.gui.viewmodels.browser_model import COLUMNS

if TYPE_CHECKING:
    from studyapp.gui.windows.browser_window import BrowserWindow

_HIDDEN_AT_FIRST = (Column.CREATED, Column.MODIFIED, Column.SOURCE, Column.STABILITY)
_WIDTHS = {Column.QUESTION: 220, Column.DUE: 150}
"""Widths at first (other columns 110): a learning card's due shows a date and a time."""


class ResultTable(QTableView):
    """The result table: select all (menu or Ctrl+A) first puts every match in the table."""

    def __init__(self, fetch_all: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fetch_all = fetch_all

    def selectAll(self) -> None:
        if self._fetch_all():
            super().selectAll()


def build_table(window: BrowserWindow, parent: QWidget) -> ResultTable:
    table = ResultTable(window._vm.fetch_all, parent)
    table.setModel(window._vm.table)
    table.setAccessibleName(window.tr("Cards"))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(window._column_menu)
    for index, column in enumerate(COLUMNS):
        header.resizeSection(index, _WIDTHS.get(column, 110))
        table.setColumnHidden(index, column in _HIDDEN_AT_FIRST)
    header.setSortIndicator(
        COLUMNS.index(window._vm.table.sort_column),
        Qt.SortOrder.DescendingOrder
        if window._vm.table.descending
        else Qt.SortOrder.AscendingOrder,
    )
    header.sortIndicatorChanged.connect(window._on_sort_chosen)
    table.selectionModel().selectionChanged.connect(window._on_selection_changed)
    table.selectionModel().currentRowChanged.connect(window._on_current_row_changed)
    table.doubleClicked.connect(lambda _index: window.show_card_info())
    return table
