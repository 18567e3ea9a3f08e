"""File ▸ New deck from document… and dropped documents: generate with progress, review, add."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studyapp.gui.viewmodels.generation import GenerationViewModel
from studyapp.gui.widgets.message_box import open_message
from studyapp.services.generation import GeneratedDocument

if TYPE_CHECKING:  # the progress and review dialogs load when a document is first read
    from studyapp.gui.widgets.task_progress import TaskProgressDialog
    from studyapp.services.generation import AddedCards


class DocumentChooser:
    """The file dialog, behind a seam tests replace."""

    @classmethod
    def ask(cls, parent: QWidget | None, filters: list[str]) -> Path | None:
        """The document the user chose, or None when they cancel."""
        title = parent.tr("New deck from document") if parent else "New deck from document"
        name, _ = QFileDialog.getOpenFileName(parent, title, "", ";;".join(filters))
        return Path(name) if name else None


class GenerationFlow(QObject):
    """Makes a deck from a document for `window`: progress, the draft review, the summary.

    Signals: added(AddedCards) after cards were added (the window refreshes its decks),
    message_shown(str) with the text of each message box, status(str) for the status bar.
    """

    added = Signal(object)
    message_shown = Signal(str)
    status = Signal(str)

    def __init__(self, view_model: GenerationViewModel, window: QWidget) -> None:
        super().__init__(window)
        self._vm = view_model
        self._window = window
        self._outcome: GeneratedDocument | str | None = None
        self.progress_dialog: TaskProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        view_model.generated.connect(self._on_generated)
        view_model.generation_failed.connect(self._on_failed)
        view_model.generation_cancelled.connect(self._on_cancelled)
        view_model.busy_changed.connect(self._on_busy_changed)

    @property
    def view_model(self) -> GenerationViewModel:
        return self._vm

    @property
    def busy(self) -> bool:
        return self._vm.busy

    @Slot()
    def choose_and_generate(self) -> None:
        path = DocumentChooser.ask(self._window, self._vm.name_filters())
        if path is not None:
            self.generate(path)

    def generate(self, path: Path) -> bool:
        """Start making drafts from `path`; False when it cannot start now."""
        if not self._vm.accepts(path):
            self._tell(
                QMessageBox.Icon.Warning,
                self.tr("StudyApp makes decks from .txt, .md, .html and .pdf documents, "
                        "not from %1.").replace("%1", path.name),
            )  # fmt: skip
            return False
        task = self._vm.start(path)
        if task is None:
            self.status.emit(self.tr("Another document is still being read."))
            return False
        from studyapp.gui.widgets.task_progress import TaskProgressDialog

        self.progress_dialog = TaskProgressDialog.follow(
            self._window,
            task,
            self.tr("New deck from document"),
            self.tr("Reading %1 and making cards…").replace("%1", path.name),
        )
        return True

    # Outcomes: remembered as they arrive, shown once the task has ended and its dialog closed.

    @Slot(object)
    def _on_generated(self, document: object) -> None:
        if isinstance(document, GeneratedDocument):
            self._outcome = document

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._outcome = self.tr("%1\n\nNo cards were made.").replace("%1", message)

    @Slot(str)
    def _on_cancelled(self, file_name: str) -> None:
        self._outcome = None
        self.status.emit(
            self.tr("Making cards from %1 was cancelled. Nothing was added.").replace(
                "%1", file_name
            )
        )

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        if not busy:
            self.progress_dialog = None
            QTimer.singleShot(0, self, self._present)

    @Slot()
    def _present(self) -> None:
        outcome, self._outcome = self._outcome, None
        if isinstance(outcome, GeneratedDocument):
            self.review(outcome)
        elif outcome is not None:
            self._tell(QMessageBox.Icon.Warning, outcome)

    def review(self, document: GeneratedDocument) -> AddedCards | None:
        """The draft review for `document`; adds what the user accepts."""
        if not document.cards:
            self._tell(
                QMessageBox.Icon.Information,
                self.tr("No cards could be made from %1. StudyApp looks for definitions, "
                        "acronyms, lists, contrasts and key facts in explanatory text."
                        ).replace("%1", document.name),
            )  # fmt: skip
            return None
        from studyapp.gui.windows.draft_review import DraftReviewDialog

        choice = DraftReviewDialog.ask(self._window, document, self._vm.deck_names())
        if choice is None:
            self.status.emit(self.tr("No cards were added from %1.").replace("%1", document.name))
            return None
        added = self._vm.add_cards(document, list(choice.cards), choice.deck)
        if added is None:
            return None  # the view-model reported the error
        self.added.emit(added)
        self.status.emit(
            self.tr("Added %1 cards to %2.")
            .replace("%1", str(added.cards))
            .replace("%2", added.deck)
        )
        self._tell(QMessageBox.Icon.Information, self.summary_text(added))
        return added

    def summary_text(self, added: AddedCards) -> str:
        text = (
            self.tr("Added 1 card to the deck “%2”.")
            if added.cards == 1
            else self.tr("Added %1 cards (from %3 notes) to the deck “%2”.")
            if added.cards != added.notes
            else self.tr("Added %1 cards to the deck “%2”.")
        )
        text = (
            text.replace("%1", str(added.cards))
            .replace("%3", str(added.notes))
            .replace("%2", added.deck)
        )
        if added.flagged == 1:
            text += "\n\n" + self.tr(
                "1 card made earlier from this document was flagged: its sentence is no longer "
                "in the document."
            )
        elif added.flagged > 1:
            text += "\n\n" + self.tr(
                "%1 cards made earlier from this document were flagged: their sentences are no "
                "longer in the document."
            ).replace("%1", str(added.flagged))
        return text

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        """A non-blocking message box over the window (the latest one is kept for tests)."""
        self.message_box = open_message(self._window, icon, self.tr("New deck from document"), text)
        self.message_shown.emit(text)
