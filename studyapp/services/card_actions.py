"""What can be done to a card while studying it: bury, suspend, flag, mark and delete.

Each action is one transaction and pushes one undo entry.  Undo puts back the exact rows the action
changed or deleted (review-log rows of a deleted note's cards included); redo puts back the rows
as the action left them.  Note actions take any one of the note's cards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from studyapp.domain.cards import BuryKind, Card
from studyapp.domain.clock import Clock, to_epoch
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.burying import unbury_on_new_day
from studyapp.services.queue import StudyDay
from studyapp.services.settings import read_settings
from studyapp.services.undo import restoring, undeleting

if TYPE_CHECKING:
    from studyapp.services.undo import UndoStack
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

MARKED_TAG = "marked"
"""The tag that marks a note, as in Anki."""
FLAGS = range(8)
"""0 is no flag; 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple (Anki's)."""


@dataclass(frozen=True, slots=True)
class CardStatus:
    """What the reviewer shows about a card besides its text."""

    card_id: int
    note_id: int
    flag: int
    marked: bool
    note_cards: int
    """How many cards the note has (all would go with it)."""


def is_marked(tags: tuple[str, ...]) -> bool:
    return any(tag.casefold() == MARKED_TAG for tag in tags)


class CardActionService:
    def __init__(self, database: Database, clock: Clock, undo_stack: UndoStack) -> None:
        self._database = database
        self._clock = clock
        self._undo = undo_stack

    def status(self, card_id: int) -> CardStatus:
        with self._database.transaction() as repos:
            return _status(repos, _card(repos, card_id))

    def bury_card(self, card_id: int) -> int:
        """Hide the card until the next study day; returns 1."""
        return self._change_cards("Bury card", card_id, False, _buried, burying=True)[0]

    def bury_note(self, card_id: int) -> int:
        """Hide every card of the card's note until the next study day; returns how many."""
        return self._change_cards("Bury note", card_id, True, _buried, burying=True)[0]

    def suspend_card(self, card_id: int) -> int:
        """Take the card out of study until it is unsuspended; returns 1."""
        return self._change_cards("Suspend card", card_id, False, _suspended)[0]

    def suspend_note(self, card_id: int) -> int:
        """Suspend every card of the card's note; returns how many."""
        return self._change_cards("Suspend note", card_id, True, _suspended)[0]

    def set_flag(self, card_id: int, flag: int) -> CardStatus:
        """Give the card flag 1 to 7, or 0 to remove its flag."""
        if flag not in FLAGS:
            raise InvalidInputError(f"A flag is a number from 0 to 7, not {flag}.")
        label = "Remove flag" if flag == 0 else "Flag card"
        return self._change_cards(label, card_id, False, lambda card: replace(card, flag=flag))[1]

    def toggle_mark(self, card_id: int) -> CardStatus:
        """Mark the card's note (the tag "marked"), or unmark it if it is marked."""
        with self._database.transaction() as repos:
            card = _card(repos, card_id)
            note = repos.notes.get(card.note_id)
            assert note is not None
            marked = is_marked(note.tags)
            tags = (
                tuple(tag for tag in note.tags if tag.casefold() != MARKED_TAG)
                if marked
                else (*note.tags, MARKED_TAG)
            )
            before = repos.snapshots.capture(note_ids=[note.id])
            repos.notes.update(replace(note, tags=tags, modified_at=self._now()))
            after = repos.snapshots.capture(note_ids=[note.id])
            status = _status(repos, card)
        self._undo.push(restoring("Unmark note" if marked else "Mark note", card_id, before, after))
        return status

    def delete_note(self, card_id: int) -> int:
        """Delete the card's note with all its cards and their review history; returns how
        many cards went."""
        with self._database.transaction() as repos:
            deleted = repos.snapshots.delete_notes([_card(repos, card_id).note_id])
        self._undo.push(undeleting("Delete note", card_id, deleted))
        return len(deleted.cards)

    # Internals.

    def _now(self) -> int:
        return to_epoch(self._clock.now())

    def _change_cards(
        self,
        label: str,
        card_id: int,
        whole_note: bool,
        change: Callable[[Card], Card],
        burying: bool = False,
    ) -> tuple[int, CardStatus]:
        """Change the card (or its note's cards); returns how many, and the card's new status."""
        with self._database.transaction() as repos:
            card = _card(repos, card_id)
            if burying:
                # Unbury what an earlier day buried first, so that the next queue built today
                # does not bring back what is buried now.
                rollover = read_settings(repos.settings).rollover_hour
                unbury_on_new_day(repos, StudyDay.at(self._clock, rollover).today)
                card = _card(repos, card_id)
            targets = repos.cards.for_note(card.note_id) if whole_note else [card]
            ids = [target.id for target in targets]
            before = repos.snapshots.capture(card_ids=ids)
            now = self._now()
            for target in targets:
                repos.cards.save(change(target), now)
            after = repos.snapshots.capture(card_ids=ids)
            status = _status(repos, change(card))
        self._undo.push(restoring(label, card_id, before, after))
        return len(targets), status


def _card(repos: Repositories, card_id: int) -> Card:
    card = repos.cards.get(card_id, for_update=True)
    if card is None:
        raise NotFoundError(f"There is no card with id {card_id}.")
    return card


def _status(repos: Repositories, card: Card) -> CardStatus:
    note = repos.notes.get(card.note_id)
    assert note is not None
    cards = len(repos.cards.for_note(note.id))
    return CardStatus(card.id, note.id, card.flag, is_marked(note.tags), cards)


def _buried(card: Card) -> Card:
    return replace(card, buried=BuryKind.MANUAL)


def _suspended(card: Card) -> Card:
    return replace(card, suspended=True)
