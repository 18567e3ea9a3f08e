"""Where things live: the bundled decks and resources, and the user's data folder.

The bundled folders are `decks/` and `resources/` at the top of a checkout, and `studyapp/decks` and
`studyapp/resources` inside an installed wheel.  Everything the app writes goes below one data
folder: the platform's user data folder, or the one given with `--data-dir`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_NAME = "StudyApp"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE_DIR / name
    return installed if installed.is_dir() else _PACKAGE_DIR.parent / name


def decks_dir() -> Path:
    return _bundled("decks")


def resources_dir() -> Path:
    return _bundled("resources")


def documents_dir() -> Path:
    """The bundled documents that built-in decks are generated from."""
    return resources_dir() / "documents"


def builtin_deck_files() -> list[Path]:
    return sorted(decks_dir().glob("*.toml"))


def icon_file() -> Path:
    return resources_dir() / "icons" / "studyapp.svg"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True, slots=True)
class DataPaths:
    """The files and folders below one data folder."""

    root: Path

    @property
    def database_file(self) -> Path:
        return self.root / "collection.sqlite3"

    @property
    def media_dir(self) -> Path:
        return self.root / "media"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def lock_file(self) -> Path:
        """Held (locked) while a StudyApp process has the SQLite collection open."""
        return self.root / "collection.lock"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def window_state_file(self) -> Path:
        return self.root / "window-state.ini"

    def create(self) -> None:
        for folder in (self.root, self.media_dir, self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True)
