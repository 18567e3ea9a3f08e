"""The browser window over the built-in deck: opening it with B, searching, sorting by a header,
bulk actions through the menus, undo and redo, a malformed query, and the editor below; over
thousands more cards: the first page first, the rest as the view scrolls, select all over every
match, and the layout kept between sessions."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from studyapp.domain.browser_columns import BrowserMode, Column
from studyapp.domain.cards import Card, Note
from studyapp.domain.clock import ManualClock, to_epoch
from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.viewmodels.browser import BrowserViewModel
from studyapp.gui.viewmodels.browser_model import COLUMNS, FETCH_ROWS, PAGE_SIZE, cell_text
from studyapp.gui.windows import browser_dialogs
from studyapp.gui.windows.browser_window import BrowserWindow
from studyapp.services.browser import Selection
from studyapp.services.browser_rows import Due, DueKind
from studyapp.services.collection import ensure_deck
from studyapp.services.container import Services
from studyapp.storage.database import Database

MakeGui = Callable[..., Gui]
CLOZE = "tag:emt-vs-ems::cloze"


@pytest.fixture
def browser(
    qtbot: QtBot, make_gui: MakeGui, gui_context: GuiContext, services: Services
) -> BrowserWindow:
    context = dataclasses.replace(gui_context, note_services=services)
    gui = make_gui(context)
    gui.window.tree.setFocus()
    QTest.keyClick(gui.window.tree, Qt.Key.Key_B)
    window = gui.window.browser_window
    assert window is not None
    qtbot.waitExposed(window)
    return window


def search(window: BrowserWindow, query: str) -> None:
    window.search_edit.setText(query)
    QTest.keyClick(window.search_edit, Qt.Key.Key_Return)


def test_key_b_opens_the_browser_on_the_selected_deck(
    browser: BrowserWindow, services: Services
) -> None:
    assert browser.search_edit.text().startswith("deck:")
    expected = services.browser.search(browser.search_edit.text())
    assert browser.table.model().rowCount() == len(expected) > 0
    assert "shown" in browser.statusBar().currentMessage() or browser.table.currentIndex().isValid()


def test_search_with_enter_shows_the_matching_cards(
    browser: BrowserWindow, services: Services
) -> None:
    search(browser, CLOZE)
    model = browser.table.model()
    expected = services.browser.search(CLOZE, BrowserMode.CARDS, Column.DUE)
    assert model.rowCount() == len(expected) > 0
    assert [browser._vm.table.row_id(r) for r in range(model.rowCount())] == expected
    first = model.index(0, COLUMNS.index(Column.DECK)).data()
    assert first == "EMT vs EMS"


def test_clicking_a_header_sorts_in_the_database(
    browser: BrowserWindow, services: Services
) -> None:
    search(browser, CLOZE)
    header = browser.table.horizontalHeader()
    column = COLUMNS.index(Column.SORT_FIELD)
    spot = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    table = browser._vm.table
    assert table.sort_column is Column.SORT_FIELD
    ids = table.ids()
    assert ids == services.browser.search(
        CLOZE, BrowserMode.CARDS, Column.SORT_FIELD, table.descending
    )
    texts = [table.index(r, column).data().casefold() for r in range(table.rowCount())]
    assert texts == sorted(texts, reverse=table.descending)


def test_change_deck_through_the_menu_then_undo_and_redo(
    browser: BrowserWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    search(browser, CLOZE)
    browser.table.selectRow(0)
    chosen = browser._vm.table.row_id(0)
    monkeypatch.setattr(browser_dialogs.ChangeDeckDialog, "ask", lambda *_: "Moved::Here")
    browser.change_deck_action.trigger()
    assert services.browser.search('deck:"Moved::Here"') == [chosen]
    assert "Moved 1 cards" in browser.statusBar().currentMessage()
    assert browser.undo_action.text() == "&Undo Change deck"
    QTest.keyClick(browser.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert services.browser.search('deck:"Moved::Here"') == []
    assert "Undone: Change deck" in browser.statusBar().currentMessage()
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(browser.table, Qt.Key.Key_Z, modifiers)
    assert services.browser.search('deck:"Moved::Here"') == [chosen]


def test_flag_shortcut_and_suspend_show_in_the_rows(
    browser: BrowserWindow, services: Services
) -> None:
    search(browser, CLOZE)
    browser.table.selectRow(0)
    chosen = browser._vm.table.row_id(0)
    QTest.keyClick(browser.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert services.browser.search("flag:1") == [chosen]
    background = browser._vm.table.index(0, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert background is not None
    browser.suspend_action.trigger()
    due = browser._vm.table.index(0, COLUMNS.index(Column.DUE)).data()
    assert due.startswith("(")
    assert chosen in services.browser.search("is:suspended")


def test_delete_asks_first_and_undo_brings_the_notes_back(
    browser: BrowserWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    search(browser, CLOZE)
    count = browser._vm.table.rowCount()
    browser.table.selectRow(0)
    asked: list[tuple[int, int]] = []

    def refuse(_parent: object, notes: int, cards: int) -> bool | None:
        asked.append((notes, cards))
        return None

    monkeypatch.setattr(browser_dialogs.ConfirmDeleteDialog, "ask", refuse)
    browser.delete_action.trigger()
    assert asked
    assert asked[0][0] == 1
    assert len(services.browser.search(CLOZE)) == count
    monkeypatch.setattr(browser_dialogs.ConfirmDeleteDialog, "ask", lambda *_: True)
    browser.delete_action.trigger()
    assert browser._vm.table.rowCount() == count - asked[0][1]
    browser.undo_action.trigger()
    assert browser._vm.table.rowCount() == count


def test_a_malformed_query_shows_the_problem_and_where(browser: BrowserWindow) -> None:
    before = browser._vm.table.rowCount()
    search(browser, "heart (is:due")
    assert browser.search_error.isVisible()
    assert "never closed" in browser.search_error.text()
    assert browser.search_edit.selectionStart() == 6
    assert browser.search_edit.selectedText() == "("
    assert browser._vm.table.rowCount() == before
    search(browser, "is:new")
    assert not browser.search_error.isVisible()


def test_notes_mode_and_the_sidebar(browser: BrowserWindow, services: Services) -> None:
    browser.mode_box.setCurrentIndex(1)
    assert browser._vm.table.mode is BrowserMode.NOTES
    item = browser.sidebar.findItems("New", Qt.MatchFlag.MatchRecursive)[0]
    browser.sidebar.itemClicked.emit(item, 0)
    assert browser.search_edit.text() == "is:new"
    assert browser._vm.table.ids() == services.browser.search(
        "is:new", BrowserMode.NOTES, browser._vm.table.sort_column
    )


def test_rows_are_fetched_a_page_at_a_time(browser: BrowserWindow) -> None:
    search(browser, "")
    table = browser._vm.table
    assert table.rowCount() > 0
    assert table.pages_fetched <= 2


def test_the_editor_shows_the_current_note(browser: BrowserWindow) -> None:
    assert browser.editor is not None
    search(browser, CLOZE)
    browser.table.selectRow(1)
    row = browser._vm.table.row_values(1)
    assert row is not None
    assert browser.editor.isEnabled()
    assert browser.edited_note == row.note_id


MANY = 6_000


def _add_cards(services: Services, database: Database, now: int, count: int) -> None:
    with database.transaction() as repos:
        deck = ensure_deck(repos, "Many", 1)
        basic = repos.note_types.by_name("Basic")
        assert basic is not None
        notes = [
            Note(0, f"many-{i}", basic.id, (f"q{i:05}", "a", ""), (), now, now)
            for i in range(count)
        ]
        note_ids = repos.notes.add_many(notes)
        repos.cards.add_many([Card(0, n, deck.id, 0, due=i) for i, n in enumerate(note_ids)], now)


@pytest.fixture
def standalone(
    qtbot: QtBot, services: Services, database: Database, clock: ManualClock, tmp_path: Path
) -> Callable[[], BrowserWindow]:
    """A browser window of its own over MANY more cards, keeping its state in tmp_path."""
    _add_cards(services, database, to_epoch(clock.now()), MANY)
    models: list[BrowserViewModel] = []

    def make() -> BrowserWindow:
        models.append(BrowserViewModel(services.browser, services.undo))
        window = BrowserWindow(models[-1], state_file=tmp_path / "window-state.ini")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def test_the_first_page_comes_first_and_the_rest_as_the_view_scrolls(
    qtbot: QtBot, standalone: Callable[[], BrowserWindow], services: Services
) -> None:
    browser = standalone()
    table = browser._vm.table
    expected = services.browser.search("deck:Many", BrowserMode.CARDS, table.sort_column)
    with qtbot.waitSignal(browser._vm.counted, timeout=10_000) as counted:
        search(browser, "deck:Many")
        assert table.rowCount() == PAGE_SIZE
        counting = table.total
        assert counting is None
        assert "First 50 cards shown" in browser.statusBar().currentMessage()
    assert counted.args == [MANY]
    assert table.total == MANY
    assert "6,000 cards shown" in browser.statusBar().currentMessage()
    assert table.rowCount() == PAGE_SIZE + FETCH_ROWS  # one batch joined when the count came
    assert table.canFetchMore(QModelIndex())
    browser.table.scrollToBottom()  # the view asks for the next batch at its end
    qtbot.waitUntil(lambda: table.rowCount() == MANY)
    assert not table.canFetchMore(QModelIndex())
    assert table.ids() == expected
    assert table.pages_fetched <= 3  # values only for the pages that were drawn


def test_select_all_covers_every_match_before_the_count_arrives(
    qtbot: QtBot, standalone: Callable[[], BrowserWindow], services: Services
) -> None:
    browser = standalone()
    search(browser, "deck:Many")
    assert browser._vm.table.total is None
    QTest.keyClick(browser.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert browser._vm.table.rowCount() == MANY
    assert len(browser.selection().ids) == MANY
    assert browser.selection_label.text() == "6,000 of 6,000 selected"
    browser.suspend_action.trigger()
    assert len(services.browser.search("deck:Many is:suspended")) == MANY
    # The selection still covers the whole result after the action refreshed the table.
    assert len(browser.selection().ids) == MANY
    browser.undo_action.trigger()
    assert services.browser.search("deck:Many is:suspended") == []


def test_dates_are_iso_and_difficulty_a_percentage(
    browser: BrowserWindow, services: Services
) -> None:
    search(browser, CLOZE)
    table = browser._vm.table
    row = table.row_values(0)
    assert row is not None
    assert (
        table.index(0, COLUMNS.index(Column.CREATED)).data()
        == row.created.astimezone().date().isoformat()
    )
    cards = Selection(BrowserMode.CARDS, (row.id,))
    services.browser.set_due(cards, "3")
    table.refresh()
    due = table.index(table.rows_of([row.id])[0], COLUMNS.index(Column.DUE)).data()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", due)
    assert cell_text(replace(row, difficulty=9.1), Column.DIFFICULTY) == "90%"
    assert cell_text(replace(row, difficulty=1.0), Column.DIFFICULTY) == "0%"
    learning = replace(row, interval=None, due=Due(DueKind.LEARNING, moment=row.created))
    assert cell_text(learning, Column.INTERVAL) == "(learning)"
    assert cell_text(replace(row, interval=12.0), Column.INTERVAL) == "12 d"


def test_columns_and_sort_are_remembered_between_sessions(
    qtbot: QtBot, standalone: Callable[[], BrowserWindow], services: Services
) -> None:
    first = standalone()
    header = first.table.horizontalHeader()
    deck, tags = COLUMNS.index(Column.DECK), COLUMNS.index(Column.TAGS)
    header.resizeSection(deck, 233)
    header.moveSection(header.visualIndex(tags), 0)
    first.table.setColumnHidden(COLUMNS.index(Column.CREATED), False)
    first.table.sortByColumn(COLUMNS.index(Column.SORT_FIELD), Qt.SortOrder.DescendingOrder)
    first.splitter.setSizes([300, 800])
    sidebar_width = first.splitter.sizes()[0]
    first.close()

    second = standalone()
    header = second.table.horizontalHeader()
    assert header.sectionSize(deck) == 233
    assert header.visualIndex(tags) == 0
    assert not second.table.isColumnHidden(COLUMNS.index(Column.CREATED))
    assert second.table.isColumnHidden(COLUMNS.index(Column.SOURCE))
    assert header.sortIndicatorSection() == COLUMNS.index(Column.SORT_FIELD)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert second.splitter.sizes()[0] == sidebar_width
    table = second._vm.table
    assert (table.sort_column, table.descending) == (Column.SORT_FIELD, True)
    search(second, "deck:Many")
    assert (
        table.ids()
        == services.browser.search("deck:Many", BrowserMode.CARDS, Column.SORT_FIELD, True)[
            :PAGE_SIZE
        ]
    )


def test_the_question_column_cannot_take_the_sort(browser: BrowserWindow) -> None:
    search(browser, CLOZE)
    header = browser.table.horizontalHeader()
    before = header.sortIndicatorSection()
    browser.table.sortByColumn(COLUMNS.index(Column.QUESTION), Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == before
    assert browser._vm.table.sort_column is COLUMNS[before]


def test_closing_the_main_window_keeps_the_browser_layout(
    browser: BrowserWindow, gui_context: GuiContext
) -> None:
    main = browser.parentWidget()
    assert main is not None
    browser.table.horizontalHeader().resizeSection(COLUMNS.index(Column.DECK), 177)
    main.close()
    state = QSettings(str(gui_context.window_state_file), QSettings.Format.IniFormat)
    assert state.value("Browser/columns") == ",".join(COLUMNS)
    header = QHeaderView(Qt.Orientation.Horizontal)
    header.setModel(QStandardItemModel(0, len(COLUMNS)))
    assert header.restoreState(state.value("Browser/header"))
    assert header.sectionSize(COLUMNS.index(Column.DECK)) == 177


def test_a_newer_search_drops_the_older_count(
    qtbot: QtBot, standalone: Callable[[], BrowserWindow], services: Services
) -> None:
    browser = standalone()
    table = browser._vm.table
    with qtbot.waitSignal(browser._vm.counted, timeout=10_000) as counted:
        browser.search_for("deck:Many")  # no event is processed between the two searches
        browser.search_for("deck:Many q01*")
    assert counted.args == [1000]
    browser._vm.shutdown()  # the first search's worker has finished too
    qtbot.wait(50)  # its result, delivered now, is dropped
    assert table.total == 1000
    assert table.ids() == services.browser.search("deck:Many q01*", BrowserMode.CARDS, Column.DUE)
