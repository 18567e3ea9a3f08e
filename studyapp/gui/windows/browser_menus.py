"""The browser's menu bar: Edit (undo, redo, select all, find, saved searches, cards / notes),
Cards (deck, due date, reset, suspend, bury, flags, card info) and Notes (tags, find and replace,
delete), with Anki's shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from studyapp.gui.windows.menus import key_sequences

if TYPE_CHECKING:
    from studyapp.gui.windows.browser_window import BrowserWindow


def build_menus(window: BrowserWindow) -> None:
    bar = window.menuBar()
    edit = bar.addMenu(window.tr("&Edit"))
    window.undo_action = window._action(
        edit,
        window.tr("&Undo"),
        key_sequences(QKeySequence.StandardKey.Undo, "Ctrl+Z"),
        window.tr("Undo the last change to the collection"),
        window.undo,
    )
    window.redo_action = window._action(
        edit,
        window.tr("&Redo"),
        key_sequences("Ctrl+Shift+Z", QKeySequence.StandardKey.Redo),
        window.tr("Redo what was undone"),
        window.redo,
    )
    edit.addSeparator()
    window._action(
        edit,
        window.tr("Select &all"),
        key_sequences(QKeySequence.StandardKey.SelectAll),
        window.tr("Select every row"),
        window.table.selectAll,
    )
    window._action(
        edit,
        window.tr("&Find…"),
        key_sequences("Ctrl+F"),
        window.tr("Go to the search bar"),
        window._focus_search,
    )
    window.save_search_action = window._action(
        edit,
        window.tr("&Save current search…"),
        key_sequences("Ctrl+Shift+S"),
        window.tr("Keep the current search in the sidebar"),
        window.save_search,
    )
    window.remove_search_action = window._action(
        edit,
        window.tr("Remo&ve saved search"),
        [],
        window.tr("Remove the saved search chosen in the sidebar"),
        window.remove_saved_search,
    )
    edit.addSeparator()
    window.toggle_mode_action = window._action(
        edit,
        window.tr("&Toggle cards / notes"),
        key_sequences("Ctrl+Alt+T"),
        window.tr("Show one row per card, or one per note"),
        window.toggle_mode,
    )

    cards = bar.addMenu(window.tr("&Cards"))
    window.change_deck_action = window._action(
        cards,
        window.tr("&Change deck…"),
        key_sequences("Ctrl+D"),
        window.tr("Move the selected cards to another deck"),
        window.change_deck,
    )
    window.set_due_action = window._action(
        cards,
        window.tr("Set &due date…"),
        key_sequences("Ctrl+Shift+D"),
        window.tr("Make the selected cards due on a given day"),
        window.set_due,
    )
    window.reset_action = window._action(
        cards,
        window.tr("&Reset…"),
        key_sequences("Ctrl+Alt+N"),
        window.tr("Make the selected cards new again"),
        window.reset,
    )
    cards.addSeparator()
    window.suspend_action = window._action(
        cards,
        window.tr("Toggle &suspend"),
        key_sequences("Ctrl+J"),
        window.tr("Suspend the selected cards, or unsuspend them"),
        window.toggle_suspend,
    )
    window.bury_action = window._action(
        cards,
        window.tr("Toggle &bury"),
        key_sequences("Ctrl+Shift+J"),
        window.tr("Hide the selected cards until tomorrow, or bring them back"),
        window.toggle_bury,
    )
    flags = cards.addMenu(window.tr("&Flag"))
    names = (
        window.tr("&Red"),
        window.tr("&Orange"),
        window.tr("&Green"),
        window.tr("&Blue"),
        window.tr("&Pink"),
        window.tr("&Turquoise"),
        window.tr("Pu&rple"),
    )
    window.flag_actions = []
    for number, name in enumerate(names, start=1):
        window.flag_actions.append(
            window._action(
                flags,
                name,
                key_sequences(f"Ctrl+{number}"),
                window.tr("Flag the selected cards (again to clear)"),
                window._flagger(number),
            )
        )
    flags.addSeparator()
    window.flag_actions.append(
        window._action(
            flags,
            window.tr("&Clear flag"),
            key_sequences("Ctrl+0"),
            window.tr("Remove the flag from the selected cards"),
            lambda: window.set_flag(0),
        )
    )
    cards.addSeparator()
    window.info_action = window._action(
        cards,
        window.tr("Card &info"),
        key_sequences("Ctrl+Shift+I"),
        window.tr("Details and review history of the current card"),
        window.show_card_info,
    )

    notes = bar.addMenu(window.tr("&Notes"))
    window.add_tags_action = window._action(
        notes,
        window.tr("&Add tags…"),
        key_sequences("Ctrl+Shift+A"),
        window.tr("Add tags to the selected notes"),
        window.add_tags,
    )
    window.remove_tags_action = window._action(
        notes,
        window.tr("&Remove tags…"),
        key_sequences("Ctrl+Alt+Shift+A"),
        window.tr("Remove tags from the selected notes"),
        window.remove_tags,
    )
    window.find_replace_action = window._action(
        notes,
        window.tr("&Find and replace…"),
        key_sequences("Ctrl+Alt+F"),
        window.tr("Replace text in the fields of the selected notes"),
        window.find_and_replace,
    )
    notes.addSeparator()
    window.delete_action = window._action(
        notes,
        window.tr("&Delete"),
        key_sequences("Ctrl+Del"),
        window.tr("Delete the selected notes and all their cards"),
        window.delete_notes,
    )
    window._selection_actions = [
        window.change_deck_action,
        window.set_due_action,
        window.reset_action,
        window.suspend_action,
        window.bury_action,
        *window.flag_actions,
        window.info_action,
        window.add_tags_action,
        window.remove_tags_action,
        window.find_replace_action,
        window.delete_action,
    ]
