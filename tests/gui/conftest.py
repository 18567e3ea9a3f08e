"""GUI fixtures: the real services behind a real main window, shown offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from studyapp.domain.clock import ManualClock
from studyapp.gui.launch import Gui, GuiContext, application, build_gui
from studyapp.paths import icon_file, resources_dir
from studyapp.services.container import Services
from studyapp.services.settings import Theme


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    folder.mkdir()
    return folder


@pytest.fixture
def gui_context(
    services: Services, clock: ManualClock, tmp_path: Path, media_dir: Path
) -> GuiContext:
    return GuiContext(
        decks=services.decks,
        study=services.study,
        card_actions=services.card_actions,
        undo=services.undo,
        settings=services.settings,
        imports=services.imports,
        generation=services.generation,
        exports=services.exports,
        statistics=services.statistics,
        clock=clock,
        media_dir=media_dir,
        window_state_file=tmp_path / "window.ini",
        icon_file=icon_file(),
        styles_dir=resources_dir() / "styles",
        theme_override=Theme.LIGHT,
    )


@pytest.fixture
def make_gui(qtbot: QtBot, gui_context: GuiContext) -> Iterator[Callable[..., Gui]]:
    """Builds (and shows) a main window over the services; call it after preparing data."""
    built: list[Gui] = []

    def make(context: GuiContext = gui_context) -> Gui:
        gui = build_gui(context, application())
        qtbot.addWidget(gui.window)
        with qtbot.waitActive(gui.window):
            gui.window.show()
            gui.window.activateWindow()
        qtbot.waitUntil(lambda: not gui.deck_list.loading_progress)  # filled once shown
        built.append(gui)
        return gui

    yield make
    for gui in built:
        gui.window.close()
