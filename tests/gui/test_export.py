"""File ▸ Export… over the real ExportService: the options dialog, the file name, the export on a
worker, the summary, and errors as messages."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from studyapp.app import open_collection
from studyapp.domain.clock import ManualClock
from studyapp.gui.launch import Gui
from studyapp.gui.tasks import Task
from studyapp.gui.viewmodels.exporter import ExportOptions, default_file_name, with_suffix
from studyapp.gui.widgets.task_progress import TaskProgressDialog
from studyapp.gui.windows.export_dialog import ExportDialog, ExportFileChooser
from studyapp.gui.windows.export_flow import summary_text
from studyapp.services.container import Services
from studyapp.services.exports import ExportFormat, ExportResult
from studyapp.storage.database import sqlite_url
from tests.gui.sample_decks import EMT_DECK, answer_all_new

MakeGui = Callable[..., Gui]
Act = Callable[[ExportDialog], None]


class Seams:
    """Replaces the blocking dialogs: the export dialog is built for real and driven by `act`;
    the save dialog returns `target` (and records what it was asked with)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.act: Act = lambda dialog: dialog.export_button.click()
        self.target: Path | None = None
        self.dialogs: list[ExportDialog] = []
        self.suggested: list[tuple[ExportFormat, Path]] = []
        seams = self

        def ask_options(
            parent: QWidget | None, names: list[str], deck: str | None = None
        ) -> ExportOptions | None:
            dialog = ExportDialog(names, deck, parent)
            seams.dialogs.append(dialog)
            seams.act(dialog)
            return dialog.options() if dialog.result() == ExportDialog.DialogCode.Accepted else None

        def ask_file(
            parent: QWidget | None, export_format: ExportFormat, suggested: Path
        ) -> Path | None:
            seams.suggested.append((export_format, suggested))
            return seams.target

        monkeypatch.setattr(ExportDialog, "ask", staticmethod(ask_options))
        monkeypatch.setattr(ExportFileChooser, "ask", staticmethod(ask_file))


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch) -> Seams:
    return Seams(monkeypatch)


def choose(deck: str | None, export_format: ExportFormat) -> Act:
    def act(dialog: ExportDialog) -> None:
        dialog.deck_box.setCurrentIndex(dialog.deck_box.findData(deck))
        assert dialog.select_format(export_format)
        dialog.export_button.click()

    return act


@pytest.fixture
def second_collection(tmp_path: Path, clock: ManualClock) -> Iterator[Services]:
    media = tmp_path / "second-media"
    media.mkdir()
    database, services = open_collection(sqlite_url(tmp_path / "second.sqlite"), clock, media)
    yield services
    database.close()


def test_exporting_a_deck_as_an_anki_package_reads_back_into_another_collection(
    make_gui: MakeGui,
    services: Services,
    seams: Seams,
    second_collection: Services,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    answered = answer_all_new(services, services.decks.by_name(EMT_DECK).id)
    assert answered > 0
    gui = make_gui()
    seams.act = choose(EMT_DECK, ExportFormat.APKG)
    seams.target = tmp_path / "emt"  # no suffix typed: .apkg is added

    with qtbot.waitSignal(gui.window.exports.message_shown, timeout=15_000) as shown:
        gui.window.export_action.trigger()

    target = tmp_path / "emt.apkg"
    assert target.is_file()
    assert seams.suggested[0][0] is ExportFormat.APKG
    assert seams.suggested[0][1].name == "EMT vs EMS.apkg"
    notes = len(services.exports.bundle(EMT_DECK).notes)
    message = str(shown.args[0])
    assert message.startswith(f"Exported {notes} notes, ")
    assert f"{answered} reviews and 0 media files to " in message
    box = gui.window.exports.message_box
    assert box is not None
    assert box.icon() is QMessageBox.Icon.Information
    assert gui.window.export_action.isEnabled()

    summary = second_collection.imports.import_file(target)
    assert summary.failed == 0
    assert summary.added + summary.updated + summary.unchanged == notes
    assert len(second_collection.exports.bundle(EMT_DECK).notes) == notes


def test_the_studyapp_deck_format_is_only_offered_for_a_single_deck(qtbot: QtBot) -> None:
    dialog = ExportDialog([EMT_DECK, "Languages::Tiny"])
    qtbot.addWidget(dialog)
    assert dialog.chosen_deck() is None
    assert dialog.deck_box.currentText() == "All decks"
    assert ExportFormat.DECK not in dialog.available_formats()
    assert not dialog.select_format(ExportFormat.DECK)

    dialog.deck_box.setCurrentIndex(dialog.deck_box.findData("Languages::Tiny"))
    assert ExportFormat.DECK in dialog.available_formats()
    assert dialog.select_format(ExportFormat.DECK)
    assert not dialog.scheduling_box.isEnabled()  # a deck file holds no scheduling or media
    assert not dialog.media_box.isChecked()
    assert dialog.options() == ExportOptions(
        "Languages::Tiny", ExportFormat.DECK, include_scheduling=False, include_media=False
    )

    dialog.deck_box.setCurrentIndex(dialog.deck_box.findData(None))
    assert ExportFormat.DECK not in dialog.available_formats()
    assert dialog.chosen_format() is ExportFormat.APKG
    assert dialog.scheduling_box.isEnabled()
    assert dialog.scheduling_box.isChecked()  # the choice comes back with a format that holds it
    assert dialog.media_box.isChecked()
    assert [dialog.format_box.itemText(i) for i in range(dialog.format_box.count())] == [
        "Anki package (.apkg)",
        "Anki package for Anki 2.1.49 and older (.apkg)",
        "Text with tabs (.txt)",
        "CSV (.csv)",
    ]


def test_export_deck_from_the_deck_list_preselects_the_selected_deck(
    make_gui: MakeGui, services: Services, seams: Seams, qtbot: QtBot, tmp_path: Path
) -> None:
    gui = make_gui()
    gui.window.select_deck(services.decks.by_name(EMT_DECK).id)
    action = gui.window.file_menu.export_deck_action
    assert action in gui.window.tree.actions()
    assert action.isEnabled()
    seams.act = lambda dialog: dialog.reject()

    action.trigger()

    assert seams.dialogs[0].chosen_deck() == EMT_DECK
    assert seams.suggested == []  # cancelled: no save dialog, nothing written
    assert list(tmp_path.glob("*.apkg")) == []


def test_a_text_export_of_all_decks_writes_every_note(
    make_gui: MakeGui, services: Services, seams: Seams, qtbot: QtBot, tmp_path: Path
) -> None:
    gui = make_gui()
    seams.act = choose(None, ExportFormat.TEXT)
    seams.target = tmp_path / "all.txt"

    with qtbot.waitSignal(gui.window.exports.exported, timeout=15_000) as done:
        gui.window.export_action.trigger()

    result = done.args[0]
    assert isinstance(result, ExportResult)
    assert result.notes == len(services.exports.bundle(None).notes) > 0
    assert result.reviews == 0
    assert seams.suggested[0][1].name == "StudyApp collection.txt"
    assert (tmp_path / "all.txt").read_text(encoding="utf-8").startswith("#separator:tab")


def test_an_unwritable_target_shows_a_message_and_writes_nothing(
    make_gui: MakeGui, seams: Seams, qtbot: QtBot, tmp_path: Path
) -> None:
    gui = make_gui()
    seams.act = choose(EMT_DECK, ExportFormat.CSV)
    seams.target = tmp_path / "missing folder" / "emt.csv"

    with qtbot.waitSignal(gui.window.exports.message_shown, timeout=15_000) as shown:
        gui.window.export_action.trigger()

    message = str(shown.args[0])
    assert message.startswith("Cannot write ")
    assert message.endswith("Nothing was exported.")
    box = gui.window.exports.message_box
    assert box is not None
    assert box.icon() is QMessageBox.Icon.Warning
    assert not seams.target.parent.exists()
    assert gui.window.export_action.isEnabled()  # and the window carries on
    assert not gui.window.exports.busy


def test_file_names_and_the_summary_read_well() -> None:
    assert default_file_name("Languages::Tiny", ExportFormat.DECK) == "Languages - Tiny.toml"
    assert default_file_name('a/b:"c"', ExportFormat.CSV) == "a_b__c_.csv"
    assert with_suffix(Path("x.apkg"), ExportFormat.APKG_LEGACY) == Path("x.apkg")
    assert with_suffix(Path("x.csv"), ExportFormat.TEXT) == Path("x.csv.txt")
    text = summary_text(ExportResult(Path("/tmp/one.apkg"), 1, 1, 1, 1))
    assert text == "Exported 1 note, 1 card, 1 review and 1 media file to /tmp/one.apkg."


def test_the_export_progress_has_no_cancel_as_an_export_cannot_stop_half_way(
    qtbot: QtBot,
) -> None:
    release = threading.Event()
    task: Task[int] = Task(lambda progress, cancelled: 1 if release.wait(10) else 0)
    dialog = TaskProgressDialog(task, "Exporting", "Exporting to x.apkg…", None, cancellable=False)
    qtbot.addWidget(dialog)
    task.start()
    dialog.show()

    dialog.reject()  # Escape or the close button

    assert not dialog.buttons.isVisible()
    assert not task.cancel_requested
    assert dialog.isVisible()
    with qtbot.waitSignal(task.succeeded, timeout=5_000):
        release.set()
    qtbot.waitUntil(lambda: not dialog.isVisible())
