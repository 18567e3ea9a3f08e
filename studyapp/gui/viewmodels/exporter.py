"""Exporting: the formats on offer, the decks to choose from, and the export as a Task."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from studyapp.gui.tasks import Cancelled, Progress, Task, expected_message
from studyapp.services.exports import ExportFormat

if TYPE_CHECKING:
    from studyapp.services.decks import DeckService
    from studyapp.services.exports import ExportResult, ExportService


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportViewModel", text)


@dataclass(frozen=True)
class ExportOptions:
    """What the export dialog asks for; `deck` None means the whole collection."""

    deck: str | None
    export_format: ExportFormat
    include_scheduling: bool = True
    include_media: bool = True


SUFFIXES = {
    ExportFormat.APKG: ".apkg",
    ExportFormat.APKG_LEGACY: ".apkg",
    ExportFormat.TEXT: ".txt",
    ExportFormat.CSV: ".csv",
    ExportFormat.DECK: ".toml",
}


def format_label(export_format: ExportFormat) -> str:
    """The format as the export dialog lists it."""
    labels = {
        ExportFormat.APKG: _tr("Anki package (.apkg)"),
        ExportFormat.APKG_LEGACY: _tr("Anki package for Anki 2.1.49 and older (.apkg)"),
        ExportFormat.TEXT: _tr("Text with tabs (.txt)"),
        ExportFormat.CSV: _tr("CSV (.csv)"),
        ExportFormat.DECK: _tr("StudyApp deck (.toml)"),
    }
    return labels[export_format]


def name_filter(export_format: ExportFormat) -> str:
    """The save dialog's filter for the format, e.g. "Anki package (*.apkg)"."""
    names = {
        ExportFormat.APKG: _tr("Anki package"),
        ExportFormat.APKG_LEGACY: _tr("Anki package"),
        ExportFormat.TEXT: _tr("Text with tabs"),
        ExportFormat.CSV: _tr("CSV"),
        ExportFormat.DECK: _tr("StudyApp deck"),
    }
    return f"{names[export_format]} (*{SUFFIXES[export_format]})"


def formats_for(deck: str | None) -> list[ExportFormat]:
    """The formats that can hold the choice: a StudyApp deck file holds one deck only."""
    return [f for f in ExportFormat if deck is not None or f is not ExportFormat.DECK]


def with_suffix(path: Path, export_format: ExportFormat) -> Path:
    """`path`, with the format's suffix added when it has a different one (or none)."""
    suffix = SUFFIXES[export_format]
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def default_file_name(deck: str | None, export_format: ExportFormat) -> str:
    """ "EMT vs EMS.apkg", "Languages - Tiny.txt", or "StudyApp collection.apkg"."""
    stem = _tr("StudyApp collection") if deck is None else deck.replace("::", " - ")
    safe = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in stem).strip(". ")
    return (safe or "export") + SUFFIXES[export_format]


class ExportViewModel(QObject):
    """Runs one export at a time on a worker thread.

    Signals: export_finished(ExportResult), export_failed(str) with a message for the user,
    export_cancelled(), busy_changed(bool).
    """

    export_finished = Signal(object)
    export_failed = Signal(str)
    export_cancelled = Signal()
    busy_changed = Signal(bool)

    def __init__(
        self, exports: ExportService, decks: DeckService, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._exports = exports
        self._decks = decks
        self._task: Task[ExportResult] | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None

    @property
    def task(self) -> Task[ExportResult] | None:
        return self._task

    def deck_names(self) -> list[str]:
        """Every deck's full name, in deck-list order (raises StudyAppError)."""
        return [counts.name for counts in self._decks.deck_list()]

    def start(self, target: Path, options: ExportOptions) -> Task[ExportResult] | None:
        """Export to `target` on a worker thread; None when another export is still running."""
        if self._task is not None:
            return None
        exports = self._exports

        def work(progress: Progress, cancelled: Cancelled) -> ExportResult:
            progress(0, 0)
            return exports.export(
                target,
                options.export_format,
                deck=options.deck,
                include_scheduling=options.include_scheduling,
                include_media=options.include_media,
            )

        task: Task[ExportResult] = Task(work)  # Python-owned: dropped when it ends
        task.succeeded.connect(self.export_finished)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self.export_cancelled)
        task.ended.connect(self._on_ended)
        self._task = task
        self.busy_changed.emit(True)
        task.start()
        return task

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Wait for a running export (the window is closing); the file is written whole or not."""
        if self._task is not None:
            self._task.cancel()
            self._task.wait(timeout_s)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self.export_failed.emit(expected_message(error))

    @Slot()
    def _on_ended(self) -> None:
        self._task = None
        self.busy_changed.emit(False)
