"""Custom study… and Create filtered deck…: the dialogs and what choosing an option does."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from studyapp.domain.cards import Rating
from studyapp.domain.filtered import FilterOrder
from studyapp.gui.windows.custom_study_dialog import (
    CustomStudyDialog,
    CustomStudyKind,
    FilteredDeckDialog,
)
from studyapp.services.container import Services
from tests.conftest import DeckMaker


def test_the_options_follow_the_deck(
    qtbot: QtBot, services: Services, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Airway", 10)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    services.study.answer(step.card.card_id, Rating.AGAIN, 3_000)
    dialog = CustomStudyDialog(services.custom_study.info(deck_id))
    qtbot.addWidget(dialog)
    dialog.show()

    forgotten = dialog.options[CustomStudyKind.FORGOTTEN]
    assert forgotten.text() == "Review cards &forgotten today (1)"
    assert forgotten.isChecked()
    assert not dialog.options[CustomStudyKind.CRAM_TAG].isEnabled()  # no tags in this deck
    assert not dialog.amounts[CustomStudyKind.AHEAD].isEnabled()

    dialog.options[CustomStudyKind.MORE_NEW].setChecked(True)
    dialog.amounts[CustomStudyKind.MORE_NEW].setValue(15)

    assert dialog.amounts[CustomStudyKind.MORE_NEW].isEnabled()
    choice = dialog.choice()
    assert (choice.kind, choice.amount, choice.tag) == (CustomStudyKind.MORE_NEW, 15, None)


def test_nothing_forgotten_starts_on_study_ahead(
    qtbot: QtBot, services: Services, make_deck: DeckMaker
) -> None:
    dialog = CustomStudyDialog(services.custom_study.info(make_deck("Burns", 3)))
    qtbot.addWidget(dialog)

    assert not dialog.options[CustomStudyKind.FORGOTTEN].isEnabled()
    assert dialog.choice().kind is CustomStudyKind.AHEAD
    assert dialog.choice().amount == 3


def test_the_filtered_deck_dialog_builds_a_filter(qtbot: QtBot) -> None:
    dialog = FilteredDeckDialog(None)
    qtbot.addWidget(dialog)
    dialog.name.setText("  Before the exam ")
    dialog.search.setText('deck:"EMT" is:due')
    dialog.limit.setValue(50)
    dialog.order.setCurrentIndex(3)
    dialog.reschedule.setChecked(False)

    name, deck_filter = dialog.value()

    assert name == "Before the exam"
    assert deck_filter.query == 'deck:"EMT" is:due'
    assert (deck_filter.limit, deck_filter.order) == (50, FilterOrder.RETRIEVABILITY)
    assert not deck_filter.reschedule
