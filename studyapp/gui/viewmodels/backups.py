"""Backups while the app is open: a timer that backs up when one is due, the list, restoring.

Every `check_interval_ms` the view-model asks the service whether a backup is due (none in the
last 6 hours) and, if so, makes one on a worker thread.  Restoring needs the collection closed:
`request_restore` hands the chosen backup to the composition root, which restores it after the
window has closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from studyapp.errors import StudyAppError
from studyapp.gui.tasks import Cancelled, Progress, Task, expected_message
from studyapp.services.backups import Backup

if TYPE_CHECKING:
    from studyapp.services.backups import BackupService

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 15 * 60 * 1000
"""How often the timer asks whether a backup is due (the service decides: every 6 hours)."""


class BackupViewModel(QObject):
    """Signals: backup_made(Backup), error(str) with a message for the user, busy_changed(bool)."""

    backup_made = Signal(object)
    error = Signal(str)
    busy_changed = Signal(bool)

    def __init__(
        self,
        backups: BackupService,
        restore: Callable[[Path], None] | None = None,
        check_interval_ms: int = CHECK_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._backups = backups
        self._restore = restore
        self._task: Task[Backup] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(check_interval_ms)
        self.timer.timeout.connect(self.backup_if_due)

    @property
    def busy(self) -> bool:
        return self._task is not None

    @property
    def can_restore(self) -> bool:
        return self._restore is not None

    @property
    def backups_dir(self) -> Path:
        return self._backups.backups_dir

    def start_schedule(self) -> None:
        """Check for a due backup every interval from now on."""
        self.timer.start()

    def backups(self) -> list[Backup]:
        """The backups, newest first ([] and an error signal if they cannot be listed)."""
        try:
            return self._backups.list()
        except StudyAppError as error:
            self.error.emit(str(error))
            return []

    def check(self, backup: Backup) -> list[str]:
        """The backup's integrity problems ([] when it is good)."""
        try:
            return self._backups.check(backup.path)
        except StudyAppError as error:
            return [str(error)]

    @Slot()
    def backup_if_due(self) -> Task[Backup] | None:
        """Start a backup on a worker thread if one is due; the task, or None."""
        if self._task is not None:
            return None
        try:
            if not self._backups.due():
                return None
        except StudyAppError as error:
            log.warning("Cannot check for a due backup: %s", error)
            return None
        backups = self._backups

        def work(_progress: Progress, _cancelled: Cancelled) -> Backup:
            return backups.create("periodic")

        task: Task[Backup] = Task(work, parent=self)
        task.succeeded.connect(self._on_made)
        task.failed.connect(self._on_failed)
        task.ended.connect(self._on_ended)
        self._task = task
        self.busy_changed.emit(True)
        task.start()
        return task

    def request_restore(self, backup: Backup) -> None:
        """Hand the backup to the composition root, which restores it once the window closed."""
        if self._restore is None:
            raise RuntimeError("restoring is not available")
        self._restore(backup.path)

    def shutdown(self) -> None:
        """Stop the timer and wait for a running backup (when the window closes)."""
        self.timer.stop()
        if self._task is not None:
            self._task.wait()

    @Slot(object)
    def _on_made(self, backup: object) -> None:
        if isinstance(backup, Backup):
            self.backup_made.emit(backup)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        message = expected_message(error)
        log.warning("Periodic backup failed: %s", message)
        self.error.emit(message)

    @Slot()
    def _on_ended(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()
        self.busy_changed.emit(False)
