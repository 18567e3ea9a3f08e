"""File ▸ Export… and Export deck…: options, file name, export with progress, summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDir, QObject, QStandardPaths, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from studyapp.errors import StudyAppError
from studyapp.gui.viewmodels.exporter import (
    ExportViewModel,
    default_file_name,
    with_suffix,
)
from studyapp.gui.widgets.message_box import open_message
from studyapp.services.exports import ExportResult

if TYPE_CHECKING:  # the progress dialog loads when an export starts
    from studyapp.gui.widgets.task_progress import TaskProgressDialog


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("ExportFlow", text, None, n)


def _counted(n: int, one: str, many: str) -> str:
    """ "1 note" / "36 notes": two tr() calls, so English reads well without a translation."""
    return _tr(one, n) if n == 1 else _tr(many, n)


def summary_text(result: ExportResult) -> str:
    """ "Exported 36 notes, 46 cards, 12 reviews and 0 media files to /home/…/EMT vs EMS.apkg." """
    return (
        _tr("Exported %1, %2, %3 and %4 to %5.")
        .replace("%1", _counted(result.notes, "%n note", "%n notes"))
        .replace("%2", _counted(result.cards, "%n card", "%n cards"))
        .replace("%3", _counted(result.reviews, "%n review", "%n reviews"))
        .replace("%4", _counted(result.media, "%n media file", "%n media files"))
        .replace("%5", QDir.toNativeSeparators(str(result.path)))
    )


class ExportFlow(QObject):
    """Runs exports for `window`, one at a time.

    Signals: exported(ExportResult) after a successful export, message_shown(str) with the text
    of each message box, status(str) for the status bar.
    """

    exported = Signal(object)
    message_shown = Signal(str)
    status = Signal(str)

    def __init__(self, view_model: ExportViewModel, window: QWidget) -> None:
        super().__init__(window)
        self._vm = view_model
        self._window = window
        self._outcome: ExportResult | str | None = None
        self._folder: Path | None = None
        """Where the last export went: the next one is suggested there too."""
        self.progress_dialog: TaskProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        view_model.export_finished.connect(self._on_finished)
        view_model.export_failed.connect(self._on_failed)
        view_model.busy_changed.connect(self._on_busy_changed)

    @property
    def view_model(self) -> ExportViewModel:
        return self._vm

    @property
    def busy(self) -> bool:
        return self._vm.busy

    def shutdown(self) -> None:
        self._vm.shutdown()

    @Slot()
    def choose_and_export(self) -> None:
        """File ▸ Export…: all decks preselected."""
        self.export(None)

    def export(self, deck: str | None) -> bool:
        """Ask what to export (with `deck` preselected) and where, then start; False if not."""
        if self._vm.busy:
            self.status.emit(self.tr("An export is still running."))
            return False
        try:
            names = self._vm.deck_names()
        except StudyAppError as error:
            self._tell(QMessageBox.Icon.Warning, str(error))
            return False
        from studyapp.gui.windows.export_dialog import ExportDialog, ExportFileChooser

        options = ExportDialog.ask(self._window, names, deck)
        if options is None:
            return False
        suggested = self._suggested_folder() / default_file_name(
            options.deck, options.export_format
        )
        chosen = ExportFileChooser.ask(self._window, options.export_format, suggested)
        if chosen is None:
            return False
        target = with_suffix(chosen, options.export_format)
        task = self._vm.start(target, options)
        if task is None:  # pragma: no cover - checked above
            return False
        self._folder = target.parent
        self.status.emit(self.tr("Exporting to %1…").replace("%1", target.name))
        from studyapp.gui.widgets.task_progress import TaskProgressDialog

        self.progress_dialog = TaskProgressDialog.follow(
            self._window,
            task,
            self.tr("Exporting"),
            self.tr("Exporting to %1…").replace("%1", target.name),
            cancellable=False,
        )
        return True

    def _suggested_folder(self) -> Path:
        if self._folder is not None and self._folder.is_dir():
            return self._folder
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    # Outcomes: remembered as they arrive, shown once the task has ended and its dialog closed.

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        if isinstance(result, ExportResult):
            self._outcome = result
            self.status.emit(self.tr("Exported %1.").replace("%1", result.path.name))
            self.exported.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._outcome = self.tr("%1\n\nNothing was exported.").replace("%1", message)

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        if not busy:
            self.progress_dialog = None
            QTimer.singleShot(0, self, self._present)

    @Slot()
    def _present(self) -> None:
        outcome, self._outcome = self._outcome, None
        if isinstance(outcome, ExportResult):
            self._tell(QMessageBox.Icon.Information, summary_text(outcome))
        elif outcome is not None:
            self._tell(QMessageBox.Icon.Warning, outcome)

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        """A non-blocking message box over the window (the latest one is kept for tests)."""
        self.message_box = open_message(self._window, icon, self.tr("Export"), text)
        self.message_shown.emit(text)
