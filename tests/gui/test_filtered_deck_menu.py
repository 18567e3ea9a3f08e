"""Filtered decks in the main window: how the deck list shows them, and Rebuild, Empty and
Delete from the deck list's context menu, each undone from the Edit menu."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from studyapp.domain.clock import ManualClock
from studyapp.domain.decks import DeckFilter
from studyapp.domain.filtered import FilterOrder
from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.viewmodels.deck_list import DECK_COLUMN, FILTERED_ROLE, NEW_COLUMN
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.conftest import DeckMaker
from tests.gui.test_optimize_dialog import planning


def new_count(gui: Gui, deck_id: int) -> int:
    index = gui.deck_list.index_of_deck(deck_id)
    return int(index.siblingAtColumn(NEW_COLUMN).data())


def test_filtered_decks_stand_out_in_the_deck_list(
    make_gui: object, gui_context: GuiContext, services: Services, make_deck: DeckMaker
) -> None:
    regular_id = make_deck("Trauma", 6)
    built = services.filtered_decks.create(
        "Before the exam", DeckFilter('deck:"Trauma"', 4, FilterOrder.DUE, True)
    )
    gui: Gui = make_gui(replace(gui_context, planning=planning(services)))  # type: ignore[operator]

    filtered = gui.deck_list.index_of_deck(built.deck_id)
    regular = gui.deck_list.index_of_deck(regular_id)
    link = QApplication.palette().color(QPalette.ColorRole.Link)
    assert filtered.data(FILTERED_ROLE) is True
    assert filtered.data(Qt.ItemDataRole.FontRole).italic()
    assert filtered.data(Qt.ItemDataRole.ForegroundRole).color() == link
    assert filtered.data(Qt.ItemDataRole.AccessibleTextRole) == "Before the exam, filtered deck"
    assert "Filtered deck" in filtered.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert "Filtered deck" in filtered.data(Qt.ItemDataRole.ToolTipRole)
    assert not regular.data(FILTERED_ROLE)
    assert not isinstance(regular.data(Qt.ItemDataRole.FontRole), QFont)
    assert regular.data(Qt.ItemDataRole.ForegroundRole) is None
    assert regular.column() == filtered.column() == DECK_COLUMN


def test_rebuild_empty_and_delete_from_the_context_menu_can_be_undone(
    make_gui: object,
    gui_context: GuiContext,
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
) -> None:
    home_id = make_deck("Trauma", 8)
    built = services.filtered_decks.create(
        "Before the exam", DeckFilter('deck:"Trauma"', 5, FilterOrder.DUE, True)
    )
    gui: Gui = make_gui(replace(gui_context, planning=planning(services)))  # type: ignore[operator]
    window = gui.window
    menu = window.planning
    assert menu is not None
    context_menu = window.tree.actions()
    assert {menu.rebuild_action, menu.empty_action, menu.delete_action} <= set(context_menu)

    window.select_deck(home_id)
    assert not menu.empty_action.isEnabled()
    window.select_deck(built.deck_id)
    assert menu.rebuild_action.isEnabled()
    assert not menu.custom_study_action.isEnabled()
    assert new_count(gui, built.deck_id) == 5

    menu.empty_action.trigger()
    assert window.statusBar().currentMessage() == "Sent 5 cards home."
    assert new_count(gui, built.deck_id) == 0
    assert window.undo_action.text() == "&Undo Empty filtered deck"
    window.undo_action.trigger()
    assert new_count(gui, built.deck_id) == 5

    # A card taken out by hand comes back with a rebuild.
    with database.transaction() as repos:
        repos.planning.send_home(built.deck_id, [repos.planning.ids_in(built.deck_id)[0]])
    gui.deck_list.refresh()
    window.select_deck(built.deck_id)
    assert new_count(gui, built.deck_id) == 4
    menu.rebuild_action.trigger()
    assert window.statusBar().currentMessage() == "Gathered 5 cards."
    assert new_count(gui, built.deck_id) == 5
    assert window.undo_action.text() == "&Undo Rebuild filtered deck"
    window.undo_action.trigger()
    assert new_count(gui, built.deck_id) == 4

    menu.delete_action.trigger()
    assert window.statusBar().currentMessage().startswith("Sent 4 cards home and deleted")
    assert not gui.deck_list.index_of_deck(built.deck_id).isValid()
    assert new_count(gui, home_id) == 8
    assert window.undo_action.text() == "&Undo Delete filtered deck"
    window.undo_action.trigger()
    assert gui.deck_list.index_of_deck(built.deck_id).isValid()
    assert new_count(gui, built.deck_id) == 4
    assert services.filtered_decks.get(built.deck_id).name == "Before the exam"
