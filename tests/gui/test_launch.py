"""run_gui: the application comes up with its names, icon and window, and exits cleanly."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from studyapp.gui.launch import GuiContext, application, run_gui
from studyapp.gui.windows.main_window import MainWindow


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
