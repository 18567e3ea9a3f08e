"""What the reviewer adds to a card's HTML: the type-in answer box and its comparison, and hints
that open when clicked.

A card whose question has `{{type:...}}` gets a line edit under it (Enter shows the answer); the
answer side then shows the typed text compared with the correct one, character by character.
Hints (`{{hint:...}}`) show as "Show hint" links; clicking one shows that hint (no scripts run:
the card is rendered again with it open).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtWidgets import QLineEdit, QTextBrowser, QWidget

from studyapp.domain.templates import hide_hints, hint_number
from studyapp.domain.typed_answer import show_typed_answer

if TYPE_CHECKING:
    from studyapp.services.study import StudyCard


class CardExtras(QLineEdit):
    """The type-in box (hidden for cards without one), and the open hints of the card shown.

    Signals: submitted() when Enter is pressed in the box; hint_opened() when a hint link was
    clicked and the card should be rendered again.
    """

    submitted = Signal()
    hint_opened = Signal()

    def __init__(self, browser: QTextBrowser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._card: StudyCard | None = None
        self._open_hints: set[int] = set()
        self.setObjectName("typeAnswer")
        self.setAccessibleName(self.tr("Type the answer"))
        self.setPlaceholderText(self.tr("Type the answer, then press Enter"))
        self.hide()
        self.returnPressed.connect(self.submitted)
        browser.anchorClicked.connect(self._on_anchor)

    @property
    def wants_typing(self) -> bool:
        """The card on screen asks for a typed answer (the box should get focus)."""
        return self._card is not None and self._card.type_answer is not None

    def card_shown(self, card: StudyCard) -> None:
        """A new card: empty box (shown only if the card has a type-in), all hints closed."""
        self._card = card
        self._open_hints.clear()
        self.clear()
        self.setVisible(card.type_answer is not None)

    def answer_revealed(self) -> None:
        self.hide()

    def decorate(self, body: str, revealed: bool) -> str:
        """`body` (sanitized card HTML) with the comparison on the answer side and hints folded."""
        card = self._card
        if revealed and card is not None and card.type_answer is not None:
            body = show_typed_answer(body, self.text(), card.type_answer)
        return hide_hints(body, self._open_hints, self.tr("Show hint"))

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        number = hint_number(url.fragment()) if not url.scheme() else None
        if number is not None:
            self._open_hints.add(number)
            self.hint_opened.emit()
