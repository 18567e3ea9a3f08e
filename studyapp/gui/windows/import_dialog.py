"""The import dialogs: choosing files, and the text preview with its column mapping."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui.viewmodels.importer import (
    MAPPING_ROW,
    ImportViewModel,
    PreviewTableModel,
    column_targets,
    fields_of,
    mapping_problem,
)
from studyapp.importers.text import TextImportOptions
from studyapp.services.imports import TextPreview

CUSTOM = "custom"
"""The separator chooser's item whose separator is typed in the line edit."""
REPREVIEW_DELAY_MS = 300


def name_buttons(box: QDialogButtonBox) -> None:
    for button in box.buttons():
        button.setAccessibleName(button.text().replace("&", ""))


class ImportFileChooser:
    """The file dialog, behind a seam tests replace."""

    @classmethod
    def ask(cls, parent: QWidget | None, filters: list[str]) -> list[Path]:
        """The files the user chose, or [] when they cancel."""
        title = QCoreApplication.translate("ImportFileChooser", "Import")
        names, _ = QFileDialog.getOpenFileNames(parent, title, "", ";;".join(filters))
        return [Path(name) for name in names]


class ImportPreviewDialog(QDialog):
    """Shows how a text file would be read; the user picks the separator, header, note type,
    deck, tags and what each column imports into. Changes that alter the reading re-run the
    preview through the view-model."""

    def __init__(
        self,
        view_model: ImportViewModel,
        path: Path,
        preview: TextPreview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._path = path
        self._updating = False
        self._waiting = False
        self._mapping_boxes: list[QComboBox] = []
        title = self.tr("Import %1").replace("%1", path.name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(760, 560)
        self.table_model = PreviewTableModel(self)
        self._build()
        self._repreview_timer = QTimer(self)
        self._repreview_timer.setSingleShot(True)
        self._repreview_timer.setInterval(REPREVIEW_DELAY_MS)
        self._repreview_timer.timeout.connect(self.refresh_preview)
        self.show_preview(preview)
        view_model.preview_changed.connect(self._on_preview_changed)
        view_model.preview_failed.connect(self._on_preview_failed)

    # Building.

    def _build(self) -> None:
        self.separator = QComboBox(self)
        for text, value in (
            (self.tr("Tab"), "\t"),
            (self.tr("Comma"), ","),
            (self.tr("Semicolon"), ";"),
            (self.tr("Pipe"), "|"),
            (self.tr("Custom…"), CUSTOM),
        ):
            self.separator.addItem(text, value)
        self.separator.setAccessibleName(self.tr("Field separator"))
        self.custom_separator = QLineEdit(self)
        self.custom_separator.setAccessibleName(self.tr("Custom field separator"))
        self.custom_separator.setPlaceholderText(self.tr("e.g. “ - ” for Quizlet"))
        self.custom_separator.setMaximumWidth(160)
        self.header = QCheckBox(self.tr("First row is a &header"), self)
        self.header.setAccessibleName(self.tr("First row is a header"))
        self.note_type = QComboBox(self)
        self.note_type.setAccessibleName(self.tr("Note type"))
        self.deck = QComboBox(self)
        self.deck.setEditable(True)
        self.deck.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.deck.setAccessibleName(self.tr("Deck"))
        deck_edit = self.deck.lineEdit()
        if deck_edit is not None:
            deck_edit.setAccessibleName(self.tr("Deck name"))
        self.deck.setToolTip(self.tr("An existing deck, or type a new name (A::B for a subdeck)"))
        self.tags = QLineEdit(self)
        self.tags.setAccessibleName(self.tr("Tags for every note"))
        self.tags.setPlaceholderText(self.tr("Tags added to every note, separated by spaces"))

        separator_row = QHBoxLayout()
        separator_row.addWidget(self.separator)
        separator_row.addWidget(self.custom_separator)
        separator_row.addStretch(1)
        separator_row.addWidget(self.header)
        form = QFormLayout()
        for text, field in (
            (self.tr("&Separator:"), separator_row),
            (self.tr("&Note type:"), self.note_type),
            (self.tr("&Deck:"), self.deck),
            (self.tr("&Tags:"), self.tags),
        ):
            label = QLabel(text, self)
            label.setBuddy(self.separator if isinstance(field, QHBoxLayout) else field)
            form.addRow(label, field)

        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.table.setAccessibleName(self.tr("Preview of the first rows"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        for corner in self.table.findChildren(QAbstractButton):
            corner.setAccessibleName(self.tr("Table corner"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setMinimumSectionSize(110)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table_label = QLabel(self.tr("&Columns — choose what each one imports into:"), self)
        table_label.setBuddy(self.table)

        self.bad_rows_frame = QFrame(self)
        self.bad_rows_frame.setObjectName("badRows")
        self.bad_rows_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.bad_rows_label = QLabel(self.bad_rows_frame)
        self.bad_rows_label.setWordWrap(True)
        self.bad_rows_list = QPlainTextEdit(self.bad_rows_frame)
        self.bad_rows_list.setReadOnly(True)
        self.bad_rows_list.setAccessibleName(self.tr("Rows that cannot be imported"))
        self.bad_rows_list.setMaximumHeight(72)
        self.import_nothing = QRadioButton(self.tr("Import &nothing"), self.bad_rows_frame)
        self.import_nothing.setAccessibleName(self.tr("Import nothing"))
        self.skip_bad_rows = QRadioButton(
            self.tr("S&kip the bad rows and import the others"), self.bad_rows_frame
        )
        self.skip_bad_rows.setAccessibleName(self.tr("Skip the bad rows"))
        self.import_nothing.setChecked(True)
        self._choice = QButtonGroup(self)
        self._choice.addButton(self.import_nothing)
        self._choice.addButton(self.skip_bad_rows)
        bad = QGridLayout(self.bad_rows_frame)
        bad.addWidget(self.bad_rows_label, 0, 0, 1, 2)
        bad.addWidget(self.bad_rows_list, 1, 0, 1, 2)
        bad.addWidget(self.import_nothing, 2, 0)
        bad.addWidget(self.skip_bad_rows, 2, 1)
        bad.setColumnStretch(1, 1)

        self.problem = QLabel(self)
        self.problem.setObjectName("importProblem")
        self.problem.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button: QPushButton = self.buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setDefault(True)
        name_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(4)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.bad_rows_frame)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.separator.currentIndexChanged.connect(self._on_separator_chosen)
        self.custom_separator.textEdited.connect(self._on_custom_edited)
        self.header.toggled.connect(self._on_reading_changed)
        self.note_type.currentIndexChanged.connect(self._on_reading_changed)
        self.import_nothing.toggled.connect(self._update_state)

    # Showing a preview.

    def show_preview(self, preview: TextPreview) -> None:
        """Put `preview` on screen: choosers, table, column mapping and bad rows."""
        self._updating = True
        try:
            known = self.separator.findData(preview.separator)
            if known >= 0:
                self.separator.setCurrentIndex(known)
            else:
                self.separator.setCurrentIndex(self.separator.findData(CUSTOM))
                if self.custom_separator.text() != preview.separator:
                    self.custom_separator.setText(preview.separator)
            self.custom_separator.setEnabled(self.separator.currentData() == CUSTOM)
            self.header.setChecked(preview.has_header)
            self.note_type.clear()
            for name, _fields in preview.note_types:
                self.note_type.addItem(name)
            self.note_type.setCurrentIndex(max(0, self.note_type.findText(preview.note_type)))
            self.deck.clear()
            self.deck.addItems(list(preview.decks))
            self.deck.setCurrentText(preview.deck)
            self.table_model.set_preview(preview)
            self._build_mapping(preview)
            self._show_bad_rows(preview.bad_rows)
        finally:
            self._updating = False
        self._update_state()

    def _build_mapping(self, preview: TextPreview) -> None:
        self._mapping_boxes = []
        choices = column_targets(preview, preview.note_type)
        mapping = self.table_model.mapping
        for column in range(preview.columns):
            box = QComboBox(self.table)
            for label, value in choices:
                box.addItem(label, value)
            box.setAccessibleName(self.tr("Column %1 imports into").replace("%1", str(column + 1)))
            if column < len(mapping):
                box.setCurrentIndex(max(0, box.findData(mapping[column])))
                box.currentIndexChanged.connect(self._on_target_chosen)
            else:  # only bad rows have this column
                box.setCurrentIndex(box.findData(None))
                box.setEnabled(False)
                box.setToolTip(self.tr("Only rows that cannot be imported have this column."))
            self.table.setIndexWidget(self.table_model.index(MAPPING_ROW, column), box)
            self._mapping_boxes.append(box)
        height = max([b.sizeHint().height() for b in self._mapping_boxes] or [24]) + 4
        self.table.verticalHeader().resizeSection(MAPPING_ROW, height)
        header = self.table.horizontalHeader()
        width = max(140, (self.table.viewport().width() - 4) // max(1, preview.columns))
        for column in range(preview.columns):
            header.resizeSection(column, width)

    def _show_bad_rows(self, bad_rows: tuple[str, ...]) -> None:
        self.bad_rows_frame.setVisible(bool(bad_rows))
        if not bad_rows:
            return
        self.bad_rows_label.setText(
            self.tr("⚠ %1 rows of this file cannot be imported as they are:").replace(
                "%1", str(len(bad_rows))
            )
            if len(bad_rows) != 1
            else self.tr("⚠ One row of this file cannot be imported as it is:")
        )
        self.bad_rows_list.setPlainText("\n".join(bad_rows))

    # Reacting to the user.

    @property
    def mapping_boxes(self) -> list[QComboBox]:
        return list(self._mapping_boxes)

    @Slot()
    def _on_separator_chosen(self) -> None:
        custom = self.separator.currentData() == CUSTOM
        self.custom_separator.setEnabled(custom)
        if self._updating:
            return
        if custom:
            self.custom_separator.setFocus()
            if not self.custom_separator.text():
                return
        self.refresh_preview()

    @Slot()
    def _on_custom_edited(self) -> None:
        if not self._updating:
            self._repreview_timer.start()

    @Slot()
    def _on_reading_changed(self) -> None:
        if not self._updating:
            self.refresh_preview()

    @Slot()
    def _on_target_chosen(self) -> None:
        for column, box in enumerate(self._mapping_boxes):
            if box.isEnabled():
                self.table_model.set_target(column, box.currentData())
        self._update_state()

    @Slot()
    def refresh_preview(self) -> None:
        """Read the file again with the choices as they are now (the mapping starts afresh);
        the answer arrives as the view-model's preview_changed or preview_failed."""
        self._repreview_timer.stop()
        options = self.options()
        self._waiting = True
        self.import_button.setEnabled(False)
        self.problem.setText(self.tr("Reading the file…"))
        self.problem.setVisible(True)
        self._vm.request_preview(self._path, TextImportOptions(
            separator=options.separator, has_header=options.has_header,
            note_type=options.note_type, deck=options.deck,
        ))  # fmt: skip

    @Slot(object)
    def _on_preview_changed(self, preview: object) -> None:
        if self._waiting and isinstance(preview, TextPreview):
            self._waiting = False
            self.show_preview(preview)

    @Slot(str)
    def _on_preview_failed(self, message: str) -> None:
        if not self._waiting:
            return
        self._waiting = False
        self.table_model.set_preview(None)
        self._mapping_boxes = []
        self._show_bad_rows(())
        self.problem.setText(message)
        self.problem.setVisible(True)
        self.import_button.setEnabled(False)

    @Slot()
    def _update_state(self) -> None:
        preview = self.table_model.preview
        if preview is None or self._waiting:
            return
        problem = mapping_problem(
            self.table_model.mapping, fields_of(preview, self.note_type.currentText())
        )
        if problem is None and preview.bad_rows and self.import_nothing.isChecked():
            problem = self.tr("Nothing will be imported unless you skip the bad rows.")
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
        self.import_button.setEnabled(problem is None)

    # The result.

    def options(self) -> TextImportOptions:
        """The import options as the dialog shows them now."""
        chosen = self.separator.currentData()
        separator = self.custom_separator.text() if chosen == CUSTOM else str(chosen)
        preview = self.table_model.preview
        return TextImportOptions(
            deck=self.deck.currentText().strip() or None,
            note_type=self.note_type.currentText() or None,
            separator=separator or None,
            has_header=self.header.isChecked(),
            columns=self.table_model.mapping if preview is not None else None,
            tags=tuple(self.tags.text().split()),
            skip_bad_rows=self.skip_bad_rows.isChecked(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, view_model: ImportViewModel, path: Path, preview: TextPreview
    ) -> TextImportOptions | None:
        """Show the dialog; the chosen options, or None when the user imports nothing."""
        dialog = cls(view_model, path, preview, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.options()
            return None
        finally:
            dialog.deleteLater()
