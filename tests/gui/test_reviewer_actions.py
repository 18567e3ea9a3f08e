"""Card actions while studying: keys, More menu, undo and redo, flags and marks, sound, images."""

from __future__ import annotations

import struct
import wave
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from studyapp.domain.cards import BuryKind, Card, Note
from studyapp.domain.clock import ManualClock, to_epoch
from studyapp.gui.launch import Gui, GuiContext
from studyapp.gui.windows.confirmation import Confirmation
from studyapp.services.container import Services
from studyapp.storage.database import Database

MakeGui = Callable[..., Gui]
Keys = Qt.KeyboardModifier


def add_note(
    database: Database,
    clock: ManualClock,
    deck: str,
    fields: tuple[str, str],
    note_type: str = "Basic",
) -> list[int]:
    """A note (and its cards, new) in `deck`; returns the card ids."""
    from studyapp.services.collection import ensure_deck

    now = to_epoch(clock.now())
    with database.transaction() as repos:
        deck_id = ensure_deck(repos, deck, 1).id
        kind = repos.note_types.by_name(note_type)
        assert kind is not None
        values = (*fields, *("" for _ in kind.fields[2:]))
        note = repos.notes.add(Note(0, f"{deck}-{fields[0]}", kind.id, values, (), now, now))
        position = repos.cards.next_new_position()
        return [
            repos.cards.add(Card(0, note.id, deck_id, ordinal, due=position + ordinal), now).id
            for ordinal in range(len(kind.templates))
        ]


def card(database: Database, card_id: int) -> Card | None:
    with database.transaction() as repos:
        return repos.cards.get(card_id)


@pytest.fixture
def study(
    qtbot: QtBot, make_gui: MakeGui, services: Services, database: Database, clock: ManualClock
) -> Callable[..., Gui]:
    """Opens the reviewer on deck "Actions" (three Basic notes, then the given ones)."""

    def open_deck(*notes: tuple[str, str, str]) -> Gui:
        for front, back, kind in notes:
            add_note(database, clock, "Actions", (front, back), kind)
        for number in range(1, 4):
            add_note(database, clock, "Actions", (f"Question {number}", f"Answer {number}"))
        gui = make_gui()
        with qtbot.waitSignal(gui.reviewer.card_shown):
            gui.window.study(services.decks.by_name("Actions").id)
        return gui

    return open_deck


def shown(gui: Gui) -> int:
    assert gui.reviewer.card is not None
    return gui.reviewer.card.card_id


def press(gui: Gui, key: Qt.Key, modifiers: Qt.KeyboardModifier = Keys.NoModifier) -> None:
    QTest.keyClick(gui.window.reviewer, key, modifiers)


def marks(gui: Gui) -> tuple[int, bool, bool]:
    """The flag and star the reviewer shows, and whether it shows any."""
    shown = gui.window.reviewer.marks
    return shown.flag, shown.marked, shown.isVisible()


def playing(gui: Gui) -> tuple[Path | None, tuple[Path, ...]]:
    audio = gui.window.reviewer.audio
    return audio.source, audio.queued


def undo(gui: Gui) -> None:
    press(gui, Qt.Key.Key_Z, Keys.ControlModifier)


def redo(gui: Gui) -> None:
    press(gui, Qt.Key.Key_Z, Keys.ControlModifier | Keys.ShiftModifier)


@pytest.mark.parametrize(
    ("key", "label", "whole_note"),
    [
        (Qt.Key.Key_Minus, "Bury card", False),
        (Qt.Key.Key_Equal, "Bury note", True),
        (Qt.Key.Key_At, "Suspend card", False),
        (Qt.Key.Key_Exclam, "Suspend note", True),
    ],
)
def test_bury_and_suspend_keys_move_on_and_undo_and_redo_them(
    study: MakeGui, database: Database, key: Qt.Key, label: str, whole_note: bool
) -> None:
    gui = study(("Two-sided", "Back", "Basic (and reversed card)"))
    first = shown(gui)
    sibling = first + 1
    assert gui.window.reviewer.counter.accessibleDescription().startswith("New 5")

    press(gui, key)

    assert shown(gui) != first
    assert (shown(gui) != sibling) == whole_note
    hidden = card(database, first)
    other = card(database, sibling)
    assert hidden is not None
    assert other is not None
    if label.startswith("Bury"):
        assert hidden.buried is BuryKind.MANUAL
        assert (other.buried is BuryKind.MANUAL) == whole_note
    else:
        assert hidden.suspended
        assert other.suspended == whole_note
    assert gui.window.undo_action.text() == f"&Undo {label}"
    left = 3 if whole_note else 4
    assert gui.window.reviewer.counter.accessibleDescription().startswith(f"New {left}")

    undo(gui)
    assert shown(gui) == first
    restored = card(database, first)
    assert restored is not None
    assert (restored.buried, restored.suspended) == (BuryKind.NONE, False)
    assert gui.window.redo_action.text() == f"&Redo {label}"
    assert gui.window.redo_action.isEnabled()

    redo(gui)
    assert shown(gui) != first
    again = card(database, first)
    assert again == hidden
    assert not gui.window.redo_action.isEnabled()


def test_ctrl_number_flags_the_card_and_the_same_key_clears_it(
    study: MakeGui, database: Database
) -> None:
    gui = study()
    page = gui.window.reviewer
    first = shown(gui)
    assert not page.marks.isVisible()

    press(gui, Qt.Key.Key_1, Keys.ControlModifier)
    assert page.marks.isVisible()
    assert page.marks.flag == 1
    assert page.marks.accessibleName() == "Red flag"
    assert shown(gui) == first  # a flag leaves the card on screen
    flagged = card(database, first)
    assert flagged is not None
    assert flagged.flag == 1

    press(gui, Qt.Key.Key_4, Keys.ControlModifier)
    assert page.marks.flag == 4
    assert page.card_actions.flag_actions[4].isChecked()

    press(gui, Qt.Key.Key_4, Keys.ControlModifier)
    assert page.marks.flag == 0
    assert not page.marks.isVisible()
    assert gui.window.undo_action.text() == "&Undo Remove flag"

    undo(gui)
    assert page.marks.flag == 4
    undo(gui)
    assert page.marks.flag == 1
    redo(gui)
    assert page.marks.flag == 4
    stored = card(database, first)
    assert stored is not None
    assert stored.flag == 4


def test_every_flag_key_sets_its_flag(study: MakeGui) -> None:
    gui = study()
    for number, key in enumerate(
        (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6,
         Qt.Key.Key_7),
        start=1,
    ):  # fmt: skip
        press(gui, key, Keys.ControlModifier)
        assert gui.window.reviewer.marks.flag == number


def test_star_key_marks_the_note_and_shows_a_star(study: MakeGui, database: Database) -> None:
    gui = study()
    page = gui.window.reviewer
    first = shown(gui)

    press(gui, Qt.Key.Key_Asterisk)
    assert page.marks.marked
    assert page.marks.accessibleName() == "Marked"
    assert page.card_actions.mark_action.isChecked()
    with database.transaction() as repos:
        note = repos.notes.get(repos.cards.get(first).note_id)  # type: ignore[union-attr]
    assert note is not None
    assert note.tags == ("marked",)

    press(gui, Qt.Key.Key_1, Keys.ControlModifier)
    assert page.marks.accessibleName() == "Red flag, Marked"

    undo(gui)
    undo(gui)
    assert marks(gui) == (0, False, False)
    redo(gui)
    assert marks(gui) == (0, True, True)
    assert gui.window.undo_action.text() == "&Undo Mark note"


def test_ctrl_delete_asks_then_deletes_the_note_and_undo_brings_it_back(
    study: MakeGui, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = study(("Two-sided", "Back", "Basic (and reversed card)"))
    first = shown(gui)
    asked: list[str] = []

    def refuse(_parent: object, _title: str, text: str, _action: str) -> bool | None:
        asked.append(text)
        return None

    monkeypatch.setattr(Confirmation, "ask", refuse)
    press(gui, Qt.Key.Key_Delete, Keys.ControlModifier)
    assert asked == ["Delete this note and its 2 card(s), with their review history?"]
    assert shown(gui) == first
    assert card(database, first) is not None

    monkeypatch.setattr(Confirmation, "ask", lambda *_args: True)
    press(gui, Qt.Key.Key_Delete, Keys.ControlModifier)
    assert card(database, first) is None
    assert card(database, first + 1) is None
    assert shown(gui) != first
    assert gui.window.undo_action.text() == "&Undo Delete note"

    undo(gui)
    assert shown(gui) == first
    assert card(database, first + 1) is not None
    redo(gui)
    assert card(database, first) is None


def test_e_edits_the_note_on_screen_and_shows_it_again(
    qtbot: QtBot, make_gui: MakeGui, gui_context: GuiContext, services: Services,
    database: Database, clock: ManualClock, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from studyapp.gui.windows.edit_note_dialog import EditNoteDialog

    (card_id,) = add_note(database, clock, "Edit", ("Old front", "Back"))
    gui = make_gui(replace(gui_context, note_services=services))
    with qtbot.waitSignal(gui.reviewer.card_shown):
        gui.window.study(services.decks.by_name("Edit").id)
    edited: list[int] = []

    def edit(_parent: object, _view_model: object, note_id: int) -> int:
        edited.append(note_id)
        with database.transaction() as repos:
            note = repos.notes.get(note_id)
            assert note is not None
            repos.notes.update(replace(note, fields=("New front", "Back", "")))
        return note_id

    monkeypatch.setattr(EditNoteDialog, "ask", edit)
    press(gui, Qt.Key.Key_E)

    stored = card(database, card_id)
    assert stored is not None
    assert edited == [stored.note_id]
    assert "New front" in gui.window.reviewer.browser.toPlainText()


def test_single_keys_do_nothing_while_a_text_field_has_focus(
    study: MakeGui, qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = study()
    page = gui.window.reviewer
    first = shown(gui)
    answer_box = QLineEdit(page.browser.parentWidget())  # where a type-in answer box sits
    answer_box.show()
    answer_box.setFocus()
    qtbot.waitUntil(answer_box.hasFocus)
    monkeypatch.setattr(Confirmation, "ask", lambda *_args: True)
    edits: list[int] = []
    page.card_actions.edit_requested.connect(edits.append)

    for key, modifiers in (
        (Qt.Key.Key_Minus, Keys.NoModifier),
        (Qt.Key.Key_Equal, Keys.NoModifier),
        (Qt.Key.Key_At, Keys.NoModifier),
        (Qt.Key.Key_Exclam, Keys.NoModifier),
        (Qt.Key.Key_Asterisk, Keys.NoModifier),
        (Qt.Key.Key_E, Keys.NoModifier),
        (Qt.Key.Key_R, Keys.NoModifier),
        (Qt.Key.Key_1, Keys.ControlModifier),
        (Qt.Key.Key_Delete, Keys.ControlModifier),
    ):
        QTest.keyClick(answer_box, key, modifiers)

    assert shown(gui) == first
    after = card(database, first)
    assert after is not None
    assert (after.buried, after.suspended, after.flag) == (BuryKind.NONE, False, 0)
    assert not page.marks.isVisible()
    assert edits == []
    assert answer_box.text() == "-=@!*er"
    assert gui.window.undo_action.text() == "&Undo"

    page.show_answer_button.setFocus()
    qtbot.waitUntil(page.show_answer_button.hasFocus)
    press(gui, Qt.Key.Key_Minus)
    assert shown(gui) != first


def test_the_more_menu_lists_the_actions_with_their_keys(study: MakeGui) -> None:
    gui = study()
    page = gui.window.reviewer
    texts = [a.text() for a in page.card_actions.menu.actions() if not a.isSeparator()]

    assert texts == [
        "&Edit note\tE",
        "&Replay audio\tR",
        "&Flag",
        "&Mark note\t*",
        "&Bury card\t-",
        "Bury &note\t=",
        "&Suspend card\t@",
        "Sus&pend note\t!",
        "&Delete note…\tCtrl+Del",
    ]
    first = shown(gui)
    page.card_actions.bury_card_action.trigger()
    assert shown(gui) != first
    page.card_actions.flag_actions[3].trigger()
    assert page.marks.flag == 3


def wav(path: Path) -> Path:
    """A tenth of a second of silence."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<800h", *([0] * 800)))
    return path


def test_sounds_play_when_the_card_shows_and_r_replays_them(
    qtbot: QtBot, make_gui: MakeGui, services: Services, database: Database, clock: ManualClock,
    media_dir: Path,
) -> None:  # fmt: skip
    hello = wav(media_dir / "hello.wav")
    bye = wav(media_dir / "bye.wav")
    wav(media_dir.parent / "outside.wav")
    back = "[sound:../outside.wav] Bye [sound:bye.wav]"
    add_note(database, clock, "Sound", ("Listen [sound:hello.wav]", back))
    gui = make_gui()
    page = gui.window.reviewer

    with qtbot.waitSignal(gui.reviewer.card_shown):
        gui.window.study(services.decks.by_name("Sound").id)
    assert page.audio.source == hello
    assert "[sound:" not in page.browser.toPlainText()
    assert "\u25b6" in page.browser.toPlainText()

    page.show_answer_button.click()
    assert playing(gui) == (bye, ())  # the answer's own sound; the file outside is refused

    page.audio.stop()
    press(gui, Qt.Key.Key_R)  # the whole answer side, question included (as in Anki)
    assert playing(gui) == (hello, (bye,))

    page.browser.sound_clicked.emit("hello.wav")
    assert page.audio.source == hello


def test_sounds_wait_for_r_when_autoplay_is_off(
    qtbot: QtBot, make_gui: MakeGui, services: Services, database: Database, clock: ManualClock,
    media_dir: Path,
) -> None:  # fmt: skip
    hello = wav(media_dir / "hello.wav")
    add_note(database, clock, "Quiet", ("Listen [sound:hello.wav]", "Back"))
    services.settings.save(replace(services.settings.get(), autoplay_audio=False))
    gui = make_gui()
    page = gui.window.reviewer

    with qtbot.waitSignal(gui.reviewer.card_shown):
        gui.window.study(services.decks.by_name("Quiet").id)
    assert page.audio.source is None

    press(gui, Qt.Key.Key_R)
    assert page.audio.source == hello


def image_widths(gui: Gui) -> list[float]:
    document = gui.window.reviewer.browser.document()
    widths = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            image = fragments.fragment().charFormat().toImageFormat()
            if image.isValid():
                widths.append(image.width())
            fragments += 1
        block = block.next()
    return widths


def test_images_wider_than_the_card_are_scaled_to_fit(
    qtbot: QtBot, make_gui: MakeGui, services: Services, database: Database, clock: ManualClock,
    media_dir: Path,
) -> None:  # fmt: skip
    for name, width in (("wide.png", 3000), ("small.png", 40)):
        image = QImage(width, 100, QImage.Format.Format_RGB32)
        image.fill(QColor("teal"))
        image.save(str(media_dir / name))
    add_note(database, clock, "Pictures", ('<img src="wide.png"><img src="small.png">', "Back"))
    gui = make_gui()
    gui.window.resize(700, 500)
    with qtbot.waitSignal(gui.reviewer.card_shown):
        gui.window.study(services.decks.by_name("Pictures").id)
    browser = gui.window.reviewer.browser

    wide, small = image_widths(gui)
    assert 0 < wide < browser.viewport().width()
    assert small == 40
    narrow_before = wide

    gui.window.resize(1000, 500)
    qtbot.waitUntil(lambda: image_widths(gui)[0] > narrow_before)
    assert image_widths(gui)[0] < browser.viewport().width()
    assert image_widths(gui)[1] == 40
    assert browser.horizontalScrollBar().maximum() == 0


def test_the_settings_dialog_turns_automatic_audio_off(qtbot: QtBot, services: Services) -> None:
    from studyapp.gui.windows.settings_dialog import SettingsDialog

    dialog = SettingsDialog(services.settings.get())
    qtbot.addWidget(dialog)
    assert dialog.autoplay.isChecked()
    assert dialog.autoplay.accessibleName() == "Play audio automatically"

    dialog.autoplay.setChecked(False)
    services.settings.save(dialog.result_settings())

    assert services.settings.get().autoplay_audio is False
