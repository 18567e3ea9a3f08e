"""The browser: search cards or notes, see them in a lazily filled table, and change many at once.

Layout: the search bar on top; the sidebar (saved searches, states, flags, decks, note types,
tags) on the left; the table on the right.  The Cards and Notes menus hold the bulk actions with
Anki's shortcuts; Edit holds Undo and Redo over the collection's undo stack.

The table fills its first screen from one short query and counts the rest afterwards (see
BrowserTableModel); select all first puts every match in the table, so a bulk action on it covers
the whole result.  Column widths, order, visibility and the sort column, the splitters and the
window's geometry are kept in the window-state file between sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QSettings,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.browser_columns import SORTABLE, BrowserMode, Column
from studyapp.gui.viewmodels.browser import BrowserViewModel
from studyapp.gui.viewmodels.browser_model import COLUMNS
from studyapp.gui.viewmodels.note_editor import NoteEditorViewModel
from studyapp.gui.viewmodels.statistics import StatisticsViewModel
from studyapp.gui.widgets.browser_sidebar import SAVED_ROLE, BrowserSidebar
from studyapp.gui.widgets.note_editor import NoteEditor
from studyapp.gui.windows.browser_dialogs import (
    ChangeDeckDialog,
    ConfirmDeleteDialog,
    FindReplaceDialog,
    ResetDialog,
    SaveSearchDialog,
    SetDueDialog,
    TagsDialog,
)
from studyapp.gui.windows.browser_menus import build_menus
from studyapp.gui.windows.browser_table import build_table
from studyapp.gui.windows.card_info_slot import CardInfoSlot
from studyapp.gui.windows.menus import add_action

if TYPE_CHECKING:
    from studyapp.services.browser import Selection, Sidebar

_HIDDEN_AT_FIRST = (Column.CREATED, Column.MODIFIED, Column.SOURCE, Column.STABILITY)
_INVALID_STYLE = "QLineEdit { border: 2px solid #e5484d; border-radius: 3px; }"
_WIDTHS = {Column.QUESTION: 220, Column.DUE: 150}
"""Widths at first (other columns 110): a learning card's due shows a date and a time."""
_COLUMNS_KEY = ",".join(COLUMNS)
"""Saved with the header: a header saved with other columns is not restored."""


class BrowserWindow(QMainWindow):
    """A top-level window over a BrowserViewModel; `collection_changed` after any change."""

    collection_changed = Signal()

    # Set by build_menus.
    undo_action: QAction
    redo_action: QAction
    save_search_action: QAction
    remove_search_action: QAction
    toggle_mode_action: QAction
    change_deck_action: QAction
    set_due_action: QAction
    reset_action: QAction
    suspend_action: QAction
    bury_action: QAction
    flag_actions: list[QAction]
    info_action: QAction
    add_tags_action: QAction
    remove_tags_action: QAction
    find_replace_action: QAction
    delete_action: QAction
    _selection_actions: list[QAction]

    def __init__(
        self,
        browser: BrowserViewModel,
        statistics: StatisticsViewModel | None = None,
        editor: NoteEditorViewModel | None = None,
        parent: QWidget | None = None,
        state_file: Path | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._vm = browser
        self._state_file = state_file
        self._statistics = statistics
        self.card_info = CardInfoSlot(self)
        self._sidebar_data: Sidebar | None = None
        self.setWindowTitle(self.tr("Browse"))
        self.setAccessibleName(self.tr("Browse"))
        self.resize(1100, 680)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(self._build_search_bar(central))
        self.search_error = QLabel(central)
        self.search_error.setObjectName("searchError")
        self.search_error.setStyleSheet("color: #e5484d;")
        self.search_error.setWordWrap(True)
        self.search_error.hide()
        layout.addWidget(self.search_error)

        self.sidebar = BrowserSidebar(central)
        self.table = build_table(self, central)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.addWidget(self.sidebar)
        self.editor: NoteEditor | None = None
        self.editor_splitter: QSplitter | None = None
        self._edited_note: int | None = None
        if editor is None:
            self.splitter.addWidget(self.table)
        else:
            right = QSplitter(Qt.Orientation.Vertical, self.splitter)
            right.addWidget(self.table)
            self.editor = NoteEditor(editor, right)
            self.editor.setEnabled(False)
            self.editor.saved.connect(self._on_note_saved)
            right.addWidget(self.editor)
            right.setSizes([380, 300])
            self.splitter.addWidget(right)
            self.editor_splitter = right
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 880])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.selection_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.selection_label)
        build_menus(self)
        self.restore_state()
        # After the header is restored: enabling sorting sorts by its indicator.
        self.table.setSortingEnabled(True)

        browser.searched.connect(self._on_searched)
        browser.counted.connect(self._on_counted)
        browser.search_failed.connect(self._on_search_failed)
        browser.changed.connect(self._on_changed)
        browser.error.connect(self._show_error)
        self.sidebar.search_requested.connect(self.search_for)
        self.sidebar.search_added.connect(self._add_to_search)
        self.refresh_sidebar()
        self._update_actions()

    # Building.

    def _build_search_bar(self, parent: QWidget) -> QHBoxLayout:
        self.search_edit = QLineEdit(parent)
        self.search_edit.setPlaceholderText(
            self.tr('Search: words, "phrases", deck:Name, tag:name, is:due, prop:ivl>10 …')
        )
        self.search_edit.setAccessibleName(self.tr("Search"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self.run_search)
        self.search_edit.textEdited.connect(self._clear_search_error)
        self.mode_box = QComboBox(parent)
        self.mode_box.setAccessibleName(self.tr("Show"))
        self.mode_box.addItem(self.tr("Cards"), BrowserMode.CARDS.value)
        self.mode_box.addItem(self.tr("Notes"), BrowserMode.NOTES.value)
        self.mode_box.setToolTip(self.tr("Show cards or notes (Ctrl+Alt+T)"))
        self.mode_box.currentIndexChanged.connect(self._on_mode_chosen)
        bar = QHBoxLayout()
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.mode_box)
        return bar

    def _action(
        self, menu: QMenu, text: str, keys: list[QKeySequence], tip: str, slot: Callable[[], None]
    ) -> QAction:
        return add_action(self, menu, text, keys, tip, slot)

    # Searching.

    def search_for(self, query: str) -> None:
        """Put `query` in the search bar and run it."""
        self.search_edit.setText(query)
        self.run_search()

    @Slot()
    def run_search(self) -> None:
        self._vm.search(self.search_edit.text())

    @Slot(str, str)
    def _add_to_search(self, query: str, joiner: str) -> None:
        current = self.search_edit.text().strip()
        self.search_for(f"({current}) {joiner} {query}" if current else query)

    @Slot(int)
    def _on_searched(self, count: int) -> None:
        self._clear_search_error()
        self._show_count()
        if count:
            self.table.selectRow(0)
        self._update_actions()

    @Slot(int)
    def _on_counted(self, _total: int) -> None:
        self._show_count()
        self._show_selected()

    def _show_count(self) -> None:
        table = self._vm.table
        noun = self.tr("cards") if table.mode is BrowserMode.CARDS else self.tr("notes")
        if table.total is None:
            text = self.tr("First %1 %2 shown; counting the rest…")
            shown = table.rowCount()
        else:
            text = self.tr("%1 %2 shown")
            shown = table.total
        self.statusBar().showMessage(text.replace("%1", f"{shown:,}").replace("%2", noun))

    @Slot(int, Qt.SortOrder)
    def _on_sort_chosen(self, section: int, _order: Qt.SortOrder) -> None:
        """A column that cannot be sorted keeps the indicator on the column that sorts."""
        table = self._vm.table
        if COLUMNS[section] not in SORTABLE:
            order = (
                Qt.SortOrder.DescendingOrder if table.descending else Qt.SortOrder.AscendingOrder
            )
            header = self.table.horizontalHeader()
            blocked = header.blockSignals(True)
            header.setSortIndicator(COLUMNS.index(table.sort_column), order)
            header.blockSignals(blocked)

    @Slot(str, int)
    def _on_search_failed(self, message: str, position: int) -> None:
        self.search_error.setText(message)
        self.search_error.show()
        self.search_edit.setStyleSheet(_INVALID_STYLE)
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.search_edit.setSelection(position, 1)
        self.statusBar().showMessage(message, 10_000)

    @Slot()
    def _clear_search_error(self) -> None:
        self.search_error.hide()
        self.search_edit.setStyleSheet("")

    @Slot()
    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot(int)
    def _on_mode_chosen(self, index: int) -> None:
        mode = BrowserMode(self.mode_box.itemData(index))
        if mode is not self._vm.table.mode:
            self._vm.set_mode(mode)

    @Slot()
    def toggle_mode(self) -> None:
        self.mode_box.setCurrentIndex(1 - self.mode_box.currentIndex())

    def refresh_sidebar(self) -> None:
        sidebar = self._vm.sidebar()
        if sidebar is not None:
            self.sidebar.show_sidebar(sidebar)
        self._sidebar_data = sidebar

    @Slot()
    def save_search(self) -> None:
        query = self.search_edit.text().strip()
        name = SaveSearchDialog.ask(self, query)
        if name is not None and self._vm.save_search(name, query):
            self.refresh_sidebar()

    @Slot()
    def remove_saved_search(self) -> None:
        item = self.sidebar.currentItem()
        name = None if item is None else item.data(0, SAVED_ROLE)
        if isinstance(name, str):
            self._vm.remove_saved_search(name)
            self.refresh_sidebar()

    # Selection.

    def selected_rows(self) -> list[int]:
        """The selected rows, read from the selection's ranges (select all over 100,000 rows
        is one range, not 100,000 indexes)."""
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for index in range(selection.count()):
            chosen = selection.at(index)
            rows.update(range(chosen.top(), chosen.bottom() + 1))
        return sorted(rows)

    def selection(self) -> Selection:
        return self._vm.selection(self.selected_rows())

    def current_card_id(self) -> int | None:
        index = self.table.currentIndex()
        row = self._vm.table.row_values(index.row()) if index.isValid() else None
        return None if row is None else row.card_id

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, *_args: object) -> None:
        self._update_actions()
        self._show_selected()

    def _show_selected(self) -> None:
        count = len(self.selected_rows())
        total = self._vm.table.total
        shown = f"{self._vm.table.rowCount():,}+" if total is None else f"{total:,}"
        self.selection_label.setText(
            self.tr("%1 of %2 selected").replace("%1", f"{count:,}").replace("%2", shown)
        )

    def _update_actions(self) -> None:
        chosen = self.table.selectionModel().hasSelection()
        for action in self._selection_actions:
            action.setEnabled(chosen)
        undo, redo = self._vm.undo_label(), self._vm.redo_label()
        self.undo_action.setEnabled(undo is not None)
        self.undo_action.setText(
            self.tr("&Undo %1").replace("%1", undo) if undo else self.tr("&Undo")
        )
        self.redo_action.setEnabled(redo is not None)
        self.redo_action.setText(
            self.tr("&Redo %1").replace("%1", redo) if redo else self.tr("&Redo")
        )

    def _reselect(self, ids: list[int], current: int | None) -> None:
        model = self._vm.table
        rows = model.rows_of(ids)
        if len(rows) < len(ids) and model.total is None and self._vm.fetch_all():
            rows = model.rows_of(ids)  # some were past the first page
        selection = QItemSelection()
        for row in rows:
            selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.table.selectionModel().select(selection, flags)
        current_row = None if current is None else model.rows_of([current])
        if current_row:
            self.table.selectionModel().setCurrentIndex(
                model.index(current_row[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    # The editor below the table.

    @property
    def edited_note(self) -> int | None:
        """The note in the editor, if any."""
        return self._edited_note

    @Slot()
    def _on_current_row_changed(self, *_args: object) -> None:
        self._save_note()
        self._show_current_note()

    def _show_current_note(self) -> None:
        if self.editor is None:
            return
        index = self.table.currentIndex()
        row = self._vm.table.row_values(index.row()) if index.isValid() else None
        note_id = None if row is None else row.note_id
        if note_id == self._edited_note and (note_id is None or not self.editor.modified):
            return
        self._edited_note = (
            note_id if note_id is not None and self.editor.load_note(note_id) else None
        )
        self.editor.setEnabled(self._edited_note is not None)

    def _save_note(self) -> None:
        """Keep what was typed in the editor before anything else happens."""
        if self.editor is not None and self._edited_note is not None and self.editor.modified:
            self.editor.save()

    @Slot(int)
    def _on_note_saved(self, _note_id: int) -> None:
        self._vm.table.refresh_values()
        self._update_actions()
        self.collection_changed.emit()

    # Bulk actions.

    def _with_selection(self, run: Callable[[Selection], None]) -> None:
        self._save_note()
        selection = self.selection()
        if not selection.ids:
            return
        current = self.table.currentIndex()
        current_id = self._vm.table.row_id(current.row()) if current.isValid() else None
        run(selection)
        self._reselect(list(selection.ids), current_id)

    @Slot()
    def change_deck(self) -> None:
        decks = [] if self._sidebar_data is None else self._sidebar_data.decks
        if self.selection().ids and (deck := ChangeDeckDialog.ask(self, decks)) is not None:
            self._with_selection(lambda s: self._vm.change_deck(s, deck))

    @Slot()
    def set_due(self) -> None:
        if self.selection().ids and (spec := SetDueDialog.ask(self)) is not None:
            self._with_selection(lambda s: self._vm.set_due(s, spec))

    @Slot()
    def reset(self) -> None:
        if self.selection().ids and (counts := ResetDialog.ask(self)) is not None:
            self._with_selection(lambda s: self._vm.reset(s, counts))

    @Slot()
    def toggle_suspend(self) -> None:
        self._with_selection(self._vm.toggle_suspend)

    @Slot()
    def toggle_bury(self) -> None:
        self._with_selection(self._vm.toggle_bury)

    def _flagger(self, flag: int) -> Callable[[], None]:
        return lambda: self.set_flag(flag)

    def set_flag(self, flag: int) -> None:
        self._with_selection(lambda s: self._vm.set_flag(s, flag))

    def _tags(self) -> list[str]:
        return [] if self._sidebar_data is None else self._sidebar_data.tags

    @Slot()
    def add_tags(self) -> None:
        title = self.tr("Add tags")
        if self.selection().ids and (tags := TagsDialog.ask(self, title, self._tags())):
            self._with_selection(lambda s: self._vm.add_tags(s, tags))

    @Slot()
    def remove_tags(self) -> None:
        title = self.tr("Remove tags")
        if self.selection().ids and (tags := TagsDialog.ask(self, title, self._tags())):
            self._with_selection(lambda s: self._vm.remove_tags(s, tags))

    @Slot()
    def find_and_replace(self) -> None:
        fields = [] if self._sidebar_data is None else self._sidebar_data.fields
        if not self.selection().ids:
            return
        request = FindReplaceDialog.ask(self, fields)
        if request is not None:
            self._with_selection(
                lambda s: self._vm.find_and_replace(
                    s,
                    request.find,
                    request.replace,
                    request.field,
                    request.regex,
                    request.ignore_case,
                )
            )

    @Slot()
    def delete_notes(self) -> None:
        self._save_note()
        selection = self.selection()
        counts = self._vm.count_cards(selection) if selection.ids else None
        if counts is None or not ConfirmDeleteDialog.ask(self, *counts):
            return
        self._vm.delete_notes(selection)

    @Slot()
    def show_card_info(self) -> None:
        """Card info for the current row's card (as the reviewer's key I)."""
        card_id = self.current_card_id()
        if card_id is None or self._statistics is None:
            return
        info = self._statistics.card_info(card_id)
        if info is None:
            return
        self.card_info.show(info)

    # Results.

    @Slot()
    def undo(self) -> None:
        self._save_note()
        self._vm.undo()

    @Slot()
    def redo(self) -> None:
        self._save_note()
        self._vm.redo()

    @Slot(str)
    def _on_changed(self, message: str) -> None:
        self._edited_note = None  # the note may have changed: show it afresh
        self._show_current_note()
        self.statusBar().showMessage(message, 10_000)
        self.refresh_sidebar()
        self._update_actions()
        self.collection_changed.emit()

    @Slot(str)
    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Browse"), message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _column_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        model = self._vm.table
        for index in range(model.columnCount()):
            title = model.headerData(index, Qt.Orientation.Horizontal)
            action = menu.addAction(str(title))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(index))
            action.toggled.connect(lambda on, i=index: self.table.setColumnHidden(i, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    # Remembering the window.

    def _state(self) -> QSettings | None:
        if self._state_file is None:
            return None
        return QSettings(str(self._state_file), QSettings.Format.IniFormat)

    def restore_state(self) -> None:
        """The geometry, splitters and header of the last session, and so its sort order."""
        state = self._state()
        if state is None:
            return
        geometry = state.value("Browser/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        for key, splitter in (
            ("Browser/splitter", self.splitter),
            ("Browser/editorSplitter", self.editor_splitter),
        ):
            saved = state.value(key)
            if splitter is not None and isinstance(saved, QByteArray | bytes):
                splitter.restoreState(QByteArray(saved))
        header = self.table.horizontalHeader()
        saved = state.value("Browser/header")
        if state.value("Browser/columns") != _COLUMNS_KEY or not isinstance(
            saved, QByteArray | bytes
        ):
            return
        if header.restoreState(QByteArray(saved)):
            descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            self._vm.table.set_sort(COLUMNS[header.sortIndicatorSection()], descending)

    def save_state(self) -> None:
        state = self._state()
        if state is None:
            return
        state.setValue("Browser/geometry", self.saveGeometry())
        state.setValue("Browser/splitter", self.splitter.saveState())
        if self.editor_splitter is not None:
            state.setValue("Browser/editorSplitter", self.editor_splitter.saveState())
        state.setValue("Browser/columns", _COLUMNS_KEY)
        state.setValue("Browser/header", self.table.horizontalHeader().saveState())
        state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_note()
        self.card_info.close()
        self.save_state()
        self._vm.shutdown()
        super().closeEvent(event)
