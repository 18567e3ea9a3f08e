"""Studying in the reviewer page: question, answer, grades, keys, undo, waiting and the summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.gui import time_text
from studyapp.gui.launch import Gui
from studyapp.services.container import Services
from studyapp.services.study import SessionSummary
from tests.gui.sample_decks import EMT_DECK, answer_all_new, install_tiny_deck

MakeGui = Callable[..., Gui]

CARD_PAGE, WAITING_PAGE, SUMMARY_PAGE = 0, 1, 2


def plain(html: str) -> str:
    """What a card's HTML looks like as plain text, roughly (enough for these decks)."""
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText().strip()


def open_deck(qtbot: QtBot, gui: Gui, deck_id: int) -> None:
    with qtbot.waitSignal(gui.reviewer.counts_changed):
        gui.window.study(deck_id)


def counts_text(gui: Gui) -> str:
    return gui.window.reviewer.counter.accessibleDescription()


@pytest.fixture
def emt(services: Services) -> int:
    return services.decks.by_name(EMT_DECK).id


def test_front_first_then_space_shows_the_back(qtbot: QtBot, make_gui: MakeGui, emt: int) -> None:
    gui = make_gui()
    open_deck(qtbot, gui, emt)
    page = gui.window.reviewer
    card = gui.reviewer.card
    assert card is not None

    assert page.pages.currentIndex() == CARD_PAGE
    assert page.browser.toPlainText().strip() == plain(card.question_html)
    assert page.show_answer_button.isVisible()
    assert not page.grade_row.isVisible()

    with qtbot.waitSignal(gui.reviewer.answer_revealed):
        QTest.keyClick(page.show_answer_button, Qt.Key.Key_Space)
    shown = page.browser.toPlainText()
    assert plain(card.answer_html).splitlines()[-1] in shown
    assert page.grade_row.isVisible()
    assert not page.show_answer_button.isVisible()


def test_grade_buttons_show_the_intervals_they_would_give(
    qtbot: QtBot, make_gui: MakeGui, emt: int
) -> None:
    gui = make_gui()
    open_deck(qtbot, gui, emt)
    gui.window.reviewer.show_answer_button.click()
    card = gui.reviewer.card
    assert card is not None

    page = gui.window.reviewer
    for rating in Rating:
        assert page.grade_labels[rating].text() == card.labels[rating]
        assert page.grade_labels[rating].text()
        assert card.labels[rating] in page.grade_buttons[rating].toolTip()
    assert [b.text() for b in page.grade_buttons.values()] == ["Again", "Hard", "Good", "Easy"]


def test_number_keys_grade_and_the_counts_go_down(
    qtbot: QtBot, make_gui: MakeGui, emt: int, services: Services
) -> None:
    gui = make_gui()
    open_deck(qtbot, gui, emt)
    page = gui.window.reviewer
    first = gui.reviewer.card
    assert first is not None
    assert counts_text(gui) == "New 20, learning 0, due 0"

    QTest.keyClick(page, Qt.Key.Key_3)  # ignored: the answer is not shown yet
    assert gui.reviewer.card == first

    QTest.keyClick(page, Qt.Key.Key_Enter)
    with qtbot.waitSignal(gui.reviewer.card_shown):
        QTest.keyClick(page, Qt.Key.Key_3)

    assert gui.reviewer.card is not None
    assert gui.reviewer.card.card_id != first.card_id
    assert counts_text(gui) == "New 19, learning 1, due 0"
    assert "19" in page.counter.text()
    assert services.undo.label() == "Answer"


def test_ctrl_z_brings_the_same_card_back_with_the_counts(
    qtbot: QtBot, make_gui: MakeGui, emt: int
) -> None:
    gui = make_gui()
    window = gui.window
    open_deck(qtbot, gui, emt)
    first = gui.reviewer.card
    assert first is not None
    assert not window.undo_action.isEnabled()

    QTest.keyClick(window.reviewer, Qt.Key.Key_Space)
    QTest.keyClick(window.reviewer, Qt.Key.Key_1)
    assert counts_text(gui) == "New 19, learning 1, due 0"
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo Answer"

    with qtbot.waitSignal(gui.reviewer.card_shown):
        QTest.keyClick(window.reviewer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert gui.reviewer.card is not None
    assert gui.reviewer.card.card_id == first.card_id
    assert not gui.reviewer.revealed
    assert counts_text(gui) == "New 20, learning 0, due 0"
    assert not window.undo_action.isEnabled()


def test_the_summary_uses_the_session_figures_and_local_time(
    qtbot: QtBot, make_gui: MakeGui, emt: int, services: Services, clock: ManualClock
) -> None:
    assert answer_all_new(services, emt) == 20
    # Undo the last of them so exactly one card is left for the session.
    services.undo.undo()
    clock.advance(timedelta(minutes=1))
    gui = make_gui()
    open_deck(qtbot, gui, emt)
    page = gui.window.reviewer

    page.show_answer_button.click()
    clock.advance(timedelta(seconds=5))
    with qtbot.waitSignal(gui.reviewer.session_finished) as finished:
        page.grade_buttons[Rating.EASY].click()

    summary = finished.args[0] if finished.args else None
    assert isinstance(summary, SessionSummary)
    assert (summary.studied, summary.seconds) == (1, 5)
    assert page.pages.currentIndex() == SUMMARY_PAGE
    text = page.summary_label.text()
    assert text.startswith("You studied 1 card in 5 seconds.")
    tomorrow_4am = time_text.clock_time(clock.now().replace(hour=4, minute=0), clock.zone)
    assert text.endswith(f"Next cards are due tomorrow at {tomorrow_4am}.")
    assert page.summary_back.isVisible()

    QTest.keyClick(page, Qt.Key.Key_Return)  # Enter on the summary goes back to the decks
    assert gui.window.stack.currentIndex() == 0


def test_waiting_page_then_the_card_when_its_time_comes(
    qtbot: QtBot, make_gui: MakeGui, services: Services, clock: ManualClock
) -> None:
    deck = install_tiny_deck(services)
    start = clock.now()
    # Answer Good half an hour from now (due 10 minutes after that), then come back: the card
    # is then 40 minutes away, beyond the 20-minute learn-ahead, so the reviewer has to wait.
    clock.advance(timedelta(minutes=30))
    step = services.study.next_step(deck)
    assert step.card is not None
    services.study.answer(step.card.card_id, Rating.GOOD, 3000)
    clock.current = start

    gui = make_gui()
    with qtbot.waitSignal(gui.reviewer.waiting) as waiting:
        gui.window.study(deck)
    page = gui.window.reviewer
    due = waiting.args[0] if waiting.args else None
    assert due == start + timedelta(minutes=40)
    assert page.pages.currentIndex() == WAITING_PAGE
    expected = time_text.waiting_sentence(due, clock.now(), clock.zone)
    assert page.waiting_label.text() == expected
    assert expected.endswith("(in 40 minutes).")
    assert gui.reviewer.wait_timer.isActive()
    assert gui.reviewer.wait_timer.interval() == 10 * 60 * 1000  # capped, re-checks anyway

    clock.current = due + timedelta(seconds=1)
    with qtbot.waitSignal(gui.reviewer.card_shown):
        gui.reviewer.wait_timer.start(0)
    assert page.pages.currentIndex() == CARD_PAGE


def test_single_key_shortcuts_leave_text_fields_alone(
    qtbot: QtBot, make_gui: MakeGui, emt: int
) -> None:
    gui = make_gui()
    open_deck(qtbot, gui, emt)
    page = gui.window.reviewer
    field = QLineEdit(page)  # stands in for a type-in answer field
    field.setAccessibleName("Type the answer")
    layout = page.layout()
    assert layout is not None
    layout.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)

    QTest.keyClicks(field, " 3")
    assert field.text() == " 3"
    assert not gui.reviewer.revealed

    gui.reviewer.reveal_answer()
    card = gui.reviewer.card
    QTest.keyClick(field, Qt.Key.Key_1)
    assert gui.reviewer.card == card
    assert field.text() == " 31"


def test_card_text_is_right_to_left_for_hebrew_and_arabic(
    qtbot: QtBot, make_gui: MakeGui, services: Services
) -> None:
    deck = install_tiny_deck(services)
    gui = make_gui()
    open_deck(qtbot, gui, deck)
    document = gui.window.reviewer.browser.document()

    hebrew = document.find("שלום")
    assert not hebrew.isNull()
    assert hebrew.block().textDirection() == Qt.LayoutDirection.RightToLeft

    gui.reviewer.reveal_answer()
    arabic = document.find("مرحبا")
    assert not arabic.isNull()
    assert isinstance(arabic, QTextCursor)
    assert "Source: A test note" in document.toPlainText()


def test_text_size_and_note_css_reach_the_card(
    qtbot: QtBot, make_gui: MakeGui, emt: int, services: Services
) -> None:
    gui = make_gui()
    open_deck(qtbot, gui, emt)
    document = gui.window.reviewer.browser.document()
    card = gui.reviewer.card
    assert card is not None
    size = services.settings.get().card_text_size

    assert document.defaultFont().pointSize() == size
    assert card.css.strip()[:20] in document.defaultStyleSheet()

    gui.window.bigger_action.trigger()
    assert services.settings.get().card_text_size == size + 2
    assert document.defaultFont().pointSize() == size + 2
    gui.window.smaller_action.trigger()
    assert document.defaultFont().pointSize() == size
