"""Adding, editing and deleting notes, with their cards, media, previews and duplicate checks.

Adding, editing and deleting each push one undo entry.  Editing never changes a note's type and
never deletes cards: it adds cards for new cloze numbers or templates whose front is no longer
empty, and leaves the existing cards (and their schedules) alone, as Anki does.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, CardState, Note, NoteKind, NoteType
from studyapp.domain.clock import Clock, to_epoch
from studyapp.domain.decks import Deck
from studyapp.domain.markdown_fields import fields_as_html
from studyapp.domain.sanitize import sanitize_card_html
from studyapp.domain.templates import (
    card_ordinals,
    render_answer,
    render_question,
    strip_html,
)
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.media_folder import MediaFolder, field_snippet
from studyapp.services.undo import UndoEntry, undeleting

if TYPE_CHECKING:
    from studyapp.services.undo import UndoStack
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """A note as the editor holds it, before it is saved."""

    note_type_id: int
    deck_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EditedNote:
    """A saved note with what the editor shows beside its fields."""

    note: Note
    note_type: NoteType
    deck_id: int
    """The deck of its first card (its home deck while it is in a filtered deck)."""
    card_count: int


@dataclass(frozen=True, slots=True)
class CardPreview:
    ordinal: int
    name: str
    """The template's name ("Card 1"), or "Cloze N" for cloze cards."""
    question_html: str
    answer_html: str
    """Both sanitized."""
    css: str


def clean_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags split on blanks, without empties or case-insensitive repeats, first spelling kept."""
    seen: dict[str, str] = {}
    for text in tags:
        for tag in text.split():
            seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


def duplicate_key(first_field: str) -> str:
    """What two first fields must share to be duplicates: their text, HTML stripped, blanks
    collapsed, case ignored."""
    return _BLANKS.sub(" ", strip_html(first_field)).strip().casefold()


def _fitted(note_type: NoteType, fields: Sequence[str]) -> tuple[str, ...]:
    """Exactly one value per field of the note type."""
    count = len(note_type.fields)
    return tuple(fields[:count]) + ("",) * max(0, count - len(fields))


def _card_name(note_type: NoteType, ordinal: int) -> str:
    if note_type.kind == NoteKind.CLOZE:
        return f"Cloze {ordinal + 1}"
    return note_type.templates[ordinal].name


def no_cards_message(note_type: NoteType) -> str:
    if note_type.kind == NoteKind.CLOZE:
        return "This note makes no cards: add a cloze deletion, like {{c1::this}}."
    return f"This note makes no cards: fill in the {note_type.fields[0]} field."


class NoteService:
    def __init__(
        self, database: Database, clock: Clock, undo_stack: UndoStack, media_dir: Path
    ) -> None:
        self._database = database
        self._clock = clock
        self._undo = undo_stack
        self._media = MediaFolder(media_dir)

    def _now(self) -> int:
        return to_epoch(self._clock.now())

    # Reading.

    def note_types(self) -> list[NoteType]:
        with self._database.transaction() as repos:
            return sorted(repos.note_types.all(), key=lambda t: t.name.casefold())

    def decks(self) -> list[Deck]:
        """The decks cards can be added to (filtered decks left out), by name."""
        with self._database.transaction() as repos:
            decks = [d for d in repos.decks.all() if d.filter is None]
        return sorted(decks, key=lambda d: d.name.casefold())

    def tags(self) -> list[str]:
        """Every tag in the collection, for completion."""
        with self._database.transaction() as repos:
            return repos.note_store.tags()

    def get(self, note_id: int) -> EditedNote:
        with self._database.transaction() as repos:
            note = repos.notes.get(note_id)
            if note is None:
                raise NotFoundError(f"There is no note with id {note_id}.")
            note_type = repos.note_types.get(note.note_type_id)
            assert note_type is not None
            cards = repos.cards.for_note(note_id)
        deck_id = cards[0].home_deck_id or cards[0].deck_id if cards else 0
        return EditedNote(note, note_type, deck_id, len(cards))

    def duplicate_of(
        self, note_type_id: int, first_field: str, ignore_note_id: int | None = None
    ) -> int | None:
        """The id of a note of the same type whose first field matches (see `duplicate_key`)."""
        key = duplicate_key(first_field)
        if not key:
            return None
        with self._database.transaction() as repos:
            for note_id, value in repos.note_store.first_fields(note_type_id):
                if note_id != ignore_note_id and duplicate_key(value) == key:
                    return note_id
        return None

    def preview(
        self, note_type_id: int, fields: Sequence[str], tags: Sequence[str] = ()
    ) -> list[CardPreview]:
        """Every card a note with these fields would have, rendered and sanitized."""
        with self._database.transaction() as repos:
            note_type = self._note_type(repos, note_type_id)
        values = _fitted(note_type, fields)
        shown = fields_as_html(note_type, values)
        tags = clean_tags(tags)
        return [
            CardPreview(
                ordinal,
                _card_name(note_type, ordinal),
                sanitize_card_html(render_question(note_type, shown, ordinal, tags)),
                sanitize_card_html(render_answer(note_type, shown, ordinal, tags)),
                note_type.css,
            )
            for ordinal in card_ordinals(note_type, values)
        ]

    # Media.

    def attach_file(self, path: Path) -> str:
        """Copy an image or audio file into the media folder; returns the field HTML for it."""
        return field_snippet(self._media.add_file(path))

    def attach_bytes(self, content: bytes, name: str) -> str:
        """Store pasted image bytes (`name` gives the suffix); returns the field HTML for them."""
        return field_snippet(self._media.add_bytes(content, name))

    # Changing.

    def add(self, draft: NoteDraft) -> Note:
        """Add a note and its cards to a deck; undoable."""
        now = self._now()
        with self._database.transaction() as repos:
            note_type = self._note_type(repos, draft.note_type_id)
            deck = repos.decks.get(draft.deck_id)
            if deck is None:
                raise NotFoundError(f"There is no deck with id {draft.deck_id}.")
            if deck.filter is not None:
                raise InvalidInputError(
                    f"Cards cannot be added to the filtered deck {deck.name}; choose another deck."
                )
            fields = _fitted(note_type, draft.fields)
            ordinals = card_ordinals(note_type, fields)
            if not ordinals:
                raise InvalidInputError(no_cards_message(note_type))
            guid = secrets.token_urlsafe(12)
            note = repos.notes.add(
                Note(0, guid, note_type.id, fields, clean_tags(draft.tags), now, now)
            )
            position = repos.cards.next_new_position()
            for ordinal in ordinals:
                repos.cards.add(Card(0, note.id, deck.id, ordinal, due=position), now)
            snapshot = repos.snapshots.capture_notes([note.id])

        def revert(repos: Repositories) -> None:
            repos.snapshots.remove(snapshot)

        def reapply(repos: Repositories) -> None:
            repos.snapshots.restore(snapshot)

        self._undo.push(UndoEntry("Add note", None, revert, reapply))
        return note

    def update(self, note_id: int, fields: Sequence[str], tags: Sequence[str]) -> Note:
        """Change a note's fields and tags, adding any cards they now make; undoable."""
        now = self._now()
        with self._database.transaction() as repos:
            before = repos.notes.get(note_id)
            if before is None:
                raise NotFoundError(f"There is no note with id {note_id}.")
            note_type = self._note_type(repos, before.note_type_id)
            values = _fitted(note_type, fields)
            if not card_ordinals(note_type, values):
                raise InvalidInputError(no_cards_message(note_type))
            after = Note(
                before.id,
                before.guid,
                before.note_type_id,
                values,
                clean_tags(tags),
                before.created_at,
                now,
                before.source,
            )
            repos.notes.update(after)
            added = self._add_missing_cards(repos, note_type, after, now)
            added_rows = repos.snapshots.capture(card_ids=added)

        def revert(repos: Repositories) -> None:
            repos.snapshots.remove(added_rows)
            repos.notes.update(before)

        def reapply(repos: Repositories) -> None:
            repos.notes.update(after)
            repos.snapshots.restore(added_rows)

        self._undo.push(UndoEntry("Edit note", None, revert, reapply))
        return after

    def _add_missing_cards(
        self, repos: Repositories, note_type: NoteType, note: Note, now: int
    ) -> list[int]:
        cards = repos.cards.for_note(note.id)
        have = {card.ordinal for card in cards}
        missing = [o for o in card_ordinals(note_type, note.fields) if o not in have]
        if not missing:
            return []
        if cards:
            deck_id = cards[0].home_deck_id or cards[0].deck_id
            news = [c.due for c in cards if c.state == CardState.NEW]
            position = min(news) if news else repos.cards.next_new_position()
        else:
            deck_id, position = self._default_deck(repos), repos.cards.next_new_position()
        return [
            repos.cards.add(Card(0, note.id, deck_id, ordinal, due=position), now).id
            for ordinal in missing
        ]

    def _default_deck(self, repos: Repositories) -> int:
        decks = [d for d in repos.decks.all() if d.filter is None]
        if not decks:
            raise InvalidInputError("There is no deck to put the new cards in.")
        return min(decks, key=lambda d: d.id).id

    def delete(self, note_id: int) -> None:
        """Delete a note with its cards and their history; undoable."""
        with self._database.transaction() as repos:
            deleted = repos.snapshots.delete_notes([note_id])
            if not deleted.notes:
                raise NotFoundError(f"There is no note with id {note_id}.")
        self._undo.push(undeleting("Delete note", None, deleted))

    def _note_type(self, repos: Repositories, note_type_id: int) -> NoteType:
        note_type = repos.note_types.get(note_type_id)
        if note_type is None:
            raise NotFoundError(f"There is no note type with id {note_type_id}.")
        return note_type


__all__ = [
    "CardPreview",
    "EditedNote",
    "NoteDraft",
    "NoteService",
    "clean_tags",
    "duplicate_key",
]
