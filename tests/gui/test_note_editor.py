"""The note editor, the Add and Edit dialogs, the note types window, and type-in and cloze
cards in the reviewer, over real services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from studyapp.domain.cards import NoteType
from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.viewmodels.note_editor import NoteEditorViewModel
from studyapp.gui.viewmodels.note_types import NoteTypesViewModel
from studyapp.gui.widgets.note_editor import NoteEditor
from studyapp.gui.widgets.note_fields import RichFieldEdit
from studyapp.gui.windows.add_note_dialog import AddNoteDialog
from studyapp.gui.windows.edit_note_dialog import EditNoteDialog
from studyapp.gui.windows.note_types_window import NoteTypesWindow
from studyapp.services.container import Services
from studyapp.services.notes import NoteDraft
from studyapp.storage.database import Database
from tests.conftest import DeckMaker

MakeGui = Callable[..., Gui]


def note_type(services: Services, name: str) -> NoteType:
    return next(t for t in services.notes.note_types() if t.name == name)


def notes_of(database: Database, type_id: int) -> list[tuple[str, ...]]:
    with database.transaction() as repos:
        return [n.fields for n in repos.note_store.of_type(type_id)]


@pytest.fixture
def deck(make_deck: DeckMaker) -> int:
    return make_deck("EMT", 0)


@pytest.fixture
def media(data_dir: Path) -> Path:
    """The media folder of the collection the `services` fixture opened."""
    return data_dir / "media"


@pytest.fixture
def view_model(services: Services, media: Path) -> NoteEditorViewModel:
    return NoteEditorViewModel(services.notes, media)


@pytest.fixture
def editor(qtbot: QtBot, view_model: NoteEditorViewModel) -> NoteEditor:
    widget = NoteEditor(view_model)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    return widget


def test_typing_and_bold_make_field_html(
    qtbot: QtBot, editor: NoteEditor, services: Services, deck: int
) -> None:
    editor.new_note(note_type(services, "Basic").id, deck)
    front = editor.fields[0]
    front.setFocus()
    QTest.keyClicks(front, "Heart ")
    editor.bold_button.click()
    QTest.keyClicks(front, "rate")
    editor.bold_button.click()
    QTest.keyClicks(front, " & pulse")
    assert editor.field_values()[0] == "Heart <b>rate</b> &amp; pulse"
    assert editor.modified
    editor.numbers_button.click()
    assert editor.field_values()[0] == "<ol><li>Heart <b>rate</b> &amp; pulse</li></ol>"


def test_a_new_note_is_added_with_its_cards(
    qtbot: QtBot, editor: NoteEditor, services: Services, database: Database, deck: int
) -> None:
    basic = note_type(services, "Basic")
    editor.new_note(basic.id, deck)
    editor.fields[0].setPlainText("Apnea")
    editor.fields[1].setPlainText("No breathing")
    editor.tags_edit.setText("airway")
    with qtbot.waitSignal(editor.saved) as saved:
        assert editor.save()
    assert services.notes.get(saved.args[0]).note.tags == ("airway",)
    assert ("Apnea", "No breathing", "") in notes_of(database, basic.id)


def test_attach_image_and_paste_image_store_media(
    qtbot: QtBot, editor: NoteEditor, services: Services, deck: int, media: Path, tmp_path: Path
) -> None:
    editor.new_note(note_type(services, "Basic").id, deck)
    editor.fields[1].setFocus()
    picture = QImage(8, 8, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    source = tmp_path / "ECG strip.png"
    assert picture.save(str(source))
    assert editor.attach(source)
    assert editor.field_values()[1] == '<img src="ECG_strip.png">'
    assert (media / "ECG_strip.png").read_bytes() == source.read_bytes()

    pasted = QMimeData()
    pasted.setImageData(picture)
    field = editor.fields[0]
    assert isinstance(field, RichFieldEdit)
    field.setFocus()
    field.insertFromMimeData(pasted)
    assert editor.field_values()[0] == '<img src="pasted.png">'
    assert (media / "pasted.png").is_file()

    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(str(source))])
    field.insertFromMimeData(dropped)
    assert editor.field_values()[0].count("<img") == 2


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_tags_complete_the_word_being_typed(
    qtbot: QtBot, editor: NoteEditor, services: Services, deck: int
) -> None:
    basic = note_type(services, "Basic")
    services.notes.add(NoteDraft(basic.id, deck, ("a", "b", ""), ("cardiology", "airway")))
    editor.new_note(basic.id, deck)
    editor.tags_edit.setFocus()
    QTest.keyClicks(editor.tags_edit, "airway car")
    completer = editor.tag_completer
    assert completer.completionPrefix() == "car"
    assert completer.currentCompletion() == "cardiology"
    completer.insert_completion(completer.currentCompletion())
    assert editor.tags_edit.text() == "airway cardiology "
    assert editor.tags() == ["airway", "cardiology"]


def test_duplicate_warning_under_the_first_field(
    qtbot: QtBot, editor: NoteEditor, services: Services, deck: int
) -> None:
    basic = note_type(services, "Basic")
    existing = services.notes.add(NoteDraft(basic.id, deck, ("<i>Stridor</i>", "sound", "")))
    editor.new_note(basic.id, deck)
    assert not editor.duplicate_label.isVisibleTo(editor)
    editor.fields[0].setPlainText("stridor")
    qtbot.waitUntil(lambda: editor.duplicate_label.isVisibleTo(editor))
    editor.fields[0].setPlainText("wheezing")
    qtbot.waitUntil(lambda: not editor.duplicate_label.isVisibleTo(editor))
    assert editor.load_note(existing.id)  # a note is no duplicate of itself
    assert not editor.duplicate_label.isVisibleTo(editor)


def test_preview_shows_every_card(
    qtbot: QtBot, editor: NoteEditor, services: Services, deck: int
) -> None:
    editor.new_note(note_type(services, "Basic (and reversed card)").id, deck)
    assert editor.no_cards_label.isVisibleTo(editor)
    editor.fields[0].setPlainText("Bradycardia")
    editor.fields[1].setPlainText("Slow heart rate")
    qtbot.waitUntil(lambda: editor.preview_tabs.count() == 2)
    assert [editor.preview_tabs.tabText(i) for i in range(2)] == ["Card 1", "Card 2"]
    assert editor.preview.toPlainText().strip() == "Bradycardia"
    editor.preview_tabs.setCurrentIndex(1)
    assert editor.preview.toPlainText().strip() == "Slow heart rate"
    editor.answer_check.setChecked(True)
    assert "Bradycardia" in editor.preview.toPlainText()
    assert not editor.no_cards_label.isVisibleTo(editor)


def test_markdown_note_types_edit_plain_text(
    qtbot: QtBot, editor: NoteEditor, services: Services, deck: int
) -> None:
    plain = services.note_types.clone(note_type(services, "Basic").id, "Basic (Markdown)")
    services.note_types.set_markdown(plain.id, True)
    editor.new_note(plain.id, deck)
    assert not editor.bold_button.isEnabled()
    QTest.keyClicks(editor.fields[0], "**CPR** rate")
    editor.refresh_checks()
    assert editor.field_values()[0] == "**CPR** rate"
    assert "<strong>CPR</strong>" in editor.previews[0].question_html


def test_add_dialog_adds_two_notes_and_stays_open(
    qtbot: QtBot,
    view_model: NoteEditorViewModel,
    services: Services,
    database: Database,
    deck: int,
) -> None:
    basic = note_type(services, "Basic")
    view_model.last_note_type_id = basic.id
    dialog = AddNoteDialog(view_model, deck)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    assert dialog.type_combo.currentText() == "Basic"
    assert dialog.deck_combo.currentData() == deck
    editor = dialog.editor
    QTest.keyClicks(editor.fields[0], "Tachypnea")
    QTest.keyClicks(editor.fields[1], "Fast breathing")
    editor.tags_edit.setText("resp")
    dialog.add_button.click()
    assert dialog.isVisible()
    assert editor.field_values() == ["", "", ""]
    assert editor.tags() == ["resp"]
    assert "1 card" in dialog.status_label.text()
    QTest.keyClicks(editor.fields[0], "Bradypnea")
    QTest.keyClicks(editor.fields[1], "Slow breathing")
    QTest.keyClick(editor.fields[1], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    added = notes_of(database, basic.id)
    assert added[-2:] == [("Tachypnea", "Fast breathing", ""), ("Bradypnea", "Slow breathing", "")]
    errors: list[str] = []
    view_model.error.connect(errors.append)
    QTest.keyClick(editor.fields[0], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(notes_of(database, basic.id)) == len(added)  # an empty note is refused
    assert errors == ["This note makes no cards: fill in the Front field."]


def test_add_dialog_changes_note_type_keeping_values(
    qtbot: QtBot, view_model: NoteEditorViewModel, services: Services, deck: int
) -> None:
    dialog = AddNoteDialog(view_model, deck)
    qtbot.addWidget(dialog)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findText("Basic"))
    dialog.editor.fields[0].setPlainText("kept")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findText("Cloze"))
    assert [f.accessibleName() for f in dialog.editor.fields] == ["Text", "Back Extra"]
    assert dialog.editor.field_values()[0] == "kept"


def test_edit_dialog_saves_the_note(
    qtbot: QtBot, view_model: NoteEditorViewModel, services: Services, deck: int
) -> None:
    basic = note_type(services, "Basic")
    note = services.notes.add(NoteDraft(basic.id, deck, ("Q", "A", ""), ("old",)))
    dialog = EditNoteDialog(view_model, note.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.editor.field_values()[:2] == ["Q", "A"]
    dialog.editor.fields[1].setPlainText("Answer")
    dialog.editor.tags_edit.setText("new")
    dialog.editor.tags_edit.textEdited.emit("new")
    dialog.save()
    assert dialog.result() == EditNoteDialog.DialogCode.Accepted
    saved = services.notes.get(note.id).note
    assert saved.fields == ("Q", "Answer", "")
    assert saved.tags == ("new",)
    assert services.undo.label() == "Edit note"
    services.undo.undo()
    assert services.notes.get(note.id).note.fields == ("Q", "A", "")
    assert EditNoteDialog.ask(None, view_model, 999_999) is None


def test_note_types_window_previews_templates_live(
    qtbot: QtBot, services: Services, media_dir: Path, deck: int
) -> None:
    basic = services.note_types.add_stock("Basic", "Terms")
    services.notes.add(NoteDraft(basic.id, deck, ("Syncope", "Fainting", "")))
    window = NoteTypesWindow(NoteTypesViewModel(services.note_types), media_dir)
    qtbot.addWidget(window)
    window.show()
    window.select_type("Terms")
    assert window.note_type is not None
    assert window.note_type.name == "Terms"
    assert window.field_list.item(0).text().startswith("Front")
    window.tabs.setCurrentIndex(1)
    assert window.preview.toPlainText().strip() == "Syncope"
    window.front_edit.setPlainText("Define: {{Front}}")
    qtbot.waitUntil(lambda: "Define: Syncope" in window.preview.toPlainText())
    assert window.problems_label.text() == ""
    window.front_edit.setPlainText("{{#Front}}{{Front}}")
    qtbot.waitUntil(lambda: "missing its {{/Front}}" in window.problems_label.text())
    window.front_edit.setPlainText("Define: {{Front}}")
    window.save_template_button.click()
    assert services.note_types.get(basic.id).templates[0].front == "Define: {{Front}}"


def test_note_types_window_fields(
    qtbot: QtBot, services: Services, media_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyapp.gui.windows import note_types_window

    monkeypatch.setattr(
        note_types_window.NameDialog, "ask_stock", staticmethod(lambda _p, _n: ("Basic", "Mine"))
    )
    monkeypatch.setattr(
        note_types_window.NameDialog, "ask", staticmethod(lambda *_args: "Mnemonic")
    )
    window = NoteTypesWindow(NoteTypesViewModel(services.note_types), media_dir)
    qtbot.addWidget(window)
    window.add_type_button.click()
    assert window.note_type is not None
    assert window.note_type.name == "Mine"
    window.add_field_button.click()
    assert window.note_type.fields == ("Front", "Back", "Extra", "Mnemonic")
    window.field_list.setCurrentRow(3)
    window.up_button.click()
    assert window.note_type.fields == ("Front", "Back", "Mnemonic", "Extra")
    assert window.field_list.currentRow() == 2


def open_add_dialogs() -> list[AddNoteDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, AddNoteDialog) and w.isVisible()
    ]


@pytest.fixture
def notes_gui(make_gui: MakeGui, gui_context: GuiContext, services: Services, media: Path) -> Gui:
    context = replace(gui_context, note_services=services, media_dir=media)
    return make_gui(context)


def test_key_a_opens_add_and_undo_removes_the_added_note(
    qtbot: QtBot, notes_gui: Gui, services: Services, database: Database, deck: int
) -> None:
    window = notes_gui.window
    window.refresh_decks(select=deck)
    QTest.keyClick(window.tree, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: len(open_add_dialogs()) == 1)
    add = open_add_dialogs()[0]
    assert add.deck_combo.currentData() == deck
    add.type_combo.setCurrentIndex(add.type_combo.findText("Basic"))
    QTest.keyClicks(add.editor.fields[0], "a e b")  # single-letter keys type into the field
    QTest.keyClicks(add.editor.fields[1], "answer")
    assert len(open_add_dialogs()) == 1
    add.add_button.click()
    basic = note_type(services, "Basic")
    assert ("a e b", "answer", "") in notes_of(database, basic.id)
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert ("a e b", "answer", "") not in notes_of(database, basic.id)
    add.close()


def test_type_in_answer_is_compared_in_the_reviewer(
    qtbot: QtBot, notes_gui: Gui, services: Services, deck: int
) -> None:
    typed = note_type(services, "Basic (type in the answer)")
    services.notes.add(NoteDraft(typed.id, deck, ("Normal adult pulse", "60-100", "")))
    window = notes_gui.window
    with qtbot.waitSignal(notes_gui.reviewer.card_shown):
        window.study(deck)
    reviewer = window.reviewer
    assert reviewer.type_in.isVisible()
    reviewer.focus_card()
    assert reviewer.type_in.hasFocus()
    QTest.keyClicks(reviewer.type_in, "60-10")
    assert reviewer.type_in.text() == "60-10"  # digits typed, not grades
    QTest.keyClick(reviewer.type_in, Qt.Key.Key_Return)
    assert notes_gui.reviewer.revealed
    html = reviewer.browser.toHtml()
    assert "↓" in reviewer.browser.toPlainText()
    assert "#d0d0d0" in html.lower()  # the missed character
    assert not reviewer.type_in.isVisible()


def test_cloze_card_and_hint_in_the_reviewer(
    qtbot: QtBot, notes_gui: Gui, services: Services, deck: int
) -> None:
    custom = services.note_types.add_stock("Cloze", "Cloze with hint")
    custom = services.note_types.add_field(custom.id, "Hint")
    services.note_types.set_template(custom.id, 0, "{{cloze:Text}}{{hint:Hint}}", "{{cloze:Text}}")
    services.notes.add(
        NoteDraft(custom.id, deck, ("{{c1::Epinephrine::drug}} treats anaphylaxis", "", "EpiPen"))
    )
    window = notes_gui.window
    with qtbot.waitSignal(notes_gui.reviewer.card_shown):
        window.study(deck)
    browser = window.reviewer.browser
    text = browser.toPlainText()
    assert "[drug] treats anaphylaxis" in text
    assert "Show hint" in text
    assert "EpiPen" not in text
    browser.anchorClicked.emit(QUrl("#hint-0"))
    assert "EpiPen" in browser.toPlainText()
    notes_gui.reviewer.reveal_answer()
    assert "Epinephrine treats anaphylaxis" in browser.toPlainText()


def test_every_control_of_the_add_dialog_has_an_accessible_name(
    qtbot: QtBot, view_model: NoteEditorViewModel, deck: int
) -> None:
    dialog = AddNoteDialog(view_model, deck)
    qtbot.addWidget(dialog)
    kinds = (QAbstractButton, QLineEdit, QComboBox, QTextEdit, QTabBar)
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)]
    assert len(controls) >= 12
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in controls if not w.accessibleName()]
    assert unnamed == []
