"""Tools ▸ Optimize scheduler…: the dialog runs the fit on a worker thread and explains it."""

from __future__ import annotations

import time
from dataclasses import replace

from pytestqt.qtbot import QtBot

from studyapp.domain.clock import ManualClock
from studyapp.domain.fit_checks import simulate_histories
from studyapp.gui.launch import GuiContext
from studyapp.gui.viewmodels.planning import PlanningServices, PlanningViewModel
from studyapp.gui.windows.optimize_dialog import OptimizeDialog
from studyapp.services.container import Services
from studyapp.services.optimizer import PRESET_UNITS, READ_UNITS
from studyapp.storage.database import Database
from tests.conftest import DeckMaker
from tests.services.test_optimizer import learner, log_history


def planning(services: Services) -> PlanningServices:
    """The app's services, as the planning view-model sees them."""
    return services


def test_optimizing_shows_both_figures_and_the_decision(
    qtbot: QtBot,
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
) -> None:
    histories = simulate_histories(learner(), cards=1000, days=650, seed=5)
    log_history(database, clock, make_deck("EMT", len(histories)), histories)
    dialog = OptimizeDialog(PlanningViewModel(planning(services)))
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.preset_box.itemText(i) for i in range(dialog.preset_box.count())] == [
        "All presets",
        "Default (2 decks)",
    ]

    dialog.run_button.click()
    assert not dialog.close_button.isEnabled()
    assert dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.report.isVisible(), timeout=60_000)

    text = dialog.report.toPlainText()
    assert "Default: New parameters kept" in text
    assert "Log loss (lower is better)" in text
    assert "RMSE (bins, lower is better)" in text
    assert dialog.status.text() == "Done: new parameters for 1 of 1 presets."
    assert dialog.result_value is not None
    assert dialog.result_value.changed == 1
    qtbot.waitUntil(dialog.close_button.isEnabled)


def test_cancel_stops_the_fit_and_changes_nothing(
    qtbot: QtBot,
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
) -> None:
    histories = simulate_histories(learner(), cards=600, days=650, seed=6)
    log_history(database, clock, make_deck("EMT", len(histories)), histories)
    dialog = OptimizeDialog(PlanningViewModel(planning(services)))
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.run_button.click()
    dialog.cancel_button.click()
    qtbot.waitUntil(dialog.run_button.isEnabled, timeout=60_000)

    assert dialog.status.text() == "Cancelled: no parameters were changed."
    assert dialog.result_value is None
    with database.transaction() as repos:
        preset = repos.presets.get(1)
    assert preset is not None
    assert preset.optimized_at is None


def test_the_bar_moves_during_a_fit_and_cancel_stops_it_at_once(
    qtbot: QtBot,
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
) -> None:
    histories = simulate_histories(learner(), cards=1500, days=650, seed=9)
    log_history(database, clock, make_deck("EMT", len(histories)), histories)
    dialog = OptimizeDialog(PlanningViewModel(planning(services)))
    qtbot.addWidget(dialog)
    dialog.show()
    shown: list[int] = []
    dialog.bar.valueChanged.connect(shown.append)

    dialog.run_button.click()
    qtbot.waitUntil(
        lambda: len({v for v in shown if READ_UNITS < v < PRESET_UNITS}) >= 3, timeout=60_000
    )
    dialog.cancel_button.click()
    asked = time.monotonic()
    qtbot.waitUntil(dialog.run_button.isEnabled, timeout=10_000)

    assert time.monotonic() - asked < 1.0
    assert dialog.status.text() == "Cancelled: no parameters were changed."
    assert not dialog.bar.isVisible()
    with database.transaction() as repos:
        preset = repos.presets.get(1)
    assert preset is not None
    assert preset.optimized_at is None


def test_too_few_reviews_are_explained(qtbot: QtBot, services: Services) -> None:
    dialog = OptimizeDialog(PlanningViewModel(planning(services)))
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.run_button.click()
    qtbot.waitUntil(lambda: dialog.report.isVisible(), timeout=20_000)

    assert "Not enough reviews yet: 0 of the 400 needed" in dialog.report.toPlainText()
    assert dialog.status.text() == "Done: no parameters were changed."


def test_the_tools_menu_and_the_deck_list_offer_the_scheduling_tools(
    make_gui: object, gui_context: GuiContext, services: Services, make_deck: DeckMaker
) -> None:
    make_deck("Cardiology", 3)
    gui = make_gui(replace(gui_context, planning=planning(services)))  # type: ignore[operator]
    window = gui.window

    tools = [a.text() for a in window.tools_menu.actions() if a.text()]
    deck_actions = [a.text() for a in window.tree.actions()]

    assert {"&Optimize scheduler…", "&Workload simulator…", "Create &filtered deck…"} <= set(tools)
    assert {"&Custom study…", "Spread &backlog…"} <= set(deck_actions)
    assert window.planning is not None
    assert window.planning.custom_study_button.isVisible()
    assert not window.planning.rebuild_action.isEnabled()  # a regular deck is selected
