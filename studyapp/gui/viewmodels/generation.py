"""Decks from documents: generating drafts as a Task, the drafts as a table, adding and sources."""

from __future__ import annotations

from dataclasses import replace
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

from studyapp.errors import StudyAppError
from studyapp.gui.tasks import Cancelled, Progress, Task, expected_message

if TYPE_CHECKING:
    from studyapp.services.decks import DeckService
    from studyapp.services.generation import (
        AddedCards,
        DraftCard,
        GeneratedDocument,
        GenerationService,
        SourceView,
    )

Index = QModelIndex | QPersistentModelIndex

ACCEPT_COLUMN, KIND_COLUMN, FRONT_COLUMN, BACK_COLUMN = range(4)
EDITABLE_COLUMNS = (FRONT_COLUMN, BACK_COLUMN)


def _tr(text: str) -> str:
    return QCoreApplication.translate("GenerationViewModel", text)


def kind_label(kind: str) -> str:
    """A draft's kind as the user reads it."""
    labels = {
        "definition": _tr("Definition"),
        "acronym": _tr("Acronym"),
        "list": _tr("List"),
        "cloze": _tr("Cloze"),
        "contrast": _tr("Contrast"),
    }
    return labels.get(kind, kind)


def default_deck_name(document_name: str) -> str:
    """The deck a document's cards go to unless the user chooses another: its name, no suffix."""
    stem = Path(document_name).stem.strip()
    return stem or _tr("New deck")


class DraftTableModel(QAbstractTableModel):
    """The drafts of one document: Accept (a check box), Kind, Front and Back (editable).

    Every draft starts accepted; edits are kept beside the original drafts.
    """

    accepted_changed = Signal(int)
    """How many drafts are accepted now."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._drafts: list[DraftCard] = []
        self._accepted: list[bool] = []

    # Contents.

    def set_drafts(self, drafts: tuple[DraftCard, ...] | list[DraftCard]) -> None:
        self.beginResetModel()
        self._drafts = list(drafts)
        self._accepted = [True] * len(self._drafts)
        self.endResetModel()
        self.accepted_changed.emit(self.accepted_count())

    def draft(self, row: int) -> DraftCard:
        """The draft in `row`, with any edits."""
        return self._drafts[row]

    def is_accepted(self, row: int) -> bool:
        return self._accepted[row]

    def accepted_count(self) -> int:
        return sum(self._accepted)

    def accepted_cards(self) -> list[DraftCard]:
        """The accepted drafts, edited front and back included, in document order."""
        return [draft for draft, keep in zip(self._drafts, self._accepted, strict=True) if keep]

    def set_accepted(self, row: int, accepted: bool) -> None:
        if 0 <= row < len(self._accepted) and self._accepted[row] != accepted:
            self._accepted[row] = accepted
            index = self.index(row, ACCEPT_COLUMN)
            self.dataChanged.emit(index, index.siblingAtColumn(BACK_COLUMN))
            self.accepted_changed.emit(self.accepted_count())

    def set_all_accepted(self, accepted: bool) -> None:
        if not self._drafts:
            return
        self._accepted = [accepted] * len(self._drafts)
        self.dataChanged.emit(
            self.index(0, ACCEPT_COLUMN), self.index(len(self._drafts) - 1, BACK_COLUMN)
        )
        self.accepted_changed.emit(self.accepted_count())

    def set_text(self, row: int, column: int, text: str) -> bool:
        """Edit a draft's front or back; blank text is refused."""
        if not 0 <= row < len(self._drafts) or column not in EDITABLE_COLUMNS:
            return False
        text = text.strip()
        if not text:
            return False
        draft = self._drafts[row]
        changed = (
            replace(draft, front=text) if column == FRONT_COLUMN else replace(draft, back=text)
        )
        if changed != draft:
            self._drafts[row] = changed
            index = self.index(row, column)
            self.dataChanged.emit(index, index)
        return True

    # QAbstractTableModel.

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._drafts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._drafts):
            return None
        row, column = index.row(), index.column()
        draft, accepted = self._drafts[row], self._accepted[row]
        if column == ACCEPT_COLUMN:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if accepted else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return _tr("Accepted") if accepted else _tr("Rejected")
            if role == Qt.ItemDataRole.ToolTipRole:
                return _tr("Accept this card (uncheck to reject it)")
            return None
        text = {
            KIND_COLUMN: kind_label(draft.kind),
            FRONT_COLUMN: draft.front,
            BACK_COLUMN: draft.back,
        }[column]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return text
        if role == Qt.ItemDataRole.ToolTipRole and column in EDITABLE_COLUMNS:
            return text + "\n\n" + _tr("Double-click or press F2 to edit.")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        if index.column() == ACCEPT_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
            state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
            self.set_accepted(index.row(), state == Qt.CheckState.Checked)
            return True
        if role == Qt.ItemDataRole.EditRole and isinstance(value, str):
            return self.set_text(index.row(), index.column(), value)
        return False

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ACCEPT_COLUMN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.column() in EDITABLE_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_tr("Keep"), _tr("Kind"), _tr("Front"), _tr("Back"))[section]


class GenerationViewModel(QObject):
    """Generates drafts from documents through the GenerationService, one at a time; adds the
    accepted ones; looks up where a card came from.

    Signals: generation_started(Task), generated(GeneratedDocument), generation_failed(str),
    generation_cancelled(str file name), busy_changed(bool), cards_added(AddedCards), error(str).
    """

    generation_started = Signal(object)
    generated = Signal(object)
    generation_failed = Signal(str)
    generation_cancelled = Signal(str)
    busy_changed = Signal(bool)
    cards_added = Signal(object)
    error = Signal(str)

    def __init__(
        self, generation: GenerationService, decks: DeckService, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._generation = generation
        self._decks = decks
        self._task: Task[GeneratedDocument] | None = None
        self._path: Path | None = None

    # Files.

    def accepts(self, path: Path) -> bool:
        return path.suffix.casefold() in self._generation.SUFFIXES

    def name_filters(self) -> list[str]:
        patterns = " ".join(f"*{suffix}" for suffix in sorted(self._generation.SUFFIXES))
        return [_tr("Documents (%1)").replace("%1", patterns), _tr("All files (*)")]

    def deck_names(self) -> list[str]:
        """Existing decks, for the deck chooser ([] when they cannot be read)."""
        try:
            return [deck.name for deck in self._decks.deck_list()]
        except StudyAppError as error:
            self.error.emit(str(error))
            return []

    # Generating.

    @property
    def busy(self) -> bool:
        return self._task is not None

    @property
    def task(self) -> Task[GeneratedDocument] | None:
        return self._task

    def start(self, path: Path) -> Task[GeneratedDocument] | None:
        """Generate drafts from `path` on a worker thread; None while another one runs."""
        if self._task is not None:
            return None
        generation = self._generation

        def work(progress: Progress, cancelled: Cancelled) -> GeneratedDocument:
            return generation.generate(path, progress=progress, cancelled=cancelled)

        task: Task[GeneratedDocument] = Task(work)
        task.succeeded.connect(self.generated)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        task.ended.connect(self._on_ended)
        self._task, self._path = task, path
        self.busy_changed.emit(True)
        self.generation_started.emit(task)
        task.start()
        return task

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self.generation_failed.emit(expected_message(error))

    @Slot()
    def _on_cancelled(self) -> None:
        self.generation_cancelled.emit(self._path.name if self._path else "")

    @Slot()
    def _on_ended(self) -> None:
        self._task, self._path = None, None
        self.busy_changed.emit(False)

    # Adding and sources.

    def add_cards(
        self, document: GeneratedDocument, cards: list[DraftCard], deck: str
    ) -> AddedCards | None:
        """Add `cards` to `deck` (made when new) in one go; None (and error) when that fails."""
        try:
            added = self._generation.add_cards(document, cards, deck)
        except StudyAppError as error:
            self.error.emit(str(error))
            return None
        self.cards_added.emit(added)
        return added

    def source_of(self, card_id: int) -> SourceView | None:
        """Where a card came from, or None for cards without a document (or on errors)."""
        try:
            return self._generation.source_of(card_id)
        except StudyAppError as error:
            self.error.emit(str(error))
            return None
