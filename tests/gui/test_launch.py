"""run_gui: the application comes up with its names, icon and window, and exits cleanly."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.domain.clock import ManualClock
from studyapp.gui.launch import Gui, GuiContext, application, run_gui
from studyapp.gui.viewmodels.deck_list import DECK_COLUMN, DECK_NAME_ROLE
from studyapp.gui.windows.main_window import MainWindow
from studyapp.services.container import Services
from studyapp.services.first_screen import first_screen
from studyapp.storage.database import Database
from studyapp.storage.first_screen import read_snapshot


def test_run_gui_shows_the_main_window_and_returns_when_it_closes(
    qapp: QApplication, gui_context: GuiContext
) -> None:
    seen: list[MainWindow] = []
    hook = sys.excepthook

    def close_window() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w for w in windows if w.isVisible())
        for window in windows:
            window.close()
            window.deleteLater()

    QTimer.singleShot(50, close_window)
    assert run_gui(gui_context) == 0

    assert len(seen) == 1
    assert qapp.applicationName() == "StudyApp"
    assert qapp.organizationName() == "StudyApp"
    assert not qapp.windowIcon().isNull()
    assert sys.excepthook is hook
    assert gui_context.window_state_file.is_file()


def test_the_application_uses_the_fusion_style(qapp: QApplication) -> None:
    sheet = qapp.styleSheet()
    qapp.setStyleSheet("")  # a style sheet wraps the style and hides its name
    try:
        assert application() is qapp
        assert qapp.style().name().lower() == "fusion"
    finally:
        qapp.setStyleSheet(sheet)


def test_the_window_shows_the_first_screen_then_reads_the_collection_once_opened(
    qtbot: QtBot,
    make_gui: Callable[..., Gui],
    gui_context: GuiContext,
    database: Database,
    services: Services,
    clock: ManualClock,
) -> None:
    assert database.sqlite_file is not None
    services.settings.save(replace(services.settings.get(), card_text_size=24))
    first = read_snapshot(database.sqlite_file, lambda reads: first_screen(reads, clock))
    assert first is not None
    services.decks.create("Added while opening")  # the first screen does not have it
    opened_on: list[bool] = []

    def finish_opening() -> None:
        opened_on.append(threading.current_thread() is threading.main_thread())

    gui = make_gui(replace(gui_context, first_screen=first, finish_opening=finish_opening))

    assert deck_names(gui) == [row.name for row in first.decks]
    assert gui.settings.card_text_size == 24
    gui.deck_list.refresh_after(finish_opening)
    qtbot.waitUntil(lambda: "Added while opening" in deck_names(gui))
    assert opened_on == [False]


def deck_names(gui: Gui) -> list[str]:
    model = gui.deck_list
    root = model.invisibleRootItem()
    return [
        str(root.child(row, DECK_COLUMN).data(DECK_NAME_ROLE)) for row in range(root.rowCount())
    ]
