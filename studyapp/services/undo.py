"""The collection-level undo stack: every undoable service action pushes its inverse here.

An entry carries both directions: `revert` undoes the action and `reapply` redoes it, each in one
transaction.  Undoing moves an entry to the redo list; a new action clears that list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyapp.errors import NothingToUndoError

if TYPE_CHECKING:
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories
    from studyapp.storage.snapshot_values import RowSnapshot

UNDO_DEPTH = 50


@dataclass(frozen=True, slots=True)
class UndoEntry:
    label: str
    """What the user would call the action: "Answer", later "Edit note", "Delete"..."""
    card_id: int | None
    """The card to show again after undoing, if any."""
    revert: Callable[[Repositories], None]
    """Applies the inverse of the action inside one transaction."""
    reapply: Callable[[Repositories], None]
    """Applies the action again, after `revert`, inside one transaction."""


def restoring(
    label: str, card_id: int | None, before: RowSnapshot, after: RowSnapshot
) -> UndoEntry:
    """An entry whose undo puts back the rows of `before` and whose redo those of `after`."""
    return UndoEntry(
        label,
        card_id,
        lambda repos: repos.snapshots.restore(before),
        lambda repos: repos.snapshots.restore(after),
    )


def undeleting(label: str, card_id: int | None, deleted: RowSnapshot) -> UndoEntry:
    """An entry whose undo puts back the rows an action deleted and whose redo deletes them
    again."""
    return UndoEntry(
        label,
        card_id,
        lambda repos: repos.snapshots.restore(deleted),
        lambda repos: repos.snapshots.remove(deleted),
    )


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    label: str
    card_id: int | None


class UndoStack:
    """The most recent actions, newest last; the oldest fall off past UNDO_DEPTH."""

    def __init__(self) -> None:
        self._entries: list[UndoEntry] = []
        self._undone: list[UndoEntry] = []

    def push(self, entry: UndoEntry) -> None:
        """Record a new action; whatever was undone can no longer be redone."""
        self._entries.append(entry)
        del self._entries[:-UNDO_DEPTH]
        self._undone.clear()

    def peek(self) -> UndoEntry | None:
        return self._entries[-1] if self._entries else None

    def peek_undone(self) -> UndoEntry | None:
        return self._undone[-1] if self._undone else None

    def pop(self) -> UndoEntry:
        if not self._entries:
            raise NothingToUndoError("There is nothing to undo.")
        return self._entries.pop()

    def pop_undone(self) -> UndoEntry:
        if not self._undone:
            raise NothingToUndoError("There is nothing to redo.")
        return self._undone.pop()

    def mark_undone(self, entry: UndoEntry) -> None:
        self._undone.append(entry)

    def mark_redone(self, entry: UndoEntry) -> None:
        self._entries.append(entry)


class UndoService:
    def __init__(self, database: Database, stack: UndoStack) -> None:
        self._database = database
        self._stack = stack

    def label(self) -> str | None:
        """What Undo would undo, or None."""
        entry = self._stack.peek()
        return None if entry is None else entry.label

    def redo_label(self) -> str | None:
        """What Redo would redo, or None."""
        entry = self._stack.peek_undone()
        return None if entry is None else entry.label

    def undo(self) -> UndoOutcome:
        entry = self._stack.pop()
        try:
            with self._database.transaction() as repos:
                entry.revert(repos)
        except Exception:
            self._stack.mark_redone(entry)
            raise
        self._stack.mark_undone(entry)
        return UndoOutcome(entry.label, entry.card_id)

    def redo(self) -> UndoOutcome:
        entry = self._stack.pop_undone()
        try:
            with self._database.transaction() as repos:
                entry.reapply(repos)
        except Exception:
            self._stack.mark_undone(entry)
            raise
        self._stack.mark_redone(entry)
        return UndoOutcome(entry.label, entry.card_id)
