"""Composition root: opens the collection, builds the clock and services, starts GUI or CLI.

Nothing but `__main__` and the `studyapp` entry point imports this module.  The GUI is imported
lazily, so the command line never loads Qt.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path

from studyapp import cli, paths
from studyapp.cli import desktop_entry
from studyapp.domain.clock import Clock, SystemClock
from studyapp.errors import StudyAppError
from studyapp.services.collection import CollectionService
from studyapp.services.container import Services
from studyapp.services.decks import DeckService
from studyapp.services.exports import ExportService
from studyapp.services.generation import GenerationService
from studyapp.services.imports import ImportService
from studyapp.services.settings import SettingsService, Theme
from studyapp.services.study import StudyService
from studyapp.services.undo import UndoService, UndoStack
from studyapp.storage.database import Database, sqlite_url

log = logging.getLogger("studyapp")


def database_url(data: paths.DataPaths, option: str | None) -> str:
    """`--database`, else $STUDYAPP_DATABASE, else the SQLite file in the data folder."""
    chosen = option or os.environ.get("STUDYAPP_DATABASE")
    if not chosen:
        return sqlite_url(data.database_file)
    return chosen if "://" in chosen else sqlite_url(Path(chosen).expanduser().resolve())


def open_collection(url: str, clock: Clock, media_dir: Path) -> tuple[Database, Services]:
    """Open (creating and upgrading if needed) the collection at `url` and build its services."""
    database = Database(url)
    database.upgrade()
    undo_stack = UndoStack()
    services = Services(
        clock=clock,
        collection=CollectionService(database, clock, media_dir),
        decks=DeckService(database, clock),
        study=StudyService(database, clock, undo_stack),
        undo=UndoService(database, undo_stack),
        settings=SettingsService(database),
        imports=ImportService(database, clock, media_dir),
        generation=GenerationService(database, clock),
        exports=ExportService(database, clock, media_dir),
    )
    services.collection.prepare(
        [path.read_bytes() for path in paths.builtin_deck_files()], paths.documents_dir()
    )
    return database, services


def _configure_logging(data: paths.DataPaths) -> None:
    handler = RotatingFileHandler(
        data.logs_dir / "studyapp.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setLevel(logging.WARNING)
    log.addHandler(to_stderr)


def _confine_to_data_dir(data: paths.DataPaths) -> None:
    """With --data-dir, make Qt and font caches write below it too."""
    os.environ["XDG_CACHE_HOME"] = str(data.cache_dir)
    os.environ["XDG_CONFIG_HOME"] = str(data.root / "config")


def _theme_override() -> Theme | None:
    value = os.environ.get("STUDYAPP_THEME", "").strip().lower()
    try:
        return Theme(value) if value else None
    except ValueError:
        log.warning("STUDYAPP_THEME=%s is not one of system, light, dark; ignored", value)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = cli.build_parser()
    args = parser.parse_args(arguments)
    data = paths.DataPaths(
        args.data_dir.expanduser().resolve() if args.data_dir else paths.default_data_dir()
    )
    if args.command == desktop_entry.NAME:
        options = ["--data-dir", str(data.root)] if args.data_dir else []
        return desktop_entry.install(paths.icon_file(), options)
    data.create()
    if args.data_dir:
        _confine_to_data_dir(data)
    _configure_logging(data)
    try:
        database, services = open_collection(
            database_url(data, args.database), SystemClock(), data.media_dir
        )
    except StudyAppError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return 1
    try:
        if args.command in (None, "gui"):
            return _run_gui(services, data)
        return cli.run_command(args, services)
    except StudyAppError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return 1
    finally:
        database.close()


def _run_gui(services: Services, data: paths.DataPaths) -> int:
    from studyapp.gui.launch import GuiContext, run_gui

    return run_gui(
        GuiContext(
            decks=services.decks,
            study=services.study,
            undo=services.undo,
            settings=services.settings,
            imports=services.imports,
            generation=services.generation,
            exports=services.exports,
            clock=services.clock,
            media_dir=data.media_dir,
            window_state_file=data.window_state_file,
            icon_file=paths.icon_file(),
            styles_dir=paths.resources_dir() / "styles",
            theme_override=_theme_override(),
        )
    )
