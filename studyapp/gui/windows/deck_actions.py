"""Managing decks in the main window's deck list: add, rename, delete, drag to move, fold."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTreeView, QWidget

from studyapp.gui.viewmodels.deck_list import DECK_COLUMN, DeckListModel
from studyapp.gui.windows.confirmation import Confirmation


class DeckActions(QObject):
    """The Add deck button and action, and Rename… and Delete… in the deck list's context menu.

    The deck list's folding follows each deck's saved state; folding a deck saves it.
    """

    def __init__(self, window: QWidget, tree: QTreeView, model: DeckListModel) -> None:
        super().__init__(window)
        self._window = window
        self._tree = tree
        self._model = model

        self.add_action = QAction(self.tr("&Add deck…"), window)
        self.add_action.setToolTip(self.tr("Add a deck, or a subdeck with “Parent::Name”"))
        self.add_action.setStatusTip(self.add_action.toolTip())
        self.add_action.triggered.connect(self.add_deck)
        self.add_button = QPushButton(self.tr("Add deck"), window)
        self.add_button.setObjectName("addDeck")
        self.add_button.setAccessibleName(self.tr("Add a deck"))
        self.add_button.setToolTip(self.add_action.toolTip())
        self.add_button.clicked.connect(self.add_deck)

        self.rename_action = QAction(self.tr("&Rename…"), window)
        self.rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.rename_action.setToolTip(self.tr("Rename the selected deck (F2)"))
        self.rename_action.triggered.connect(self.rename_selected)
        self.delete_action = QAction(self.tr("&Delete…"), window)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.setToolTip(self.tr("Delete the selected deck with its cards (Delete)"))
        self.delete_action.triggered.connect(self.delete_selected)
        separator = QAction(window)
        separator.setSeparator(True)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (separator, self.rename_action, self.delete_action):
            tree.addAction(action)

        tree.setDragEnabled(True)
        tree.setAcceptDrops(True)
        tree.setDropIndicatorShown(True)
        tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        tree.expanded.connect(lambda index: model.set_collapsed(index, False))
        tree.collapsed.connect(lambda index: model.set_collapsed(index, True))
        tree.selectionModel().currentChanged.connect(self._update)
        self._update()

    def apply_folding(self) -> None:
        """Fold or unfold every deck as saved (after the list was rebuilt)."""
        pending = [QModelIndex()]
        while pending:
            parent = pending.pop()
            for row in range(self._model.rowCount(parent)):
                index = self._model.index(row, DECK_COLUMN, parent)
                if self._model.rowCount(index):
                    self._tree.setExpanded(index, not self._model.is_collapsed(index))
                    pending.append(index)

    @Slot()
    def _update(self) -> None:
        selected = self._model.deck_id(self._tree.currentIndex()) is not None
        self.rename_action.setEnabled(selected)
        self.delete_action.setEnabled(selected)

    @Slot()
    def add_deck(self) -> None:
        """Ask for a name ("Parent::Name" for a subdeck) and add the deck."""
        from studyapp.gui.windows.deck_name_dialog import DeckNameDialog

        name = DeckNameDialog.ask(self._window, self.tr("Add deck"))
        if name is None:
            return
        deck_id = self._model.add_deck(name)
        if deck_id is not None:
            self._select(deck_id)

    @Slot()
    def rename_selected(self) -> None:
        index = self._tree.currentIndex()
        deck_id = self._model.deck_id(index)
        name = self._model.deck_name(index)
        if deck_id is None or name is None:
            return
        from studyapp.gui.windows.deck_name_dialog import DeckNameDialog

        new_name = DeckNameDialog.ask(self._window, self.tr("Rename deck"), name)
        if new_name is not None and self._model.rename_deck(deck_id, new_name):
            self._select(deck_id)

    @Slot()
    def delete_selected(self) -> None:
        """Say how many cards go with the deck, and delete it if the user agrees."""
        deck_id = self._model.deck_id(self._tree.currentIndex())
        if deck_id is None:
            return
        deletion = self._model.deletion(deck_id)
        if deletion is None:
            return
        text = self.tr("Delete “%1” and its %n card(s)?", "", deletion.cards).replace(
            "%1", deletion.name
        )
        if deletion.decks > 1:
            text += " " + self.tr("Its %n subdeck(s) go with it.", "", deletion.decks - 1)
        text += " " + self.tr("Edit ▸ Undo brings everything back.")
        if Confirmation.ask(self._window, self.tr("Delete deck"), text, self.tr("Delete")):
            self._model.delete_deck(deck_id)

    def _select(self, deck_id: int) -> None:
        index = self._model.index_of_deck(deck_id)
        if index.isValid():
            self._tree.setCurrentIndex(index)
