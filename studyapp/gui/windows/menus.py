"""Menu actions, and the File menu: importing, decks from documents, exporting, quitting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from studyapp.gui.windows.export_flow import ExportFlow
from studyapp.gui.windows.generation_flow import GenerationFlow
from studyapp.gui.windows.import_flow import ImportFlow


def key_sequences(*keys: QKeySequence.StandardKey | str) -> list[QKeySequence]:
    """The platform's standard keys plus explicit ones, without empties or duplicates."""
    result: list[QKeySequence] = []
    seen: set[str] = set()
    for key in keys:
        sequences = (
            QKeySequence.keyBindings(key)
            if isinstance(key, QKeySequence.StandardKey)
            else [QKeySequence(key)]
        )
        for sequence in sequences:
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if text and text not in seen:
                seen.add(text)
                result.append(sequence)
    return result


def add_action(
    owner: QObject, menu: QMenu | None, text: str, keys: list[QKeySequence], tip: str, slot: object
) -> QAction:
    """An action with shortcuts and tips, connected to `slot` and added to `menu` (if any)."""
    action = QAction(text, owner)
    action.setShortcuts(keys)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.triggered.connect(slot)
    if menu is not None:
        menu.addAction(action)
    return action


class FileMenu(QObject):
    """The window's File menu, and Export deck… in the deck list's context menu.

    Each action is disabled while its flow is busy; `selected_deck()` gives the deck list's
    selected deck name (or None), preselected by Export deck….
    """

    def __init__(
        self,
        window: QMainWindow,
        imports: ImportFlow,
        documents: GenerationFlow,
        exports: ExportFlow,
        deck_list: QWidget,
        selected_deck: Callable[[], str | None],
    ) -> None:
        super().__init__(window)
        self._exports = exports
        self._selected_deck = selected_deck
        menu = window.menuBar().addMenu(self.tr("&File"))
        self.import_action = add_action(
            window,
            menu,
            self.tr("&Import…"),
            key_sequences("Ctrl+Shift+I"),
            self.tr("Import a CSV or text file, an Anki package or a StudyApp deck"),
            imports.choose_and_import,
        )
        self.new_deck_action = add_action(
            window,
            menu,
            self.tr("&New deck from document…"),
            key_sequences("Ctrl+Shift+N"),
            self.tr("Make a deck from a text, Markdown, HTML or PDF document"),
            documents.choose_and_generate,
        )
        self.export_action = add_action(
            window,
            menu,
            self.tr("&Export…"),
            key_sequences("Ctrl+Shift+E"),
            self.tr("Export decks as an Anki package, a text or CSV file or a StudyApp deck"),
            exports.choose_and_export,
        )
        self.export_deck_action = add_action(
            window,
            None,
            self.tr("&Export deck…"),
            [],
            self.tr("Export the selected deck with its subdecks"),
            self.export_selected,
        )
        deck_list.addAction(self.export_deck_action)
        deck_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._menu = menu
        self._before_quit = menu.addSeparator()
        self.quit_action = add_action(
            window,
            menu,
            self.tr("&Quit"),
            key_sequences(QKeySequence.StandardKey.Quit, "Ctrl+Q"),
            self.tr("Quit StudyApp"),
            window.close,
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        imports.view_model.busy_changed.connect(self._on_import_busy)
        documents.view_model.busy_changed.connect(self._on_generation_busy)
        exports.view_model.busy_changed.connect(self._on_export_busy)

    def add_restore_backup(self, slot: object) -> QAction:
        """File ▸ Restore backup…, above Quit (SQLite collections only)."""
        action = add_action(
            self,
            None,
            self.tr("&Restore backup…"),
            [],
            self.tr("Replace the collection with one of its automatic backups"),
            slot,
        )
        self._menu.insertAction(self._before_quit, action)
        return action

    def add_first(self, action: QAction) -> None:
        """Put `action` at the top of the File menu (Add deck…)."""
        first = self._menu.actions()[0]
        self._menu.insertAction(first, action)
        self._menu.insertSeparator(first)

    @Slot()
    def export_selected(self) -> None:
        self._exports.export(self._selected_deck())

    def deck_selected(self, selected: bool) -> None:
        """Export deck… needs a deck: the window reports when the selection changes."""
        self.export_deck_action.setEnabled(selected and not self._exports.busy)

    @Slot(bool)
    def _on_import_busy(self, busy: bool) -> None:
        self.import_action.setEnabled(not busy)

    @Slot(bool)
    def _on_generation_busy(self, busy: bool) -> None:
        self.new_deck_action.setEnabled(not busy)

    @Slot(bool)
    def _on_export_busy(self, busy: bool) -> None:
        self.export_action.setEnabled(not busy)
        self.export_deck_action.setEnabled(not busy and self._selected_deck() is not None)
