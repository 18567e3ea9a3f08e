"""The workload simulator: the chart, picking a retention and applying it to the preset."""

from __future__ import annotations

from PySide6.QtCharts import QScatterSeries
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.domain.cards import Rating
from studyapp.gui.viewmodels.planning import PlanningViewModel
from studyapp.gui.windows.simulator_dialog import SimulatorDialog
from studyapp.services.container import Services
from tests.conftest import DeckMaker
from tests.gui.test_optimize_dialog import planning


def studied_deck(services: Services, make_deck: DeckMaker) -> int:
    deck_id = make_deck("Pharmacology", 60)
    for _ in range(20):  # the daily new limit
        step = services.study.next_step(deck_id)
        assert step.card is not None
        services.study.answer(step.card.card_id, Rating.EASY, 5_000)
    return deck_id


def test_the_chart_has_a_title_labelled_axes_a_legend_and_the_current_retention(
    qtbot: QtBot, services: Services, make_deck: DeckMaker
) -> None:
    deck_id = studied_deck(services, make_deck)
    dialog = SimulatorDialog(PlanningViewModel(planning(services)).workload(deck_id))
    qtbot.addWidget(dialog)
    dialog.show()

    chart = dialog.chart
    assert chart.title() == "Daily workload by desired retention"
    assert [axis.titleText() for axis in chart.axes()] == [
        "Desired retention (%)",
        "Reviews per day",
        "Minutes per day",
    ]
    names = [series.name() for series in chart.series()]
    assert names == ["Reviews per day", "Minutes per day", "Current: 90%", "Picked"]
    assert chart.legend().isVisible()
    current = chart.series()[2]
    assert isinstance(current, QScatterSeries)
    assert current.at(0).x() == 90
    assert "20 studied and 40 new cards" in dialog.card.explanation.text()
    assert dialog.picked.text().startswith("90%: about ")
    assert not dialog.apply_button.isEnabled()  # nothing to apply yet

    dialog.slider.setValue(80)
    cheaper = dialog.picked.text()
    dialog.slider.setValue(97)
    dearer = dialog.picked.text()
    assert int(cheaper.split("about ")[1].split()[0]) < int(dearer.split("about ")[1].split()[0])
    assert dialog.apply_button.isEnabled()


def test_ask_applies_the_picked_retention_to_the_preset(
    qtbot: QtBot, services: Services, make_deck: DeckMaker
) -> None:
    deck_id = studied_deck(services, make_deck)

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SimulatorDialog)
        dialog.slider.setValue(85)
        dialog.apply_button.click()

    QTimer.singleShot(0, pick)
    chosen = SimulatorDialog.ask(None, PlanningViewModel(planning(services)), deck_id)

    assert chosen == 0.85
    assert services.workload.curve(deck_id, days=5).current_retention == 0.85


def test_cancel_applies_nothing(qtbot: QtBot, services: Services, make_deck: DeckMaker) -> None:
    deck_id = studied_deck(services, make_deck)

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SimulatorDialog)
        dialog.slider.setValue(75)
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert SimulatorDialog.ask(None, PlanningViewModel(planning(services)), deck_id) is None
    assert services.workload.curve(deck_id, days=5).current_retention == 0.9
