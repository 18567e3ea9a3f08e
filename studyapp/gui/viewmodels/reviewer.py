"""The study session as a QObject: which card is showing, grading it, undo, waiting and the end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot

from studyapp.domain.cards import Rating
from studyapp.domain.clock import Clock
from studyapp.errors import NothingToUndoError, StudyAppError

if TYPE_CHECKING:
    from studyapp.services.card_actions import CardActionService, CardStatus
    from studyapp.services.study import StudyCard, StudyService
    from studyapp.services.undo import UndoService

RECHECK_MARGIN_MS = 500
"""Wait this much past a learning card's due time, so the service surely finds it due."""
LONGEST_WAIT_MS = 10 * 60 * 1000
"""Look again at least this often while waiting, in case the clock jumped (sleep, time zones)."""


class ReviewerViewModel(QObject):
    """Drives one study session over a deck.

    Signals carry domain values: card_shown(StudyCard), answer_revealed(StudyCard),
    counts_changed(QueueCounts), waiting(datetime), session_finished(SessionSummary), error(str),
    undo_changed(str) (what Undo would undo, "" when nothing) and undone(UndoOutcome);
    redo_changed(str) and redone(UndoOutcome) likewise for Redo; status_changed(CardStatus | None)
    (the flag and mark of the card on screen) and acted(str) (what a card action did).
    """

    card_shown = Signal(object)
    answer_revealed = Signal(object)
    counts_changed = Signal(object)
    waiting = Signal(object)
    session_finished = Signal(object)
    error = Signal(str)
    undo_changed = Signal(str)
    undone = Signal(object)
    redo_changed = Signal(str)
    redone = Signal(object)
    status_changed = Signal(object)
    acted = Signal(str)

    def __init__(
        self,
        study: StudyService,
        undo: UndoService,
        clock: Clock,
        parent: QObject | None = None,
        *,
        actions: CardActionService,
    ) -> None:
        super().__init__(parent)
        self._actions = actions
        self._status: CardStatus | None = None
        self._study = study
        self._undo = undo
        self._clock = clock
        self._deck_id: int | None = None
        self._since: datetime | None = None
        self._card: StudyCard | None = None
        self._shown_at: datetime | None = None
        self._revealed = False
        self._wait_timer = QTimer(self)
        self._wait_timer.setSingleShot(True)
        self._wait_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._wait_timer.timeout.connect(self.recheck)

    # State, for views and tests.

    @property
    def deck_id(self) -> int | None:
        return self._deck_id

    @property
    def card(self) -> StudyCard | None:
        """The card on screen, or None while waiting, finished or idle."""
        return self._card

    @property
    def revealed(self) -> bool:
        return self._revealed

    @property
    def wait_timer(self) -> QTimer:
        """Fires when the next learning card is due (exposed for tests)."""
        return self._wait_timer

    def undo_label(self) -> str | None:
        return self._undo.label()

    def redo_label(self) -> str | None:
        return self._undo.redo_label()

    @property
    def status(self) -> CardStatus | None:
        """The flag and mark of the card on screen, or None with no card."""
        return self._status

    # Commands.

    @Slot(int)
    def start(self, deck_id: int) -> None:
        """Begin a session on `deck_id` (subdecks included) and show its first card."""
        self._deck_id = deck_id
        self._since = self._clock.now()
        self._advance()
        self._announce_undo()

    @Slot()
    def stop(self) -> None:
        """Leave the session (back to the deck list); nothing is lost, answers are already saved."""
        self._wait_timer.stop()
        self._deck_id = None
        self._card = None
        self._revealed = False

    @Slot()
    def reveal_answer(self) -> None:
        if self._card is None or self._revealed:
            return
        self._revealed = True
        self.answer_revealed.emit(self._card)

    @Slot(int)
    def rate(self, rating: int) -> None:
        """Grade the card on screen; ignored until its answer is shown."""
        card, shown_at = self._card, self._shown_at
        if card is None or shown_at is None or not self._revealed:
            return
        taken = self._clock.now() - shown_at
        time_taken_ms = max(0, int(taken / timedelta(milliseconds=1)))
        try:
            result = self._study.answer(card.card_id, Rating(rating), time_taken_ms)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return
        if result.leech:
            self.acted.emit(
                QCoreApplication.translate(
                    "ReviewerViewModel",
                    "Suspended a leech: this card keeps being forgotten (tagged “leech”)."
                    if result.suspended
                    else "This card keeps being forgotten: tagged “leech”. Consider rewording it.",
                )
            )
        # The answer is saved; only now look for the next card.
        self._announce_undo()
        self._advance()

    @Slot()
    def undo(self) -> None:
        """Undo the latest action; in a session the undone card comes back (state restored)."""
        try:
            outcome = self._undo.undo()
        except NothingToUndoError:
            self.error.emit(
                QCoreApplication.translate("ReviewerViewModel", "There is nothing to undo.")
            )
            return
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return
        self._announce_undo()
        self.undone.emit(outcome)
        if self._deck_id is not None:
            self._advance()

    @Slot()
    def redo(self) -> None:
        """Redo the latest undone action, and look for the card to show again."""
        try:
            outcome = self._undo.redo()
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return
        self._announce_undo()
        self.redone.emit(outcome)
        if self._deck_id is not None:
            self._advance()

    # Card actions (the card on screen).

    @Slot()
    def bury_card(self) -> None:
        self._act(self._actions.bury_card, "Card buried.", "")

    @Slot()
    def bury_note(self) -> None:
        self._act(self._actions.bury_note, "Note buried.", "Note buried: %n cards.")

    @Slot()
    def suspend_card(self) -> None:
        self._act(self._actions.suspend_card, "Card suspended.", "")

    @Slot()
    def suspend_note(self) -> None:
        self._act(self._actions.suspend_note, "Note suspended.", "Note suspended: %n cards.")

    @Slot()
    def delete_note(self) -> None:
        """Delete the note on screen with all its cards (the view asks first)."""
        self._act(self._actions.delete_note, "Note deleted.", "Note deleted with its %n cards.")

    @Slot(int)
    def toggle_flag(self, flag: int) -> None:
        """Give the card this flag, or take it off if the card has it already."""
        status = self._status
        if status is None:
            return
        chosen = 0 if status.flag == flag else flag
        self._mark(lambda card_id: self._actions.set_flag(card_id, chosen))

    @Slot()
    def toggle_mark(self) -> None:
        self._mark(self._actions.toggle_mark)

    @Slot()
    def recheck(self) -> None:
        """Look for a card again (the wait timer calls this when a learning card falls due)."""
        if self._deck_id is not None and self._card is None:
            self._advance()

    @Slot()
    def show_again(self) -> None:
        """Show the card on screen again as the collection now has it (its note was edited)."""
        if self._card is not None:
            self._announce_undo()
            self._advance()

    @Slot()
    def refresh_undo(self) -> None:
        self._announce_undo()

    # Internals.

    def _advance(self) -> None:
        deck_id = self._deck_id
        if deck_id is None:
            return
        self._wait_timer.stop()
        self._card = None
        self._revealed = False
        try:
            step = self._study.next_step(deck_id)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return
        self.counts_changed.emit(step.counts)
        self._show_status(None if step.card is None else step.card.card_id)
        if step.card is not None:
            self._card = step.card
            self._shown_at = self._clock.now()
            self.card_shown.emit(step.card)
        elif step.next_due is not None:
            self._wait_until(step.next_due)
            self.waiting.emit(step.next_due)
        else:
            since = self._since if self._since is not None else self._clock.now()
            try:
                summary = self._study.session_summary(deck_id, since)
            except StudyAppError as exc:
                self.error.emit(str(exc))
                return
            self.session_finished.emit(summary)

    def _wait_until(self, due: datetime) -> None:
        remaining_ms = int((due - self._clock.now()) / timedelta(milliseconds=1))
        delay = min(max(remaining_ms, 0) + RECHECK_MARGIN_MS, LONGEST_WAIT_MS)
        self._wait_timer.start(delay)

    def _announce_undo(self) -> None:
        label = self._undo.label()
        self.undo_changed.emit(label or "")
        self.redo_changed.emit(self._undo.redo_label() or "")

    def _act(self, action: Callable[[int], int], one: str, many: str) -> None:
        """Run a card action that takes the card away, then show the next card."""
        card = self._card
        if card is None:
            return
        try:
            count = action(card.card_id)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return
        text = many if count > 1 and many else one
        self.acted.emit(QCoreApplication.translate("ReviewerViewModel", text, "", count))
        self._announce_undo()
        self._advance()

    def _mark(self, action: Callable[[int], CardStatus]) -> None:
        """Run a card action that leaves the card on screen (flag, mark)."""
        card = self._card
        if card is None:
            return
        try:
            self._status = action(card.card_id)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return
        self._announce_undo()
        self.status_changed.emit(self._status)

    def _show_status(self, card_id: int | None) -> None:
        """Look up the flag and mark of the card about to show (None: no card)."""
        try:
            self._status = None if card_id is None else self._actions.status(card_id)
        except StudyAppError as exc:
            self._status = None
            self.error.emit(str(exc))
        self.status_changed.emit(self._status)
