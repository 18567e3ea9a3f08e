"""Reviewing the drafts made from a document: keep, edit or reject each, choose the deck, add."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui.viewmodels.generation import (
    ACCEPT_COLUMN,
    BACK_COLUMN,
    FRONT_COLUMN,
    KIND_COLUMN,
    DraftTableModel,
    default_deck_name,
    kind_label,
)
from studyapp.gui.widgets.soft_selection import SoftSelectionDelegate, soft_highlight
from studyapp.gui.widgets.source_pane import SourcePane

if TYPE_CHECKING:
    from studyapp.services.generation import DraftCard, GeneratedDocument


@dataclass(frozen=True)
class DraftChoice:
    """What the user decided: the accepted (possibly edited) drafts and the deck's name."""

    cards: tuple[DraftCard, ...]
    deck: str


class DraftReviewDialog(QDialog):
    """Lists a document's drafts; the selected one shows its sentence in the document and can be
    edited below the list (or in its cells)."""

    def __init__(
        self, document: GeneratedDocument, deck_names: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._updating = False
        title = self.tr("New deck from %1").replace("%1", document.name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(940, 720)
        self.model = DraftTableModel(self)
        self.model.set_drafts(document.cards)
        self._build(deck_names)
        self.model.accepted_changed.connect(self._update_add_button)
        self.model.dataChanged.connect(self._on_data_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        if self.model.rowCount() > 0:
            self.table.selectRow(0)
        else:
            self._on_current_row(QModelIndex())
        self._update_add_button()

    # Building.

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        return button

    def _build(self, deck_names: list[str]) -> None:
        count = len(self._document.cards)
        self.heading = QLabel(self)
        self.heading.setObjectName("draftHeading")
        self.heading.setWordWrap(True)
        self.heading.setText(
            self.tr(
                "%1 draft cards from <b>%2</b>. Uncheck the ones you do not want; select one to "
                "see its sentence in the document and to edit it."
            )
            .replace("%1", str(count))
            .replace("%2", html.escape(self._document.name))
            if count
            else self.tr("No cards could be made from <b>%1</b>.").replace(
                "%1", html.escape(self._document.name)
            )
        )
        self.heading.setAccessibleName(self.tr("Summary"))

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Draft cards"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setItemDelegate(SoftSelectionDelegate(self.table))
        self._tint_table()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ACCEPT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(KIND_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FRONT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BACK_COLUMN, QHeaderView.ResizeMode.Stretch)

        self.accept_all_button = self._button(
            self.tr("Accept all"), self.tr("Accept all drafts"), self.tr("Keep every draft")
        )
        self.reject_all_button = self._button(
            self.tr("Reject all"), self.tr("Reject all drafts"), self.tr("Keep no draft")
        )
        self.accept_all_button.clicked.connect(lambda: self.model.set_all_accepted(True))
        self.reject_all_button.clicked.connect(lambda: self.model.set_all_accepted(False))
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self.accept_all_button)
        table_buttons.addWidget(self.reject_all_button)
        table_buttons.addStretch(1)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(table_buttons)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.deck = QComboBox(self)
        self.deck.setEditable(True)
        self.deck.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.deck.addItems(deck_names)
        self.deck.setCurrentText(default_deck_name(self._document.name))
        self.deck.setAccessibleName(self.tr("Deck"))
        self.deck.setToolTip(self.tr("A new deck, or an existing one (A::B for a subdeck)"))
        self.deck.setMinimumWidth(260)
        self.deck.currentTextChanged.connect(self._update_add_button)
        deck_label = QLabel(self.tr("&Deck:"), self)
        deck_label.setBuddy(self.deck)
        self.add_button = self._button("", self.tr("Add the accepted cards"), "")
        self.add_button.setObjectName("addCards")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self._add)
        self.cancel_button = self._button(
            self.tr("Cancel"), self.tr("Cancel"), self.tr("Close without adding any card")
        )
        self.cancel_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(deck_label)
        bottom.addWidget(self.deck, 1)
        bottom.addSpacing(12)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.add_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

    def _build_detail(self) -> QWidget:
        detail = QWidget(self)
        self.keep = QCheckBox(self.tr("&Keep this card"), detail)
        self.keep.setAccessibleName(self.tr("Keep this card"))
        self.keep.toggled.connect(self._on_keep_toggled)
        self.kind = QLabel(detail)
        self.kind.setObjectName("draftKind")
        self.kind.setAccessibleName(self.tr("Kind of card"))
        self.front = QLineEdit(detail)
        self.front.setAccessibleName(self.tr("Front"))
        self.front.setPlaceholderText(self.tr("The question"))
        self.front.textEdited.connect(lambda text: self._edit(FRONT_COLUMN, text))
        self.back = QPlainTextEdit(detail)
        self.back.setAccessibleName(self.tr("Back"))
        self.back.setPlaceholderText(self.tr("The answer"))
        self.back.setTabChangesFocus(True)
        self.back.setFixedHeight(self.back.fontMetrics().lineSpacing() * 3 + 14)
        self.back.textChanged.connect(self._on_back_changed)
        self.source = SourcePane(detail)
        self.source.setMinimumHeight(120)

        keep_row = QHBoxLayout()
        keep_row.addWidget(self.keep)
        keep_row.addStretch(1)
        keep_row.addWidget(self.kind)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field in ((self.tr("&Front:"), self.front), (self.tr("&Back:"), self.back)):
            label = QLabel(text, detail)
            label.setBuddy(field)
            form.addRow(label, field)
        source_label = QLabel(self.tr("&Source sentence in the document:"), detail)
        source_label.setBuddy(self.source)
        layout = QVBoxLayout(detail)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(keep_row)
        layout.addLayout(form)
        layout.addWidget(source_label)
        layout.addWidget(self.source, 1)
        return detail

    def _tint_table(self) -> None:
        """The selected row gets the soft tint of the deck list, so its text stays readable."""
        palette = QPalette(self.table.palette())
        tint = soft_highlight(self.palette())
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, tint)
        self.table.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._tint_table()
        super().changeEvent(event)

    # The current draft.

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    @Slot(QModelIndex)
    def _on_current_row(self, index: QModelIndex) -> None:
        row = index.row() if index.isValid() else -1
        self._updating = True
        try:
            enabled = row >= 0
            for widget in (self.keep, self.front, self.back):
                widget.setEnabled(enabled)
            if not enabled:
                self.keep.setChecked(False)
                self.front.clear()
                self.back.clear()
                self.kind.clear()
                self.source.clear_source()
                return
            draft = self.model.draft(row)
            self.keep.setChecked(self.model.is_accepted(row))
            self.kind.setText(kind_label(draft.kind))
            self.front.setText(draft.front)
            self.back.setPlainText(draft.back)
            self.source.show_source(self._document.text, draft.source_start, draft.source_end)
        finally:
            self._updating = False

    @Slot(QModelIndex, QModelIndex)
    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        """Edits in the cells and Accept all / Reject all show in the editors below."""
        row = self.current_row()
        if self._updating or not top.row() <= row <= bottom.row():
            return
        draft = self.model.draft(row)
        self._updating = True
        try:
            self.keep.setChecked(self.model.is_accepted(row))
            if self.front.text().strip() != draft.front:
                self.front.setText(draft.front)
            if self.back.toPlainText().strip() != draft.back:
                self.back.setPlainText(draft.back)
        finally:
            self._updating = False

    def _edit(self, column: int, text: str) -> None:
        row = self.current_row()
        if self._updating or row < 0:
            return
        self._updating = True
        try:
            self.model.set_text(row, column, text)
        finally:
            self._updating = False

    @Slot()
    def _on_back_changed(self) -> None:
        self._edit(BACK_COLUMN, self.back.toPlainText())

    @Slot(bool)
    def _on_keep_toggled(self, keep: bool) -> None:
        row = self.current_row()
        if not self._updating and row >= 0:
            self.model.set_accepted(row, keep)

    # Adding.

    @Slot()
    def _update_add_button(self) -> None:
        count = self.model.accepted_count()
        text = self.tr("Add 1 card") if count == 1 else self.tr("Add %1 cards")
        self.add_button.setText(text.replace("%1", str(count)))
        deck = self.deck.currentText().strip()
        self.add_button.setEnabled(count > 0 and bool(deck))
        self.add_button.setToolTip(
            self.tr("Add the accepted cards to the deck “%1”").replace("%1", deck)
            if deck
            else self.tr("Type or choose a deck first")
        )

    def choice(self) -> DraftChoice:
        return DraftChoice(tuple(self.model.accepted_cards()), self.deck.currentText().strip())

    @Slot()
    def _add(self) -> None:
        if self.add_button.isEnabled():
            self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, document: GeneratedDocument, deck_names: list[str]
    ) -> DraftChoice | None:
        """Show the drafts; what to add, or None when the user adds nothing."""
        dialog = cls(document, deck_names, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.choice()
            return None
        finally:
            dialog.deleteLater()
