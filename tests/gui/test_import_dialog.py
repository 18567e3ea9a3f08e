"""File ▸ Import… and drag-and-drop over the real ImportService: the preview, the column mapping,
bad rows, progress with cancel, the summary, and the deck list afterwards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from studyapp.gui.launch import Gui
from studyapp.gui.viewmodels.importer import MAPPING_ROW, ImportViewModel
from studyapp.gui.windows.import_dialog import ImportFileChooser, ImportPreviewDialog
from studyapp.gui.windows.import_summary import ImportSummaryDialog
from studyapp.importers.text import TextImportOptions
from studyapp.services.container import Services
from studyapp.services.imports import ImportSummary, TextPreview

MakeGui = Callable[..., Gui]
Act = Callable[[ImportPreviewDialog], None]

SPANISH = 'Front,Back\nhola,hello\n"línea uno\nlínea dos",two lines\ngato,cat\n'


class Seams:
    """Replaces the blocking dialogs: the file chooser returns given files, the preview dialog is
    built for real and driven by `act`, the summary is recorded (its dialog built and kept)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[Path] = []
        self.act: Act = lambda dialog: dialog.import_button.click()
        self.previews: list[ImportPreviewDialog] = []
        self.summaries: list[ImportSummary] = []
        self.summary_dialogs: list[ImportSummaryDialog] = []
        seams = self

        def choose(parent: QWidget | None, filters: list[str]) -> list[Path]:
            return list(seams.files)

        def preview(
            parent: QWidget | None, vm: ImportViewModel, path: Path, shown: TextPreview
        ) -> TextImportOptions | None:
            dialog = ImportPreviewDialog(vm, path, shown, parent)
            seams.previews.append(dialog)
            seams.act(dialog)
            accepted = dialog.result() == QDialog.DialogCode.Accepted
            return dialog.options() if accepted else None

        def summary(parent: QWidget | None, result: ImportSummary) -> None:
            seams.summaries.append(result)
            seams.summary_dialogs.append(ImportSummaryDialog(result, parent))

        monkeypatch.setattr(ImportFileChooser, "ask", staticmethod(choose))
        monkeypatch.setattr(ImportPreviewDialog, "ask", staticmethod(preview))
        monkeypatch.setattr(ImportSummaryDialog, "ask", staticmethod(summary))


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch) -> Seams:
    return Seams(monkeypatch)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def deck_names(services: Services) -> list[str]:
    return [deck.name for deck in services.decks.deck_list()]


def run_import(qtbot: QtBot, gui: Gui, seams: Seams, *paths: Path) -> None:
    """File ▸ Import… with `paths` chosen; returns when the flow has nothing left to do."""
    seams.files = list(paths)
    with qtbot.waitSignal(gui.window.imports.idle, timeout=10_000):
        gui.window.import_action.trigger()


def test_a_csv_with_a_header_and_a_quoted_newline_imports_into_a_new_deck(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, tmp_path: Path
) -> None:
    path = write(tmp_path, "Spanish.csv", SPANISH)
    gui = make_gui()

    run_import(qtbot, gui, seams, path)

    [dialog] = seams.previews
    assert dialog.header.isChecked()
    assert dialog.separator.currentText() == "Comma"
    assert dialog.deck.currentText() == "Spanish"
    assert dialog.note_type.currentText() == "Basic"
    model = dialog.table_model
    assert model.rowCount() == 1 + 3
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Front"
    assert model.index(2, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "línea uno\nlínea dos"
    assert [box.currentText() for box in dialog.mapping_boxes] == ["Front", "Back"]
    assert dialog.table.indexWidget(model.index(MAPPING_ROW, 1)) is dialog.mapping_boxes[1]
    assert not dialog.bad_rows_frame.isVisibleTo(dialog)

    [summary] = seams.summaries
    assert (summary.added, summary.updated, summary.skipped, summary.cards_added) == (3, 0, 0, 3)
    shown = seams.summary_dialogs[0]
    assert shown.counts["added"].text() == "3"
    assert shown.counts["cards"].text() == "3"
    index = gui.deck_list.index_of_name("Spanish")
    assert index.isValid()
    assert gui.deck_list.counts_at(index) == (3, 0, 0)
    assert "Imported Spanish.csv" in gui.window.statusBar().currentMessage()


def test_the_mapping_deck_and_tags_chosen_in_the_dialog_are_used(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, services: Services, tmp_path: Path
) -> None:
    path = write(tmp_path, "words.csv", "Front,Back\nhola,hello\ngato,cat\n")
    gui = make_gui()

    def act(dialog: ImportPreviewDialog) -> None:
        dialog.mapping_boxes[0].setCurrentText("Back")
        assert not dialog.import_button.isEnabled()  # two columns into Back
        assert "More than one column" in dialog.problem.text()
        dialog.mapping_boxes[1].setCurrentText("Front")
        dialog.deck.setCurrentText("Languages::Spanish")
        dialog.tags.setText("spanish vocab")
        dialog.import_button.click()

    seams.act = act
    run_import(qtbot, gui, seams, path)

    assert seams.summaries[0].added == 2
    assert "Languages::Spanish" in deck_names(services)
    assert gui.deck_list.counts_at(gui.deck_list.index_of_name("Languages::Spanish")) == (2, 0, 0)


def test_changing_the_separator_reads_the_preview_again(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, tmp_path: Path
) -> None:
    path = write(tmp_path, "mixed.txt", "one,two;three\nfour,five;six\nseven,eight;nine\n")
    gui = make_gui()

    def act(dialog: ImportPreviewDialog) -> None:
        assert dialog.separator.currentText() == "Semicolon"
        assert dialog.table_model.index(1, 0).data() == "one,two"
        with qtbot.waitSignal(gui.importer.preview_changed):
            dialog.separator.setCurrentIndex(dialog.separator.findText("Comma"))
        assert dialog.table_model.columnCount() == 2
        assert dialog.table_model.index(1, 0).data() == "one"
        assert dialog.table_model.index(1, 1).data() == "two;three"

        dialog.separator.setCurrentIndex(dialog.separator.findText("Custom…"))
        assert dialog.custom_separator.isEnabled()
        with qtbot.waitSignal(gui.importer.preview_changed, timeout=3000):
            QTest.keyClicks(dialog.custom_separator, "o")  # re-read after a pause in typing
        assert dialog.table_model.index(1, 0).data() == ""
        assert dialog.table_model.columnCount() == 3
        dialog.reject()

    seams.act = act
    run_import(qtbot, gui, seams, path)
    assert seams.previews
    assert seams.summaries == []
    assert "Nothing was imported" in gui.window.statusBar().currentMessage()


def test_ragged_rows_are_listed_and_import_nothing_leaves_the_collection_alone(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, services: Services, tmp_path: Path
) -> None:
    path = write(tmp_path, "ragged.csv", "Front,Back\na,b\nc,d,e\nf,g\nh\n")
    before = services.decks.deck_list()
    gui = make_gui()

    def act(dialog: ImportPreviewDialog) -> None:
        assert dialog.bad_rows_frame.isVisibleTo(dialog)
        listed = dialog.bad_rows_list.toPlainText()
        assert "line 3" in listed
        assert "line 5" in listed
        assert dialog.import_nothing.isChecked()
        model = dialog.table_model
        assert [model.is_bad_row(row) for row in range(1, 5)] == [False, True, False, True]
        assert model.index(2, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
        assert [box.isEnabled() for box in dialog.mapping_boxes] == [True, True, False]
        assert not dialog.import_button.isEnabled()
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()

    seams.act = act
    run_import(qtbot, gui, seams, path)

    assert services.decks.deck_list() == before
    assert seams.summaries == []


def test_skipping_the_bad_rows_imports_the_others_and_reports_them(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, tmp_path: Path
) -> None:
    path = write(tmp_path, "ragged.csv", "Front,Back\na,b\nc,d,e\nf,g\n")
    gui = make_gui()

    def act(dialog: ImportPreviewDialog) -> None:
        dialog.skip_bad_rows.click()
        assert dialog.import_button.isEnabled()
        dialog.import_button.click()

    seams.act = act
    run_import(qtbot, gui, seams, path)

    [summary] = seams.summaries
    assert (summary.added, summary.skipped) == (2, 1)
    assert any("line 3" in message.lower() for message in summary.messages)
    assert "line 3" in seams.summary_dialogs[0].messages.toPlainText().lower()
    assert gui.deck_list.counts_at(gui.deck_list.index_of_name("ragged")) == (2, 0, 0)


def test_cancel_during_an_import_leaves_the_collection_unchanged(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, services: Services, tmp_path: Path
) -> None:
    rows = "".join(f"question {n},answer {n}\n" for n in range(20_000))
    path = write(tmp_path, "big.csv", "Front,Back\n" + rows)
    before = services.decks.deck_list()
    gui = make_gui()
    importer = gui.importer
    importer.import_progressed.connect(lambda done, total: importer.cancel())

    with qtbot.waitSignals(
        [importer.import_cancelled, gui.window.imports.message_shown], timeout=30_000
    ):
        seams.files = [path]
        gui.window.import_action.trigger()

    assert not importer.busy
    assert services.decks.deck_list() == before
    assert seams.summaries == []
    box = gui.window.imports.message_box
    assert box is not None
    assert box.isVisible()
    assert "Nothing was imported" in box.text()
    assert gui.window.import_action.isEnabled()


def test_a_broken_package_shows_a_clear_error_and_imports_nothing(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "broken.apkg"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    before = services.decks.deck_list()
    gui = make_gui()

    with qtbot.waitSignal(gui.window.imports.message_shown, timeout=10_000) as shown:
        seams.files = [path]
        gui.window.import_action.trigger()

    text = str(shown.args[0]) if shown.args else ""
    assert "broken.apkg" in text or "package" in text.lower()
    assert "Nothing was imported" in text
    assert seams.previews == []
    assert services.decks.deck_list() == before


def test_an_empty_text_file_is_refused_before_the_preview(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, tmp_path: Path
) -> None:
    path = write(tmp_path, "empty.csv", "")
    gui = make_gui()
    with qtbot.waitSignal(gui.window.imports.message_shown, timeout=5000):
        seams.files = [path]
        gui.window.import_action.trigger()
    assert seams.previews == []


def drop(window: QWidget, paths: list[Path]) -> tuple[bool, bool]:
    """Drag `paths` over `window` and drop them; whether the enter and the drop were accepted."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    point = window.rect().center()
    action = Qt.DropAction.CopyAction
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, action, data, left, none)
    QApplication.sendEvent(window, enter)
    dropped = QDropEvent(point, action, data, left, none)
    QApplication.sendEvent(window, dropped)
    return enter.isAccepted(), dropped.isAccepted()


def test_dropping_a_csv_on_the_window_starts_the_import(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, tmp_path: Path
) -> None:
    path = write(tmp_path, "Dropped.csv", SPANISH)
    gui = make_gui()

    with qtbot.waitSignal(gui.window.imports.idle, timeout=10_000):
        assert drop(gui.window, [path]) == (True, True)

    assert [d.windowTitle() for d in seams.previews] == ["Import Dropped.csv"]
    assert seams.summaries[0].added == 3
    assert gui.deck_list.counts_at(gui.deck_list.index_of_name("Dropped")) == (3, 0, 0)


def test_files_that_cannot_be_imported_are_not_accepted_for_dropping(
    make_gui: MakeGui, seams: Seams, tmp_path: Path
) -> None:
    gui = make_gui()
    assert drop(gui.window, [tmp_path / "setup.exe"]) == (False, False)
    assert seams.previews == []


def test_the_import_menu_item_and_its_shortcut(make_gui: MakeGui) -> None:
    action = make_gui().window.import_action
    assert "Ctrl+Shift+I" in {s.toString() for s in action.shortcuts()}
    assert action.text() == "&Import…"


def test_every_control_of_the_import_dialogs_has_an_accessible_name(
    qtbot: QtBot, make_gui: MakeGui, seams: Seams, tmp_path: Path
) -> None:
    path = write(tmp_path, "ragged.csv", "Front,Back\na,b\nc,d,e\n")
    gui = make_gui()

    def act(dialog: ImportPreviewDialog) -> None:
        dialog.skip_bad_rows.click()
        dialog.import_button.click()

    seams.act = act
    run_import(qtbot, gui, seams, path)

    kinds = (QAbstractButton, QLineEdit, QComboBox, QTableView, QPlainTextEdit)
    for dialog in (*seams.previews, *seams.summary_dialogs):
        assert dialog.accessibleName()
        controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)]
        assert controls
        unnamed = [
            f"{type(w).__name__} {w.objectName()!r}" for w in controls if not w.accessibleName()
        ]
        assert unnamed == []
