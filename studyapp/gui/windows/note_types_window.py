"""Tools ▸ Note types…: the note types (add, clone, rename, delete), their fields (add, rename,
reorder, remove, sort field, Markdown) and card templates (front, back, CSS) with a live preview
that re-renders as you type.  Template mistakes are listed under the editors and block saving.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.cards import NoteKind, NoteType
from studyapp.gui.viewmodels.note_types import NoteTypesViewModel
from studyapp.gui.widgets.card_browser import CardBrowser

PREVIEW_DELAY_MS = 150


class NameDialog:
    """Asks for a name (and, for a new note type, the stock type to start from)."""

    @staticmethod
    def ask(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok and value.strip() else None

    @staticmethod
    def ask_stock(parent: QWidget, names: list[str]) -> tuple[str, str] | None:
        """(stock type, new name), or None when cancelled."""
        dialog = QDialog(parent)
        dialog.setWindowTitle(dialog.tr("Add note type"))
        stock = QComboBox(dialog)
        stock.addItems(names)
        name = QLineEdit(dialog)
        form = QFormLayout(dialog)
        form.addRow(dialog.tr("Start from"), stock)
        form.addRow(dialog.tr("Name"), name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        stock.currentTextChanged.connect(lambda text: name.setText(f"{text} (mine)"))
        name.setText(f"{stock.currentText()} (mine)")
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or not name.text().strip():
                return None
            return stock.currentText(), name.text()
        finally:
            dialog.deleteLater()


def _monospace(widget: QWidget) -> None:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(max(font.pointSize(), QFont(widget.font()).pointSize()))
    widget.setFont(font)


class NoteTypesWindow(QDialog):
    def __init__(
        self, view_model: NoteTypesViewModel, media_dir: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._note_type: NoteType | None = None
        self.setWindowTitle(self.tr("Note types"))
        self.setObjectName("noteTypesWindow")
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._build(media_dir)
        view_model.error.connect(self._show_error)
        self.reload()
        self.resize(1000, 640)

    # Building.

    def _button(self, text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _build(self, media_dir: Path) -> None:
        self.type_list = QListWidget(self)
        self.type_list.setAccessibleName(self.tr("Note types"))
        self.type_list.currentRowChanged.connect(self._type_chosen)
        self.add_type_button = self._button(
            self.tr("&Add…"), self.tr("Add a note type from a stock type"), self.add_type
        )
        self.clone_button = self._button(
            self.tr("&Clone…"), self.tr("Copy the selected note type"), self.clone_type
        )
        self.rename_button = self._button(
            self.tr("&Rename…"), self.tr("Rename the selected note type"), self.rename_type
        )
        self.delete_button = self._button(
            self.tr("&Delete"),
            self.tr("Delete the selected note type (only when no note uses it)"),
            self.delete_type,
        )
        type_buttons = QHBoxLayout()
        for button in (
            self.add_type_button,
            self.clone_button,
            self.rename_button,
            self.delete_button,
        ):
            type_buttons.addWidget(button)
        left = QWidget(self)
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.type_list, 1)
        left_column.addLayout(type_buttons)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_fields_page(), self.tr("Fields"))
        self.tabs.addTab(self._build_cards_page(media_dir), self.tr("Cards"))

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)

    def _build_fields_page(self) -> QWidget:
        page = QWidget(self)
        self.field_list = QListWidget(page)
        self.field_list.setAccessibleName(self.tr("Fields"))
        self.add_field_button = self._button(
            self.tr("Add…"), self.tr("Add a field"), self.add_field
        )
        self.rename_field_button = self._button(
            self.tr("Rename…"), self.tr("Rename the field; templates follow"), self.rename_field
        )
        self.up_button = self._button(
            self.tr("Move up"), self.tr("Move the field up"), lambda: self.move_field(-1)
        )
        self.down_button = self._button(
            self.tr("Move down"), self.tr("Move the field down"), lambda: self.move_field(1)
        )
        self.remove_field_button = self._button(
            self.tr("Remove"),
            self.tr("Remove the field and its contents from every note"),
            self.remove_field,
        )
        self.sort_button = self._button(
            self.tr("Sort by this field"),
            self.tr("The browser sorts and shows notes by this field"),
            self.sort_by_field,
        )
        self.markdown_check = QCheckBox(self.tr("Write fields in &Markdown (plain text)"), page)
        self.markdown_check.toggled.connect(self._markdown_toggled)
        buttons = QVBoxLayout()
        for button in (
            self.add_field_button,
            self.rename_field_button,
            self.up_button,
            self.down_button,
            self.remove_field_button,
            self.sort_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.field_list, 1)
        row.addLayout(buttons)
        column = QVBoxLayout(page)
        column.addLayout(row, 1)
        column.addWidget(self.markdown_check)
        return page

    def _build_cards_page(self, media_dir: Path) -> QWidget:
        page = QWidget(self)
        self.template_combo = QComboBox(page)
        self.template_combo.setAccessibleName(self.tr("Card template"))
        self.template_combo.currentIndexChanged.connect(self._template_chosen)
        self.add_template_button = self._button(
            self.tr("Add…"), self.tr("Add a card template"), self.add_template
        )
        self.rename_template_button = self._button(
            self.tr("Rename…"), self.tr("Rename the card template"), self.rename_template
        )
        self.remove_template_button = self._button(
            self.tr("Remove"),
            self.tr("Remove the card template and its cards"),
            self.remove_template,
        )
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Card type"), page))
        top.addWidget(self.template_combo, 1)
        top.addWidget(self.add_template_button)
        top.addWidget(self.rename_template_button)
        top.addWidget(self.remove_template_button)

        self.front_edit = QPlainTextEdit(page)
        self.front_edit.setAccessibleName(self.tr("Front template"))
        self.back_edit = QPlainTextEdit(page)
        self.back_edit.setAccessibleName(self.tr("Back template"))
        self.css_edit = QPlainTextEdit(page)
        self.css_edit.setAccessibleName(self.tr("Styling"))
        self.template_tabs = QTabWidget(page)
        for edit, name in (
            (self.front_edit, self.tr("Front template")),
            (self.back_edit, self.tr("Back template")),
            (self.css_edit, self.tr("Styling")),
        ):
            _monospace(edit)
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self._template_edited)
            self.template_tabs.addTab(edit, name)
        self.template_tabs.currentChanged.connect(self._preview_side_follows)
        self.problems_label = QLabel(page)
        self.problems_label.setObjectName("templateProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #e5484d;")
        self.save_template_button = self._button(
            self.tr("&Save"), self.tr("Save the templates and styling"), self.save_template
        )
        self.save_template_button.setEnabled(False)
        save_row = QHBoxLayout()
        save_row.addWidget(self.problems_label, 1)
        save_row.addWidget(self.save_template_button)
        editors = QWidget(page)
        editors_column = QVBoxLayout(editors)
        editors_column.setContentsMargins(0, 0, 0, 0)
        editors_column.addWidget(self.template_tabs, 1)
        editors_column.addLayout(save_row)

        self.preview = CardBrowser(media_dir, page)
        self.preview.setAccessibleName(self.tr("Template preview"))
        self.answer_check = QCheckBox(self.tr("Show answer side"), page)
        self.answer_check.toggled.connect(self.refresh_preview)
        preview_box = QWidget(page)
        preview_column = QVBoxLayout(preview_box)
        preview_column.setContentsMargins(0, 0, 0, 0)
        preview_column.addWidget(QLabel(self.tr("Preview"), page))
        preview_column.addWidget(self.preview, 1)
        preview_column.addWidget(self.answer_check)

        splitter = QSplitter(Qt.Orientation.Horizontal, page)
        splitter.addWidget(editors)
        splitter.addWidget(preview_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        column = QVBoxLayout(page)
        column.addLayout(top)
        column.addWidget(splitter, 1)
        return page

    # Note types.

    @property
    def note_type(self) -> NoteType | None:
        return self._note_type

    def reload(self, select: int | None = None) -> None:
        """Refill the list, selecting note type `select` (else the one selected)."""
        wanted = select if select is not None else (self._note_type.id if self._note_type else None)
        self.type_list.blockSignals(True)
        self.type_list.clear()
        row = 0
        for number, usage in enumerate(self._vm.usage()):
            notes = (
                self.tr("1 note")
                if usage.notes == 1
                else self.tr("%1 notes").replace("%1", str(usage.notes))
            )
            item = QListWidgetItem(f"{usage.note_type.name}  —  {notes}", self.type_list)
            item.setData(Qt.ItemDataRole.UserRole, usage.note_type)
            if usage.note_type.id == wanted:
                row = number
        self.type_list.blockSignals(False)
        if self.type_list.count():
            self.type_list.setCurrentRow(row)
            self._type_chosen(row)

    def select_type(self, name: str) -> None:
        for row in range(self.type_list.count()):
            item = self.type_list.item(row)
            value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if isinstance(value, NoteType) and value.name == name:
                self.type_list.setCurrentRow(row)

    @Slot(int)
    def _type_chosen(self, row: int) -> None:
        item = self.type_list.item(row)
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._show_type(value if isinstance(value, NoteType) else None)

    def _show_type(self, note_type: NoteType | None, template: int = 0) -> None:
        self._note_type = note_type
        for button in (self.clone_button, self.rename_button, self.delete_button):
            button.setEnabled(note_type is not None)
        self.field_list.clear()
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        if note_type is not None:
            for index, name in enumerate(note_type.fields):
                shown = name + (self.tr("  (sort field)") if index == note_type.sort_field else "")
                self.field_list.addItem(shown)
            self.field_list.setCurrentRow(0)
            for item in note_type.templates:
                self.template_combo.addItem(item.name)
            self.template_combo.setCurrentIndex(min(template, len(note_type.templates) - 1))
            self.markdown_check.blockSignals(True)
            self.markdown_check.setChecked(note_type.markdown)
            self.markdown_check.blockSignals(False)
            cloze = note_type.kind == NoteKind.CLOZE
            self.add_template_button.setEnabled(not cloze)
            self.remove_template_button.setEnabled(not cloze and len(note_type.templates) > 1)
        self.template_combo.blockSignals(False)
        self._template_chosen(self.template_combo.currentIndex())

    def _changed(self, changed: NoteType | None, template: int | None = None) -> None:
        if changed is None:
            return
        keep = self.template_combo.currentIndex() if template is None else template
        self.reload(select=changed.id)
        if self._note_type is not None and keep >= 0:
            self._show_type(self._note_type, keep)

    @Slot()
    def add_type(self) -> None:
        chosen = NameDialog.ask_stock(self, self._vm.stock_names())
        if chosen is not None:
            self._changed(self._vm.add_stock(*chosen))

    @Slot()
    def clone_type(self) -> None:
        current = self._note_type
        if current is None:
            return
        name = NameDialog.ask(
            self,
            self.tr("Clone note type"),
            self.tr("Name of the copy"),
            self.tr("%1 copy").replace("%1", current.name),
        )
        if name is not None:
            self._changed(self._vm.clone(current.id, name))

    @Slot()
    def rename_type(self) -> None:
        current = self._note_type
        if current is None:
            return
        name = NameDialog.ask(self, self.tr("Rename note type"), self.tr("New name"), current.name)
        if name is not None:
            self._changed(self._vm.rename(current.id, name))

    @Slot()
    def delete_type(self) -> None:
        current = self._note_type
        if current is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete note type"),
            self.tr("Delete the note type “%1”?").replace("%1", current.name),
        )
        if answer == QMessageBox.StandardButton.Yes and self._vm.delete(current.id):
            self._note_type = None
            self.reload()

    # Fields.

    def _field_row(self) -> int:
        return self.field_list.currentRow()

    @Slot()
    def add_field(self) -> None:
        current = self._note_type
        if current is None:
            return
        name = NameDialog.ask(self, self.tr("Add field"), self.tr("Field name"))
        if name is not None:
            self._changed(self._vm.add_field(current.id, name))
            self.field_list.setCurrentRow(self.field_list.count() - 1)

    @Slot()
    def rename_field(self) -> None:
        current, row = self._note_type, self._field_row()
        if current is None or row < 0:
            return
        name = NameDialog.ask(
            self, self.tr("Rename field"), self.tr("New name"), current.fields[row]
        )
        if name is not None:
            self._changed(self._vm.rename_field(current.id, row, name))
            self.field_list.setCurrentRow(row)

    def move_field(self, step: int) -> None:
        current, row = self._note_type, self._field_row()
        if current is None or row < 0 or not 0 <= row + step < len(current.fields):
            return
        self._changed(self._vm.move_field(current.id, row, row + step))
        self.field_list.setCurrentRow(row + step)

    @Slot()
    def remove_field(self) -> None:
        current, row = self._note_type, self._field_row()
        if current is None or row < 0:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove field"),
            self.tr("Remove the field “%1” and its contents from every note of this type?").replace(
                "%1", current.fields[row]
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._changed(self._vm.remove_field(current.id, row))

    @Slot()
    def sort_by_field(self) -> None:
        current, row = self._note_type, self._field_row()
        if current is not None and row >= 0:
            self._changed(self._vm.set_sort_field(current.id, row))
            self.field_list.setCurrentRow(row)

    @Slot(bool)
    def _markdown_toggled(self, checked: bool) -> None:
        current = self._note_type
        if current is not None:
            self._changed(self._vm.set_markdown(current.id, checked))

    # Card templates.

    @Slot(int)
    def _template_chosen(self, index: int) -> None:
        current = self._note_type
        template = (
            current.templates[index]
            if current is not None and 0 <= index < len(current.templates)
            else None
        )
        for edit, text in (
            (self.front_edit, template.front if template else ""),
            (self.back_edit, template.back if template else ""),
            (self.css_edit, current.css if current else ""),
        ):
            edit.blockSignals(True)
            edit.setPlainText(text)
            edit.blockSignals(False)
        self.rename_template_button.setEnabled(template is not None)
        self.save_template_button.setEnabled(False)
        self.refresh_preview()

    @Slot()
    def _template_edited(self) -> None:
        self.save_template_button.setEnabled(self._note_type is not None)
        self._preview_timer.start()

    @Slot(int)
    def _preview_side_follows(self, tab: int) -> None:
        """Editing the back shows the answer side; the front shows the question."""
        if tab in (0, 1):
            self.answer_check.setChecked(tab == 1)

    def edited_type(self) -> NoteType | None:
        """The selected note type with the template and styling as typed (unsaved)."""
        current, index = self._note_type, self.template_combo.currentIndex()
        if current is None or not 0 <= index < len(current.templates):
            return None
        templates = tuple(
            replace(t, front=self.front_edit.toPlainText(), back=self.back_edit.toPlainText())
            if i == index
            else t
            for i, t in enumerate(current.templates)
        )
        return replace(current, templates=templates, css=self.css_edit.toPlainText())

    @Slot()
    def refresh_preview(self) -> None:
        """Render the template as typed, and list its mistakes."""
        self._preview_timer.stop()
        edited, index = self.edited_type(), self.template_combo.currentIndex()
        if edited is None:
            self.preview.show_card("", "", 12)
            self.problems_label.clear()
            return
        problems = self._vm.problems(
            edited, index, self.front_edit.toPlainText(), self.back_edit.toPlainText()
        )
        self.problems_label.setText("\n".join(problems))
        preview = self._vm.preview(edited, index)
        if preview is not None:
            body = preview.answer_html if self.answer_check.isChecked() else preview.question_html
            self.preview.show_card(body, preview.css, max(self.font().pointSize(), 11))

    @Slot()
    def save_template(self) -> None:
        current, index = self._note_type, self.template_combo.currentIndex()
        if current is None or index < 0:
            return
        changed = self._vm.save_template(
            current.id,
            index,
            self.front_edit.toPlainText(),
            self.back_edit.toPlainText(),
            self.css_edit.toPlainText(),
        )
        if changed is not None:
            self._changed(changed, index)

    @Slot()
    def add_template(self) -> None:
        current = self._note_type
        if current is None:
            return
        default = self.tr("Card %1").replace("%1", str(len(current.templates) + 1))
        name = NameDialog.ask(self, self.tr("Add card type"), self.tr("Name"), default)
        if name is not None:
            self._changed(self._vm.add_template(current.id, name), len(current.templates))

    @Slot()
    def rename_template(self) -> None:
        current, index = self._note_type, self.template_combo.currentIndex()
        if current is None or index < 0:
            return
        name = NameDialog.ask(
            self, self.tr("Rename card type"), self.tr("New name"), current.templates[index].name
        )
        if name is not None:
            self._changed(self._vm.rename_template(current.id, index, name), index)

    @Slot()
    def remove_template(self) -> None:
        current, index = self._note_type, self.template_combo.currentIndex()
        if current is None or index < 0:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove card type"),
            self.tr("Remove “%1” and delete every card made from it?").replace(
                "%1", current.templates[index].name
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._changed(self._vm.remove_template(current.id, index), 0)

    # Messages.

    @Slot(str)
    def _show_error(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Note types"), message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
