"""Managing decks in the deck list: add, rename, delete (with confirmation), drag to move, fold."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from studyapp.gui.launch import Gui
from studyapp.gui.viewmodels.deck_list import DeckListModel
from studyapp.gui.windows.confirmation import Confirmation
from studyapp.gui.windows.deck_name_dialog import DeckNameDialog
from studyapp.services.container import Services
from tests.gui.sample_decks import EMT_DECK

MakeGui = Callable[..., Gui]
DeckMaker = Callable[[str, int], int]
MOVE = Qt.DropAction.MoveAction


def rows(model: DeckListModel, parent: QModelIndex | None = None, depth: int = 0) -> list[str]:
    """The tree as "  " * depth + short name, in order."""
    parent = parent or QModelIndex()
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found.append("  " * depth + str(index.data()))
        found.extend(rows(model, index, depth + 1))
    return found


def answer_name(monkeypatch: pytest.MonkeyPatch, name: str | None) -> list[str]:
    """Make the name dialog answer `name`; returns the initial texts it was shown with."""
    shown: list[str] = []

    def ask(_parent: object, _title: str, initial: str = "") -> str | None:
        shown.append(initial)
        return name

    monkeypatch.setattr(DeckNameDialog, "ask", ask)
    return shown


def test_add_deck_button_adds_a_nested_deck_and_undo_removes_it(
    make_gui: MakeGui, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = make_gui()
    window = gui.window
    answer_name(monkeypatch, "Cardiology::Drugs")

    window.deck_actions.add_button.click()

    assert rows(gui.deck_list) == ["Cardiology", "  Drugs", EMT_DECK]
    assert window.selected_deck_name() == "Cardiology::Drugs"
    assert window.undo_action.text() == "&Undo Add deck"
    assert "Cardiology::Drugs" in window.statusBar().currentMessage()

    window.undo_action.trigger()
    assert rows(gui.deck_list) == [EMT_DECK]
    assert window.redo_action.text() == "&Redo Add deck"
    window.redo_action.trigger()
    assert rows(gui.deck_list) == ["Cardiology", "  Drugs", EMT_DECK]


def test_add_deck_is_first_in_the_file_menu_and_cancel_adds_nothing(
    make_gui: MakeGui, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = make_gui()
    file_menu = gui.window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert file_menu.actions()[0] is gui.window.deck_actions.add_action
    answer_name(monkeypatch, None)

    gui.window.deck_actions.add_action.trigger()

    assert rows(gui.deck_list) == [EMT_DECK]
    assert gui.window.undo_action.text() == "&Undo"


def test_a_duplicate_name_is_refused_with_a_message(
    make_gui: MakeGui, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = make_gui()
    answer_name(monkeypatch, EMT_DECK.lower())

    gui.window.deck_actions.add_deck()

    assert "already a deck called “EMT vs EMS”" in gui.window.statusBar().currentMessage()
    assert rows(gui.deck_list) == [EMT_DECK]


def test_rename_from_the_context_menu_takes_the_subdecks_along(
    make_gui: MakeGui, make_deck: DeckMaker, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_deck("A::B::X", 2)
    gui = make_gui()
    window = gui.window
    window.select_deck(services.decks.by_name("A::B").id)
    shown = answer_name(monkeypatch, "C")
    texts = [action.text() for action in window.tree.actions() if not action.isSeparator()]
    assert texts[:2] == ["&Rename…", "&Delete…"]
    assert "&Export deck…" in texts

    window.deck_actions.rename_action.trigger()

    assert shown == ["A::B"]
    assert rows(gui.deck_list) == ["A", "C", "  X", EMT_DECK]
    assert window.selected_deck_name() == "C"
    assert gui.deck_list.counts_at(gui.deck_list.index_of_name("C")) == (2, 0, 0)
    assert window.undo_action.text() == "&Undo Rename deck"


def test_delete_says_how_many_cards_go_and_asks_first(
    make_gui: MakeGui, make_deck: DeckMaker, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_deck("Med::Drugs", 3)
    make_deck("Med", 2)
    gui = make_gui()
    window = gui.window
    window.select_deck(services.decks.by_name("Med").id)
    asked: list[str] = []
    answer: list[bool | None] = [None]

    def confirm(_parent: object, _title: str, text: str, action: str) -> bool | None:
        asked.append(text)
        assert action == "Delete"
        return answer[0]

    monkeypatch.setattr(Confirmation, "ask", confirm)
    window.deck_actions.delete_action.trigger()

    assert asked == [
        "Delete “Med” and its 5 card(s)? Its 1 subdeck(s) go with it. "
        "Edit ▸ Undo brings everything back."
    ]
    assert rows(gui.deck_list) == [EMT_DECK, "Med", "  Drugs"]

    answer[0] = True
    window.deck_actions.delete_action.trigger()
    assert rows(gui.deck_list) == [EMT_DECK]
    assert "Deleted “Med” and 5 card(s)." in window.statusBar().currentMessage()

    window.undo_action.trigger()
    assert rows(gui.deck_list) == [EMT_DECK, "Med", "  Drugs"]
    assert gui.deck_list.counts_at(gui.deck_list.index_of_name("Med")) == (5, 0, 0)


def test_the_last_deck_cannot_be_deleted(
    make_gui: MakeGui, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = make_gui()
    monkeypatch.setattr(Confirmation, "ask", lambda *_args: pytest.fail("must not ask"))

    gui.window.deck_actions.delete_selected()

    assert "at least one deck" in gui.window.statusBar().currentMessage()
    assert rows(gui.deck_list) == [EMT_DECK]


def test_dropping_a_deck_onto_another_moves_it_under_it(
    qtbot: QtBot, make_gui: MakeGui, make_deck: DeckMaker
) -> None:
    make_deck("Drugs::Doses", 2)
    make_deck("Cardio", 1)
    gui = make_gui()
    model = gui.deck_list
    drugs = model.index_of_name("Drugs")
    cardio = model.index_of_name("Cardio")
    data = model.mimeData([drugs])

    assert model.canDropMimeData(data, MOVE, -1, 0, cardio)
    assert not model.canDropMimeData(data, MOVE, -1, 0, drugs)  # onto itself
    assert not model.canDropMimeData(data, MOVE, -1, 0, model.index_of_name("Drugs::Doses"))
    assert not model.canDropMimeData(data, MOVE, -1, 0, QModelIndex())  # already at the top
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, 0, cardio)

    with qtbot.waitSignal(model.refreshed):
        assert model.dropMimeData(data, MOVE, -1, 0, cardio)

    assert rows(model) == ["Cardio", "  Drugs", "    Doses", EMT_DECK]
    assert gui.window.undo_action.text() == "&Undo Move deck"
    assert model.counts_at(model.index_of_name("Cardio")) == (3, 0, 0)


def test_dropping_a_subdeck_on_the_empty_space_moves_it_to_the_top(
    qtbot: QtBot, make_gui: MakeGui, make_deck: DeckMaker
) -> None:
    make_deck("Outer::Inner", 1)
    gui = make_gui()
    model = gui.deck_list
    data = model.mimeData([model.index_of_name("Outer::Inner")])

    assert model.canDropMimeData(data, MOVE, 0, 0, QModelIndex())
    with qtbot.waitSignal(model.refreshed):
        assert model.dropMimeData(data, MOVE, 0, 0, QModelIndex())

    assert rows(model) == [EMT_DECK, "Inner", "Outer"]


def test_folding_a_deck_is_remembered(
    make_gui: MakeGui, make_deck: DeckMaker, services: Services
) -> None:
    make_deck("Fold::Inner", 4)
    gui = make_gui()
    tree = gui.window.tree
    fold = gui.deck_list.index_of_name("Fold")
    assert tree.isExpanded(fold)

    tree.collapse(fold)

    assert services.decks.by_name("Fold").collapsed
    assert gui.deck_list.counts_at(fold) == (4, 0, 0)  # a folded parent counts its subdecks
    gui.window.refresh_decks()
    assert not tree.isExpanded(gui.deck_list.index_of_name("Fold"))

    again = make_gui()
    assert not again.window.tree.isExpanded(again.deck_list.index_of_name("Fold"))
    again.window.tree.expand(again.deck_list.index_of_name("Fold"))
    assert not services.decks.by_name("Fold").collapsed
