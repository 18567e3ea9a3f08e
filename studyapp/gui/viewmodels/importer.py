"""Importing files: which files qualify, the text preview as a table, and the import as a Task."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor

from studyapp.gui.tasks import Cancelled, Progress, Task, expected_message
from studyapp.services.imports import TextPreview

if TYPE_CHECKING:  # the importers load when a file is first previewed or imported
    from studyapp.importers.text import TextImportOptions
    from studyapp.services.imports import ImportService, ImportSummary

Index = QModelIndex | QPersistentModelIndex
Target = str | None
"""What a column fills: a field name, one of the *_COLUMN roles, or None (skipped)."""

BAD_ROW_TINT = QBrush(QColor(224, 27, 36, 48))
"""Behind the cells of a row that cannot be imported (reads on light and dark bases)."""
MAPPING_ROW = 0
"""The preview table's first row shows what each column imports into; the file's rows follow."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportViewModel", text)


class FileKind(Enum):
    TEXT = "text"
    PACKAGE = "package"
    DECK = "deck"


def role_targets() -> list[tuple[str, Target]]:
    """The non-field choices of a column, with their labels."""
    from studyapp.importers.text import DECK_COLUMN, GUID_COLUMN, NOTETYPE_COLUMN, TAGS_COLUMN

    return [
        (_tr("Tags"), TAGS_COLUMN),
        (_tr("Deck"), DECK_COLUMN),
        (_tr("Note type"), NOTETYPE_COLUMN),
        (_tr("GUID"), GUID_COLUMN),
        (_tr("Skip"), None),
    ]


def target_label(target: Target) -> str:
    for label, value in role_targets():
        if value == target:
            return label
    return target or _tr("Skip")


def fields_of(preview: TextPreview, note_type: str) -> tuple[str, ...]:
    for name, fields in preview.note_types:
        if name == note_type:
            return fields
    return ()


def column_targets(preview: TextPreview, note_type: str) -> list[tuple[str, Target]]:
    """Every choice for a column: the note type's fields, then Tags, Deck, ..., Skip."""
    choices: list[tuple[str, Target]] = [(field, field) for field in fields_of(preview, note_type)]
    known = {value for _, value in choices} | {value for _, value in role_targets()}
    # A name the file's #columns: gave that is no field of the note type stays selectable.
    choices.extend(
        (value, value) for value in preview.columns_map if value is not None and value not in known
    )
    return choices + role_targets()


def expected_columns(preview: TextPreview) -> int:
    """How many columns a good row has: the header's (or first row's) count; a ragged file's
    preview may show more columns than that."""
    first = preview.header if preview.header is not None else next(iter(preview.rows), None)
    if first is None:
        return preview.columns
    return min(len(first), preview.columns) or preview.columns


def mapping_problem(mapping: Sequence[Target], fields: Sequence[str]) -> str | None:
    """Why a column mapping cannot be imported, or None when it can."""
    used = [target for target in mapping if target is not None]
    duplicates = sorted({target for target in used if used.count(target) > 1})
    if duplicates:
        names = ", ".join(target_label(target) for target in duplicates)
        return _tr("More than one column imports into %1.").replace("%1", names)
    if not any(target in fields for target in used):
        return _tr("Choose at least one column that fills a field.")
    return None


class PreviewTableModel(QAbstractTableModel):
    """The preview's first rows; row MAPPING_ROW holds each column's target (the view puts a
    chooser over it). Horizontal headers: the header row's cells, or "Column N"."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._preview: TextPreview | None = None
        self._mapping: list[Target] = []

    @property
    def preview(self) -> TextPreview | None:
        return self._preview

    @property
    def mapping(self) -> tuple[Target, ...]:
        """Per column of a good row, what it imports into (extra columns of bad rows left out)."""
        if self._preview is None:
            return ()
        return tuple(self._mapping[: expected_columns(self._preview)])

    def set_preview(self, preview: TextPreview | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self._mapping = [] if preview is None else list(preview.columns_map)
        if preview is not None:
            self._mapping += [None] * (preview.columns - len(self._mapping))
            del self._mapping[expected_columns(preview) :]
        self.endResetModel()

    def set_target(self, column: int, target: Target) -> None:
        if 0 <= column < len(self._mapping) and self._mapping[column] != target:
            self._mapping[column] = target
            index = self.index(MAPPING_ROW, column)
            self.dataChanged.emit(index, index)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._preview is None:
            return 0
        return 1 + len(self._preview.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._preview is None:
            return 0
        return self._preview.columns

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._preview is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if row == MAPPING_ROW:
            target = self._mapping[column] if column < len(self._mapping) else None
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return target_label(target)
            if role == Qt.ItemDataRole.UserRole:
                return target
            return None
        cells = self._preview.rows[row - 1]
        text = cells[column] if column < len(cells) else ""
        if role == Qt.ItemDataRole.BackgroundRole and self.is_bad_row(row):
            return BAD_ROW_TINT
        if role == Qt.ItemDataRole.DisplayRole:
            flat = " ".join(text.split())
            return flat if len(flat) <= 80 else flat[:79] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.is_bad_row(row):
                return (
                    _tr("This row has %1 columns where %2 were expected.")
                    .replace("%1", str(len(cells)))
                    .replace("%2", str(expected_columns(self._preview)))
                )
            return text[:1000]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._preview is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return _tr("Into") if section == MAPPING_ROW else str(section)
        header = self._preview.header
        if header is not None and section < len(header) and header[section].strip():
            return header[section]
        return _tr("Column %1").replace("%1", str(section + 1))

    def is_bad_row(self, row: int) -> bool:
        """Whether table row `row` (a file row, not the mapping row) has the wrong width."""
        if self._preview is None or not 0 < row <= len(self._preview.rows):
            return False
        return len(self._preview.rows[row - 1]) != expected_columns(self._preview)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.row() == MAPPING_ROW:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ImportViewModel(QObject):
    """Previews and imports files through the ImportService; one import at a time.

    Signals: preview_changed(TextPreview) and preview_failed(str) after request_preview(),
    import_started(Task),
    import_progressed(done, total), import_finished(ImportSummary), import_cancelled(str file name),
    import_failed(str message), busy_changed(bool).
    """

    preview_changed = Signal(object)
    preview_failed = Signal(str)
    import_started = Signal(object)
    import_progressed = Signal(int, int)
    import_finished = Signal(object)
    import_cancelled = Signal(str)
    import_failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, imports: ImportService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._imports = imports
        self._task: Task[ImportSummary] | None = None
        self._path: Path | None = None
        self._preview_error = ""
        self._preview_serial = 0
        self._preview_tasks: set[Task[TextPreview]] = set()

    # Files.

    def kind(self, path: Path) -> FileKind | None:
        suffix = path.suffix.casefold()
        if suffix in self._imports.TEXT_SUFFIXES:
            return FileKind.TEXT
        if suffix in self._imports.PACKAGE_SUFFIXES:
            return FileKind.PACKAGE
        if suffix in self._imports.DECK_SUFFIXES:
            return FileKind.DECK
        return None

    def accepts(self, path: Path) -> bool:
        return self.kind(path) is not None

    def name_filters(self) -> list[str]:
        """For QFileDialog: everything importable first, then each kind, then all files."""

        def patterns(suffixes: frozenset[str]) -> str:
            return " ".join(f"*{suffix}" for suffix in sorted(suffixes))

        text = patterns(self._imports.TEXT_SUFFIXES)
        packages = patterns(self._imports.PACKAGE_SUFFIXES)
        decks = patterns(self._imports.DECK_SUFFIXES)
        return [
            _tr("Importable files (%1)").replace("%1", f"{text} {packages} {decks}"),
            _tr("Text and CSV files (%1)").replace("%1", text),
            _tr("Anki packages (%1)").replace("%1", packages),
            _tr("StudyApp decks (%1)").replace("%1", decks),
            _tr("All files (*)"),
        ]

    # The text preview.

    def request_preview(self, path: Path, options: TextImportOptions) -> None:
        """Read `path` with `options` on a worker thread (a large file takes a while); then
        preview_changed or preview_failed. Only the latest request reports."""
        self._preview_serial += 1
        serial = self._preview_serial
        imports = self._imports

        def work(progress: Progress, cancelled: Cancelled) -> TextPreview:
            return imports.preview_text(path, options)

        task: Task[TextPreview] = Task(work)

        def succeeded(preview: object) -> None:
            if serial == self._preview_serial and isinstance(preview, TextPreview):
                self._preview_error = ""
                self.preview_changed.emit(preview)

        def failed(error: object) -> None:
            message = expected_message(error)
            if serial == self._preview_serial:
                self._preview_error = message
                self.preview_failed.emit(self._preview_error)

        def ended() -> None:
            self._preview_tasks.discard(task)

        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        task.ended.connect(ended)
        self._preview_tasks.add(task)
        task.start()

    @property
    def previewing(self) -> bool:
        return bool(self._preview_tasks)

    @property
    def last_preview_error(self) -> str:
        """Why the last preview failed ("" when it worked)."""
        return self._preview_error

    # The import.

    @property
    def busy(self) -> bool:
        return self._task is not None

    @property
    def task(self) -> Task[ImportSummary] | None:
        return self._task

    def start_import(
        self, path: Path, options: TextImportOptions | None = None
    ) -> Task[ImportSummary] | None:
        """Import `path` on a worker thread; None when another import is still running."""
        if self._task is not None:
            return None
        imports = self._imports

        def work(progress: Progress, cancelled: Cancelled) -> ImportSummary:
            return imports.import_file(
                path, options=options, progress=progress, cancelled=cancelled
            )

        task: Task[ImportSummary] = Task(work)  # Python-owned: dropped when it ends
        task.progressed.connect(self.import_progressed)
        task.succeeded.connect(self._on_succeeded)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        task.ended.connect(self._on_ended)
        self._task = task
        self._path = path
        self.busy_changed.emit(True)
        self.import_started.emit(task)
        task.start()
        return task

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Cancel a running import and wait for the worker threads (the window is closing)."""
        self.cancel()
        if self._task is not None:
            self._task.wait(timeout_s)
        for task in list(self._preview_tasks):
            task.wait(timeout_s)

    @Slot(object)
    def _on_succeeded(self, summary: object) -> None:
        self.import_finished.emit(summary)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self.import_failed.emit(expected_message(error))

    @Slot()
    def _on_cancelled(self) -> None:
        self.import_cancelled.emit(self._path.name if self._path else "")

    @Slot()
    def _on_ended(self) -> None:
        self._task, self._path = None, None
        self.busy_changed.emit(False)
