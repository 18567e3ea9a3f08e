"""The study session as a QObject: which card is showing, grading it, undo, waiting and the end."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot

from studyapp.domain.cards import Rating
from studyapp.domain.clock import Clock
from studyapp.errors import NothingToUndoError, StudyAppError
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
    undo_changed(str) (what Undo would undo, "" when nothing) and undone(UndoOutcome).
    """

    card_shown = Signal(object)
    answer_revealed = Signal(object)
    counts_changed = Signal(object)
    waiting = Signal(object)
    session_finished = Signal(object)
    error = Signal(str)
    undo_changed = Signal(str)
    undone = Signal(object)

    def __init__(
        self,
        study: StudyService,
        undo: UndoService,
        clock: Clock,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
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
            self._study.answer(card.card_id, Rating(rating), time_taken_ms)
        except StudyAppError as exc:
            self.error.emit(str(exc))
            return
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
    def recheck(self) -> None:
        """Look for a card again (the wait timer calls this when a learning card falls due)."""
        if self._deck_id is not None and self._card is None:
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
