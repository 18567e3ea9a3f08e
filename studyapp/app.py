"""Composition root: opens the collection, builds the clock and services, starts GUI or CLI.

Nothing but `__main__` and the `studyapp` entry point imports this module.  The GUI is imported
lazily, so the command line never loads Qt; storage is imported once the arguments are parsed, and
each service module when its service is first used (`CollectionServices`), so start-up loads only
what the deck list or the command needs.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Sequence
from functools import cached_property, partial
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp import cli, paths
from studyapp.cli import backup as backup_command
from studyapp.cli import desktop_entry
from studyapp.domain.clock import Clock, SystemClock
from studyapp.errors import CollectionDamagedError, CollectionInUseError, StudyAppError
from studyapp.storage.integrity import IntegrityCheck

if TYPE_CHECKING:
    from studyapp.services.backlog import BacklogService
    from studyapp.services.backups import BackupService, Damage
    from studyapp.services.browser import BrowserService
    from studyapp.services.card_actions import CardActionService
    from studyapp.services.collection import CollectionService
    from studyapp.services.collection_cache import CollectionCache
    from studyapp.services.container import Services
    from studyapp.services.custom_study import CustomStudyService
    from studyapp.services.decks import DeckService
    from studyapp.services.exam import ExamService
    from studyapp.services.exports import ExportService
    from studyapp.services.filtered_decks import FilteredDeckService
    from studyapp.services.first_screen import FirstScreen
    from studyapp.services.generation import GenerationService
    from studyapp.services.imports import ImportService
    from studyapp.services.note_types import NoteTypeService
    from studyapp.services.notes import NoteService
    from studyapp.services.optimizer import OptimizerService
    from studyapp.services.presets import PresetService
    from studyapp.services.settings import SettingsService, Theme
    from studyapp.services.statistics import StatisticsService
    from studyapp.services.study import StudyService
    from studyapp.services.undo import UndoService
    from studyapp.services.workload import WorkloadService
    from studyapp.storage.database import Database

log = logging.getLogger("studyapp")


def database_url(data: paths.DataPaths, option: str | None) -> str:
    """`--database`, else $STUDYAPP_DATABASE, else the SQLite file in the data folder."""
    from studyapp.storage.database import sqlite_url

    file = _named_sqlite_file(data, option)
    return sqlite_url(file) if file is not None else option or os.environ["STUDYAPP_DATABASE"]


def _named_sqlite_file(data: paths.DataPaths, option: str | None) -> Path | None:
    """The collection file `database_url` names, when it is a file rather than a URL."""
    chosen = option or os.environ.get("STUDYAPP_DATABASE")
    if not chosen:
        return data.database_file
    return None if "://" in chosen else Path(chosen).expanduser().resolve()


def open_collection(
    url: str, clock: Clock, media_dir: Path, backups_dir: Path | None = None
) -> tuple[Database, Services]:
    """Open (creating and upgrading if needed) the collection at `url` and build its services.

    Backups go to `backups_dir`, by default the `backups` folder beside `media_dir` (as in a data
    folder); nothing is written there until a backup is made.
    """
    from studyapp.storage.database import Database

    database = Database(url)
    try:
        services = open_services(
            database, clock, media_dir, backups_dir or media_dir.parent / "backups"
        )
    except BaseException:
        database.close()
        raise
    return database, services


def open_services(database: Database, clock: Clock, media_dir: Path, backups_dir: Path) -> Services:
    """Upgrade the schema of the (checked) database and build the services over it."""
    services = CollectionServices(database, clock, media_dir, backups_dir)
    finish_opening(database, services)
    return services


def finish_opening(database: Database, services: Services) -> None:
    """Bring the schema to the newest revision and the built-in decks up to date."""
    database.upgrade()
    services.collection.prepare(
        [path.read_bytes() for path in paths.builtin_deck_files()], paths.documents_dir()
    )


class CollectionServices:
    """The `Services` of one open collection: each is built on first use, so a command (or the
    deck list) loads only the service modules it needs.  All share one undo stack."""

    def __init__(self, database: Database, clock: Clock, media_dir: Path, backups_dir: Path):
        from studyapp.services.undo import UndoStack

        self.clock = clock
        self._database = database
        self._media_dir = media_dir
        self._backups_dir = backups_dir
        self._undo_stack = UndoStack()

    @cached_property
    def _collection_cache(self) -> CollectionCache:
        """Settings, decks and presets read once per change, shared by the deck list and study."""
        from studyapp.services.collection_cache import CollectionCache

        return CollectionCache(self._database)

    @cached_property
    def collection(self) -> CollectionService:
        from studyapp.services.collection import CollectionService

        return CollectionService(self._database, self.clock, self._media_dir)

    @cached_property
    def decks(self) -> DeckService:
        from studyapp.services.decks import DeckService

        return DeckService(self._database, self.clock, self._undo_stack, self._collection_cache)

    @cached_property
    def study(self) -> StudyService:
        from studyapp.services.study import StudyService

        return StudyService(self._database, self.clock, self._undo_stack, self._collection_cache)

    @cached_property
    def card_actions(self) -> CardActionService:
        from studyapp.services.card_actions import CardActionService

        return CardActionService(self._database, self.clock, self._undo_stack)

    @cached_property
    def browser(self) -> BrowserService:
        from studyapp.services.browser import BrowserService

        return BrowserService(self._database, self.clock, self._undo_stack)

    @cached_property
    def undo(self) -> UndoService:
        from studyapp.services.undo import UndoService

        return UndoService(self._database, self._undo_stack)

    @cached_property
    def settings(self) -> SettingsService:
        from studyapp.services.settings import SettingsService

        return SettingsService(self._database)

    @cached_property
    def imports(self) -> ImportService:
        from studyapp.services.imports import ImportService

        return ImportService(self._database, self.clock, self._media_dir)

    @cached_property
    def generation(self) -> GenerationService:
        from studyapp.services.generation import GenerationService

        return GenerationService(self._database, self.clock)

    @cached_property
    def exports(self) -> ExportService:
        from studyapp.services.exports import ExportService

        return ExportService(self._database, self.clock, self._media_dir)

    @cached_property
    def backups(self) -> BackupService:
        from studyapp.services.backups import BackupService

        return BackupService(self._database, self.clock, self._backups_dir)

    @cached_property
    def statistics(self) -> StatisticsService:
        from studyapp.services.statistics import StatisticsService

        return StatisticsService(self._database, self.clock)

    @cached_property
    def presets(self) -> PresetService:
        from studyapp.services.presets import PresetService

        return PresetService(self._database, self.clock, self._undo_stack)

    @cached_property
    def exams(self) -> ExamService:
        from studyapp.services.exam import ExamService

        return ExamService(self._database, self.clock)

    @cached_property
    def optimizer(self) -> OptimizerService:
        from studyapp.services.optimizer import OptimizerService

        return OptimizerService(self._database, self.clock)

    @cached_property
    def workload(self) -> WorkloadService:
        from studyapp.services.workload import WorkloadService

        return WorkloadService(self._database, self.clock)

    @cached_property
    def backlog(self) -> BacklogService:
        from studyapp.services.backlog import BacklogService

        return BacklogService(self._database, self.clock, self._undo_stack)

    @cached_property
    def filtered_decks(self) -> FilteredDeckService:
        from studyapp.services.filtered_decks import FilteredDeckService

        return FilteredDeckService(self._database, self.clock, self._undo_stack)

    @cached_property
    def custom_study(self) -> CustomStudyService:
        from studyapp.services.custom_study import CustomStudyService

        return CustomStudyService(self._database, self.clock, self.filtered_decks)

    @cached_property
    def notes(self) -> NoteService:
        from studyapp.services.notes import NoteService

        return NoteService(self._database, self.clock, self._undo_stack, self._media_dir)

    @cached_property
    def note_types(self) -> NoteTypeService:
        from studyapp.services.note_types import NoteTypeService

        return NoteTypeService(self._database)


def lock_file(data: paths.DataPaths, database_file: Path) -> Path:
    """The lock of a SQLite collection: DIR/collection.lock, or `<file>.lock` beside it."""
    if database_file == data.database_file:
        return data.lock_file
    return database_file.with_name(database_file.name + ".lock")


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
    from studyapp.services.settings import Theme

    value = os.environ.get("STUDYAPP_THEME", "").strip().lower()
    try:
        return Theme(value) if value else None
    except ValueError:
        log.warning("STUDYAPP_THEME=%s is not one of system, light, dark; ignored", value)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up makes some 120,000 long-lived objects (modules, tables, widgets): collecting
    # garbage among them finds nothing and costs a sixth of the launch.  The collector comes back,
    # with those objects frozen out of its passes, once the window shows or a command starts.
    gc.disable()
    try:
        return _main(argv)
    finally:
        _collect_garbage_from_now_on()


def _collect_garbage_from_now_on() -> None:
    gc.freeze()
    gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = cli.build_parser()
    args = parser.parse_args(arguments)
    data = paths.DataPaths(
        args.data_dir.expanduser().resolve() if args.data_dir else paths.default_data_dir()
    )
    if args.command == desktop_entry.NAME:
        options = ["--data-dir", str(data.root)] if args.data_dir else []
        return desktop_entry.install(paths.icon_file(), options)
    try:
        data.create()
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"studyapp: Cannot use the data folder {data.root}: {reason}.", file=sys.stderr)
        return 1
    if args.data_dir:
        _confine_to_data_dir(data)
    _configure_logging(data)
    clock = SystemClock()
    gui = args.command in (None, "gui")
    named_file = _named_sqlite_file(data, args.database)
    # The GUI's check reads the file while Qt, the window and SQLAlchemy load.
    check = IntegrityCheck(named_file) if gui and named_file is not None else None
    from studyapp.services.backups import BackupService
    from studyapp.storage.collection_lock import CollectionLock
    from studyapp.storage.database import Database

    try:
        # A collection file's engine (and SQLAlchemy) load on first use: the GUI draws its
        # first screen before (see _gui_session).
        database = (
            Database.for_file(named_file)
            if named_file is not None
            else Database(database_url(data, args.database))
        )
    except StudyAppError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return 1
    database_file = database.sqlite_file
    lock = CollectionLock(lock_file(data, database_file)) if database_file else None
    try:
        if lock is not None:
            lock.acquire()  # before anything reads or moves the collection file
        backups = BackupService(database, clock, data.backups_dir)
        if args.command == backup_command.NAME and not backup_command.needs_collection(args):
            return backup_command.run_closed(args, backups, sys.stdout)
        if database_file is not None and check is None:
            check = IntegrityCheck(database_file)
        if gui:
            _prepare_gui()  # while the check reads the file
            return _gui_session(database, backups, data, clock, check)
        if check is not None and not _check_integrity(backups, check, gui=False):
            return 1
        services = open_services(database, clock, data.media_dir, data.backups_dir)
        _collect_garbage_from_now_on()
        return cli.run_command(args, services)
    except CollectionInUseError as error:
        log.info("Not started: %s", error)
        if gui:
            from studyapp.gui.windows.collection_messages import show_in_use

            show_in_use()
            return 0
        print(f"studyapp: {error}", file=sys.stderr)
        return 1
    except StudyAppError as error:
        print(f"studyapp: {error}", file=sys.stderr)
        return 1
    finally:
        database.close()
        if lock is not None:
            lock.release()


def _prepare_gui() -> None:
    """Import the GUI and create the QApplication."""
    from studyapp.gui.launch import application

    application()


def _gui_session(
    database: Database,
    backups: BackupService,
    data: paths.DataPaths,
    clock: Clock,
    check: IntegrityCheck | None,
) -> int:
    """Open the collection and run the GUI while the start-up check finishes.

    Until the check has passed, nothing is written (`Database.hold_writes`).  When it finds the
    file damaged, the window closes, the user chooses how to recover, and the GUI starts again.
    """
    while True:
        database.hold_writes(None if check is None else check.require_sound)
        try:
            first = _first_screen(database, clock)
            services: Services
            if first is None:
                services = open_services(database, clock, data.media_dir, data.backups_dir)
            else:
                services = CollectionServices(database, clock, data.media_dir, data.backups_dir)
            status = _run_gui(database, services, data, check, first)
        except CollectionDamagedError:
            if check is None or not check.problems():
                raise  # damage the start-up check did not find: its message, and stop
            status = None
        if status is not None:
            return status
        assert check is not None  # _run_gui returns None only for damage the check found
        database.close()
        if not _check_integrity(backups, check, gui=True):
            return 1
        check = None  # a restored backup was checked; a new collection starts empty


def _first_screen(database: Database, clock: Clock) -> FirstScreen | None:
    """The deck list and settings of a SQLite collection, read without SQLAlchemy, so the window
    shows while the rest loads; None: open the usual way (not a SQLite file, an older schema,
    a day's unburying to do, unreadable)."""
    if database.sqlite_file is None:
        return None
    from studyapp.services.first_screen import first_screen
    from studyapp.storage.first_screen import read_snapshot

    return read_snapshot(database.sqlite_file, lambda reads: first_screen(reads, clock))


def _check_integrity(backups: BackupService, check: IntegrityCheck, gui: bool) -> bool:
    """The start-up check's verdict on the (closed) collection; a damaged file is kept aside,
    never overwritten.

    The GUI asks whether to restore the newest good backup (or start empty, or quit); the command
    line restores it and says so, or stops with a message when there is none.  False: stop.
    """
    database_file = check.path
    damage = backups.damage(database_file, check.problems())
    if damage is None:
        return True
    if gui:
        from studyapp.gui.windows.collection_messages import Recovery, ask_recovery

        choice = ask_recovery(database_file, damage)
        if choice is Recovery.RESTORE and damage.newest_good is not None:
            kept = backups.restore(damage.newest_good.path, database_file, "damaged")
            log.warning("Restored %s; the damaged file is %s", damage.newest_good.path, kept)
            return True
        if choice is Recovery.START_EMPTY:
            kept = backups.set_aside_damaged(database_file)
            log.warning("Starting a new collection; the damaged file is %s", kept)
            return True
        return False
    return _recover_on_command_line(backups, database_file, damage)


def _recover_on_command_line(backups: BackupService, database_file: Path, damage: Damage) -> bool:
    problem = damage.problems[0]
    if damage.newest_good is None:
        print(
            f"studyapp: the collection {database_file} is damaged ({problem}) and there is no "
            f"good backup in {backups.backups_dir}. The file was left as it is. Open StudyApp to "
            "start a new collection (the damaged file is kept aside), or restore a backup with "
            "`studyapp backup restore FILE`.",
            file=sys.stderr,
        )
        return False
    backup = damage.newest_good
    kept = backups.restore(backup.path, database_file, "damaged")
    made = backup.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
    print(
        f"studyapp: the collection {database_file} was damaged ({problem}); it is kept as "
        f"{kept}.\nstudyapp: restored the newest good backup, made {made}: {backup.path}",
        file=sys.stderr,
    )
    return True


def _run_gui(
    database: Database,
    services: Services,
    data: paths.DataPaths,
    check: IntegrityCheck | None = None,
    first: FirstScreen | None = None,
) -> int | None:
    """Run the GUI; then restore the backup chosen in File > Restore backup…, or make a backup.

    `first`: the window shows it, and `finish_opening` then runs on a worker thread.
    None: the start-up `check` found the collection damaged (the window closed without writing).
    """
    from studyapp.gui.launch import GuiContext, run_gui

    restore_requests: list[Path] = []
    backups = services.backups if services.backups.available else None
    status = run_gui(
        GuiContext(
            decks=services.decks,
            study=services.study,
            card_actions=services.card_actions,
            undo=services.undo,
            settings=services.settings,
            imports=services.imports,
            generation=services.generation,
            exports=services.exports,
            statistics=services.statistics,
            note_services=services,
            clock=services.clock,
            media_dir=data.media_dir,
            window_state_file=data.window_state_file,
            icon_file=paths.icon_file(),
            styles_dir=paths.resources_dir() / "styles",
            theme_override=_theme_override(),
            backups=backups,
            restore_backup=restore_requests.append,
            startup_check=None if check is None else check.require_sound,
            shown=_collect_garbage_from_now_on,
            deck_options=services,
            planning=services,
            first_screen=first,
            finish_opening=None if first is None else partial(finish_opening, database, services),
        )
    )
    if check is not None and check.problems():
        return None
    if backups is None:
        return status
    try:
        if restore_requests:
            database.close()  # the window is gone; nothing uses the collection any more
            kept = backups.restore(restore_requests[-1], backups.collection_file())
            log.warning("Restored %s; the previous collection is %s", restore_requests[-1], kept)
        else:
            backups.create("close")
    except StudyAppError as error:
        log.error("%s", error)
        from studyapp.gui.windows.collection_messages import show_error

        show_error(str(error))
        return 1
    return status
