"""The deck options dialog over real services: every section, validation, presets and the exam."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from studyapp.domain.cards import Rating, ReviewKind
from studyapp.domain.clock import ManualClock
from studyapp.domain.decks import ExamPlan, LeechAction, NewCardOrder, ReviewOrder
from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.viewmodels.deck_options import DeckOptionsViewModel
from studyapp.gui.windows.deck_options import DeckOptionsDialog
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.services.scheduling_cards import card_ids, make_review, today_of

DeckMaker = Callable[..., int]


@pytest.fixture
def view_model(services: Services) -> DeckOptionsViewModel:
    return DeckOptionsViewModel(services)


def open_dialog(qtbot: QtBot, view_model: DeckOptionsViewModel, deck_id: int) -> DeckOptionsDialog:
    dialog = DeckOptionsDialog(view_model, deck_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_form_shows_the_preset_and_saves_every_option(
    qtbot: QtBot, services: Services, make_deck: DeckMaker, view_model: DeckOptionsViewModel
) -> None:
    deck_id = make_deck("Anatomy", 3)
    dialog = open_dialog(qtbot, view_model, deck_id)
    assert dialog.preset_combo.currentText() == "Default"
    assert "Anatomy" in dialog.used_by.text()
    assert dialog.learning_steps.text() == "1m 10m"
    assert not dialog.reschedule.isChecked()  # off by default
    assert not dialog.delete_action.isEnabled()  # Default stays

    dialog.new_per_day.setValue(35)
    dialog.learning_steps.setText("30s 5m 1h")
    dialog.relearning_steps.setText("")
    dialog.retention.setValue(0.85)
    dialog.maximum_interval.setValue(400)
    dialog.new_order.setCurrentIndex(dialog.new_order.findData(NewCardOrder.RANDOM))
    dialog.review_order.setCurrentIndex(dialog.review_order.findData(ReviewOrder.RETRIEVABILITY))
    dialog.leech_threshold.setValue(5)
    dialog.leech_action.setCurrentIndex(dialog.leech_action.findData(LeechAction.SUSPEND))
    dialog.bury_new.setChecked(True)
    dialog.pass_fail.setChecked(True)
    dialog.easy_days[6].setChecked(True)
    with qtbot.waitSignal(view_model.saved):
        dialog.buttons.accepted.emit()
    assert dialog.result() == DeckOptionsDialog.DialogCode.Accepted

    preset = services.presets.for_deck(deck_id)
    assert preset.new_per_day == 35
    assert preset.learning_steps == (30, 300, 3600)
    assert preset.relearning_steps == ()
    assert preset.desired_retention == 0.85
    assert preset.maximum_interval == 400
    assert (preset.new_card_order, preset.review_order) == (
        NewCardOrder.RANDOM,
        ReviewOrder.RETRIEVABILITY,
    )
    assert (preset.leech_threshold, preset.leech_action) == (5, LeechAction.SUSPEND)
    assert (preset.bury_new_siblings, preset.bury_review_siblings) == (True, False)
    assert preset.pass_fail
    assert preset.easy_days == (6,)


def test_steps_that_do_not_read_are_explained_and_block_ok(
    qtbot: QtBot, make_deck: DeckMaker, view_model: DeckOptionsViewModel
) -> None:
    dialog = open_dialog(qtbot, view_model, make_deck("Steps", 1))
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.learning_steps.setText("1m 10x")
    assert not ok.isEnabled()
    assert dialog.steps_error.isVisible()
    assert "“10x” has an unknown unit" in dialog.steps_error.text()
    dialog.learning_steps.setText("1m 10m")
    assert ok.isEnabled()
    assert not dialog.steps_error.isVisible()


def test_a_warning_shows_above_97_percent(
    qtbot: QtBot, make_deck: DeckMaker, view_model: DeckOptionsViewModel
) -> None:
    dialog = open_dialog(qtbot, view_model, make_deck("Retention", 1))
    assert not dialog.retention_warning.isVisible()
    dialog.retention.setValue(0.98)
    assert dialog.retention_warning.isVisible()
    assert dialog.retention.minimum() == 0.70
    assert dialog.retention.maximum() == 0.99


def test_presets_are_added_switched_and_kept_apart(
    qtbot: QtBot,
    services: Services,
    make_deck: DeckMaker,
    view_model: DeckOptionsViewModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deck_id = make_deck("Cardiology", 1)
    dialog = open_dialog(qtbot, view_model, deck_id)
    dialog.new_per_day.setValue(11)  # an edit to Default, kept while another preset shows
    monkeypatch.setattr(dialog, "_ask_name", lambda *_: "Cardio")
    dialog.clone_preset()
    assert dialog.preset_combo.currentText() == "Cardio"
    assert dialog.new_per_day.value() == 11  # a clone of the options as shown
    dialog.new_per_day.setValue(42)
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findText("Default"))
    assert dialog.new_per_day.value() == 11
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findText("Cardio"))
    assert dialog.new_per_day.value() == 42
    assert dialog.delete_action.isEnabled()
    dialog.accept()
    assert services.presets.for_deck(deck_id).name == "Cardio"
    assert services.presets.for_deck(deck_id).new_per_day == 42
    usage = {u.preset.name: u for u in services.presets.usage()}
    assert usage["Default"].preset.new_per_day == 11
    assert usage["Cardio"].deck_names == ("Cardiology",)


def test_the_exam_section_projects_and_saves_the_exam(
    qtbot: QtBot,
    services: Services,
    make_deck: DeckMaker,
    view_model: DeckOptionsViewModel,
    clock: ManualClock,
) -> None:
    deck_id = make_deck("Trauma", 40)
    dialog = open_dialog(qtbot, view_model, deck_id)
    assert not dialog.exam_enabled.isChecked()
    assert "Set an exam date" in dialog.exam_sentence.text()
    dialog.exam_enabled.setChecked(True)
    exam_day = date.fromordinal(today_of(clock)) + timedelta(days=20)
    dialog.exam_date.setDate(QDate(exam_day.year, exam_day.month, exam_day.day))
    dialog.exam_target.setValue(90)
    with qtbot.waitSignal(view_model.exam_projected):
        dialog.refresh_exam_panel()
        assert dialog.exam_sentence.text() == "Projecting…"  # on a worker thread meanwhile
    day = f"{exam_day.day} {exam_day.strftime('%B')}"
    assert dialog.exam_sentence.text().startswith("On track: 40 cards, about ")
    assert f"a day until {day}; every card is projected above 90%." in dialog.exam_sentence.text()
    assert "If you stopped now: average recall 0%" in dialog.exam_details.text()
    # One new card a day cannot cover 40 cards in 20 days: projected after a short pause.
    with qtbot.waitSignal(view_model.exam_projected):
        dialog.new_per_day.setValue(1)
    assert dialog.exam_sentence.text().startswith("Not feasible: 40 new cards need 40 days")
    dialog.new_per_day.setValue(20)
    dialog.accept()
    stored = services.decks.get(deck_id).exam
    assert stored is not None
    assert (stored.exam_date, stored.target_recall) == (exam_day, 0.9)


def test_only_the_latest_projection_reaches_the_panel(
    qtbot: QtBot,
    services: Services,
    make_deck: DeckMaker,
    view_model: DeckOptionsViewModel,
    clock: ManualClock,
) -> None:
    deck_id = make_deck("Airway", 30)
    services.exams.set_exam(deck_id, ExamPlan(date.fromordinal(today_of(clock) + 10), 0.9))
    dialog = open_dialog(qtbot, view_model, deck_id)
    results: list[str] = []
    view_model.exam_projected.connect(lambda sentence, _details: results.append(sentence))
    dialog.new_per_day.setValue(1)  # 30 days of new cards: not feasible
    dialog.refresh_exam_panel()
    dialog.new_per_day.setValue(5)  # 6 days: on track
    with qtbot.waitSignal(view_model.exam_projected):
        dialog.refresh_exam_panel()
    qtbot.wait(50)  # any earlier projection has had time to come back, and was dropped
    assert len(results) == 1
    assert results[0].startswith("On track: 30 cards")
    assert dialog.exam_sentence.text() == results[0]


def test_saving_reschedules_says_so_and_undo_takes_it_all_back(
    qtbot: QtBot,
    make_gui: Callable[..., Gui],
    gui_context: GuiContext,
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
) -> None:
    deck_id = make_deck("Cardiac", 3)
    today = today_of(clock)
    for card_id in card_ids(database, deck_id):
        make_review(database, card_id, due=today + 20, interval=20, stability=20.0)
    gui = make_gui(replace(gui_context, deck_options=services))
    launcher = gui.window.deck_options
    assert launcher is not None
    dialog = DeckOptionsDialog(launcher.view_model, deck_id, gui.window)
    qtbot.addWidget(dialog)
    dialog.reschedule.setChecked(True)
    dialog.retention.setValue(0.8)
    dialog.accept()
    assert gui.window.statusBar().currentMessage() == (
        "Rescheduled 3 cards for the new desired retention."
    )
    assert [due for due, _ in schedules(database, deck_id)] != [today + 20] * 3
    assert gui.window.undo_action.isEnabled()
    assert gui.window.undo_action.text() == "&Undo Deck options"

    gui.window.undo_action.trigger()
    assert services.presets.for_deck(deck_id).desired_retention == 0.9
    assert schedules(database, deck_id) == [(today + 20, 0)] * 3
    assert gui.window.statusBar().currentMessage() == "Undone: Deck options"


def schedules(database: Database, deck_id: int) -> list[tuple[int, int]]:
    """(due, RESCHEDULED log rows) of each card of the deck."""
    found = []
    with database.transaction() as repos:
        for card_id in card_ids(database, deck_id):
            card = repos.cards.get(card_id)
            assert card is not None
            log = repos.reviews.for_card(card_id)
            found.append((card.due, sum(r.kind is ReviewKind.RESCHEDULED for r in log)))
    return found


def test_the_deck_list_opens_options_from_its_context_menu(
    make_gui: Callable[..., Gui],
    gui_context: GuiContext,
    services: Services,
    make_deck: DeckMaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_deck("Pharmacology", 2)
    context = replace(gui_context, deck_options=services)
    gui = make_gui(context)
    launcher = gui.window.deck_options
    assert launcher is not None
    assert launcher.action in gui.window.tree.actions()
    assert launcher.button.isVisible()
    opened: list[int] = []
    monkeypatch.setattr(
        DeckOptionsDialog, "ask", classmethod(lambda _cls, _parent, _vm, deck: opened.append(deck))
    )
    gui.window.refresh_decks(services.decks.by_name("Pharmacology").id)
    launcher.action.trigger()
    assert opened == [services.decks.by_name("Pharmacology").id]


def test_pass_fail_reviewer_offers_again_and_good_only(
    qtbot: QtBot, make_gui: Callable[..., Gui], services: Services, make_deck: DeckMaker
) -> None:
    preset = services.presets.add("Two buttons")
    services.presets.save(replace(preset, pass_fail=True))
    deck_id = make_deck("Two buttons", 2, preset.id)
    gui = make_gui()
    with qtbot.waitSignal(gui.reviewer.counts_changed):
        gui.window.study(deck_id)
    page = gui.window.reviewer
    first = gui.reviewer.card
    assert first is not None
    page.show_answer_button.click()
    visible = {r for r, button in page.grade_buttons.items() if button.isVisible()}
    assert visible == {Rating.AGAIN, Rating.GOOD}
    QTest.keyClick(page, Qt.Key.Key_4)  # Easy is not an answer here
    assert gui.reviewer.card == first
    with qtbot.waitSignal(gui.reviewer.card_shown):
        QTest.keyClick(page, Qt.Key.Key_3)
    assert gui.reviewer.card is not None
    assert gui.reviewer.card.card_id != first.card_id


def test_the_reviewer_says_when_a_card_becomes_a_leech(
    qtbot: QtBot,
    make_gui: Callable[..., Gui],
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
) -> None:
    preset = services.presets.add("Leechy")
    services.presets.save(replace(preset, leech_threshold=2, leech_action=LeechAction.SUSPEND))
    deck_id = make_deck("Leechy", 1, preset.id)
    (card_id,) = card_ids(database, deck_id)
    make_review(database, card_id, due=today_of(clock), interval=3, stability=3.0, lapses=1)
    gui = make_gui()
    with qtbot.waitSignal(gui.reviewer.counts_changed):
        gui.window.study(deck_id)
    gui.window.reviewer.show_answer_button.click()
    with qtbot.waitSignal(gui.reviewer.acted) as said:
        gui.window.reviewer.grade_buttons[Rating.AGAIN].click()
    assert said.args == ["Suspended a leech: this card keeps being forgotten (tagged “leech”)."]
    assert "Suspended a leech" in gui.window.statusBar().currentMessage()
