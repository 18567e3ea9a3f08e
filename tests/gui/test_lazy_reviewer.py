"""The reviewer page is built when first needed: Undo, settings and the theme work without it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.theme import apply_theme, dark_palette
from studyapp.gui.windows.note_windows import REVIEWER_PAGE
from studyapp.gui.windows.reviewer import ReviewerWidget
from studyapp.services.container import Services
from studyapp.services.settings import Theme
from tests.gui.sample_decks import EMT_DECK

MakeGui = Callable[..., Gui]


@pytest.fixture
def emt(services: Services) -> int:
    return services.decks.by_name(EMT_DECK).id


def study(qtbot: QtBot, gui: Gui, deck_id: int) -> None:
    with qtbot.waitSignal(gui.reviewer.card_shown):
        gui.window.study(deck_id)


def pages(gui: Gui) -> list[ReviewerWidget]:
    return gui.window.findChildren(ReviewerWidget)


def deck_names(gui: Gui) -> list[str]:
    model = gui.deck_list
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def test_the_reviewer_page_is_built_when_study_starts(
    qtbot: QtBot, make_gui: MakeGui, emt: int
) -> None:
    gui = make_gui()
    assert pages(gui) == []
    assert gui.window.stack.count() == REVIEWER_PAGE

    study(qtbot, gui, emt)

    assert pages(gui) == [gui.window.reviewer]
    assert gui.window.stack.currentWidget() is gui.window.reviewer
    assert gui.window.stack.indexOf(gui.window.reviewer) == REVIEWER_PAGE
    assert gui.window.reviewer.undo_button.defaultAction() is gui.window.undo_action
    gui.window.reviewer.decks_button.click()
    study(qtbot, gui, emt)
    assert len(pages(gui)) == 1


def test_closing_without_studying_builds_no_reviewer(make_gui: MakeGui) -> None:
    gui = make_gui()
    gui.window.close()
    assert pages(gui) == []


def test_ctrl_z_undoes_on_the_deck_list_before_and_after_studying(
    qtbot: QtBot, make_gui: MakeGui, emt: int
) -> None:
    gui = make_gui()
    window = gui.window
    assert not window.undo_action.isEnabled()
    menus = {menu.title(): menu for menu in window.menuBar().findChildren(QMenu)}
    assert menus["&Edit"].actions()[:2] == [window.undo_action, window.redo_action]

    assert gui.deck_list.add_deck("Anatomy") is not None
    qtbot.waitUntil(lambda: "Anatomy" in deck_names(gui))
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo Add deck"
    window.tree.setFocus()
    QTest.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Anatomy" not in deck_names(gui))
    assert window.redo_action.text() == "&Redo Add deck"
    assert pages(gui) == []

    study(qtbot, gui, emt)
    window.reviewer.back_requested.emit()
    assert gui.deck_list.add_deck("Physiology") is not None
    qtbot.waitUntil(lambda: "Physiology" in deck_names(gui))
    window.tree.setFocus()
    QTest.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Physiology" not in deck_names(gui))


def test_reviewer_keys_do_not_fire_on_the_deck_list(
    qtbot: QtBot, make_gui: MakeGui, services: Services, emt: int
) -> None:
    gui = make_gui()
    study(qtbot, gui, emt)
    gui.window.reviewer.decks_button.click()
    gui.window.tree.setFocus()

    for key in (Qt.Key.Key_Minus, Qt.Key.Key_At, Qt.Key.Key_Asterisk):
        QTest.keyClick(gui.window.tree, key)

    assert services.undo.label() is None


def test_text_size_and_theme_chosen_before_studying_apply_to_the_new_page(
    qtbot: QtBot, make_gui: MakeGui, gui_context: GuiContext, emt: int
) -> None:
    gui = make_gui(replace(gui_context, theme_override=None))
    try:
        gui.settings.save(replace(gui.settings.current, theme=Theme.DARK))
        gui.window.bigger_action.trigger()
        size = gui.settings.card_text_size

        study(qtbot, gui, emt)

        browser = gui.window.reviewer.browser
        dark_text = dark_palette().color(QPalette.ColorRole.Text).name()
        assert browser.palette().color(QPalette.ColorRole.Text).name() == dark_text
        assert f"color: {dark_text}" in browser.document().defaultStyleSheet()
        assert browser.document().defaultFont().pointSize() == size
    finally:
        apply_theme(QApplication.instance(), Theme.LIGHT, gui_context.styles_dir)  # type: ignore[arg-type]
