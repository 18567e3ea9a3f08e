"""Files dropped on the main window: card files go to the import, documents become decks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from studyapp.gui.windows.generation_flow import GenerationFlow
from studyapp.gui.windows.import_flow import ImportFlow


class DroppedFileChoice:
    """For a dropped file both flows take (.txt): import its lines as cards, or make a deck from
    it as a document. Behind a seam tests replace."""

    @classmethod
    def ask(cls, parent: QWidget, path: Path) -> bool | None:
        """True to make a deck from the document, False to import it as cards, None to do
        neither."""
        box = QMessageBox(QMessageBox.Icon.Question, parent.tr("Open %1").replace("%1", path.name),
                          parent.tr("What should StudyApp do with %1?").replace("%1", path.name),
                          parent=parent)  # fmt: skip
        box.setInformativeText(
            parent.tr("A file of questions and answers, one per line, can be imported as cards. "
                      "Any other text can become a new deck, made from its sentences.")
        )  # fmt: skip
        document = box.addButton(parent.tr("Make a deck"), QMessageBox.ButtonRole.AcceptRole)
        cards = box.addButton(parent.tr("Import as cards"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        for button in box.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        box.setDefaultButton(document)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is document:
            return True
        if clicked is cards:
            return False
        return None


class DropRouter(QObject):
    """Decides which dropped files the window takes, and hands each to its flow.

    Signal: status(str) for the status bar.
    """

    status = Signal(str)

    def __init__(self, imports: ImportFlow, documents: GenerationFlow, window: QWidget) -> None:
        super().__init__(window)
        self._imports = imports
        self._documents = documents
        self._window = window

    def importable(self, path: Path) -> bool:
        return not self._imports.busy and self._imports.view_model.accepts(path)

    def document(self, path: Path) -> bool:
        return not self._documents.busy and self._documents.view_model.accepts(path)

    def files(self, event: QDragEnterEvent | QDropEvent) -> list[Path]:
        """The event's local files that one of the flows takes now."""
        data = event.mimeData()
        if not data.hasUrls():
            return []
        files = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
        return [path for path in files if self.importable(path) or self.document(path)]

    def open(self, files: list[Path]) -> None:
        """Import card files; make a deck from a document (a .txt file may be either: ask)."""
        to_import, documents = [], []
        for path in files:
            importable, document = self.importable(path), self.document(path)
            if importable and document:
                as_document = DroppedFileChoice.ask(self._window, path)
                if as_document is None:
                    continue
                importable, document = not as_document, as_document
            if importable:
                to_import.append(path)
            elif document:
                documents.append(path)
        if to_import:
            self._imports.import_paths(to_import)
        if documents:
            self._documents.generate(documents[0])
            if len(documents) > 1:
                self.status.emit(self.tr("Decks are made from one document at a time."))
