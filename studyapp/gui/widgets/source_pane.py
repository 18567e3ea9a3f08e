"""A read-only view of a document with one sentence highlighted and scrolled into the middle."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer, Slot
from PySide6.QtGui import QColor, QResizeEvent, QShowEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from studyapp.gui.theme import is_dark

CONTEXT_CHARS = 6000
"""How much of the document shows on each side of the sentence (long documents are cut)."""

LIGHT_MARK = ("#ffe48a", "#1d1d1f")
DARK_MARK = ("#7a5c00", "#fff6d5")
"""Background and text of the highlighted sentence, per theme."""


def context_window(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The part of `text` to show around [start, end): whole lines, about `chars` either side."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    first = max(0, start - chars)
    if first > 0:
        line = text.find("\n", first, start)
        first = line + 1 if line >= 0 else first
    last = min(len(text), end + chars)
    if last < len(text):
        line = text.rfind("\n", end, last)
        last = line if line >= 0 else last
    return first, last


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class SourcePane(QTextBrowser):
    """Shows `text` around the sentence at [start, end), the sentence marked with a background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setObjectName("sourcePane")
        self.setAccessibleName(self.tr("Source document"))
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(8)
        self._range: tuple[int, int] | None = None
        self._sentence = ""

    def show_source(self, text: str, start: int, end: int) -> None:
        """Show the document `text` with text[start:end] highlighted and centred."""
        first, last = context_window(text, start, end)
        shown = text[first:last]
        if first > 0:
            shown = "…\n" + shown
            offset = len("…\n") - first
        else:
            offset = -first
        if last < len(text):
            shown += "\n…"
        self.setPlainText(shown)
        begin = max(0, min(start, len(text))) + offset
        finish = max(begin, max(0, min(end, len(text))) + offset)
        # QTextDocument counts UTF-16 code units; Python counts code points.
        self._range = (_utf16_length(shown[:begin]), _utf16_length(shown[:finish]))
        self._sentence = text[start:end]
        self.setAccessibleDescription(
            self.tr("Highlighted sentence: %1").replace("%1", " ".join(self._sentence.split()))
        )
        self._mark()
        QTimer.singleShot(0, self, self.center_sentence)

    def clear_source(self) -> None:
        self._range = None
        self._sentence = ""
        self.setExtraSelections([])
        self.clear()
        self.setAccessibleDescription("")

    def highlighted_text(self) -> str:
        """The text under the highlight, as the document has it (newlines kept)."""
        selections = self.extraSelections()
        if not selections:
            return ""
        return selections[0].cursor.selectedText().replace("\u2029", "\n")

    def _cursor(self) -> QTextCursor | None:
        if self._range is None:
            return None
        begin, finish = self._range
        cursor = QTextCursor(self.document())
        cursor.setPosition(begin)
        cursor.setPosition(finish, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _mark(self) -> None:
        cursor = self._cursor()
        if cursor is None:
            self.setExtraSelections([])
            return
        background, foreground = DARK_MARK if is_dark(self.palette()) else LIGHT_MARK
        mark = QTextEdit.ExtraSelection()
        mark.cursor = cursor
        char_format = QTextCharFormat()
        char_format.setBackground(QColor(background))
        char_format.setForeground(QColor(foreground))
        mark.format = char_format
        self.setExtraSelections([mark])

    @Slot()
    def center_sentence(self) -> None:
        """Scroll so the sentence sits in the middle of the view (or as near as it can)."""
        cursor = self._cursor()
        if cursor is None:
            return
        start = QTextCursor(cursor)
        start.setPosition(cursor.selectionStart())
        top = self.cursorRect(start).top()
        bar = self.verticalScrollBar()
        target = bar.value() + top - self.viewport().height() // 3
        bar.setValue(max(bar.minimum(), min(bar.maximum(), target)))

    # Qt events: the highlight follows the theme, the sentence stays in view.

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._mark()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self.center_sentence)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.center_sentence)
