"""The main window: menus, the deck list with its counts, and the reviewer in a stacked page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from studyapp import __version__
from studyapp.domain.clock import Clock
from studyapp.gui.viewmodels.backups import BackupViewModel
from studyapp.gui.viewmodels.deck_list import (
    COUNT_COLUMNS,
    DECK_COLUMN,
    FILTERED_ROLE,
    PROGRESS_COLUMN,
    DeckListModel,
)
from studyapp.gui.viewmodels.deck_options import DeckOptionsViewModel
from studyapp.gui.viewmodels.exporter import ExportViewModel
from studyapp.gui.viewmodels.generation import GenerationViewModel
from studyapp.gui.viewmodels.importer import ImportViewModel
from studyapp.gui.viewmodels.planning import PlanningViewModel
from studyapp.gui.viewmodels.reviewer import ReviewerViewModel
from studyapp.gui.viewmodels.settings import SettingsViewModel
from studyapp.gui.viewmodels.statistics import StatisticsViewModel
from studyapp.gui.widgets.deck_progress import DeckProgressDelegate
from studyapp.gui.widgets.soft_selection import SoftSelectionDelegate, soft_highlight
from studyapp.gui.windows.deck_actions import DeckActions
from studyapp.gui.windows.deck_options_launcher import DeckOptionsLauncher
from studyapp.gui.windows.dropped_files import DropRouter
from studyapp.gui.windows.export_flow import ExportFlow
from studyapp.gui.windows.generation_flow import GenerationFlow
from studyapp.gui.windows.import_flow import ImportFlow
from studyapp.gui.windows.menus import FileMenu, add_action, key_sequences
from studyapp.gui.windows.note_windows import DECK_PAGE, REVIEWER_PAGE, NoteWindowsHost
from studyapp.gui.windows.planning_menu import PlanningMenu

if TYPE_CHECKING:  # the deck list shows before these load (reviewer, statistics: when first used)
    from studyapp.gui.windows.reviewer import ReviewerWidget
    from studyapp.gui.windows.statistics_window import StatisticsWindow
    from studyapp.services.generation import AddedCards
    from studyapp.services.undo import UndoOutcome


class MainWindow(NoteWindowsHost):
    """Holds the view-models it is given; remembers its size, position and column widths."""

    def __init__(
        self,
        deck_list: DeckListModel,
        reviewer: ReviewerViewModel,
        settings: SettingsViewModel,
        clock: Clock,
        media_dir: Path,
        window_state_file: Path,
        importer: ImportViewModel,
        generation: GenerationViewModel,
        exporter: ExportViewModel,
        statistics: StatisticsViewModel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.imports = ImportFlow(importer, self)
        self.documents = GenerationFlow(generation, self)
        self.exports = ExportFlow(exporter, self)
        self.drops = DropRouter(self.imports, self.documents, self)
        self._decks = deck_list
        self._reviewer_vm = reviewer
        self._settings = settings
        self._clock = clock
        self._media_dir = media_dir
        self._generation = generation
        self._reviewer_page: ReviewerWidget | None = None
        self._state_file = window_state_file
        self._statistics = statistics
        self.statistics_window: StatisticsWindow | None = None
        self._last_deck: int | None = None
        self._backups: BackupViewModel | None = None
        self.planning: PlanningMenu | None = None
        self.deck_options: DeckOptionsLauncher | None = None
        self.setWindowTitle(self.tr("StudyApp"))
        self.setAccessibleName(self.tr("StudyApp"))

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._build_deck_page())  # the reviewer follows when first needed
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.statusBar().showMessage(self.tr("Choose a deck and press Study."))

        deck_list.refreshed.connect(self._on_decks_refreshed)
        deck_list.error.connect(self._show_error)
        reviewer.error.connect(self._show_error)
        reviewer.undone.connect(self._on_undone)
        reviewer.redone.connect(self._on_redone)
        reviewer.acted.connect(self._show_status)
        deck_list.changed.connect(self._on_decks_changed)
        settings.error.connect(self._show_error)
        self.imports.imported.connect(self.refresh_decks)
        self.imports.status.connect(self._show_status)
        self.documents.added.connect(self._on_cards_added)
        self.documents.status.connect(self._show_status)
        self.exports.status.connect(self._show_status)
        self.drops.status.connect(self._show_status)
        generation.error.connect(self._show_error)
        self.setAcceptDrops(True)
        self.resize(820, 600)
        self.restore_state()
        self._progress_pending = True
        deck_list.refresh(progress=False)  # the progress bars follow once the window shows
        reviewer.refresh_undo()

    # Building.

    def _build_deck_page(self) -> QWidget:
        page = QWidget(self)
        self.tree = QTreeView(page)
        self.tree.setModel(self._decks)
        self.tree.setAccessibleName(self.tr("Decks"))
        self.tree.setToolTip(self.tr("Double-click a deck or press Enter to study it."))
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setItemDelegate(SoftSelectionDelegate(self.tree))
        self._tint_tree()
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DECK_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column in COUNT_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 96)
        if self._decks.columnCount() > PROGRESS_COLUMN:
            self.tree.setItemDelegateForColumn(PROGRESS_COLUMN, DeckProgressDelegate(self.tree))
            header.setSectionResizeMode(PROGRESS_COLUMN, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(PROGRESS_COLUMN, 140)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tree.activated.connect(self._study_index)
        self.tree.selectionModel().currentChanged.connect(self._update_study_button)
        self.deck_actions = DeckActions(self, self.tree, self._decks)

        self.study_button = QPushButton(self.tr("Study"), page)
        self.study_button.setObjectName("study")
        self.study_button.setAccessibleName(self.tr("Study the selected deck"))
        self.study_button.setToolTip(self.tr("Study the selected deck (Enter)"))
        self.study_button.setMinimumWidth(140)
        self.study_button.clicked.connect(self.study_selected)

        buttons = QHBoxLayout()
        buttons.addWidget(self.deck_actions.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.study_button)
        self._deck_buttons = buttons
        layout = QVBoxLayout(page)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        return page

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = FileMenu(
            self, self.imports, self.documents, self.exports, self.tree, self.selected_deck_name
        )
        self.import_action = self.file_menu.import_action
        self.new_deck_action = self.file_menu.new_deck_action
        self.export_action = self.file_menu.export_action
        self.quit_action = self.file_menu.quit_action

        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.undo_action = QAction(self.tr("&Undo"), self)
        self.undo_action.setShortcuts(key_sequences(QKeySequence.StandardKey.Undo, "Ctrl+Z"))
        self.undo_action.setToolTip(self.tr("Undo the last action (Ctrl+Z)"))
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self._reviewer_vm.undo)
        self._reviewer_vm.undo_changed.connect(self._on_undo_changed)
        edit_menu.addAction(self.undo_action)
        self.redo_action = QAction(self.tr("&Redo"), self)
        self.redo_action.setShortcuts(key_sequences(QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"))
        self.redo_action.setEnabled(False)
        self.redo_action.triggered.connect(self._reviewer_vm.redo)
        self._reviewer_vm.redo_changed.connect(self._on_redo_changed)
        edit_menu.addAction(self.redo_action)
        self.file_menu.add_first(self.deck_actions.add_action)

        tools_menu = self.tools_menu = bar.addMenu(self.tr("&Tools"))
        self.settings_action = add_action(
            self,
            tools_menu,
            self.tr("&Settings…"),
            key_sequences(QKeySequence.StandardKey.Preferences, "Ctrl+,"),
            self.tr("Change when the study day starts, the theme and the text size"),
            self.open_settings,
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        view_menu = bar.addMenu(self.tr("&View"))
        self.bigger_action = add_action(
            self,
            view_menu,
            self.tr("&Bigger text"),
            key_sequences("Ctrl+=", QKeySequence.StandardKey.ZoomIn),
            self.tr("Show card text larger"),
            self._settings.bigger_text,
        )
        self.smaller_action = add_action(
            self,
            view_menu,
            self.tr("&Smaller text"),
            key_sequences("Ctrl+-", QKeySequence.StandardKey.ZoomOut),
            self.tr("Show card text smaller"),
            self._settings.smaller_text,
        )
        view_menu.addSeparator()
        self.statistics_action = add_action(
            self,
            view_menu,
            self.tr("S&tatistics…"),
            key_sequences("Shift+S"),
            self.tr("How your studies are going: reviews, retention, forecast and more"),
            self.open_statistics,
        )
        self.statistics_action.setEnabled(self._statistics is not None)

        overflow = bar.findChild(QToolButton, "qt_menubar_ext_button")
        if overflow is not None:  # Qt's "more menus" button on a narrow window
            overflow.setAccessibleName(self.tr("More menus"))
        help_menu = bar.addMenu(self.tr("&Help"))
        about = self.tr("About StudyApp")
        self.about_action = add_action(
            self, help_menu, self.tr("&About StudyApp"), [], about, self.show_about
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    @property
    def reviewer(self) -> ReviewerWidget:
        """The reviewer page, built when first needed (to study, usually)."""
        if self._reviewer_page is None:
            self._reviewer_page = self._build_reviewer()
        return self._reviewer_page

    def _build_reviewer(self) -> ReviewerWidget:
        from studyapp.gui.windows.reviewer import ReviewerWidget

        reviewer = ReviewerWidget(
            self._reviewer_vm,
            self._settings,
            self._clock,
            self._media_dir,
            self.undo_action,
            self.stack,
            self._generation,
            self._statistics,
        )
        self.stack.insertWidget(REVIEWER_PAGE, reviewer)
        reviewer.back_requested.connect(self.show_decks)
        self._connect_note_editing(reviewer)
        return reviewer

    # Deck list.

    def selected_deck_id(self) -> int | None:
        return self._decks.deck_id(self.tree.currentIndex())

    def selected_deck_name(self) -> str | None:
        return self._decks.deck_name(self.tree.currentIndex())

    def select_deck(self, deck_id: int) -> None:
        index = self._decks.index_of_deck(deck_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)

    @Slot()
    def refresh_decks(self, select: int | None = None) -> None:
        """Reload the counts; then select `select`, or else keep the selected deck selected."""
        chosen = select if select is not None else self.selected_deck_id()
        if chosen is not None:
            self._last_deck = chosen
        self._decks.refresh()

    @Slot()
    def _on_decks_refreshed(self) -> None:
        current = self._last_deck
        self.deck_actions.apply_folding()
        if current is not None and self._decks.index_of_deck(current).isValid():
            self.select_deck(current)
        elif self._decks.rowCount() > 0:
            self.tree.setCurrentIndex(self._decks.index(0, DECK_COLUMN))
        self._update_study_button()

    @Slot()
    def _update_study_button(self) -> None:
        self.study_button.setEnabled(self.selected_deck_id() is not None)
        self.file_menu.deck_selected(self.selected_deck_name() is not None)

    @Slot(QModelIndex)
    def _study_index(self, index: QModelIndex) -> None:
        deck_id = self._decks.deck_id(index)
        if deck_id is not None:
            self.study(deck_id)

    @Slot()
    def study_selected(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is not None:
            self.study(deck_id)

    def study(self, deck_id: int) -> None:
        """Switch to the reviewer and start a session on `deck_id`."""
        if self.planning is not None:
            self.planning.offer_backlog(deck_id)
        self._last_deck = deck_id
        reviewer = self.reviewer
        self.stack.setCurrentIndex(REVIEWER_PAGE)
        self._reviewer_vm.start(deck_id)
        reviewer.focus_card()
        self.statusBar().clearMessage()

    @Slot()
    def show_decks(self) -> None:
        """Leave the reviewer for the deck list, with fresh counts."""
        self._reviewer_vm.stop()
        self.stack.setCurrentIndex(DECK_PAGE)
        self.refresh_decks(select=self._last_deck)  # the deck just studied
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _on_undo_changed(self, label: str) -> None:
        self.undo_action.setEnabled(bool(label))
        self.undo_action.setText(
            self.tr("&Undo %1").replace("%1", label) if label else self.tr("&Undo")
        )

    @Slot(str)
    def _on_redo_changed(self, label: str) -> None:
        self.redo_action.setEnabled(bool(label))
        self.redo_action.setText(
            self.tr("&Redo %1").replace("%1", label) if label else self.tr("&Redo")
        )

    @Slot(object)
    def _on_undone(self, outcome: UndoOutcome) -> None:
        self.statusBar().showMessage(self.tr("Undone: %1").replace("%1", outcome.label), 5000)
        if self.stack.currentIndex() == DECK_PAGE:
            self.refresh_decks()

    @Slot(object)
    def _on_redone(self, outcome: UndoOutcome) -> None:
        self.statusBar().showMessage(self.tr("Redone: %1").replace("%1", outcome.label), 5000)
        if self.stack.currentIndex() == DECK_PAGE:
            self.refresh_decks()

    @Slot(str)
    def _on_decks_changed(self, message: str) -> None:
        """A deck was added, renamed, moved or deleted: say so, and offer to undo it."""
        self._show_status(message)
        self._reviewer_vm.refresh_undo()

    # Importing.

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.drops.files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self.drops.files(event)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        # After the drop has returned to the source: the dialogs run their own loops.
        QTimer.singleShot(0, self, lambda: self.drops.open(files))

    # Decks from documents.

    @Slot(object)
    def _on_cards_added(self, added: AddedCards) -> None:
        """Fresh counts, with the deck the cards went to selected."""
        self.refresh_decks()
        index = self._decks.index_of_name(added.deck)
        if index.isValid():
            self.tree.setCurrentIndex(index)

    # Scheduling tools.

    def attach_planning(self, view_model: PlanningViewModel) -> None:
        """Optimize, simulate, custom study, filtered decks and backlog recovery."""
        planning = PlanningMenu(
            self, view_model, self.tools_menu, self.tree, self.selected_deck_id, self.study,
            self._show_status,
        )  # fmt: skip
        self.planning = planning
        self._deck_buttons.insertWidget(1, planning.custom_study_button)
        view_model.decks_changed.connect(self.refresh_decks)
        view_model.decks_changed.connect(self._reviewer_vm.refresh_undo)  # they are undoable

        def selected() -> None:
            planning.deck_selected(self.selected_deck_id(), self._selected_is_filtered())

        self.tree.selectionModel().currentChanged.connect(selected)
        self._decks.refreshed.connect(selected)
        selected()

    def _selected_is_filtered(self) -> bool:
        index = self.tree.currentIndex()
        return bool(index.isValid() and index.siblingAtColumn(DECK_COLUMN).data(FILTERED_ROLE))

    # Deck options.

    def attach_deck_options(self, view_model: DeckOptionsViewModel) -> None:
        """The deck list's Options… (context menu) and gear button."""
        self.deck_options = DeckOptionsLauncher(self, view_model, self.tree, self.selected_deck_id)
        self._deck_buttons.insertWidget(1, self.deck_options.button)
        view_model.saved.connect(self.refresh_decks)
        view_model.status.connect(self._on_decks_changed)  # says what saving did; Undo knows it

    # Backups.

    def attach_backups(self, backups: BackupViewModel) -> None:
        """File ▸ Restore backup…, and a backup every few hours while the window is open."""
        self._backups = backups
        self.restore_backup_action = self.file_menu.add_restore_backup(self.restore_backup)
        self.restore_backup_action.setEnabled(backups.can_restore)
        backups.error.connect(self._show_status)
        backups.start_schedule()

    @Slot()
    def restore_backup(self) -> None:
        """Choose a backup, confirm, and close: the composition root restores it, then exits."""
        backups = self._backups
        if backups is None or not backups.can_restore:
            return
        from studyapp.gui.windows.restore_dialog import RestoreBackupDialog

        chosen = RestoreBackupDialog.ask(self, backups.backups(), str(backups.backups_dir))
        if chosen is None:
            return
        problems = backups.check(chosen)
        if problems:
            self._show_error(
                self.tr("This backup is damaged and cannot be restored: %1").replace(
                    "%1", "; ".join(problems)
                )
            )
            return
        if RestoreBackupDialog.confirm(self, chosen):
            backups.request_restore(chosen)
            self.close()

    # Dialogs and messages.

    @Slot(str)
    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    @Slot()
    def open_settings(self) -> None:
        from studyapp.gui.windows.settings_dialog import SettingsDialog

        chosen = SettingsDialog.ask(self, self._settings.current)
        if chosen is not None and self._settings.save(chosen):
            self.refresh_decks()

    @Slot()
    def open_statistics(self) -> None:
        """View ▸ Statistics: for the selected deck (or the one being studied)."""
        if self._statistics is None:
            return
        from studyapp.gui.windows.statistics_window import StatisticsWindow

        if self.statistics_window is not None:
            self.statistics_window.close()
            self.statistics_window = None
        deck_id = self.selected_deck_id() if self.stack.currentIndex() == DECK_PAGE else None
        deck_id = deck_id if deck_id is not None else self._last_deck
        index = self._decks.index_of_deck(deck_id) if deck_id is not None else None
        name = self._decks.deck_name(index) if index is not None else None
        window = StatisticsWindow(self._statistics, deck_id if name else None, name, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _=None, w=window: self._statistics_closed(w))
        self.statistics_window = window
        window.show()
        window.reload()

    def _statistics_closed(self, window: StatisticsWindow) -> None:
        if self.statistics_window is window:
            self.statistics_window = None

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About StudyApp"),
            self.tr(
                "<h3>StudyApp %1</h3><p>Spaced-repetition flashcards.</p>"
                "<p>Free software under the GNU General Public License, version 3 or later.</p>"
            ).replace("%1", __version__),
        )

    @Slot(str)
    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("StudyApp"), message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # Remembering the window.

    def _state(self) -> QSettings:
        return QSettings(str(self._state_file), QSettings.Format.IniFormat)

    def restore_state(self) -> None:
        state = self._state()
        geometry = state.value("MainWindow/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        header = state.value("DeckList/header")
        if isinstance(header, QByteArray | bytes):
            self.tree.header().restoreState(QByteArray(header))
        last = state.value("DeckList/deck")
        self._last_deck = None
        if isinstance(last, int | str) and str(last).isdigit():
            self._last_deck = int(last)

    def save_state(self) -> None:
        state = self._state()
        state.setValue("MainWindow/geometry", self.saveGeometry())
        state.setValue("DeckList/header", self.tree.header().saveState())
        deck = (
            self.selected_deck_id() if self.stack.currentIndex() == DECK_PAGE else self._last_deck
        )
        if deck is not None:
            state.setValue("DeckList/deck", deck)
        state.sync()

    def _tint_tree(self) -> None:
        """The tree's selection (branch area included) uses the soft tint of the delegate."""
        palette = QPalette(self.tree.palette())
        tint = soft_highlight(self.palette())
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, tint)
        self.tree.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._tint_tree()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._progress_pending:  # first shown: the progress column, on a worker thread
            self._progress_pending = False
            self._decks.load_progress()

    def closeEvent(self, event: QCloseEvent) -> None:
        browser = getattr(self, "browser_window", None)  # None until attach_browser
        if browser is not None:
            browser.close()  # saves its note and layout, waits for its background search
        self.imports.shutdown()
        self.exports.shutdown()
        self._decks.shutdown()
        if self._statistics is not None:
            self._statistics.shutdown()
        if self._backups is not None:
            self._backups.shutdown()
        self._reviewer_vm.stop()
        self.save_state()
        super().closeEvent(event)
