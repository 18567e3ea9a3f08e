"""File ▸ Import… and dropped files: choose, preview (text files), import with progress, summary."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from studyapp.gui.viewmodels.importer import FileKind, ImportViewModel
from studyapp.gui.widgets.message_box import open_message
from studyapp.services.imports import ImportSummary, TextPreview

if TYPE_CHECKING:  # the dialogs and the importers load with the first import
    from studyapp.gui.widgets.task_progress import TaskProgressDialog
    from studyapp.importers.text import TextImportOptions


class ImportFlow(QObject):
    """Runs imports for `window`, one file after another.

    Signals: imported(ImportSummary) after each successful import (the window refreshes its
    decks), message_shown(str) with the text of each warning box, status(str) for the status bar,
    idle() when the queue is done.
    """

    imported = Signal(object)
    message_shown = Signal(str)
    status = Signal(str)
    idle = Signal()

    def __init__(self, view_model: ImportViewModel, window: QWidget) -> None:
        super().__init__(window)
        self._vm = view_model
        self._window = window
        self._queue: deque[Path] = deque()
        self._outcome: ImportSummary | str | None = None
        self._reading: Path | None = None
        """The text file whose first preview is being read."""
        self.progress_dialog: TaskProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        view_model.import_finished.connect(self._on_finished)
        view_model.import_failed.connect(self._on_failed)
        view_model.import_cancelled.connect(self._on_cancelled)
        view_model.busy_changed.connect(self._on_busy_changed)
        view_model.preview_changed.connect(self._on_first_preview)
        view_model.preview_failed.connect(self._on_first_preview_failed)

    @property
    def view_model(self) -> ImportViewModel:
        return self._vm

    @property
    def busy(self) -> bool:
        return self._vm.busy or bool(self._queue) or self._reading is not None

    def shutdown(self) -> None:
        """The window is closing: stop what runs, and wait for it."""
        self._queue.clear()
        self._vm.shutdown()

    @Slot()
    def choose_and_import(self) -> None:
        from studyapp.gui.windows.import_dialog import ImportFileChooser

        self.import_paths(ImportFileChooser.ask(self._window, self._vm.name_filters()))

    def import_paths(self, paths: Iterable[Path]) -> None:
        """Queue `paths` (files StudyApp cannot import are reported and left out)."""
        refused = []
        for path in paths:
            if self._vm.accepts(path):
                self._queue.append(path)
            else:
                refused.append(path.name)
        if refused:
            self._tell(
                QMessageBox.Icon.Warning,
                self.tr("StudyApp cannot import %1. It imports .csv, .tsv, .txt, .apkg, .colpkg "
                        "and .toml files.").replace("%1", ", ".join(refused)),
            )  # fmt: skip
        if not self._vm.busy and self._reading is None:
            self._next()

    def _next(self) -> None:
        """Start on the next queued file: text files are read for the preview first."""
        if self._vm.busy or self._reading is not None:
            return
        if not self._queue:
            self.idle.emit()
            return
        path = self._queue.popleft()
        if self._vm.kind(path) is FileKind.TEXT:
            from studyapp.importers.text import TextImportOptions

            self._reading = path
            self.status.emit(self.tr("Reading %1…").replace("%1", path.name))
            self._vm.request_preview(path, TextImportOptions())
        else:
            self._start(path, None)

    @Slot(object)
    def _on_first_preview(self, preview: object) -> None:
        path, self._reading = self._reading, None
        if path is not None and isinstance(preview, TextPreview):
            # Out of the signal's emission: the dialog runs an event loop of its own.
            QTimer.singleShot(0, self, lambda: self._ask_options(path, preview))

    @Slot(str)
    def _on_first_preview_failed(self, message: str) -> None:
        path, self._reading = self._reading, None
        if path is not None:
            self._tell(QMessageBox.Icon.Warning, message)
            QTimer.singleShot(0, self, self._next)

    def _ask_options(self, path: Path, preview: TextPreview) -> None:
        from studyapp.gui.windows.import_dialog import ImportPreviewDialog

        options = ImportPreviewDialog.ask(self._window, self._vm, path, preview)
        if options is None:
            self.status.emit(self.tr("Nothing was imported from %1.").replace("%1", path.name))
            self._next()
        else:
            self._start(path, options)

    def _start(self, path: Path, options: TextImportOptions | None) -> None:
        task = self._vm.start_import(path, options)
        if task is None:  # pragma: no cover - _next checks busy first
            self._queue.appendleft(path)
            return
        from studyapp.gui.widgets.task_progress import TaskProgressDialog

        self.progress_dialog = TaskProgressDialog.follow(
            self._window,
            task,
            self.tr("Importing"),
            self.tr("Importing %1…").replace("%1", path.name),
        )

    # Outcomes: remembered as they arrive, shown once the task has ended and its dialog closed.

    @Slot(object)
    def _on_finished(self, summary: object) -> None:
        if isinstance(summary, ImportSummary):
            self._outcome = summary
            self.status.emit(
                self.tr("Imported %1: %2 notes added, %3 updated.")
                .replace("%1", summary.file_name)
                .replace("%2", str(summary.added))
                .replace("%3", str(summary.updated))
            )
            self.imported.emit(summary)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._outcome = self.tr("%1\n\nNothing was imported.").replace("%1", message)

    @Slot(str)
    def _on_cancelled(self, file_name: str) -> None:
        self._queue.clear()
        self._outcome = self.tr("The import of %1 was cancelled. Nothing was imported.").replace(
            "%1", file_name
        )

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        if not busy:
            self.progress_dialog = None
            QTimer.singleShot(0, self, self._present)

    @Slot()
    def _present(self) -> None:
        outcome, self._outcome = self._outcome, None
        if isinstance(outcome, ImportSummary):
            from studyapp.gui.windows.import_summary import ImportSummaryDialog

            ImportSummaryDialog.ask(self._window, outcome)
        elif outcome is not None:
            self._tell(QMessageBox.Icon.Warning, outcome)
        self._next()

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        """A non-blocking message box over the window (the latest one is kept for tests)."""
        self.message_box = open_message(self._window, icon, self.tr("Import"), text)
        self.message_shown.emit(text)
