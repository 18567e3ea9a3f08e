"""The deck list is shown before its progress bars: they are computed on a worker thread once
the window shows (reading every card takes a while on a large collection), then filled in."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from studyapp.domain.clock import ManualClock
from studyapp.gui.launch import GuiContext, application, build_gui
from studyapp.services.container import Services
from tests.gui.sample_decks import EMT_DECK
from tests.services.study_simulation import simulate_days


def test_progress_bars_fill_in_after_the_window_shows(
    qtbot: QtBot, gui_context: GuiContext, services: Services, clock: ManualClock
) -> None:
    simulate_days(services, clock, 10, 3)
    emt = services.decks.by_name(EMT_DECK).id
    gui = build_gui(gui_context, application())
    qtbot.addWidget(gui.window)
    model = gui.deck_list
    index = model.index_of_deck(emt)

    assert index.isValid()  # the decks and their counts are there at once
    assert model.counts_at(index) is not None
    assert model.progress_at(index) is None  # not yet: nothing waits for it
    assert not model.loading_progress

    with qtbot.waitActive(gui.window):
        gui.window.show()
    qtbot.waitUntil(lambda: not model.loading_progress)

    expected = services.statistics.deck_progress()[emt]
    assert model.progress_at(model.index_of_deck(emt)) == expected
    assert expected.young + expected.mature + expected.learning > 0
    gui.window.close()


def test_a_refresh_while_loading_keeps_the_fresher_progress(
    qtbot: QtBot, gui_context: GuiContext, services: Services, clock: ManualClock
) -> None:
    simulate_days(services, clock, 5, 3)
    emt = services.decks.by_name(EMT_DECK).id
    gui = build_gui(gui_context, application())
    qtbot.addWidget(gui.window)
    model = gui.deck_list
    model.load_progress()
    started = model.loading_progress

    model.refresh()  # counts and progress now, synchronously

    assert (started, model.loading_progress) == (True, False)  # the running one no longer counts
    expected = services.statistics.deck_progress()[emt]
    assert model.progress_at(model.index_of_deck(emt)) == expected
    model.shutdown()
    gui.window.close()
