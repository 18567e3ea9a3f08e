"""Progress elsewhere in the app: the deck list's bars, card info in the reviewer, and the
streak on the session summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.gui.launch import Gui
from studyapp.gui.viewmodels.deck_list import PROGRESS_COLUMN, progress_text
from studyapp.gui.windows.card_info import CardInfoDialog
from studyapp.services.container import Services
from tests.gui.sample_decks import EMT_DECK, install_tiny_deck
from tests.services.study_simulation import simulate_days

MakeGui = Callable[..., Gui]


def test_the_deck_list_shows_each_decks_progress(
    make_gui: MakeGui, services: Services, clock: ManualClock
) -> None:
    simulate_days(services, clock, 30, 3)
    tiny = install_tiny_deck(services)
    gui = make_gui()
    expected = services.statistics.deck_progress()
    model = gui.deck_list
    emt = services.decks.by_name(EMT_DECK).id
    for deck_id in (emt, tiny):
        index = model.index_of_deck(deck_id)
        shown = model.progress_at(index)
        assert shown == expected[deck_id]
        cell = index.siblingAtColumn(PROGRESS_COLUMN)
        assert cell.data(Qt.ItemDataRole.ToolTipRole) == progress_text(expected[deck_id])
    emt_progress = expected[emt]
    assert emt_progress.young + emt_progress.mature + emt_progress.learning > 0
    assert gui.window.tree.header().sectionSize(PROGRESS_COLUMN) >= 100
    assert str(emt_progress.new) in progress_text(emt_progress)


def test_key_i_opens_card_info_with_the_reviews(
    qtbot: QtBot, make_gui: MakeGui, services: Services, clock: ManualClock
) -> None:
    simulate_days(services, clock, 30, 3)
    clock.advance(timedelta(days=5, hours=10))  # some review cards are due again
    emt = services.decks.by_name(EMT_DECK).id
    gui = make_gui()
    with qtbot.waitSignal(gui.reviewer.counts_changed):
        gui.window.study(emt)
    card = gui.reviewer.card
    assert card is not None
    page = gui.window.reviewer
    assert page.info_action.isEnabled()
    QTest.keyClick(page.show_answer_button, Qt.Key.Key_I)
    dialog = page.card_info.dialog
    assert dialog is not None
    assert dialog.isVisible()
    info = services.statistics.card_info(card.card_id)
    assert dialog.info == info
    assert dialog.history.rowCount() == len(info.reviews)
    assert dialog.curve.chart is not None
    assert dialog.curve.chart.title()
    assert all(title for title in dialog.curve.axis_titles())
    assert info.reviews, "a due card has been reviewed before"
    if info.reviews:
        first = dialog.history.item(0, 3)
        assert first is not None
        assert first.text() == info.reviews[0].interval
    QTest.keyClick(page.show_answer_button, Qt.Key.Key_I)
    again = page.card_info.dialog
    assert again is not None
    assert again is not dialog
    assert not dialog.isVisible()  # one card-info dialog at a time
    again.close()
    qtbot.waitUntil(lambda: page.card_info.dialog is None)


def test_card_info_of_a_reviewed_card_lists_its_history(
    qtbot: QtBot, make_gui: MakeGui, services: Services
) -> None:
    tiny = install_tiny_deck(services)
    gui = make_gui()
    with qtbot.waitSignal(gui.reviewer.counts_changed):
        gui.window.study(tiny)
    card = gui.reviewer.card
    assert card is not None
    gui.reviewer.reveal_answer()
    gui.reviewer.rate(int(Rating.AGAIN))
    info = services.statistics.card_info(card.card_id)
    assert len(info.reviews) == 1
    dialog = CardInfoDialog(info, gui.window)
    qtbot.addWidget(dialog)
    assert dialog.history.rowCount() == 1
    answer = dialog.history.item(0, 2)
    assert answer is not None
    assert answer.text() == "Again"


def test_the_session_summary_gives_the_streak_and_goal(
    qtbot: QtBot, make_gui: MakeGui, services: Services
) -> None:
    services.statistics.set_daily_goal(1)
    tiny = install_tiny_deck(services)
    gui = make_gui()
    with qtbot.waitSignal(gui.reviewer.counts_changed):
        gui.window.study(tiny)
    gui.reviewer.reveal_answer()
    with qtbot.waitSignal(gui.reviewer.session_finished):
        gui.reviewer.rate(int(Rating.EASY))
    text = gui.window.reviewer.streak_label.text()
    assert gui.window.reviewer.streak_label.isVisible()
    assert "Streak: 1 day in a row." in text
    assert "Daily goal of 1 review: met today." in text
