"""Where a card came from: its sentence highlighted in the document it was made from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui.viewmodels.generation import GenerationViewModel

if TYPE_CHECKING:
    from studyapp.services.generation import SourceView


class SourceDialog(QDialog):
    """The document with the card's sentence highlighted; a warning when the source changed."""

    def __init__(self, source: SourceView, parent: QWidget | None = None) -> None:
        import html  # with the pane: loaded when a source is first shown

        from studyapp.gui.widgets.source_pane import SourcePane

        super().__init__(parent)
        title = self.tr("Source: %1").replace("%1", source.document)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(640, 460)

        self.heading = QLabel(
            self.tr("This card was made from the highlighted sentence of %1.").replace(
                "%1", f"<b>{html.escape(source.document)}</b>"
            ),
            self,
        )
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(self.tr("Document"))
        self.changed_label = QLabel(
            self.tr(
                "The document has changed since this card was made, and this sentence is not in "
                "the new version. Check that the card is still right."
            ),
            self,
        )
        self.changed_label.setObjectName("sourceChanged")
        self.changed_label.setWordWrap(True)
        self.changed_label.setAccessibleName(self.tr("The source has changed"))
        self.changed_label.setVisible(source.changed)
        self.pane = SourcePane(self)
        self.pane.show_source(source.text, source.start, source.end)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.changed_label)
        layout.addWidget(self.pane, 1)
        layout.addWidget(self.buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, source: SourceView) -> None:
        """Show the dialog until the user closes it."""
        dialog = cls(source, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()


class SourceButton(QToolButton):
    """ "Source" in the reviewer: shown only for cards made from a document; opens SourceDialog."""

    def __init__(
        self, generation: GenerationViewModel | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._generation = generation
        self._source: SourceView | None = None
        self.setText(self.tr("Source"))
        self.setAccessibleName(self.tr("Show the source sentence"))
        self.setToolTip(self.tr("Show the sentence this card was made from (S)"))
        self.setVisible(False)
        self.clicked.connect(self.show_source)

    @property
    def source(self) -> SourceView | None:
        return self._source

    def set_card(self, card_id: int | None) -> None:
        """Look up where the card on screen came from (None: no card on screen)."""
        found = None
        if card_id is not None and self._generation is not None:
            found = self._generation.source_of(card_id)
        self._source = found
        self.setVisible(found is not None)

    @Slot()
    def show_source(self) -> bool:
        """Open the source of the card on screen; False when it has none."""
        if self._source is None:
            return False
        SourceDialog.ask(self.window(), self._source)
        return True
