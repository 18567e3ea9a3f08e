"""The statistics window over a simulated study history: scopes, periods, charts, the summary,
the retention table, the daily goal and export."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from studyapp.domain.clock import ManualClock
from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.windows.statistics_summary import PERIOD_NAMES, retention_cells
from studyapp.gui.windows.statistics_window import StatisticsWindow
from studyapp.services.container import Services
from studyapp.services.settings import Theme
from studyapp.services.statistics_period import Period
from tests.gui.sample_decks import EMT_DECK
from tests.services.study_simulation import simulate_days

MakeGui = Callable[..., Gui]
LOAD_MS = 20_000
CHART_COUNT = 12


@pytest.fixture
def history(services: Services, clock: ManualClock) -> int:
    """90 days of study of the built-in deck; returns its id."""
    simulate_days(services, clock, 90, 7)
    return services.decks.by_name(EMT_DECK).id


def open_window(qtbot: QtBot, gui: Gui, deck_id: int | None) -> StatisticsWindow:
    if deck_id is not None:
        gui.window.select_deck(deck_id)
    with qtbot.waitSignal(gui.statistics.loaded, timeout=LOAD_MS):
        gui.window.statistics_action.trigger()
    window = gui.window.statistics_window
    assert window is not None
    return window


def switch(qtbot: QtBot, gui: Gui, window: StatisticsWindow, change: Callable[[], None]) -> None:
    with qtbot.waitSignal(gui.statistics.loaded, timeout=LOAD_MS):
        change()
    qtbot.waitUntil(lambda: not gui.statistics.loading)


def test_the_window_builds_for_both_scopes_and_every_period(
    qtbot: QtBot, make_gui: MakeGui, history: int
) -> None:
    gui = make_gui()
    window = open_window(qtbot, gui, history)
    assert window.scope_deck == history
    assert window.isVisible()
    for deck_id in (history, None):
        if window.scope_deck != deck_id:
            switch(qtbot, gui, window, partial(window.set_scope, deck_id))
        for period in Period:
            if window.period is not period:
                switch(qtbot, gui, window, partial(window.set_period, period))
            stats = gui.statistics.statistics
            assert stats is not None
            assert stats.period is period
            assert window.summary.verdict_label.text() == stats.summary
            assert len(window.charts) == CHART_COUNT
            for card in window.charts:
                assert card.title().strip(), card
                assert card.explanation.text().strip(), card.title()
                if card.chart is not None:
                    titles = card.axis_titles()
                    assert len(titles) >= 2, card.title()
                    assert all(title.strip() for title in titles), card.title()


def test_every_chart_named_in_the_issue_is_there(
    qtbot: QtBot, make_gui: MakeGui, history: int
) -> None:
    gui = make_gui()
    window = open_window(qtbot, gui, history)
    titles = " | ".join(card.title().lower() for card in window.charts)
    for words in (
        "calendar",
        "reviews per day",
        "due",
        "by state",
        "interval",
        "difficulty",
        "stability",
        "retrievability",
        "by hour",
        "answer buttons",
        "added",
        "total knowledge",
    ):
        assert words in titles


def test_the_retention_table_shows_what_the_service_computes(
    qtbot: QtBot, make_gui: MakeGui, services: Services, history: int
) -> None:
    gui = make_gui()
    window = open_window(qtbot, gui, history)
    expected = services.statistics.compute(history, window.period).true_retention
    table = window.retention
    assert table.rowCount() == len(expected) == len(PERIOD_NAMES)
    for number, row in enumerate(expected):
        header = table.verticalHeaderItem(number)
        assert header is not None
        assert header.text() == PERIOD_NAMES[row.period]
        shown = [table.cell_text(number, column) for column in range(table.columnCount())]
        assert shown == retention_cells(row)
    assert any(r.young_pass + r.mature_pass for r in expected)


def test_the_daily_goal_spin_box_is_saved(
    qtbot: QtBot, make_gui: MakeGui, services: Services, history: int
) -> None:
    gui = make_gui()
    window = open_window(qtbot, gui, history)
    window.summary.goal_spin.setValue(70)
    assert services.statistics.streak().goal == 70
    assert "70" in window.summary.streak_label.text()
    window.close()

    again = open_window(qtbot, gui, history)
    assert again.summary.goal_spin.value() == 70


def test_export_writes_a_png_and_a_pdf(
    qtbot: QtBot, make_gui: MakeGui, history: int, tmp_path: Path
) -> None:
    gui = make_gui()
    window = open_window(qtbot, gui, history)
    assert window.export_button.isEnabled()
    png, pdf = tmp_path / "stats.png", tmp_path / "stats.pdf"
    window.export_to(png)
    window.export_to(pdf)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10_000


def test_export_button_asks_where_and_saves(
    qtbot: QtBot,
    make_gui: MakeGui,
    history: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from studyapp.gui.windows import statistics_export

    target = tmp_path / "chosen.png"
    monkeypatch.setattr(
        statistics_export.StatisticsExportChooser, "ask", staticmethod(lambda *_: target)
    )
    gui = make_gui()
    window = open_window(qtbot, gui, history)
    window.export_button.click()
    assert target.stat().st_size > 0


def test_dark_theme_builds_the_same_charts(
    qtbot: QtBot, make_gui: MakeGui, gui_context: GuiContext, history: int
) -> None:
    gui = make_gui(dataclasses.replace(gui_context, theme_override=Theme.DARK))
    window = open_window(qtbot, gui, history)
    assert len(window.charts) == CHART_COUNT
    chart = window.charts[1].chart
    assert chart is not None
    assert chart.backgroundBrush().color().lightness() < 128


def test_the_window_shows_a_busy_bar_while_loading(
    qtbot: QtBot, make_gui: MakeGui, history: int
) -> None:
    gui = make_gui()
    window = open_window(qtbot, gui, history)
    with qtbot.waitSignal(gui.statistics.loaded, timeout=LOAD_MS):
        window.set_period(Period.YEAR)
        assert gui.statistics.loading
        assert window.busy_bar.isVisibleTo(window)
        assert not window.export_button.isEnabled()
    qtbot.waitUntil(lambda: not window.busy_bar.isVisibleTo(window))


def test_starting_the_gui_does_not_load_qtcharts() -> None:
    code = (
        "import sys, studyapp.gui.launch, studyapp.gui.windows.main_window; "
        "sys.exit('PySide6.QtCharts' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
