"""Custom study…: the deck list's study options before an exam, and the filtered-deck dialog."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.decks import DeckFilter
from studyapp.domain.filtered import MAX_FILTER_LIMIT, FilterOrder
from studyapp.services.custom_study import MAX_AHEAD_DAYS, MAX_EXTRA

if TYPE_CHECKING:
    from studyapp.services.custom_study import CustomStudyInfo


class CustomStudyKind(Enum):
    FORGOTTEN = "forgotten"
    AHEAD = "ahead"
    MORE_NEW = "more new"
    MORE_REVIEWS = "more reviews"
    CRAM_DECK = "cram deck"
    CRAM_TAG = "cram tag"


@dataclass(frozen=True, slots=True)
class CustomStudyChoice:
    kind: CustomStudyKind
    amount: int = 0
    tag: str | None = None


class CustomStudyDialog(QDialog):
    """One option, with its number or tag; OK builds it."""

    def __init__(self, info: CustomStudyInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Custom study: %1").replace("%1", info.deck_name))
        self.setMinimumWidth(500)
        self.group = QButtonGroup(self)
        grid = QGridLayout()
        self.options: dict[CustomStudyKind, QRadioButton] = {}
        self.amounts: dict[CustomStudyKind, QSpinBox] = {}

        def option(kind: CustomStudyKind, text: str, row: int, tip: str) -> QRadioButton:
            button = QRadioButton(text, self)
            button.setToolTip(tip)
            self.group.addButton(button)
            self.options[kind] = button
            grid.addWidget(button, row, 0)
            return button

        def amount(kind: CustomStudyKind, row: int, top: int, value: int, suffix: str) -> None:
            box = QSpinBox(self)
            box.setRange(1, top)
            box.setValue(value)
            box.setSuffix(suffix)
            box.setAccessibleName(self.options[kind].text().replace("&", ""))
            self.amounts[kind] = box
            grid.addWidget(box, row, 1)

        forgotten = option(
            CustomStudyKind.FORGOTTEN,
            self.tr("Review cards &forgotten today (%1)").replace("%1", str(info.forgotten_today)),
            0,
            self.tr("Go over today's Again answers once more"),
        )
        forgotten.setEnabled(info.forgotten_today > 0)
        option(
            CustomStudyKind.AHEAD,
            self.tr("Study &ahead by"),
            1,
            self.tr("Review cards due in the next days now"),
        )
        amount(CustomStudyKind.AHEAD, 1, MAX_AHEAD_DAYS, 3, self.tr(" days"))
        option(
            CustomStudyKind.MORE_NEW,
            self.tr("Raise today's &new card limit by"),
            2,
            self.tr("Today's limit is %1 new cards").replace(
                "%1", str(info.new_per_day + info.extra_new)
            ),
        )
        amount(CustomStudyKind.MORE_NEW, 2, MAX_EXTRA, 10, self.tr(" cards"))
        option(
            CustomStudyKind.MORE_REVIEWS,
            self.tr("Raise today's &review limit by"),
            3,
            self.tr("Today's limit is %1 reviews").replace(
                "%1", str(info.reviews_per_day + info.extra_review)
            ),
        )
        amount(CustomStudyKind.MORE_REVIEWS, 3, MAX_EXTRA, 50, self.tr(" reviews"))
        option(
            CustomStudyKind.CRAM_DECK,
            self.tr("&Cram this deck"),
            4,
            self.tr("Every card of the deck in random order; schedules stay as they are"),
        )
        cram_tag = option(
            CustomStudyKind.CRAM_TAG,
            self.tr("Cram the &tag"),
            5,
            self.tr("Every card with the tag in random order; schedules stay as they are"),
        )
        self.tag_box = QComboBox(self)
        self.tag_box.setAccessibleName(self.tr("Tag to cram"))
        self.tag_box.addItems(list(info.tags))
        grid.addWidget(self.tag_box, 5, 1)
        cram_tag.setEnabled(bool(info.tags))
        self.tag_box.setEnabled(bool(info.tags))
        note = QLabel(
            self.tr(
                "Forgotten cards, studying ahead and cramming gather cards into the filtered deck "
                "“Custom study session”; they return home when it is emptied or deleted."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setObjectName("hint")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        first = forgotten if forgotten.isEnabled() else self.options[CustomStudyKind.AHEAD]
        first.setChecked(True)
        self.group.buttonToggled.connect(self._follow)
        self._follow()

    @Slot()
    def _follow(self) -> None:
        for kind, box in self.amounts.items():
            box.setEnabled(self.options[kind].isChecked())

    def choice(self) -> CustomStudyChoice:
        kind = next(k for k, button in self.options.items() if button.isChecked())
        box = self.amounts.get(kind)
        tag = self.tag_box.currentText() if kind is CustomStudyKind.CRAM_TAG else None
        return CustomStudyChoice(kind, box.value() if box is not None else 0, tag)

    @classmethod
    def ask(cls, parent: QWidget | None, info: CustomStudyInfo) -> CustomStudyChoice | None:
        dialog = cls(info, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()


class FilteredDeckDialog(QDialog):
    """Tools ▸ Create filtered deck…: a name, a search, a limit, an order, rescheduling."""

    def __init__(self, parent: QWidget | None = None, search: str = "is:due") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Create filtered deck"))
        self.setMinimumWidth(480)
        self.name = QLineEdit(self.tr("Filtered deck 1"), self)
        self.search = QLineEdit(search, self)
        self.search.setToolTip(self.tr('As in the browser: deck:"EMT" tag:cardio is:due …'))
        self.limit = QSpinBox(self)
        self.limit.setRange(1, MAX_FILTER_LIMIT)
        self.limit.setValue(100)
        self.limit.setSuffix(self.tr(" cards"))
        self.order = QComboBox(self)
        for order, text in (
            (FilterOrder.RANDOM, self.tr("Random")),
            (FilterOrder.DUE, self.tr("Due date, earliest first")),
            (FilterOrder.ADDED, self.tr("Order added")),
            (FilterOrder.RETRIEVABILITY, self.tr("Most forgotten first (retrievability)")),
        ):
            self.order.addItem(text, int(order))
        self.reschedule = QCheckBox(self.tr("&Reschedule cards based on my answers"), self)
        self.reschedule.setChecked(True)
        self.reschedule.setToolTip(self.tr("Off: cram without changing any schedule"))
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Search:"), self.search)
        form.addRow(self.tr("&Limit to:"), self.limit)
        form.addRow(self.tr("&Order:"), self.order)
        form.addRow("", self.reschedule)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Build"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def value(self) -> tuple[str, DeckFilter]:
        deck_filter = DeckFilter(
            self.search.text().strip(),
            self.limit.value(),
            int(self.order.currentData()),
            self.reschedule.isChecked(),
        )
        return self.name.text().strip(), deck_filter

    @classmethod
    def ask(cls, parent: QWidget | None, search: str = "is:due") -> tuple[str, DeckFilter] | None:
        dialog = cls(parent, search)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value()
