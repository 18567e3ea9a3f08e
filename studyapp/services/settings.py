"""App-wide settings, kept in the collection's settings table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from studyapp.errors import InvalidInputError

if TYPE_CHECKING:
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import SettingRepository


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


MIN_TEXT_SIZE = 10
MAX_TEXT_SIZE = 48


@dataclass(frozen=True, slots=True)
class AppSettings:
    rollover_hour: int = 4
    """Local hour at which a new study day starts, 0 to 23."""
    theme: Theme = Theme.SYSTEM
    card_text_size: int = 18
    """Points."""
    autoplay_audio: bool = True
    """Play a card's sounds when it is shown (they can always be replayed)."""

    def validated(self) -> AppSettings:
        if not 0 <= self.rollover_hour <= 23:
            raise InvalidInputError("The study day must start at an hour from 0 to 23.")
        if not MIN_TEXT_SIZE <= self.card_text_size <= MAX_TEXT_SIZE:
            raise InvalidInputError(
                f"The card text size must be from {MIN_TEXT_SIZE} to {MAX_TEXT_SIZE} points."
            )
        return self


def read_settings(repository: SettingRepository) -> AppSettings:
    """The stored settings, with defaults for anything missing or unreadable."""
    return settings_from(repository.all())


def settings_from(stored: Mapping[str, Any]) -> AppSettings:
    """The settings in `stored` (the settings table, every key), with defaults for anything
    missing or unreadable."""
    defaults = AppSettings()
    values: dict[str, Any] = {}
    for field in fields(AppSettings):
        raw = stored.get(field.name)
        if raw is None:
            continue
        try:
            if field.name == "theme":
                values[field.name] = Theme(raw)
            elif field.name == "autoplay_audio":
                values[field.name] = bool(raw)
            else:
                values[field.name] = int(raw)
        except (TypeError, ValueError):
            values[field.name] = getattr(defaults, field.name)
    try:
        return AppSettings(**values).validated()
    except InvalidInputError:
        return defaults


class SettingsService:
    def __init__(self, database: Database) -> None:
        self._database = database

    def get(self) -> AppSettings:
        with self._database.transaction() as repos:
            return read_settings(repos.settings)

    def save(self, settings: AppSettings) -> None:
        settings.validated()
        with self._database.transaction() as repos:
            repos.settings.set("rollover_hour", settings.rollover_hour)
            repos.settings.set("theme", settings.theme.value)
            repos.settings.set("card_text_size", settings.card_text_size)
            repos.settings.set("autoplay_audio", settings.autoplay_audio)
