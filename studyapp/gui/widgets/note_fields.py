"""The note editor's input widgets: rich-text and plain-text field editors, the tag completer.

`RichFieldEdit` and `PlainFieldEdit` edit one field of the note in a `NoteEditor`, which they ask
for the media folder and for the snippets that pasted media become; `FieldEdit` is either one.
`TagCompleter` completes the word being typed in a line of space-separated tags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QStringListModel, Qt, QUrl, Slot
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QCompleter, QLineEdit, QPlainTextEdit, QTextEdit

from studyapp.gui.widgets.card_browser import media_path
from studyapp.gui.widgets.field_html import document_html

if TYPE_CHECKING:
    from studyapp.gui.widgets.note_editor import NoteEditor


class RichFieldEdit(QTextEdit):
    """A field's rich-text editor: shows media-folder images, stores pasted images there."""

    def __init__(self, editor: NoteEditor, name: str) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self.setAcceptRichText(True)
        self.setMinimumHeight(64)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        """Images from the media folder only (as a QImage: QTextEdit does not decode bytes)."""
        if type != QTextDocument.ResourceType.ImageResource.value:
            return None
        path = media_path(self._editor.media_dir, QUrl(name) if isinstance(name, str) else name)
        if path is None:
            return None
        image = QImage(str(path))
        return None if image.isNull() else image

    def set_field_html(self, value: str) -> None:
        self.setHtml(value)
        self.document().setModified(False)

    def field_html(self) -> str:
        return document_html(self.document())

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        snippets = self._editor.media_snippets(source)
        if snippets is None:
            super().insertFromMimeData(source)
        else:
            self.textCursor().insertHtml("".join(snippets))


class PlainFieldEdit(QPlainTextEdit):
    """A field's plain-text editor, for note types written in Markdown."""

    def __init__(self, editor: NoteEditor, name: str) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(64)

    def set_field_html(self, value: str) -> None:
        self.setPlainText(value)
        self.document().setModified(False)

    def field_html(self) -> str:
        return self.toPlainText()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        snippets = self._editor.media_snippets(source)
        if snippets is None:
            super().insertFromMimeData(source)
        else:
            self.textCursor().insertText("".join(snippets))


FieldEdit = RichFieldEdit | PlainFieldEdit


class TagCompleter(QCompleter):
    """Completes the word being typed in a line of space-separated tags."""

    def __init__(self, line: QLineEdit) -> None:
        super().__init__(line)
        self._line = line
        self._model = QStringListModel(self)
        self.setModel(self._model)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setWidget(line)
        line.textEdited.connect(self._on_edited)
        self.activated.connect(self.insert_completion)

    def set_tags(self, tags: list[str]) -> None:
        self._model.setStringList(tags)

    def _word(self) -> str:
        text = self._line.text()[: self._line.cursorPosition()]
        return "" if not text or text[-1].isspace() else text.split()[-1]

    @Slot(str)
    def _on_edited(self, _text: str) -> None:
        word = self._word()
        popup = self.popup()
        if not word:
            if popup is not None:
                popup.hide()
            return
        self.setCompletionPrefix(word)
        if self.completionCount() > 0:
            self.complete()
        elif popup is not None:
            popup.hide()

    @Slot(str)
    def insert_completion(self, tag: str) -> None:
        """Replace the word being typed with `tag` and a space."""
        position = self._line.cursorPosition()
        before, after = self._line.text()[:position], self._line.text()[position:]
        start = position - len(self._word())
        text = before[:start] + tag + " " + after.lstrip()
        self._line.setText(text)
        self._line.setCursorPosition(start + len(tag) + 1)
