"""Backups in the GUI: File ▸ Restore backup…, the periodic backup on a worker, and the dialog
that offers the newest good backup when the collection is damaged at start-up."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from studyapp import app
from studyapp.domain.clock import ManualClock
from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.viewmodels.backups import BackupViewModel
from studyapp.gui.windows.collection_messages import Recovery, RecoveryDialog
from studyapp.gui.windows.main_window import MainWindow
from studyapp.gui.windows.restore_dialog import (
    DATE_COLUMN,
    SIZE_COLUMN,
    RestoreBackupDialog,
    date_text,
)
from studyapp.paths import DataPaths
from studyapp.services.backups import Backup, Damage
from studyapp.services.container import Services
from studyapp.storage.database import Database
from studyapp.storage.integrity import IntegrityCheck, check_sqlite_file

MakeGui = Callable[..., Gui]


def two_backups(services: Services, clock: ManualClock) -> tuple[Backup, Backup]:
    older = services.backups.create("periodic")
    clock.advance(timedelta(hours=7))
    newer = services.backups.create("close")
    return older, newer


def file_menu_texts(gui: Gui) -> list[str]:
    menu = gui.window.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    return [action.text() for action in menu.actions()]


def test_the_restore_dialog_lists_the_backups_with_date_and_size(
    qtbot: QtBot, services: Services, clock: ManualClock, data_paths: DataPaths
) -> None:
    older, newer = two_backups(services, clock)
    dialog = RestoreBackupDialog(services.backups.list(), str(data_paths.backups_dir))
    qtbot.addWidget(dialog)

    assert dialog.tree.topLevelItemCount() == 2
    rows = [dialog.tree.topLevelItem(i) for i in range(2)]
    assert [row.text(DATE_COLUMN) for row in rows if row] == [date_text(newer), date_text(older)]
    assert all(row.text(SIZE_COLUMN).endswith("KB") for row in rows if row)
    assert dialog.chosen() == newer  # the newest is preselected
    assert dialog.restore_button.isEnabled()
    assert not dialog.empty.isVisibleTo(dialog)


def test_the_restore_dialog_without_backups_says_so(qtbot: QtBot) -> None:
    dialog = RestoreBackupDialog([], "/backups")
    qtbot.addWidget(dialog)
    assert dialog.empty.isVisibleTo(dialog)
    assert not dialog.restore_button.isEnabled()


@pytest.fixture
def restore_requests() -> list[Path]:
    return []


@pytest.fixture
def backup_context(
    gui_context: GuiContext, services: Services, restore_requests: list[Path]
) -> GuiContext:
    return dataclasses.replace(
        gui_context, backups=services.backups, restore_backup=restore_requests.append
    )


def test_file_restore_backup_hands_the_chosen_backup_to_the_composition_root_and_closes(
    make_gui: MakeGui,
    backup_context: GuiContext,
    services: Services,
    clock: ManualClock,
    restore_requests: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    older, _newer = two_backups(services, clock)
    shown: list[list[str]] = []

    def choose_older(parent: object, backups: list[Backup], folder: str) -> Backup | None:
        dialog = RestoreBackupDialog(backups, folder)
        shown.append([b.path.name for b in backups])
        item = dialog.tree.topLevelItem(1)
        assert item is not None
        dialog.tree.setCurrentItem(item)
        chosen = dialog.chosen()
        dialog.deleteLater()
        return chosen

    monkeypatch.setattr(RestoreBackupDialog, "ask", staticmethod(choose_older))
    monkeypatch.setattr(RestoreBackupDialog, "confirm", staticmethod(lambda parent, b: True))
    gui = make_gui(backup_context)
    assert "&Restore backup…" in file_menu_texts(gui)

    gui.window.restore_backup_action.trigger()

    assert len(shown) == 1
    assert len(shown[0]) == 2
    assert restore_requests == [older.path]
    assert not gui.window.isVisible()


def test_declining_the_confirmation_restores_nothing(
    make_gui: MakeGui,
    backup_context: GuiContext,
    services: Services,
    clock: ManualClock,
    restore_requests: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    two_backups(services, clock)
    monkeypatch.setattr(RestoreBackupDialog, "ask", staticmethod(lambda p, b, f: b[0]))
    monkeypatch.setattr(RestoreBackupDialog, "confirm", staticmethod(lambda parent, b: False))
    gui = make_gui(backup_context)
    gui.window.restore_backup_action.trigger()
    assert restore_requests == []
    assert gui.window.isVisible()


def test_without_backups_there_is_no_restore_action(make_gui: MakeGui) -> None:
    gui = make_gui()  # as for a PostgreSQL collection
    assert gui.backups is None
    assert "&Restore backup…" not in file_menu_texts(gui)


def test_the_view_model_backs_up_on_a_worker_only_when_due(
    qtbot: QtBot, services: Services, clock: ManualClock
) -> None:
    view_model = BackupViewModel(services.backups, check_interval_ms=60_000)
    with qtbot.waitSignal(view_model.backup_made, timeout=10_000) as made:
        task = view_model.backup_if_due()
        assert task is not None
        assert view_model.busy
    backup = made.args[0] if made.args else None
    assert isinstance(backup, Backup)
    assert backup.reason == "periodic"
    qtbot.waitUntil(lambda: not view_model.busy)
    assert view_model.backup_if_due() is None  # just made one
    clock.advance(timedelta(hours=6))
    with qtbot.waitSignal(view_model.backup_made, timeout=10_000):
        view_model.backup_if_due()
    qtbot.waitUntil(lambda: not view_model.busy)
    assert len(view_model.backups()) == 2
    view_model.start_schedule()
    assert view_model.timer.isActive()
    view_model.shutdown()
    assert not view_model.timer.isActive()


def test_the_recovery_dialog_offers_the_newest_good_backup(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    backup = services.backups.create("close")
    dialog = RecoveryDialog(tmp_path / "collection.sqlite3", Damage(("malformed",), backup))
    qtbot.addWidget(dialog)
    assert dialog.restore_button is not None
    assert date_text(backup) in dialog.informativeText()
    dialog.restore_button.click()
    assert dialog.choice() is Recovery.RESTORE

    no_backup = RecoveryDialog(tmp_path / "collection.sqlite3", Damage(("malformed",), None))
    qtbot.addWidget(no_backup)
    assert no_backup.restore_button is None
    assert "no good backup" in no_backup.informativeText()
    no_backup.empty_button.click()
    assert no_backup.choice() is Recovery.START_EMPTY


def corrupt_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2)
        file.write(b"\xa5" * 8192)


@pytest.mark.parametrize("choice", [Recovery.RESTORE, Recovery.START_EMPTY, None])
def test_a_damaged_collection_at_start_up_asks_before_the_main_window(
    services: Services,
    database: Database,
    data_paths: DataPaths,
    monkeypatch: pytest.MonkeyPatch,
    choice: Recovery | None,
) -> None:
    services.backups.create("close")
    database.close()
    collection = data_paths.database_file
    corrupt_middle(collection)
    damaged = collection.read_bytes()
    asked: list[Damage] = []

    def ask(parent: object, database_file: Path, damage: Damage) -> Recovery | None:
        asked.append(damage)
        return choice

    monkeypatch.setattr(RecoveryDialog, "ask", staticmethod(ask))

    go_on = app._check_integrity(services.backups, IntegrityCheck(collection), gui=True)

    assert len(asked) == 1
    assert asked[0].newest_good is not None
    kept = [p for p in data_paths.root.glob("*.damaged-*") if not p.name.endswith(("wal", "shm"))]
    if choice is None:  # quit: nothing moved, asked again next time
        assert not go_on
        assert collection.read_bytes() == damaged
        assert kept == []
        return
    assert go_on
    assert len(kept) == 1
    assert kept[0].read_bytes() == damaged
    if choice is Recovery.RESTORE:
        assert check_sqlite_file(collection) == []
    else:
        assert not collection.exists()  # a new collection starts here


def test_a_collection_found_damaged_after_the_window_opened_is_recovered_without_a_write(
    qapp: QApplication,
    database: Database,
    services: Services,
    data_paths: DataPaths,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check runs while the window opens: when it finds damage, the window closes, the
    user is asked, and the GUI opens again on the restored backup."""
    backup = services.backups.create("close")
    services.decks.deck_list()  # the day's unburying is done: opening the window only reads
    database.close()
    collection = data_paths.database_file
    size = collection.stat().st_size
    with collection.open("r+b") as file:  # damage the last page only: the deck list still reads
        file.seek(size - 4096)
        file.write(b"\xa5" * 4096)
    damaged = collection.read_bytes()
    asked: list[Damage] = []
    windows: list[MainWindow] = []
    ticks: list[int] = []

    def ask(parent: object, database_file: Path, damage: Damage) -> Recovery | None:
        asked.append(damage)
        return Recovery.RESTORE

    shown = ShownWindows(windows)  # the first window may close before a timer sees it

    def close_when_restored() -> None:
        ticks.append(1)
        if not asked and len(ticks) <= 500:
            return  # only the restored collection's window is closed here (any, on a failure)
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                window.close()

    monkeypatch.setattr(RecoveryDialog, "ask", staticmethod(ask))
    timer = QTimer()
    timer.timeout.connect(close_when_restored)
    timer.start(20)
    check = IntegrityCheck(collection)
    qapp.installEventFilter(shown)

    status = app._gui_session(database, services.backups, data_paths, clock, check)

    qapp.removeEventFilter(shown)
    timer.stop()
    assert status == 0
    assert len(ticks) <= 500  # the first window closed itself when the check found the damage
    assert len(windows) == 2
    assert [d.newest_good for d in asked] == [backup]
    (kept,) = [
        p for p in data_paths.root.glob("*.damaged-*") if not p.name.endswith(("wal", "shm"))
    ]
    assert kept.read_bytes() == damaged  # nothing was written to the damaged file
    assert check_sqlite_file(collection) == []
    for window in windows:
        window.deleteLater()


class ShownWindows(QObject):
    """Records each main window as it is shown."""

    def __init__(self, windows: list[MainWindow]) -> None:
        super().__init__()
        self._windows = windows

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, MainWindow)
            and watched not in self._windows
        ):
            self._windows.append(watched)
        return False


def close_main_windows() -> None:
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow):
            window.close()
            window.deleteLater()


def test_closing_the_gui_makes_a_backup(
    qapp: QApplication, database: Database, services: Services, data_paths: DataPaths
) -> None:
    QTimer.singleShot(50, close_main_windows)
    assert app._run_gui(database, services, data_paths) == 0
    assert [b.reason for b in services.backups.list()] == ["close"]


def test_restore_backup_from_the_menu_restores_after_the_window_closed(
    qapp: QApplication,
    database: Database,
    services: Services,
    data_paths: DataPaths,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    older, _newer = two_backups(services, clock)
    monkeypatch.setattr(RestoreBackupDialog, "ask", staticmethod(lambda p, b, f: b[-1]))
    monkeypatch.setattr(RestoreBackupDialog, "confirm", staticmethod(lambda parent, b: True))

    def restore_from_menu() -> None:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                window.restore_backup_action.trigger()
                window.deleteLater()

    QTimer.singleShot(50, restore_from_menu)
    assert app._run_gui(database, services, data_paths) == 0

    (replaced,) = data_paths.root.glob("collection.sqlite3.replaced-*[0-9Z]")
    assert data_paths.database_file.read_bytes() == older.path.read_bytes()
    assert check_sqlite_file(replaced) == []
    assert [b.reason for b in services.backups.list()] == ["close", "periodic"]  # none on close
