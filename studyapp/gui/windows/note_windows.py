"""The main window's note windows: the browser, Add notes, Edit note and Note types."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QMainWindow, QMenu, QStackedWidget

from studyapp.gui.viewmodels.reviewer import ReviewerViewModel
from studyapp.gui.viewmodels.statistics import StatisticsViewModel
from studyapp.gui.windows.menus import add_action, key_sequences

if TYPE_CHECKING:  # imported when first opened, not to show the deck list
    from studyapp.gui.viewmodels.browser import BrowserViewModel
    from studyapp.gui.viewmodels.note_editor import NoteEditorViewModel
    from studyapp.gui.viewmodels.note_types import NoteTypesViewModel
    from studyapp.gui.windows.add_note_dialog import AddNoteDialog
    from studyapp.gui.windows.browser_window import BrowserWindow
    from studyapp.gui.windows.reviewer import ReviewerWidget

DECK_PAGE, REVIEWER_PAGE = 0, 1  # the main window's stacked pages


class NoteWindowsHost(QMainWindow):
    """The main window's part that opens the note windows; `MainWindow` builds the rest."""

    tools_menu: QMenu
    stack: QStackedWidget
    _reviewer_page: ReviewerWidget | None  # built by MainWindow when first needed
    _reviewer_vm: ReviewerViewModel
    _edits_notes = False  # until attach_notes
    _statistics: StatisticsViewModel | None
    _state_file: Path
    _last_deck: int | None

    if TYPE_CHECKING:  # defined by MainWindow

        def selected_deck_id(self) -> int | None: ...
        def selected_deck_name(self) -> str | None: ...
        def refresh_decks(self, select: int | None = None) -> None: ...
        def _show_error(self, message: str) -> None: ...

    # The browser.

    def attach_browser(
        self,
        browser: Callable[[], BrowserViewModel],
        editor: Callable[[], NoteEditorViewModel] | None = None,
    ) -> None:
        """Tools ▸ Browse (key B): the card browser, opened on the selected deck, with the
        selected note in an editor below the table.  `browser()` and `editor()` build the
        view-models when the browser is first opened."""
        self._make_browser = browser
        self._make_browser_editor = editor
        self._browser: BrowserViewModel | None = None
        self._browser_editor: NoteEditorViewModel | None = None
        self.browser_window: BrowserWindow | None = None
        self.browse_action = add_action(
            self,
            self.tools_menu,
            self.tr("&Browse…"),
            key_sequences("B"),
            self.tr("Search, sort and change cards and notes"),
            self.open_browser,
        )

    @Slot()
    def open_browser(self) -> None:
        from studyapp.domain.search import search_term
        from studyapp.gui.windows.browser_window import BrowserWindow

        if self.browser_window is None:
            if self._browser is None:
                self._browser = self._make_browser()
                if self._make_browser_editor is not None:
                    self._browser_editor = self._make_browser_editor()
            window = BrowserWindow(
                self._browser,
                self._statistics,
                self._browser_editor,
                self,
                state_file=self._state_file,
            )
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda _=None, w=window: self._browser_closed(w))
            window.collection_changed.connect(self._on_browser_changed)
            self.browser_window = window
            deck = self.selected_deck_name()
            window.search_for(search_term("deck", deck) if deck else "")
            window.show()
        else:  # already open: bring it to the front
            self.browser_window.showNormal()
            self.browser_window.activateWindow()

    def _browser_closed(self, window: BrowserWindow) -> None:
        if self.browser_window is window:
            self.browser_window = None

    @Slot()
    def _on_browser_changed(self) -> None:
        self._reviewer_vm.refresh_undo()
        if self.stack.currentIndex() == DECK_PAGE:
            self.refresh_decks()

    # Adding and editing notes.

    def attach_notes(
        self, notes: Callable[[], NoteEditorViewModel], note_types: Callable[[], NoteTypesViewModel]
    ) -> None:
        """Tools ▸ Add notes… (key A), Tools ▸ Note types…, and Edit note (key E) while studying.

        `notes()` and `note_types()` build the view-models when one of these is first used."""
        self._make_notes = notes
        self._make_note_types = note_types
        self._notes: NoteEditorViewModel | None = None
        self._note_types: NoteTypesViewModel | None = None
        self.add_notes_action = add_action(
            self,
            self.tools_menu,
            self.tr("&Add notes…"),
            key_sequences("A"),
            self.tr("Add notes to a deck"),
            self.open_add_notes,
        )
        self.note_types_action = add_action(
            self,
            self.tools_menu,
            self.tr("&Note types…"),
            key_sequences("Ctrl+Shift+M"),
            self.tr("Add and change note types: fields, card templates and styling"),
            self.open_note_types,
        )
        self._edits_notes = True
        if self._reviewer_page is not None:
            self._connect_note_editing(self._reviewer_page)

    def _connect_note_editing(self, reviewer: ReviewerWidget) -> None:
        """Key E on the reviewer page edits the note on screen, once attach_notes has run."""
        if self._edits_notes:
            reviewer.card_actions.edit_requested.connect(self.edit_note)

    def _notes_view_model(self) -> NoteEditorViewModel:
        if self._notes is None:
            notes = self._notes = self._make_notes()
            notes.error.connect(self._show_error)
            notes.changed.connect(self._on_notes_changed)
        return self._notes

    @Slot()
    def open_add_notes(self) -> AddNoteDialog:
        """The Add dialog, with the selected deck (or the one being studied) chosen."""
        from studyapp.gui.windows.add_note_dialog import AddNoteDialog

        deck_id = self.selected_deck_id() if self.stack.currentIndex() == DECK_PAGE else None
        return AddNoteDialog.open_for(self, self._notes_view_model(), deck_id or self._last_deck)

    @Slot()
    def open_note_types(self) -> None:
        from studyapp.gui.windows.note_types_window import NoteTypesWindow

        if self._note_types is None:
            self._note_types = self._make_note_types()
        media_dir = self._notes_view_model().media_dir
        window = NoteTypesWindow(self._note_types, media_dir, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()

    @Slot(int)
    def edit_note(self, note_id: int) -> None:
        """Edit a note in a dialog (key E while studying); the card shows again as edited."""
        from studyapp.gui.windows.edit_note_dialog import EditNoteDialog

        if EditNoteDialog.ask(self, self._notes_view_model(), note_id) is not None:
            self._reviewer_vm.show_again()

    @Slot()
    def _on_notes_changed(self) -> None:
        self._reviewer_vm.refresh_undo()
        if self.stack.currentIndex() == DECK_PAGE:
            self.refresh_decks()
