"""Starting the GUI: the QApplication, its theme and icon, the view-models and the main window."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory

from studyapp.domain.clock import Clock
from studyapp.gui.tasks import Task, expected_message
from studyapp.gui.theme import apply_theme
from studyapp.gui.viewmodels.backups import BackupViewModel
from studyapp.gui.viewmodels.deck_list import DeckListModel
from studyapp.gui.viewmodels.deck_options import DeckOptionsServices, DeckOptionsViewModel
from studyapp.gui.viewmodels.exporter import ExportViewModel
from studyapp.gui.viewmodels.generation import GenerationViewModel
from studyapp.gui.viewmodels.importer import ImportViewModel
from studyapp.gui.viewmodels.planning import PlanningServices, PlanningViewModel
from studyapp.gui.viewmodels.reviewer import ReviewerViewModel
from studyapp.gui.viewmodels.settings import SettingsViewModel
from studyapp.gui.viewmodels.statistics import StatisticsViewModel
from studyapp.gui.windows.main_window import MainWindow

if TYPE_CHECKING:  # annotations only (the note windows' modules load late: see _attach_notes)
    from studyapp.gui.viewmodels.browser import BrowserViewModel
    from studyapp.gui.viewmodels.note_editor import NoteEditorViewModel
    from studyapp.gui.viewmodels.note_types import NoteTypesViewModel
    from studyapp.services.backups import BackupService
    from studyapp.services.browser import BrowserService
    from studyapp.services.card_actions import CardActionService
    from studyapp.services.decks import DeckService
    from studyapp.services.exports import ExportService
    from studyapp.services.first_screen import FirstScreen
    from studyapp.services.generation import GenerationService
    from studyapp.services.imports import ImportService
    from studyapp.services.note_types import NoteTypeService
    from studyapp.services.notes import NoteService
    from studyapp.services.settings import SettingsService, Theme
    from studyapp.services.statistics import StatisticsService
    from studyapp.services.study import StudyService
    from studyapp.services.undo import UndoService

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class NoteServices(Protocol):
    """The card browser, notes and note types; the app's `Services` is one, building each on
    first use, so their modules load when the user first opens one of their windows."""

    @property
    def browser(self) -> BrowserService: ...
    @property
    def notes(self) -> NoteService: ...
    @property
    def note_types(self) -> NoteTypeService: ...


@dataclass(frozen=True)
class GuiContext:
    """Everything the GUI needs, built by the composition root (studyapp.app)."""

    decks: DeckService
    study: StudyService
    card_actions: CardActionService
    undo: UndoService
    settings: SettingsService
    imports: ImportService
    generation: GenerationService
    exports: ExportService
    statistics: StatisticsService
    clock: Clock
    media_dir: Path
    window_state_file: Path
    """A QSettings IniFormat file in the data folder: window size, position, column widths."""
    icon_file: Path
    styles_dir: Path
    theme_override: Theme | None = None
    """From STUDYAPP_THEME; wins over the theme chosen in Settings."""
    backups: BackupService | None = None
    """Backups while open and File ▸ Restore backup… (None: a PostgreSQL collection)."""
    restore_backup: Callable[[Path], None] | None = None
    """The composition root's callback: restore this backup once the window has closed."""
    shown: Callable[[], None] | None = None
    """Called once the main window is shown (the composition root's start-up is over)."""
    startup_check: Callable[[], None] | None = None
    """Waits for the start-up integrity check; raises when the collection is damaged, and the
    window then closes (the composition root offers recovery).  None: no check is running."""
    planning: PlanningServices | None = None
    """Optimizer, workload simulator, backlog recovery, custom study and filtered decks."""
    deck_options: DeckOptionsServices | None = None
    """Presets and exams: the deck options dialog."""
    note_services: NoteServices | None = None
    """The browser, adding and editing notes, and Tools ▸ Note types…"""
    first_screen: FirstScreen | None = None
    """The deck list and settings to show first, read before the services could (None: the
    view-models read them)."""
    finish_opening: Callable[[], None] | None = None
    """What is left of opening the collection once the first screen shows: run on a worker
    thread, and the deck list is read again after it."""


@dataclass(frozen=True)
class Gui:
    """The built GUI: the window and the view-models behind it (tests drive these directly)."""

    window: MainWindow
    deck_list: DeckListModel
    reviewer: ReviewerViewModel
    settings: SettingsViewModel
    importer: ImportViewModel
    generation: GenerationViewModel
    exporter: ExportViewModel
    statistics: StatisticsViewModel
    backups: BackupViewModel | None = None


def application() -> QApplication:
    """The QApplication, created (with names and the Fusion style) if there is none yet."""
    existing = QCoreApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("StudyApp")
    app.setOrganizationName("StudyApp")
    app.setApplicationDisplayName("StudyApp")
    app.setDesktopFileName("studyapp")
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    return app


def install_translators(app: QApplication) -> None:
    """Qt's own translations (dialog buttons and the like) for the user's language, if shipped."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(), "qtbase", "_", folder):
        app.installTranslator(translator)


def build_gui(context: GuiContext, app: QApplication) -> Gui:
    """Theme, view-models and main window over the context's services (the window is not shown).

    The view-models become children of the window, so closing and deleting it ends them too.
    """
    first = context.first_screen
    settings = SettingsViewModel(
        context.settings, context.theme_override, first=None if first is None else first.settings
    )
    apply_theme(app, settings.theme, context.styles_dir)

    def reapply(theme: Theme) -> None:
        apply_theme(app, theme, context.styles_dir)

    settings.theme_changed.connect(reapply)
    app.styleHints().colorSchemeChanged.connect(settings.system_scheme_changed)
    deck_list = DeckListModel(
        context.decks,
        statistics=context.statistics,
        first_rows=None if first is None else first.decks,
    )
    reviewer = ReviewerViewModel(
        context.study, context.undo, context.clock, actions=context.card_actions
    )
    importer = ImportViewModel(context.imports)
    generation = GenerationViewModel(context.generation, context.decks)
    exporter = ExportViewModel(context.exports, context.decks)
    statistics = StatisticsViewModel(context.statistics)
    window = MainWindow(
        deck_list,
        reviewer,
        settings,
        context.clock,
        context.media_dir,
        context.window_state_file,
        importer,
        generation,
        exporter,
        statistics,
    )
    view_models = (settings, deck_list, reviewer, importer, generation, exporter, statistics)
    for view_model in view_models:
        view_model.setParent(window)
    backups = None
    if context.backups is not None:
        backups = BackupViewModel(context.backups, context.restore_backup, parent=window)
        window.attach_backups(backups)
    if context.planning is not None:
        window.attach_planning(PlanningViewModel(context.planning, parent=window))
    if context.deck_options is not None:
        options = DeckOptionsViewModel(context.deck_options, context.planning, parent=window)
        window.attach_deck_options(options)
    _attach_notes(context, window)
    window.setWindowIcon(app.windowIcon())
    return Gui(
        window,
        deck_list,
        reviewer,
        settings,
        importer,
        generation,
        exporter,
        statistics,
        backups=backups,
    )


def _attach_notes(context: GuiContext, window: MainWindow) -> None:
    """The browser, the note editor and note types: their view-models (and modules) are built
    when the window first opens them, not to show the deck list."""
    services = context.note_services
    if services is None:
        return
    editor = _note_editor(services, context.media_dir, window)
    window.attach_browser(_browser(services, context.undo, window), editor)
    window.attach_notes(editor, _note_types(services, window))


def _browser(
    services: NoteServices, undo: UndoService, window: MainWindow
) -> Callable[[], BrowserViewModel]:
    def build() -> BrowserViewModel:
        from studyapp.gui.viewmodels.browser import BrowserViewModel

        return BrowserViewModel(services.browser, undo, parent=window)

    return build


def _note_editor(
    services: NoteServices, media_dir: Path, window: MainWindow
) -> Callable[[], NoteEditorViewModel]:
    def build() -> NoteEditorViewModel:
        from studyapp.gui.viewmodels.note_editor import NoteEditorViewModel

        return NoteEditorViewModel(services.notes, media_dir, parent=window)

    return build


def _note_types(services: NoteServices, window: MainWindow) -> Callable[[], NoteTypesViewModel]:
    def build() -> NoteTypesViewModel:
        from studyapp.gui.viewmodels.note_types import NoteTypesViewModel

        return NoteTypesViewModel(services.note_types, parent=window)

    return build


def _close_if_damaged(check: Callable[[], None], window: MainWindow) -> None:
    """Wait for the start-up check on a worker; close the window if it finds damage."""
    task: Task[None] = Task(lambda _progress, _cancelled: check(), parent=window)

    def failed(error: object) -> None:
        log.warning("Closing: %s", expected_message(error))
        window.close()

    task.failed.connect(failed)
    task.start()


def _crash_hook(app: QApplication, previous: ExceptHook) -> ExceptHook:
    """An excepthook that logs an unexpected error and tells the user, instead of dying silently."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("Unexpected error", exc_info=(kind, error, tb))
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            app.quit()
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        box = QMessageBox(QMessageBox.Icon.Critical, app.applicationDisplayName(), "")
        box.setText(
            QCoreApplication.translate(
                "CrashDialog",
                "Something unexpected went wrong. Your cards and reviews are safe; "
                "the details below are also in the log file.",
            )
        )
        box.setDetailedText(details)
        box.exec()

    return hook


def run_gui(context: GuiContext) -> int:
    """Run the app's window until it closes; returns the exit status."""
    app = application()
    install_translators(app)
    if context.icon_file.is_file():
        app.setWindowIcon(QIcon(str(context.icon_file)))
    gui = build_gui(context, app)
    previous = sys.excepthook
    sys.excepthook = _crash_hook(app, previous)
    try:
        gui.window.show()
        if context.shown is not None:
            context.shown()
        if context.finish_opening is not None:
            gui.deck_list.refresh_after(context.finish_opening)
        if context.startup_check is not None:
            _close_if_damaged(context.startup_check, gui.window)
        return app.exec()
    finally:
        sys.excepthook = previous
