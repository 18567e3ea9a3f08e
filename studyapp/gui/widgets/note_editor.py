"""NoteEditor: edits one note's fields and tags, and previews the cards it makes.

Usage (the Add and Edit dialogs, and the browser below its table)::

    editor = NoteEditor(view_model)          # a NoteEditorViewModel
    editor.new_note(note_type_id, deck_id)   # an empty note of that type, to add to that deck
    editor.load_note(note_id)                # or a saved note (False if it is gone)
    editor.saved.connect(...)                # saved(note_id) after a save was committed
    editor.save()                            # adds or updates; False (message shown) if refused

`set_note_type(id)` and `set_deck(id)` change a new note's type (values move along by position)
and deck; `clear_fields()` empties the fields and keeps the tags (the Add dialog, after adding).
`modified` says whether anything changed since loading; `save()` on an unmodified saved note
does nothing and returns True, so callers may save whenever the user moves on.

Each field is a rich-text editor (or a plain-text one when the note type is written in
Markdown); the toolbar above acts on the field with focus: bold, italic, underline, bulleted and
numbered lists, and attaching an image or audio file, which is copied into the media folder.
Pasted images are stored there too.  Under the first field a warning appears when a note of the
same type already has it; beside the fields the preview shows every card the note will make.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMimeData,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QImage,
    QImageWriter,
    QKeySequence,
    QTextCharFormat,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.cards import NoteType
from studyapp.gui.viewmodels.note_editor import NoteEditorViewModel
from studyapp.gui.widgets.card_browser import CardBrowser
from studyapp.gui.widgets.note_fields import FieldEdit, PlainFieldEdit, RichFieldEdit, TagCompleter
from studyapp.services.notes import NoteDraft

if TYPE_CHECKING:
    from studyapp.services.notes import CardPreview

CHECK_DELAY_MS = 250
"""The duplicate check and the preview wait this long after the last keystroke."""
MEDIA_PATTERNS = (
    "*.png *.jpg *.jpeg *.gif *.webp *.svg *.bmp *.mp3 *.ogg *.oga *.opus *.wav *.m4a *.flac *.aac"
)


class NoteEditor(QWidget):
    """See the module docstring."""

    saved = Signal(int)

    def __init__(self, view_model: NoteEditorViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._note_type: NoteType | None = None
        self._note_id: int | None = None
        self._deck_id: int | None = None
        self._tags_modified = False
        self._current: FieldEdit | None = None
        self.fields: list[FieldEdit] = []
        self._previews: list[CardPreview] = []
        self._checks = QTimer(self)
        self._checks.setSingleShot(True)
        self._checks.setInterval(CHECK_DELAY_MS)
        self._checks.timeout.connect(self.refresh_checks)
        self._build()

    # Building.

    def _tool(self, text: str, tip: str, key: str, slot: object, bold: bool = False) -> QToolButton:
        action = QAction(text, self)
        action.setToolTip(
            f"{tip} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if bold:
            font = QFont(button.font())
            font.setBold(True)
            button.setFont(font)
        return button

    def _build(self) -> None:
        self.bold_button = self._tool(
            self.tr("B"), self.tr("Bold"), "Ctrl+B", self.toggle_bold, bold=True
        )
        self.italic_button = self._tool(
            self.tr("I"), self.tr("Italic"), "Ctrl+I", self.toggle_italic
        )
        italic = QFont(self.italic_button.font())
        italic.setItalic(True)
        self.italic_button.setFont(italic)
        self.underline_button = self._tool(
            self.tr("U"), self.tr("Underline"), "Ctrl+U", self.toggle_underline
        )
        underline = QFont(self.underline_button.font())
        underline.setUnderline(True)
        self.underline_button.setFont(underline)
        self.bullets_button = self._tool(
            "•", self.tr("Bulleted list"), "Ctrl+Shift+B", self.bulleted_list
        )
        self.numbers_button = self._tool(
            "1.", self.tr("Numbered list"), "Ctrl+Shift+O", self.numbered_list
        )
        self.attach_button = self._tool(
            self.tr("Attach…"),
            self.tr("Attach an image or audio file"),
            "F3",
            self.choose_attachment,
        )
        self.format_buttons = [
            self.bold_button,
            self.italic_button,
            self.underline_button,
            self.bullets_button,
            self.numbers_button,
        ]
        toolbar = QHBoxLayout()
        toolbar.setSpacing(2)
        for button in [*self.format_buttons, self.attach_button]:
            toolbar.addWidget(button)
        toolbar.addStretch(1)

        self._fields_box = QWidget(self)
        self._fields_layout = QVBoxLayout(self._fields_box)
        self._fields_layout.setContentsMargins(0, 0, 4, 0)
        self._fields_layout.setSpacing(4)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._fields_box)
        self.duplicate_label = QLabel(self)
        self.duplicate_label.setObjectName("duplicateWarning")
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.setText(self.tr("⚠ A note of this type already has this first field."))
        self.duplicate_label.setStyleSheet("color: #d97706; font-weight: bold;")
        self.duplicate_label.hide()

        self.tags_edit = QLineEdit(self)
        self.tags_edit.setAccessibleName(self.tr("Tags"))
        self.tags_edit.setPlaceholderText(self.tr("Tags, separated by spaces"))
        self.tags_edit.textEdited.connect(self._on_tags_edited)
        self.tag_completer = TagCompleter(self.tags_edit)
        tags_label = QLabel(self.tr("&Tags"), self)
        tags_label.setBuddy(self.tags_edit)
        tags_row = QHBoxLayout()
        tags_row.addWidget(tags_label)
        tags_row.addWidget(self.tags_edit, 1)

        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(toolbar)
        column.addWidget(scroll, 1)
        column.addLayout(tags_row)

        self.preview_tabs = QTabBar(self)
        self.preview_tabs.setAccessibleName(self.tr("Cards this note makes"))
        self.preview_tabs.setDocumentMode(True)
        self.preview_tabs.currentChanged.connect(self._show_preview)
        self.answer_check = QCheckBox(self.tr("Show &answer"), self)
        self.answer_check.setAccessibleName(self.tr("Preview the answer side"))
        self.answer_check.toggled.connect(self._show_preview)
        self.preview = CardBrowser(self._vm.media_dir, self)
        self.preview.setAccessibleName(self.tr("Card preview"))
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.no_cards_label = QLabel(self)
        self.no_cards_label.setWordWrap(True)
        self.no_cards_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        preview_top = QHBoxLayout()
        preview_top.addWidget(QLabel(self.tr("Preview"), self))
        preview_top.addWidget(self.preview_tabs, 1)
        preview_top.addWidget(self.answer_check)
        self.preview_pane = QWidget(self)
        preview_column = QVBoxLayout(self.preview_pane)
        preview_column.setContentsMargins(0, 0, 0, 0)
        preview_column.addLayout(preview_top)
        preview_column.addWidget(self.no_cards_label)
        preview_column.addWidget(self.preview, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.preview_pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # The note.

    @property
    def note_id(self) -> int | None:
        """The saved note being edited, or None for a new note."""
        return self._note_id

    @property
    def note_type(self) -> NoteType | None:
        return self._note_type

    @property
    def deck_id(self) -> int | None:
        return self._deck_id

    @property
    def media_dir(self) -> Path:
        return self._vm.media_dir

    @property
    def modified(self) -> bool:
        return self._tags_modified or any(f.document().isModified() for f in self.fields)

    def new_note(self, note_type_id: int, deck_id: int) -> None:
        """Start an empty note of this type for this deck."""
        note_type = self._find_type(note_type_id)
        if note_type is None:
            return
        self._note_id = None
        self._deck_id = deck_id
        self._set_fields(note_type, [""] * len(note_type.fields))
        self._set_tags([])
        self.refresh_checks()

    def load_note(self, note_id: int) -> bool:
        """Show a saved note; False (and a message) if it no longer exists."""
        edited = self._vm.load(note_id)
        if edited is None:
            return False
        self._note_id = note_id
        self._deck_id = edited.deck_id
        self._set_fields(edited.note_type, list(edited.note.fields))
        self._set_tags(list(edited.note.tags))
        self.refresh_checks()
        return True

    def set_note_type(self, note_type_id: int) -> None:
        """Change a new note's type; field values move along by position."""
        note_type = self._find_type(note_type_id)
        if note_type is None or self._note_id is not None:
            return
        values = self.field_values()
        values = values[: len(note_type.fields)] + [""] * (len(note_type.fields) - len(values))
        self._set_fields(note_type, values)
        self.refresh_checks()

    def set_deck(self, deck_id: int) -> None:
        self._deck_id = deck_id

    def clear_fields(self) -> None:
        """Empty every field (tags stay), ready for the next note; focus on the first field."""
        for field in self.fields:
            field.set_field_html("")
        self.refresh_checks()
        self.focus_first_field()

    def focus_first_field(self) -> None:
        if self.fields:
            self.fields[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def field_values(self) -> list[str]:
        return [field.field_html() for field in self.fields]

    def tags(self) -> list[str]:
        return self.tags_edit.text().split()

    @Slot()
    def save(self) -> bool:
        """Add the new note or save the changed one; False if it was refused (message shown)."""
        note_type = self._note_type
        if note_type is None:
            return False
        if self._note_id is None:
            if self._deck_id is None:
                return False
            draft = NoteDraft(
                note_type.id, self._deck_id, tuple(self.field_values()), tuple(self.tags())
            )
            note = self._vm.add(draft)
        elif not self.modified:
            return True
        else:
            note = self._vm.update(self._note_id, self.field_values(), self.tags())
        if note is None:
            return False
        for field in self.fields:
            field.document().setModified(False)
        self._tags_modified = False
        self.saved.emit(note.id)
        return True

    def _find_type(self, note_type_id: int) -> NoteType | None:
        for note_type in self._vm.note_types():
            if note_type.id == note_type_id:
                return note_type
        self._vm.error.emit(self.tr("That note type no longer exists."))
        return None

    def _set_fields(self, note_type: NoteType, values: list[str]) -> None:
        self._note_type = note_type
        while self._fields_layout.count():
            item = self._fields_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.duplicate_label:
                widget.hide()
                widget.deleteLater()
        self.fields = []
        self._current = None
        for format_button in self.format_buttons:
            format_button.setEnabled(not note_type.markdown)
        for index, name in enumerate(note_type.fields):
            label = QLabel(name, self._fields_box)
            label.setObjectName("fieldName")
            field: FieldEdit = (
                PlainFieldEdit(self, name) if note_type.markdown else RichFieldEdit(self, name)
            )
            field.setParent(self._fields_box)
            label.setBuddy(field)
            field.set_field_html(values[index] if index < len(values) else "")
            field.textChanged.connect(self._on_field_changed)
            self._fields_layout.addWidget(label)
            self._fields_layout.addWidget(field)
            label.show()  # now, not when the layout gets round to it: focus can go there at once
            field.show()
            if index == 0:
                self._fields_layout.addWidget(self.duplicate_label)
            self.fields.append(field)
        self._fields_layout.addStretch(1)
        if self.fields:
            self.setTabOrder(self.fields[-1], self.tags_edit)

    def _set_tags(self, tags: list[str]) -> None:
        self.tags_edit.setText(" ".join(tags))
        self._tags_modified = False
        self.tag_completer.set_tags(self._vm.tags())

    # Formatting.

    def current_field(self) -> FieldEdit | None:
        """The field with focus, else the one that had it last, else the first."""
        focused = self.focusWidget()
        for field in self.fields:
            if field is focused:
                self._current = field
        if self._current is None and self.fields:
            self._current = self.fields[0]
        return self._current

    def _rich(self) -> RichFieldEdit | None:
        field = self.current_field()
        return field if isinstance(field, RichFieldEdit) else None

    def _merge(self, fmt: QTextCharFormat) -> None:
        field = self._rich()
        if field is None:
            return
        cursor = field.textCursor()
        cursor.mergeCharFormat(fmt)
        field.mergeCurrentCharFormat(fmt)
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def toggle_bold(self) -> None:
        self._toggle(
            lambda fmt: fmt.fontWeight() > QFont.Weight.Medium,
            lambda fmt, on: fmt.setFontWeight(QFont.Weight.Bold if on else QFont.Weight.Normal),
        )

    @Slot()
    def toggle_italic(self) -> None:
        self._toggle(QTextCharFormat.fontItalic, QTextCharFormat.setFontItalic)

    @Slot()
    def toggle_underline(self) -> None:
        self._toggle(QTextCharFormat.fontUnderline, QTextCharFormat.setFontUnderline)

    def _toggle(
        self,
        is_on: Callable[[QTextCharFormat], bool],
        set_on: Callable[[QTextCharFormat, bool], None],
    ) -> None:
        """Turn a character format off where the cursor has it, else on."""
        field = self._rich()
        if field is not None:
            fmt = QTextCharFormat()
            set_on(fmt, not is_on(field.currentCharFormat()))
            self._merge(fmt)

    @Slot()
    def bulleted_list(self) -> None:
        self._list(QTextListFormat.Style.ListDisc)

    @Slot()
    def numbered_list(self) -> None:
        self._list(QTextListFormat.Style.ListDecimal)

    def _list(self, style: QTextListFormat.Style) -> None:
        field = self._rich()
        if field is None:
            return
        cursor = field.textCursor()
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            for _ in range(current.count()):
                current.remove(current.item(0))
            block = cursor.blockFormat()
            block.setIndent(0)
            cursor.setBlockFormat(block)
        else:
            cursor.createList(style)
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    # Media.

    @Slot()
    def choose_attachment(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Attach an image or audio file"),
            "",
            self.tr("Images and audio (%1)").replace("%1", MEDIA_PATTERNS),
        )
        if chosen:
            self.attach(Path(chosen))

    def attach(self, path: Path) -> bool:
        """Copy a file into the media folder and insert it at the cursor of the current field."""
        snippet = self._vm.attach_file(path)
        if snippet is None:
            return False
        self._insert_snippet(snippet)
        return True

    def _insert_snippet(self, snippet: str) -> None:
        field = self.current_field()
        if field is None:
            return
        if isinstance(field, RichFieldEdit):
            field.textCursor().insertHtml(snippet)
        else:
            field.textCursor().insertText(snippet)
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    def media_snippets(self, source: QMimeData) -> list[str] | None:
        """Pasted or dropped images and files, stored in the media folder; None when the data
        holds neither (an ordinary paste)."""
        if source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                data = QByteArray()
                buffer = QBuffer(data)
                buffer.open(QIODevice.OpenModeFlag.WriteOnly)
                QImageWriter(buffer, QByteArray(b"png")).write(image)
                snippet = self._vm.attach_bytes(bytes(data.data()), "pasted.png")
                return [snippet] if snippet else []
        files = [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]
        if files:
            snippets = [self._vm.attach_file(path) for path in files]
            return [s for s in snippets if s]
        return None

    # Checks and preview.

    @Slot()
    def _on_field_changed(self) -> None:
        self._checks.start()

    @Slot(str)
    def _on_tags_edited(self, _text: str) -> None:
        self._tags_modified = True
        self._checks.start()

    @Slot()
    def refresh_checks(self) -> None:
        """Run the duplicate check and re-render the preview now."""
        self._checks.stop()
        note_type = self._note_type
        if note_type is None:
            return
        values = self.field_values()
        duplicate = self._vm.duplicate_of(note_type.id, values[0] if values else "", self._note_id)
        self.duplicate_label.setVisible(duplicate is not None)
        self._previews = self._vm.preview(note_type.id, values, self.tags())
        keep = self.preview_tabs.currentIndex()
        self.preview_tabs.blockSignals(True)
        while self.preview_tabs.count():
            self.preview_tabs.removeTab(0)
        for preview in self._previews:
            self.preview_tabs.addTab(preview.name)
        if self._previews:
            self.preview_tabs.setCurrentIndex(min(max(keep, 0), len(self._previews) - 1))
        self.preview_tabs.blockSignals(False)
        self._show_preview()

    @property
    def previews(self) -> list[CardPreview]:
        return list(self._previews)

    @Slot()
    def _show_preview(self) -> None:
        index = self.preview_tabs.currentIndex()
        if not self._previews or index < 0:
            self.no_cards_label.setText(self.tr("This note makes no cards yet."))
            self.no_cards_label.show()
            self.preview.show_card("", "", self.font().pointSize())
            return
        self.no_cards_label.hide()
        preview = self._previews[index]
        body = preview.answer_html if self.answer_check.isChecked() else preview.question_html
        self.preview.show_card(body, preview.css, max(self.font().pointSize(), 11))

    def set_preview_visible(self, visible: bool) -> None:
        self.preview_pane.setVisible(visible)
