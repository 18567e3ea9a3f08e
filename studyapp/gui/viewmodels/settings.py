"""App-wide settings for the views: reading, saving, the card text size and the theme in effect."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal, Slot

from studyapp.errors import StudyAppError
from studyapp.services.settings import (
    MAX_TEXT_SIZE,
    MIN_TEXT_SIZE,
    AppSettings,
    SettingsService,
    Theme,
)

TEXT_SIZE_STEP = 2


class SettingsViewModel(QObject):
    """Signals: changed(AppSettings) after a save, theme_changed(Theme) when the chosen theme
    changes, error(str) when the service refuses a value."""

    changed = Signal(object)
    theme_changed = Signal(object)
    error = Signal(str)

    def __init__(
        self,
        settings: SettingsService,
        theme_override: Theme | None = None,
        parent: QObject | None = None,
        first: AppSettings | None = None,
    ) -> None:
        """`first`: the settings as the first screen read them (else read now)."""
        super().__init__(parent)
        self._service = settings
        self._override = theme_override
        self._current = first if first is not None else settings.get()

    @property
    def current(self) -> AppSettings:
        return self._current

    @property
    def theme(self) -> Theme:
        """The theme to use: STUDYAPP_THEME when set, otherwise the one chosen in Settings."""
        return self._override if self._override is not None else self._current.theme

    @property
    def card_text_size(self) -> int:
        return self._current.card_text_size

    def save(self, settings: AppSettings) -> bool:
        """Store `settings`; returns False (and emits error) when the service refuses them."""
        old_theme = self.theme
        try:
            self._service.save(settings)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return False
        self._current = self._service.get()
        self.changed.emit(self._current)
        if self.theme != old_theme:
            self.theme_changed.emit(self.theme)
        return True

    @Slot()
    def system_scheme_changed(self) -> None:
        """The desktop switched between light and dark: follow it when the theme is System."""
        if self.theme is Theme.SYSTEM:
            self.theme_changed.emit(self.theme)

    @Slot()
    def bigger_text(self) -> None:
        self._resize_text(TEXT_SIZE_STEP)

    @Slot()
    def smaller_text(self) -> None:
        self._resize_text(-TEXT_SIZE_STEP)

    def _resize_text(self, delta: int) -> None:
        size = min(max(self._current.card_text_size + delta, MIN_TEXT_SIZE), MAX_TEXT_SIZE)
        if size != self._current.card_text_size:
            self.save(replace(self._current, card_text_size=size))
