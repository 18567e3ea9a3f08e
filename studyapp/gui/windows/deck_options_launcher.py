"""The deck list's Options… action and gear button; the deck options dialog (and the preset and
exam services it uses) loads when it is first opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton, QWidget

if TYPE_CHECKING:
    from studyapp.gui.viewmodels.deck_options import DeckOptionsViewModel


class DeckOptionsLauncher(QObject):
    """The deck list's "Options…" action (context menu) and gear button."""

    def __init__(
        self,
        window: QWidget,
        view_model: DeckOptionsViewModel,
        deck_list: QWidget,
        selected_deck: Callable[[], int | None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.view_model = view_model
        self._selected = selected_deck
        self.action = QAction(self.tr("&Options…"), window)
        self.action.setToolTip(self.tr("Options of the selected deck: limits, retention, exam"))
        self.action.triggered.connect(self.open_options)
        deck_list.addAction(self.action)
        self.button = QToolButton(window)
        self.button.setText("⚙")
        self.button.setAccessibleName(self.tr("Deck options"))
        self.button.setToolTip(self.action.toolTip())
        self.button.clicked.connect(self.open_options)
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @Slot()
    def open_options(self) -> None:
        deck_id = self._selected()
        if deck_id is None:
            return
        from studyapp.gui.windows.deck_options import DeckOptionsDialog

        DeckOptionsDialog.ask(self._window, self.view_model, deck_id)
