"""Decks from documents: generate with progress, review the drafts, add them, see the source."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QThreadPool, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from studyapp.gui.launch import Gui
from studyapp.gui.viewmodels.generation import ACCEPT_COLUMN
from studyapp.gui.windows.draft_review import DraftChoice, DraftReviewDialog
from studyapp.gui.windows.dropped_files import DroppedFileChoice
from studyapp.gui.windows.generation_flow import DocumentChooser
from studyapp.gui.windows.source_view import SourceDialog
from studyapp.services.container import Services
from studyapp.services.generation import GeneratedDocument, SourceView
from tests.gui.sample_decks import install_tiny_deck

MakeGui = Callable[..., Gui]

TIDES = """\
# Ocean tides

## What is a tide?

A tide is the regular rise and fall of the sea surface caused by the pull of the Moon and
the Sun.

## Kinds of tides

Spring tides are tides with the largest range, when the Sun, the Moon and Earth line up.
Neap tides are tides with the smallest range, when the Sun and the Moon pull at right angles.

The three main tidal patterns are diurnal, semidiurnal and mixed.

The National Oceanic and Atmospheric Administration (NOAA) publishes tide predictions for
coastal stations.

Spring tides bring very high and very low water, while neap tides bring only moderate changes.
"""

EDITED_FRONT = "What makes the sea rise and fall?"


@pytest.fixture
def tides(tmp_path: Path) -> Path:
    path = tmp_path / "Ocean tides.md"
    path.write_text(TIDES, encoding="utf-8")
    return path


class Seams:
    """Records what the dialogs were asked, and answers for them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reviewed: list[GeneratedDocument] = []
        self.sources: list[SourceView] = []
        self.drive: Callable[[DraftReviewDialog], DraftChoice | None] = lambda _d: None

        def review(
            parent: QWidget | None, document: GeneratedDocument, decks: list[str]
        ) -> DraftChoice | None:
            self.reviewed.append(document)
            dialog = DraftReviewDialog(document, decks, parent)
            try:
                return self.drive(dialog)
            finally:
                dialog.deleteLater()

        def source(_parent: QWidget | None, view: SourceView) -> None:
            self.sources.append(view)

        monkeypatch.setattr(DraftReviewDialog, "ask", staticmethod(review))
        monkeypatch.setattr(SourceDialog, "ask", staticmethod(source))


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch) -> Seams:
    return Seams(monkeypatch)


def reject_second_edit_first(dialog: DraftReviewDialog) -> DraftChoice | None:
    """What a user does: reject draft 2, retype draft 1's front, keep the default deck, add."""
    model = dialog.model
    total = model.rowCount()
    assert dialog.deck.currentText() == "Ocean tides"
    assert dialog.add_button.text() == f"Add {total} cards"

    dialog.table.selectRow(1)
    dialog.keep.click()
    assert not model.is_accepted(1)
    assert dialog.add_button.text() == f"Add {total - 1} cards"

    dialog.table.selectRow(0)
    first = model.draft(0)
    assert dialog.front.text() == first.front
    assert dialog.source.highlighted_text() == first.source_text
    dialog.front.selectAll()
    QTest.keyClicks(dialog.front, EDITED_FRONT)
    assert model.draft(0).front == EDITED_FRONT
    assert model.index(0, 2).data() == EDITED_FRONT

    dialog.add_button.click()
    assert dialog.result() == DraftReviewDialog.DialogCode.Accepted
    return dialog.choice()


def generate(qtbot: QtBot, gui: Gui, path: Path) -> None:
    with qtbot.waitSignal(
        gui.generation.busy_changed, timeout=10_000, check_params_cb=lambda b: not b
    ):
        assert gui.window.documents.generate(path)


def test_drafts_edited_and_rejected_become_a_new_deck(
    qtbot: QtBot, make_gui: MakeGui, tides: Path, seams: Seams, services: Services
) -> None:
    gui = make_gui()
    seams.drive = reject_second_edit_first
    with qtbot.waitSignal(gui.window.documents.added, timeout=10_000) as added:
        generate(qtbot, gui, tides)

    (document,) = seams.reviewed
    assert len(document.cards) >= 5
    assert added.args is not None
    assert (added.args[0].deck, added.args[0].cards) == ("Ocean tides", len(document.cards) - 1)
    box = gui.window.documents.message_box
    assert box is not None
    assert box.text() == f"Added {len(document.cards) - 1} cards to the deck “Ocean tides”."
    box.accept()
    with qtbot.waitActive(gui.window):
        gui.window.activateWindow()

    index = gui.deck_list.index_of_name("Ocean tides")
    assert index.isValid()
    assert gui.deck_list.counts_at(index) == (len(document.cards) - 1, 0, 0)
    assert gui.window.selected_deck_id() == services.decks.by_name("Ocean tides").id

    # Study it: the edited card comes first, and S shows the sentence it came from.
    with qtbot.waitSignal(gui.reviewer.card_shown):
        gui.window.study_selected()
    page = gui.window.reviewer
    assert EDITED_FRONT in page.browser.toPlainText()
    assert page.source_button.isVisible()
    QTest.keyClick(page.show_answer_button, Qt.Key.Key_S)
    (view,) = seams.sources
    assert view.text[view.start : view.end] == document.cards[0].source_text
    assert not view.changed


def test_s_does_nothing_on_a_card_without_a_document(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, services: Services
) -> None:
    tiny = install_tiny_deck(services)
    gui = make_gui()
    with qtbot.waitSignal(gui.reviewer.card_shown):
        gui.window.study(tiny)
    page = gui.window.reviewer
    assert not page.source_button.isVisible()
    QTest.keyClick(page.show_answer_button, Qt.Key.Key_S)
    assert seams.sources == []


def test_the_source_dialog_highlights_the_exact_sentence(qtbot: QtBot) -> None:
    text = "Intro 🌊 line.\n\nFirst part of a sentence\nthat wraps. After it."
    start = text.index("First")
    end = text.index("After") - 1
    dialog = SourceDialog(SourceView("notes.md", text, start, end, changed=True))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pane.highlighted_text() == text[start:end]
    assert dialog.changed_label.isVisible()
    assert "notes.md" in dialog.windowTitle()

    unchanged = SourceDialog(SourceView("notes.md", text, 0, 5, changed=False))
    qtbot.addWidget(unchanged)
    unchanged.show()
    assert unchanged.pane.highlighted_text() == "Intro"
    assert not unchanged.changed_label.isVisible()


def test_accept_all_and_reject_all(qtbot: QtBot, services: Services, tides: Path) -> None:
    document = services.generation.generate(tides)
    dialog = DraftReviewDialog(document, ["Default"])
    qtbot.addWidget(dialog)
    dialog.reject_all_button.click()
    assert dialog.model.accepted_count() == 0
    assert not dialog.add_button.isEnabled()
    assert not dialog.keep.isChecked()
    unchecked = dialog.model.index(0, ACCEPT_COLUMN).data(Qt.ItemDataRole.CheckStateRole)
    assert unchecked == Qt.CheckState.Unchecked
    dialog.accept_all_button.click()
    assert dialog.add_button.isEnabled()
    assert dialog.add_button.text() == f"Add {len(document.cards)} cards"
    dialog.deck.setCurrentText("  ")
    assert not dialog.add_button.isEnabled()


@pytest.fixture
def held_pool() -> Iterator[threading.Event]:
    """The worker pool kept busy until the event is set: a started task waits its turn."""
    pool = QThreadPool.globalInstance()
    pool.waitForDone()
    before = pool.maxThreadCount()
    pool.setMaxThreadCount(1)
    release = threading.Event()
    pool.start(lambda: release.wait(10))
    yield release
    release.set()
    pool.waitForDone()
    pool.setMaxThreadCount(before)


def test_cancel_while_generating_changes_nothing(
    qtbot: QtBot,
    make_gui: MakeGui,
    tides: Path,
    seams: Seams,
    services: Services,
    held_pool: threading.Event,
) -> None:
    before = services.decks.deck_list()
    gui = make_gui()
    assert gui.window.documents.generate(tides)
    assert not gui.window.new_deck_action.isEnabled()
    progress = gui.window.documents.progress_dialog
    assert progress is not None
    with qtbot.waitSignal(gui.generation.generation_cancelled, timeout=10_000):
        progress.cancel_button.click()
        held_pool.set()
    qtbot.waitUntil(lambda: gui.window.new_deck_action.isEnabled())
    assert seams.reviewed == []
    assert services.decks.deck_list() == before


def test_new_deck_from_document_menu_and_dropped_files(
    qtbot: QtBot,
    make_gui: MakeGui,
    tides: Path,
    tmp_path: Path,
    seams: Seams,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gui = make_gui()
    action = gui.window.new_deck_action
    assert action.shortcut().toString() == "Ctrl+Shift+N"
    monkeypatch.setattr(DocumentChooser, "ask", staticmethod(lambda _p, _f: tides))
    with qtbot.waitSignal(gui.generation.busy_changed, check_params_cb=lambda b: not b):
        action.trigger()
    qtbot.waitUntil(lambda: len(seams.reviewed) == 1)

    # A dropped .txt may be cards to import or a document: the user is asked.
    notes = tmp_path / "notes.txt"
    notes.write_text("Glaciers are slow rivers of ice.\n", encoding="utf-8")
    asked: list[Path] = []

    def choose(_parent: QWidget, path: Path) -> bool | None:
        asked.append(path)
        return None

    monkeypatch.setattr(DroppedFileChoice, "ask", staticmethod(choose))
    gui.window.drops.open([notes])
    assert asked == [notes]
    assert not gui.generation.busy
    assert not gui.window.imports.busy

    # A dropped document: the drop is taken, and the deck is made once the drop has returned.
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tides))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(gui.generation.busy_changed, check_params_cb=lambda b: not b):
        gui.window.dropEvent(drop)
        assert drop.isAccepted()
    qtbot.waitUntil(lambda: len(seams.reviewed) == 2)


def test_an_unreadable_document_is_reported(
    qtbot: QtBot, make_gui: MakeGui, tmp_path: Path, seams: Seams
) -> None:
    gui = make_gui()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    with qtbot.waitSignal(gui.window.documents.message_shown, timeout=10_000) as shown:
        gui.window.documents.generate(broken)
    assert shown.args is not None
    assert "No cards were made." in shown.args[0]
    box = gui.window.documents.message_box
    assert box is not None
    assert box.icon() == QMessageBox.Icon.Warning
    assert seams.reviewed == []
