"""The reviewer's card actions: bury, suspend, flag, mark, delete, edit and replay.

Each has a key (as in Anki) and an entry in the reviewer's More menu.  The keys are QShortcuts
that the reviewer turns off while a text field has focus, and each handler checks again, so
typing never triggers them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QWidget

from studyapp.gui.viewmodels.reviewer import ReviewerViewModel
from studyapp.gui.widgets.card_marks import FLAG_COLORS, flag_name
from studyapp.gui.windows.confirmation import Confirmation
from studyapp.services.card_actions import CardStatus


class ReviewActions(QObject):
    """Signals: edit_requested(int), the note id of the card on screen (key E);
    replay_requested() (key R)."""

    edit_requested = Signal(int)
    replay_requested = Signal()

    def __init__(
        self,
        page: QWidget,
        reviewer: ReviewerViewModel,
        can_act: Callable[[], bool],
        shortcuts: list[QShortcut],
    ) -> None:
        super().__init__(page)
        self._page = page
        self._vm = reviewer
        self._can_act = can_act
        self._shortcuts = shortcuts
        self.menu = QMenu(page)
        self.menu.setAccessibleName(self.tr("More card actions"))
        self.edit_action = self._add(self.tr("&Edit note"), "E", self._edit)
        self.replay_action = self._add(self.tr("&Replay audio"), "R", self.replay_requested.emit)
        self.menu.addSeparator()
        self.flag_menu = self.menu.addMenu(self.tr("&Flag"))
        self.flag_actions: dict[int, QAction] = {}
        group = QActionGroup(self)
        group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        for flag in FLAG_COLORS:
            action = self._add(
                flag_name(flag),
                f"Ctrl+{flag}",
                partial(self._vm.toggle_flag, flag),
                self.flag_menu,
            )
            action.setCheckable(True)
            group.addAction(action)
            self.flag_actions[flag] = action
        self.mark_action = self._add(self.tr("&Mark note"), "*", self._vm.toggle_mark)
        self.mark_action.setCheckable(True)
        self.menu.addSeparator()
        self.bury_card_action = self._add(self.tr("&Bury card"), "-", self._vm.bury_card)
        self.bury_note_action = self._add(self.tr("Bury &note"), "=", self._vm.bury_note)
        self.suspend_card_action = self._add(self.tr("&Suspend card"), "@", self._vm.suspend_card)
        self.suspend_note_action = self._add(self.tr("Sus&pend note"), "!", self._vm.suspend_note)
        self.menu.addSeparator()
        self.delete_action = self._add(self.tr("&Delete note…"), "Ctrl+Del", self.delete_note)
        reviewer.status_changed.connect(self._on_status)
        self._on_status(reviewer.status)

    def _add(
        self, text: str, key: str, slot: Callable[[], object], menu: QMenu | None = None
    ) -> QAction:
        """A menu entry showing `key`, and a shortcut for `key` on the page.

        The menu entry carries no shortcut of its own, so the key is never ambiguous.
        """
        sequence = QKeySequence(key)
        shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        action = QAction(f"{text}\t{shown}", self)
        action.triggered.connect(lambda _=False: self._run(slot))
        (menu or self.menu).addAction(action)
        self._shortcuts.append(
            QShortcut(
                sequence,
                self._page,
                lambda: self._run(slot),
                Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        )
        return action

    def _run(self, slot: Callable[[], object]) -> None:
        if self._can_act():
            slot()

    @Slot(object)
    def _on_status(self, status: object) -> None:
        on_card = isinstance(status, CardStatus)
        for action in self.menu.actions():
            action.setEnabled(on_card)
        self.flag_menu.setEnabled(on_card)
        flag = status.flag if isinstance(status, CardStatus) else 0
        for number, action in self.flag_actions.items():
            action.setChecked(number == flag)
        self.mark_action.setChecked(isinstance(status, CardStatus) and status.marked)

    def _edit(self) -> None:
        status = self._vm.status
        if status is not None:
            self.edit_requested.emit(status.note_id)

    @Slot()
    def delete_note(self) -> None:
        """Ask, then delete the note on screen with all its cards (undo brings them back)."""
        status = self._vm.status
        if status is None:
            return
        text = self.tr(
            "Delete this note and its %n card(s), with their review history?", "", status.note_cards
        )
        title = self.tr("Delete note")
        if Confirmation.ask(self._page, title, text, self.tr("Delete")):
            self._vm.delete_note()
