"""The Settings dialog round trip, and the light and dark themes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.theme import apply_theme, dark_palette, is_dark, light_palette, resolve_theme
from studyapp.gui.windows.settings_dialog import SettingsDialog
from studyapp.services.container import Services
from studyapp.services.settings import AppSettings, Theme

MakeGui = Callable[..., Gui]


def app_is_dark() -> bool:
    return is_dark(QApplication.palette())


def test_dialog_shows_and_returns_the_settings(qtbot: QtBot) -> None:
    current = AppSettings(rollover_hour=5, theme=Theme.LIGHT, card_text_size=20)
    dialog = SettingsDialog(current)
    qtbot.addWidget(dialog)

    assert dialog.rollover.value() == 5
    assert dialog.rollover.text() == "5:00"
    assert dialog.theme.currentText() == "Light"
    assert dialog.text_size.value() == 20

    dialog.rollover.setValue(3)
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.DARK.value))
    dialog.text_size.setValue(24)
    assert dialog.result_settings() == AppSettings(3, Theme.DARK, 24)


def test_dialog_controls_have_names_and_buddies(qtbot: QtBot) -> None:
    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    fields = {dialog.rollover, dialog.theme, dialog.text_size}

    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    assert buddies == fields
    assert all(field.accessibleName() for field in fields)
    assert all(button.accessibleName() for button in dialog.buttons.buttons())
    assert dialog.rollover.minimum() == 0
    assert dialog.rollover.maximum() == 23


def test_ask_returns_none_when_cancelled(qtbot: QtBot) -> None:
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, cancel)
    assert SettingsDialog.ask(None, AppSettings()) is None


def test_settings_round_trip_through_the_main_window(
    qtbot: QtBot, make_gui: MakeGui, services: Services
) -> None:
    gui = make_gui()

    def edit_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        dialog.rollover.setValue(6)
        dialog.text_size.setValue(22)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, edit_and_accept)
    gui.window.settings_action.trigger()

    saved = services.settings.get()
    assert (saved.rollover_hour, saved.card_text_size) == (6, 22)
    assert gui.settings.current == saved


def test_choosing_dark_applies_a_dark_palette(
    make_gui: MakeGui, gui_context: GuiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = make_gui(replace(gui_context, theme_override=None))
    assert not app_is_dark()
    monkeypatch.setattr(
        SettingsDialog,
        "ask",
        classmethod(lambda cls, parent, current: replace(current, theme=Theme.DARK)),
    )

    gui.window.settings_action.trigger()
    assert app_is_dark()
    assert "dark theme" in QApplication.instance().styleSheet()  # type: ignore[union-attr]

    gui.settings.save(replace(gui.settings.current, theme=Theme.LIGHT))
    assert not app_is_dark()


def test_the_environment_override_wins_over_the_setting(
    make_gui: MakeGui, gui_context: GuiContext, services: Services
) -> None:
    services.settings.save(AppSettings(theme=Theme.LIGHT))
    make_gui(replace(gui_context, theme_override=Theme.DARK))
    assert app_is_dark()
    apply_theme(QApplication.instance(), Theme.LIGHT, gui_context.styles_dir)  # type: ignore[arg-type]


def test_both_palettes_are_readable(qapp: QApplication) -> None:
    for palette in (dark_palette(), light_palette()):
        text = palette.color(QPalette.ColorRole.Text).lightness()
        base = palette.color(QPalette.ColorRole.Base).lightness()
        assert abs(text - base) > 150


def test_system_theme_follows_the_platform_colour_scheme() -> None:
    assert resolve_theme(Theme.SYSTEM, Qt.ColorScheme.Dark) is Theme.DARK
    assert resolve_theme(Theme.SYSTEM, Qt.ColorScheme.Light) is Theme.LIGHT
    assert resolve_theme(Theme.SYSTEM, Qt.ColorScheme.Unknown) is Theme.LIGHT
    assert resolve_theme(Theme.DARK, Qt.ColorScheme.Light) is Theme.DARK


def test_a_desktop_scheme_change_reapplies_only_the_system_theme(
    qtbot: QtBot, make_gui: MakeGui, gui_context: GuiContext
) -> None:
    gui = make_gui(replace(gui_context, theme_override=None))
    assert gui.settings.theme is Theme.SYSTEM
    with qtbot.waitSignal(gui.settings.theme_changed):
        gui.settings.system_scheme_changed()

    gui.settings.save(replace(gui.settings.current, theme=Theme.LIGHT))
    with qtbot.assertNotEmitted(gui.settings.theme_changed):
        gui.settings.system_scheme_changed()
