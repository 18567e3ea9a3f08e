"""The reviewer page: the card, Show answer, the grades, the counts, waiting and the summary."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.domain.cards import Rating
from studyapp.domain.clock import Clock
from studyapp.domain.sounds import sound_files
from studyapp.gui import time_text
from studyapp.gui.viewmodels.generation import GenerationViewModel
from studyapp.gui.viewmodels.reviewer import ReviewerViewModel
from studyapp.gui.viewmodels.settings import SettingsViewModel
from studyapp.gui.viewmodels.statistics import StatisticsViewModel
from studyapp.gui.widgets.audio_player import AudioPlayer
from studyapp.gui.widgets.card_browser import CardBrowser
from studyapp.gui.widgets.card_extras import CardExtras
from studyapp.gui.widgets.card_marks import CardMarks
from studyapp.gui.widgets.queue_counter import QueueCounter
from studyapp.gui.windows.card_info_slot import CardInfoSlot
from studyapp.gui.windows.review_actions import ReviewActions
from studyapp.gui.windows.source_view import SourceButton
from studyapp.gui.windows.statistics_summary import streak_sentence

if TYPE_CHECKING:
    from studyapp.services.card_actions import CardStatus
    from studyapp.services.study import QueueCounts, SessionSummary, StudyCard

WAITING_REFRESH_MS = 15_000
"""How often the "(in 4 minutes)" on the waiting page is brought up to date."""


def is_text_entry(widget: QWidget | None) -> bool:
    """True for widgets that take typed characters, where single-key shortcuts must not fire."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return True
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox) and widget.isEditable()


class ReviewerWidget(QWidget):
    """Shows what the ReviewerViewModel says; emits back_requested for Escape and "Decks".

    Its Undo button shows `undo_action`, the window's Edit ▸ Undo."""

    back_requested = Signal()

    def __init__(
        self,
        reviewer: ReviewerViewModel,
        settings: SettingsViewModel,
        clock: Clock,
        media_dir: Path,
        undo_action: QAction,
        parent: QWidget | None = None,
        generation: GenerationViewModel | None = None,
        statistics: StatisticsViewModel | None = None,
    ) -> None:
        super().__init__(parent)
        self._statistics = statistics
        self.card_info = CardInfoSlot(self)
        self._vm = reviewer
        self._generation = generation
        self._settings = settings
        self._clock = clock
        self._card: StudyCard | None = None
        self._next_due: datetime | None = None
        self._media_dir = media_dir
        self._footer: str | None = None
        self.setObjectName("reviewer")

        self.undo_action = undo_action
        self.audio = AudioPlayer(media_dir, self)
        self.info_action = QAction(self.tr("&Info"), self)
        self.info_action.setToolTip(
            self.tr("This card's details, history and forgetting curve (I)")
        )
        self.info_action.setEnabled(False)
        self.info_action.setVisible(statistics is not None)
        self.info_action.triggered.connect(self.show_card_info)

        self._build()
        self._connect()
        self._waiting_refresh = QTimer(self)
        self._waiting_refresh.setInterval(WAITING_REFRESH_MS)
        self._waiting_refresh.timeout.connect(self._show_waiting_text)

    # Building.

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        return button

    def _build(self) -> None:
        self.decks_button = self._button(
            self.tr("Decks"),
            self.tr("Back to the deck list"),
            self.tr("Back to the deck list (Esc)"),
        )
        self.counter = QueueCounter(self)
        self.undo_button = QToolButton(self)
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.setAccessibleName(self.tr("Undo"))
        top = QHBoxLayout()
        top.addWidget(self.decks_button)
        self.marks = CardMarks(self)
        top.addWidget(self.marks)
        top.addStretch(1)
        top.addWidget(self.counter)
        top.addStretch(1)
        self.source_button = SourceButton(self._generation, self)
        top.addWidget(self.source_button)
        self.info_button = QToolButton(self)
        self.info_button.setDefaultAction(self.info_action)
        self.info_button.setAccessibleName(self.tr("Card info"))
        top.addWidget(self.info_button)
        self.more_button = QToolButton(self)
        self.more_button.setText(self.tr("More ▾"))
        self.more_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.more_button.setAccessibleName(self.tr("More card actions"))
        self.more_button.setToolTip(self.tr("Flag, mark, bury, suspend, edit or delete this card"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        top.addWidget(self.more_button)
        top.addWidget(self.undo_button)

        self.browser = CardBrowser(self._media_dir, self)
        self.browser.setAccessibleName(self.tr("Card"))
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_card_page())
        self.waiting_label = self._message_label(self.tr("Waiting for the next card"))
        self.waiting_label.setObjectName("waitingText")
        self.pages.addWidget(self._page(self.waiting_label))
        self.summary_title = self._message_label(self.tr("Session summary"))
        self.summary_title.setObjectName("summaryTitle")
        self.summary_title.setText(self.tr("Congratulations! You have finished this deck for now."))
        self.summary_label = self._message_label(self.tr("What you studied"))
        self.summary_label.setObjectName("summaryText")
        self.summary_back = self._button(
            self.tr("Back to decks"),
            self.tr("Back to the deck list"),
            self.tr("Back to the deck list (Esc)"),
        )
        self.streak_label = self._message_label(self.tr("Streak and daily goal"))
        self.streak_label.setObjectName("summaryStreak")
        self.pages.addWidget(
            self._page(self.summary_title, self.summary_label, self.streak_label, self.summary_back)
        )

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

    def _message_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _page(self, *widgets: QWidget) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(48, 24, 48, 24)
        column.setSpacing(16)
        column.addStretch(1)
        for widget in widgets:
            # Labels take the full width (and wrap); buttons keep their own size, centred.
            alignment = Qt.AlignmentFlag.AlignHCenter if isinstance(widget, QPushButton) else None
            if alignment is None:
                column.addWidget(widget)
            else:
                column.addWidget(widget, 0, alignment)
        column.addStretch(2)
        return page

    def _build_card_page(self) -> QWidget:
        page = QWidget(self)
        self.show_answer_button = self._button(
            self.tr("Show answer"),
            self.tr("Show answer"),
            self.tr("Show the answer (Space or Enter)"),
        )
        self.show_answer_button.setObjectName("showAnswer")
        self.grade_buttons: dict[Rating, QPushButton] = {}
        self.grade_labels: dict[Rating, QLabel] = {}
        grades = QHBoxLayout()
        grades.setSpacing(12)
        grades.addStretch(1)
        names = {
            Rating.AGAIN: self.tr("Again"),
            Rating.HARD: self.tr("Hard"),
            Rating.GOOD: self.tr("Good"),
            Rating.EASY: self.tr("Easy"),
        }
        for rating, name in names.items():
            button = self._button(name, name, "")
            button.setProperty("grade", rating.name.lower())
            button.setMinimumWidth(96)
            label = QLabel(self)
            label.setObjectName("gradeInterval")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAccessibleName(self.tr("Next interval for %1").replace("%1", name))
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(label)
            cell.addWidget(button)
            grades.addLayout(cell)
            self.grade_buttons[rating] = button
            self.grade_labels[rating] = label
            button.clicked.connect(lambda _=False, r=rating: self._vm.rate(int(r)))
        grades.addStretch(1)
        self.grade_row = QWidget(self)
        self.grade_row.setLayout(grades)
        self.bottom = QStackedWidget(self)
        answer_row = QWidget(self)
        answer_layout = QHBoxLayout(answer_row)
        answer_layout.addStretch(1)
        answer_layout.addWidget(self.show_answer_button, 0, Qt.AlignmentFlag.AlignBottom)
        answer_layout.addStretch(1)
        self.show_answer_button.setMinimumWidth(200)
        self.bottom.addWidget(answer_row)
        self.bottom.addWidget(self.grade_row)
        self.bottom.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.browser, 1)
        self.type_in = CardExtras(self.browser, self)
        column.addWidget(self.type_in)
        column.addWidget(self.bottom)
        return page

    def _connect(self) -> None:
        vm = self._vm
        vm.card_shown.connect(self._on_card_shown)
        vm.answer_revealed.connect(self._on_answer_revealed)
        vm.counts_changed.connect(self._on_counts_changed)
        vm.waiting.connect(self._on_waiting)
        vm.session_finished.connect(self._on_session_finished)
        self._settings.changed.connect(self._on_settings_changed)
        self.show_answer_button.clicked.connect(vm.reveal_answer)
        self.decks_button.clicked.connect(self.back_requested)
        self.summary_back.clicked.connect(self.back_requested)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._letter_shortcuts: list[QShortcut] = []
        for key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._letter_shortcuts.append(
                QShortcut(QKeySequence(key), self, self._primary, context)
            )
        for rating in Rating:
            self._letter_shortcuts.append(
                QShortcut(
                    QKeySequence(str(int(rating))), self, lambda r=rating: self._grade(r), context
                )
            )
        self._letter_shortcuts.append(
            QShortcut(QKeySequence(Qt.Key.Key_S), self, self._show_source, context)
        )
        self._letter_shortcuts.append(
            QShortcut(QKeySequence(Qt.Key.Key_I), self, self._info_key, context)
        )
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back_requested.emit, context)
        self.card_actions = ReviewActions(self, vm, self._on_card_page, self._letter_shortcuts)
        self.type_in.submitted.connect(vm.reveal_answer)
        self.type_in.hint_opened.connect(lambda: self._on_settings_changed(None))
        self.more_button.setMenu(self.card_actions.menu)
        self.card_actions.replay_requested.connect(self.replay_audio)
        vm.status_changed.connect(self._on_status_changed)
        vm.card_shown.connect(self._autoplay_question)
        vm.answer_revealed.connect(self._autoplay_answer)
        self.browser.sound_clicked.connect(lambda name: self.audio.play([name]))
        self.audio.unavailable.connect(vm.acted)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._on_focus_changed(None, QApplication.focusWidget())

    # Keys.

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Single-key shortcuts stay off while a text field has focus, so typing reaches it."""
        typing = is_text_entry(new)
        for shortcut in self._letter_shortcuts:
            shortcut.setEnabled(not typing)

    def _primary(self) -> None:
        """Space / Enter: show the answer, or grade Good once it is shown (as in Anki);
        on the summary page, back to the deck list."""
        if is_text_entry(QApplication.focusWidget()):
            return
        if self.pages.currentIndex() == 2:
            self.back_requested.emit()
            return
        if self.pages.currentIndex() != 0:
            return
        if self._vm.revealed:
            self._vm.rate(int(Rating.GOOD))
        else:
            self._vm.reveal_answer()

    def _show_source(self) -> None:
        if not is_text_entry(QApplication.focusWidget()) and self.pages.currentIndex() == 0:
            self.source_button.show_source()

    def _on_card_page(self) -> bool:
        """Card actions apply: a card is on screen and no text field has focus."""
        return not is_text_entry(QApplication.focusWidget()) and self.pages.currentIndex() == 0

    @Slot()
    def replay_audio(self) -> None:
        """Play the sounds of the side on screen again (key R)."""
        if self.pages.currentIndex() == 0:
            self.audio.play(self.browser.sounds)

    @Slot(object)
    def _autoplay_question(self, _card: StudyCard) -> None:
        self.audio.stop()
        if self._settings.current.autoplay_audio:
            self.audio.play(self.browser.sounds)

    @Slot(object)
    def _autoplay_answer(self, card: StudyCard) -> None:
        """The answer's own sounds: those the question played already are left out."""
        self.audio.stop()
        asked = set(sound_files(card.question_html))
        if self._settings.current.autoplay_audio:
            self.audio.play([name for name in self.browser.sounds if name not in asked])

    @Slot(object)
    def _on_status_changed(self, status: CardStatus | None) -> None:
        if status is None:
            self.marks.set_marks(0, False)
        else:
            self.marks.set_marks(status.flag, status.marked)

    def _info_key(self) -> None:
        if not is_text_entry(QApplication.focusWidget()):
            self.show_card_info()

    @Slot()
    def show_card_info(self) -> None:
        """Card info for the card on screen (key I)."""
        card = self._card
        if card is None or self._statistics is None or self.pages.currentIndex() != 0:
            return
        info = self._statistics.card_info(card.card_id)
        if info is None:
            return
        self.card_info.show(info)

    def _grade(self, rating: Rating) -> None:
        if self._card is not None and rating not in self._card.labels:
            return  # pass/fail grading: only Again (1) and Good (3)
        if not is_text_entry(QApplication.focusWidget()) and self._vm.revealed:
            self._vm.rate(int(rating))

    # View-model events.

    @Slot(object)
    def _on_card_shown(self, card: StudyCard) -> None:
        self._card = card
        self.type_in.card_shown(card)
        self.info_action.setEnabled(True)
        self.source_button.set_card(card.card_id)
        self._waiting_refresh.stop()
        self._render(card.question_html, None)
        self.bottom.setCurrentIndex(0)
        self.pages.setCurrentIndex(0)
        for rating, label in self.grade_labels.items():
            interval = card.labels.get(rating, "")
            label.setText(interval)
            button = self.grade_buttons[rating]
            button.setVisible(rating in card.labels)  # pass/fail shows Again and Good only
            label.setVisible(rating in card.labels)
            name = button.text()
            button.setAccessibleDescription(self.tr("Next review in %1").replace("%1", interval))
            keys = self.tr("%1, Space or Enter") if rating is Rating.GOOD else "%1"
            button.setToolTip(
                self.tr("%1: next review in %2 (key %3)")
                .replace("%1", name)
                .replace("%2", interval)
                .replace("%3", keys.replace("%1", str(int(rating))))
            )
        if self.isVisible():
            typing = self.type_in.wants_typing
            target = self.type_in if typing else self.show_answer_button
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(object)
    def _on_answer_revealed(self, card: StudyCard) -> None:
        self.type_in.answer_revealed()
        footer = self.tr("Source: %1").replace("%1", card.source) if card.source else None
        self._render(card.answer_html, footer)
        self.bottom.setCurrentIndex(1)
        if self.isVisible():
            self.grade_buttons[Rating.GOOD].setFocus(Qt.FocusReason.OtherFocusReason)

    def _render(self, body: str, footer: str | None) -> None:
        self._footer = footer
        card = self._card
        css = card.css if card is not None else ""
        body = self.type_in.decorate(body, self._vm.revealed)
        self.browser.show_card(body, css, self._settings.card_text_size, footer)

    @Slot(object)
    def _on_counts_changed(self, counts: QueueCounts) -> None:
        self.counter.set_counts(counts)

    @Slot(object)
    def _on_waiting(self, next_due: datetime) -> None:
        self._card = None
        self.info_action.setEnabled(False)
        self.source_button.set_card(None)
        self._next_due = next_due
        self._show_waiting_text()
        self.pages.setCurrentIndex(1)
        self._waiting_refresh.start()

    def _show_waiting_text(self) -> None:
        if self._next_due is not None:
            now = self._clock.now()
            self.waiting_label.setText(
                time_text.waiting_sentence(self._next_due, now, self._clock.zone)
            )

    @Slot(object)
    def _on_session_finished(self, summary: SessionSummary) -> None:
        self._card = None
        self.info_action.setEnabled(False)
        self.source_button.set_card(None)
        self._waiting_refresh.stop()
        now = self._clock.now()
        self.summary_label.setText(
            time_text.studied_sentence(summary.studied, summary.seconds)
            + " "
            + time_text.next_due_sentence(summary.next_due, now, self._clock.zone)
        )
        streak = self._statistics.streak() if self._statistics is not None else None
        self.streak_label.setText("" if streak is None else streak_sentence(streak))
        self.streak_label.setVisible(streak is not None)
        self.pages.setCurrentIndex(2)
        if self.isVisible():
            self.summary_back.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(object)
    def _on_settings_changed(self, _settings: object) -> None:
        card = self._card
        if card is not None and self.pages.currentIndex() == 0:
            body = card.answer_html if self._vm.revealed else card.question_html
            self._render(body, self._footer)

    # Qt events.

    def showEvent(self, event: QShowEvent) -> None:
        if self.pages.currentIndex() == 1:
            self._show_waiting_text()
            self._waiting_refresh.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._waiting_refresh.stop()
        self.audio.stop()
        super().hideEvent(event)

    def focus_card(self) -> None:
        """Give keyboard focus to the page showing (called when the reviewer comes on screen)."""
        target: QWidget = self.decks_button
        if self.pages.currentIndex() == 0:
            revealed = self._vm.revealed
            target = self.grade_buttons[Rating.GOOD] if revealed else self.show_answer_button
            if not revealed and self.type_in.wants_typing:
                target = self.type_in
        elif self.pages.currentIndex() == 2:
            target = self.summary_back
        target.setFocus(Qt.FocusReason.OtherFocusReason)
