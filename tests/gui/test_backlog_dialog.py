"""Backlog recovery in the GUI: the offer when a deck with a backlog is opened, the chosen
number of days, the date the backlog will be cleared, and the cards spread afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QLocale, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.domain.clock import ManualClock
from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.viewmodels.planning import PlanningViewModel
from studyapp.gui.windows.backlog_dialog import BacklogDialog
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.conftest import DeckMaker
from tests.gui.test_optimize_dialog import planning
from tests.services.test_backlog import make_backlog, today

Act = Callable[[BacklogDialog], None]


class DialogWatcher:
    """Runs `act` on the next backlog dialog once it is up, modal; `seen` lists them.

    Whatever `act` leaves open is closed with Reject, so a failed check never hangs the test.
    """

    def __init__(self, act: Act) -> None:
        self.seen: list[BacklogDialog] = []
        self._act = act
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def _look(self) -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, BacklogDialog):
            return
        self._timer.stop()
        self.seen.append(widget)
        try:
            self._act(widget)
        finally:
            if widget.isVisible():
                widget.reject()

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def when_shown() -> Iterator[Callable[[Act], DialogWatcher]]:
    """Watch for the backlog dialog; the watching stops with the test."""
    watchers: list[DialogWatcher] = []

    def watch(act: Act) -> DialogWatcher:
        watchers.append(DialogWatcher(act))
        return watchers[-1]

    yield watch
    for watcher in watchers:
        watcher.stop()


def long_date(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)


def test_opening_a_deck_with_a_backlog_offers_to_spread_it(
    when_shown: Callable[[Act], DialogWatcher],
    make_gui: object,
    gui_context: GuiContext,
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
) -> None:
    deck_id = make_deck("Pharmacology", 30)
    make_backlog(database, clock, deck_id, limit=10)
    gui: Gui = make_gui(replace(gui_context, planning=planning(services)))  # type: ignore[operator]
    window = gui.window
    window.select_deck(deck_id)
    first_day = date.fromordinal(today(clock))
    texts: list[str] = []

    def spread_over_five_days(dialog: BacklogDialog) -> None:
        assert dialog.windowTitle() == "Spread backlog: Pharmacology"
        assert dialog.days.value() == 3  # the suggestion keeps to the limit of 10 a day
        texts.append(dialog.plan.text())
        dialog.days.setValue(5)
        texts.append(dialog.plan.text())
        dialog.spread_button.click()

    offers = when_shown(spread_over_five_days)
    window.study_button.click()

    assert len(offers.seen) == 1
    assert texts == [
        "At most 10 of them a day, plus the cards that fall due as usual. "
        f"The backlog will be cleared by {long_date(first_day + timedelta(days=2))}.",
        "At most 6 of them a day, plus the cards that fall due as usual. "
        f"The backlog will be cleared by {long_date(first_day + timedelta(days=4))}.",
    ]
    with database.transaction() as repos:
        cards = repos.planning.active_cards([deck_id])
    per_day: dict[int, int] = {}
    for card in cards:
        per_day[card.due] = per_day.get(card.due, 0) + 1
    assert sorted(per_day) == [today(clock) + n for n in range(5)]
    assert max(per_day.values()) <= 6
    assert sum(per_day.values()) == 30
    assert window.undo_action.text() == "&Undo Spread backlog"
    assert window.reviewer.isVisible()  # studying goes on, with today's share only
    assert services.study.next_step(deck_id).counts.review == per_day[today(clock)] == 6


def test_not_now_leaves_the_backlog_and_asks_once_a_session(
    when_shown: Callable[[Act], DialogWatcher],
    make_gui: object,
    gui_context: GuiContext,
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
) -> None:
    deck_id = make_deck("Airway", 25)
    make_backlog(database, clock, deck_id, limit=10)
    gui: Gui = make_gui(replace(gui_context, planning=planning(services)))  # type: ignore[operator]
    window = gui.window
    window.select_deck(deck_id)

    offers = when_shown(lambda dialog: dialog.reject())
    window.study_button.click()
    assert len(offers.seen) == 1
    window.show_decks()
    window.select_deck(deck_id)
    again = when_shown(lambda dialog: dialog.reject())
    window.study_button.click()

    assert again.seen == []
    backlog = services.backlog.backlog(deck_id)
    assert backlog is not None
    assert backlog.due_reviews == 25


def test_the_dialog_previews_each_number_of_days(
    qtbot: QtBot, services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Cardiology", 40)
    make_backlog(database, clock, deck_id, limit=10)
    backlog = services.backlog.backlog(deck_id)
    assert backlog is not None
    dialog = BacklogDialog(PlanningViewModel(planning(services)), backlog)
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.days.setValue(8)

    assert dialog.days.accessibleName() == "Days to spread over"
    assert "At most 5 of them a day" in dialog.plan.text()
    cleared = date.fromordinal(today(clock) + 7)
    assert dialog.plan.text().endswith(f"cleared by {long_date(cleared)}.")
    with database.transaction() as repos:  # a preview moves nothing
        assert repos.planning.count_due_reviews([deck_id], today(clock)) == 40
