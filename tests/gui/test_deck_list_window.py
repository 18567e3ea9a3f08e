"""The deck list: rows, counts, nesting, starting a session, accessibility and window state."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QSpinBox,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.viewmodels.deck_list import NEW_COLUMN
from studyapp.gui.windows.note_windows import DECK_PAGE, REVIEWER_PAGE
from studyapp.services.container import Services
from tests.gui.sample_decks import EMT_DECK, install_tiny_deck

MakeGui = Callable[..., Gui]


def test_deck_list_shows_the_builtin_deck_with_its_counts(make_gui: MakeGui) -> None:
    gui = make_gui()
    model = gui.deck_list
    index = model.index_of_name(EMT_DECK)

    assert index.isValid()
    assert index.data() == EMT_DECK
    assert model.counts_at(index) == (20, 0, 0)
    assert gui.window.tree.isVisible()


def test_subdecks_nest_under_their_parent_and_the_tree_is_expanded(
    services: Services, make_gui: MakeGui
) -> None:
    install_tiny_deck(services)
    gui = make_gui()
    model = gui.deck_list

    parent = model.index_of_name("Languages")
    child = model.index_of_name("Languages::Tiny")
    assert child.parent() == parent
    assert child.data() == "Tiny"
    assert model.counts_at(child) == (1, 0, 0)
    assert model.counts_at(parent) == (1, 0, 0)
    assert gui.window.tree.isExpanded(parent)


def test_count_columns_are_coloured_and_zero_is_muted(make_gui: MakeGui) -> None:
    gui = make_gui()
    row = gui.deck_list.index_of_name(EMT_DECK)
    new = row.siblingAtColumn(NEW_COLUMN).data(Qt.ItemDataRole.ForegroundRole).color()
    learning = row.siblingAtColumn(NEW_COLUMN + 1).data(Qt.ItemDataRole.ForegroundRole).color()

    assert new.blue() > new.red()  # blue for new cards
    assert learning.saturation() < 40  # 0 learning cards: grey


def test_study_button_opens_the_reviewer_and_escape_returns_with_fresh_counts(
    qtbot: QtBot, make_gui: MakeGui
) -> None:
    gui = make_gui()
    window = gui.window
    window.select_deck(gui.deck_list.deck_id(gui.deck_list.index_of_name(EMT_DECK)) or 0)

    with qtbot.waitSignal(gui.reviewer.card_shown):
        window.study_button.click()
    assert window.stack.currentIndex() == REVIEWER_PAGE
    gui.reviewer.reveal_answer()
    gui.reviewer.rate(4)

    QTest.keyClick(window.reviewer.browser, Qt.Key.Key_Escape)
    assert window.stack.currentIndex() == DECK_PAGE
    assert gui.deck_list.counts_at(gui.deck_list.index_of_name(EMT_DECK)) == (19, 0, 0)


def test_enter_on_a_deck_starts_studying(qtbot: QtBot, make_gui: MakeGui) -> None:
    gui = make_gui()
    window = gui.window
    window.tree.setFocus()
    window.tree.setCurrentIndex(gui.deck_list.index_of_name(EMT_DECK))

    with qtbot.waitSignal(gui.reviewer.card_shown):
        QTest.keyClick(window.tree, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == REVIEWER_PAGE


def test_double_click_on_a_deck_starts_studying(qtbot: QtBot, make_gui: MakeGui) -> None:
    gui = make_gui()
    tree = gui.window.tree
    point = tree.visualRect(gui.deck_list.index_of_name(EMT_DECK)).center()

    viewport = tree.viewport()
    left = Qt.MouseButton.LeftButton
    no_keys = Qt.KeyboardModifier.NoModifier
    with qtbot.waitSignal(gui.reviewer.card_shown):
        QTest.mouseClick(viewport, left, no_keys, point)
        QTest.mouseDClick(viewport, left, no_keys, point)
    assert gui.window.stack.currentIndex() == REVIEWER_PAGE


def test_study_needs_a_selected_deck_and_refresh_keeps_the_selection(
    services: Services, make_gui: MakeGui
) -> None:
    install_tiny_deck(services)
    gui = make_gui()
    window, model = gui.window, gui.deck_list
    tiny = model.index_of_name("Languages::Tiny")
    window.tree.setCurrentIndex(tiny)
    assert window.study_button.isEnabled()

    window.refresh_decks()
    assert window.selected_deck_id() == model.deck_id(model.index_of_name("Languages::Tiny"))

    window.tree.setCurrentIndex(QModelIndex())
    assert not window.study_button.isEnabled()


def test_back_from_the_reviewer_selects_the_deck_just_studied(
    services: Services, make_gui: MakeGui
) -> None:
    tiny = install_tiny_deck(services)
    gui = make_gui()
    window = gui.window
    window.tree.setCurrentIndex(gui.deck_list.index_of_name(EMT_DECK))

    window.study(tiny)
    window.reviewer.decks_button.click()
    assert window.stack.currentIndex() == DECK_PAGE
    assert window.selected_deck_id() == tiny


def test_every_control_has_an_accessible_name(make_gui: MakeGui) -> None:
    gui = make_gui()
    window = gui.window
    window.study(gui.deck_list.deck_id(gui.deck_list.index_of_name(EMT_DECK)) or 0)
    kinds = (QAbstractButton, QLineEdit, QSpinBox, QComboBox, QTextBrowser)
    controls = [w for w in window.findChildren(QWidget) if isinstance(w, kinds)]

    assert len(controls) >= 8
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in controls if not w.accessibleName()]
    assert unnamed == []


def test_menus_have_the_expected_shortcuts(make_gui: MakeGui) -> None:
    window = make_gui().window

    def keys(action_name: str) -> set[str]:
        action = getattr(window, action_name)
        return {s.toString() for s in action.shortcuts()}

    assert "Ctrl+Q" in keys("quit_action")
    assert "Ctrl+Z" in keys("undo_action")
    assert "Ctrl+," in keys("settings_action")
    assert "Ctrl+=" in keys("bigger_action")
    assert "Ctrl+-" in keys("smaller_action")


def test_window_geometry_and_columns_are_remembered(
    make_gui: MakeGui, gui_context: GuiContext
) -> None:
    first = make_gui()
    first.window.resize(700, 480)
    first.window.move(40, 30)
    first.window.tree.header().resizeSection(NEW_COLUMN, 123)
    first.window.close()
    assert gui_context.window_state_file.is_file()

    second = make_gui()
    assert second.window.size().width() == 700
    assert second.window.size().height() == 480
    assert second.window.tree.header().sectionSize(NEW_COLUMN) == 123


def test_undo_from_the_deck_list_restores_the_counts(
    qtbot: QtBot, make_gui: MakeGui, services: Services
) -> None:
    gui = make_gui()
    window, model = gui.window, gui.deck_list
    emt = services.decks.by_name(EMT_DECK).id
    window.study(emt)
    gui.reviewer.reveal_answer()
    gui.reviewer.rate(4)
    window.show_decks()
    assert model.counts_at(model.index_of_name(EMT_DECK)) == (19, 0, 0)

    with qtbot.waitSignal(gui.reviewer.undone):
        QTest.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == DECK_PAGE
    assert model.counts_at(model.index_of_name(EMT_DECK)) == (20, 0, 0)
    assert "Undone: Answer" in window.statusBar().currentMessage()
