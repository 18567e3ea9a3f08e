"""The browser's sidebar: saved searches, card states, flags, decks, note types and tags.

Clicking an item asks for its search (`search_requested`); Ctrl-click and Shift-click add it to
the current search (`search_added`), with AND or OR, as in Anki.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QTreeWidget, QTreeWidgetItem, QWidget

from studyapp.domain.decks import DECK_SEPARATOR
from studyapp.domain.search import search_term
from studyapp.gui.viewmodels.browser_model import FLAG_COLORS

if TYPE_CHECKING:
    from studyapp.services.browser import Sidebar

SEARCH_ROLE = Qt.ItemDataRole.UserRole
SAVED_ROLE = Qt.ItemDataRole.UserRole + 1
"""The name of a saved search (for removing it)."""


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class BrowserSidebar(QTreeWidget):
    search_requested = Signal(str)
    search_added = Signal(str, str)
    """The search, and "AND" or "OR"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setAccessibleName(self.tr("Browse by"))
        self.setUniformRowHeights(True)
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)

    def show_sidebar(self, sidebar: Sidebar) -> None:
        expanded = {item.text(0) for item in self._sections() if item.isExpanded()}
        self.clear()
        saved = self._section(self.tr("Saved searches"), "")
        for name, query in sidebar.saved_searches.items():
            item = self._item(saved, name, query)
            item.setData(0, SAVED_ROLE, name)
        today = self._section(self.tr("Today"), "")
        self._item(today, self.tr("Due"), "is:due")
        self._item(today, self.tr("Added today"), "added:1")
        self._item(today, self.tr("Studied today"), "rated:1")
        self._item(today, self.tr("Failed today"), "rated:1:1")
        states = self._section(self.tr("Card state"), "")
        for label, query in (
            (self.tr("New"), "is:new"),
            (self.tr("Learning"), "is:learn"),
            (self.tr("Review"), "is:review"),
            (self.tr("Suspended"), "is:suspended"),
            (self.tr("Buried"), "is:buried"),
        ):
            self._item(states, label, query)
        flags = self._section(self.tr("Flags"), "-flag:0")
        names = (
            self.tr("Red"),
            self.tr("Orange"),
            self.tr("Green"),
            self.tr("Blue"),
            self.tr("Pink"),
            self.tr("Turquoise"),
            self.tr("Purple"),
        )
        for number, name in enumerate(names, start=1):
            self._item(flags, name, f"flag:{number}").setIcon(0, _swatch(FLAG_COLORS[number]))
        self._item(flags, self.tr("No flag"), "flag:0")
        decks = self._section(self.tr("Decks"), "deck:*")
        self._tree(decks, sidebar.decks, "deck")
        note_types = self._section(self.tr("Note types"), "")
        for name in sidebar.note_types:
            self._item(note_types, name, search_term("note", name))
        tags = self._section(self.tr("Tags"), "")
        self._tree(tags, sidebar.tags, "tag")
        self._item(tags, self.tr("(untagged)"), "tag:none")
        for item in self._sections():
            item.setExpanded(not expanded or item.text(0) in expanded)

    def _sections(self) -> list[QTreeWidgetItem]:
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _section(self, title: str, query: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [title])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        if query:
            item.setData(0, SEARCH_ROLE, query)
        return item

    @staticmethod
    def _item(parent: QTreeWidgetItem, label: str, query: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [label])
        item.setData(0, SEARCH_ROLE, query)
        item.setToolTip(0, query)
        return item

    def _tree(self, root: QTreeWidgetItem, names: list[str], key: str) -> None:
        """Names like "A::B" as a tree under `root` (a parent made for each missing level)."""
        made: dict[str, QTreeWidgetItem] = {}
        for name in names:
            parts = name.split(DECK_SEPARATOR)
            for depth in range(1, len(parts) + 1):
                full = DECK_SEPARATOR.join(parts[:depth])
                if full.casefold() in made:
                    continue
                parent = made.get(DECK_SEPARATOR.join(parts[: depth - 1]).casefold(), root)
                made[full.casefold()] = self._item(parent, parts[depth - 1], search_term(key, full))

    @Slot(QTreeWidgetItem, int)
    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        query = item.data(0, SEARCH_ROLE)
        if not isinstance(query, str) or not query:
            return
        modifiers = QApplication.keyboardModifiers()
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self.search_added.emit(query, "AND")
        elif modifiers & Qt.KeyboardModifier.ShiftModifier:
            self.search_added.emit(query, "OR")
        else:
            self.search_requested.emit(query)
