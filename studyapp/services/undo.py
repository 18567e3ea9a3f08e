"""The collection-level undo stack: every undoable service action pushes its inverse here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from studyapp.errors import NothingToUndoError
from studyapp.storage.database import Database
from studyapp.storage.repositories import Repositories

UNDO_DEPTH = 50


@dataclass(frozen=True, slots=True)
class UndoEntry:
    label: str
    """What the user would call the action: "Answer", later "Edit note", "Delete"..."""
    card_id: int | None
    """The card to show again after undoing, if any."""
    revert: Callable[[Repositories], None]
    """Applies the inverse of the action inside one transaction."""


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    label: str
    card_id: int | None


class UndoStack:
    """The most recent actions, newest last; the oldest fall off past UNDO_DEPTH."""

    def __init__(self) -> None:
        self._entries: list[UndoEntry] = []

    def push(self, entry: UndoEntry) -> None:
        self._entries.append(entry)
        del self._entries[:-UNDO_DEPTH]

    def peek(self) -> UndoEntry | None:
        return self._entries[-1] if self._entries else None

    def pop(self) -> UndoEntry:
        if not self._entries:
            raise NothingToUndoError("There is nothing to undo.")
        return self._entries.pop()


class UndoService:
    def __init__(self, database: Database, stack: UndoStack) -> None:
        self._database = database
        self._stack = stack

    def label(self) -> str | None:
        entry = self._stack.peek()
        return None if entry is None else entry.label

    def undo(self) -> UndoOutcome:
        entry = self._stack.pop()
        try:
            with self._database.transaction() as repos:
                entry.revert(repos)
        except Exception:
            self._stack.push(entry)
            raise
        return UndoOutcome(entry.label, entry.card_id)
