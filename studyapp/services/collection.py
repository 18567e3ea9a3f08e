"""Setting up a collection: the Default preset, the stock note types and the built-in decks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.domain.cards import Card, Note, NoteType
from studyapp.domain.clock import Clock, to_epoch
from studyapp.domain.decks import Deck, Preset, normalize_deck_name, parent_names
from studyapp.domain.notetypes import STOCK_NOTE_TYPES
from studyapp.domain.templates import card_ordinals
from studyapp.errors import InvalidInputError
from studyapp.services.decks import tree_order
from studyapp.storage.note_sources import NoteSource

if TYPE_CHECKING:
    from studyapp.importers.deckfile import DeckDocument, DeckDraft, NoteDraft
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

DEFAULT_PRESET_ID = 1
BUILTIN_VERSIONS_KEY = "builtin_deck_versions"


@dataclass(frozen=True, slots=True)
class DeckInstall:
    deck: str
    added_notes: int
    updated_notes: int


def deck_file_header(data: bytes) -> tuple[str, int] | None:
    """The name and version of a deck file, read from the keys before its first table (where
    they are in every deck StudyApp writes); None when they are not found there, so the caller
    parses the whole file instead."""
    text = data.decode("utf-8-sig", errors="replace")
    import tomllib  # read once, when the built-in decks are checked

    table = re.search(r"^\[", text, re.MULTILINE)
    try:
        top = tomllib.loads(text if table is None else text[: table.start()])
    except tomllib.TOMLDecodeError:
        return None
    name, version = top.get("name"), top.get("version")
    if isinstance(name, str) and type(version) is int:
        return name.strip(), version
    return None


def ensure_deck(repos: Repositories, name: str, preset_id: int) -> Deck:
    """The deck called `name`, created with any missing parents."""
    name = normalize_deck_name(name)
    for ancestor in [*parent_names(name), name]:
        if repos.decks.by_name(ancestor) is None:
            repos.decks.add(ancestor, preset_id)
    deck = repos.decks.by_name(name)
    assert deck is not None
    return deck


@dataclass(frozen=True, slots=True)
class NoteTypeOverview:
    name: str
    fields: list[str]


@dataclass(frozen=True, slots=True)
class NoteOverview:
    guid: str
    note_type: str
    deck: str | None
    """The deck of the note's lowest-ordinal card."""
    fields: dict[str, str]
    tags: list[str]
    cards: int
    reviews: int
    """Every review-log row of the note's cards, manual and rescheduled rows included."""


@dataclass(frozen=True, slots=True)
class CollectionOverview:
    decks: list[str]
    note_types: list[NoteTypeOverview]
    notes: list[NoteOverview]
    media: list[str]
    card_states: dict[str, int]


class CollectionService:
    def __init__(self, database: Database, clock: Clock, media_dir: Path) -> None:
        self._database = database
        self._clock = clock
        self._media_dir = media_dir

    def overview(self) -> CollectionOverview:
        """The whole collection in plain values, for checking (`studyapp list --json`)."""
        with self._database.transaction() as repos:
            decks = {d.id: d.name for d in repos.decks.all()}
            note_types = {t.id: t for t in repos.note_types.all()}
            notes = [
                NoteOverview(
                    guid=note.guid,
                    note_type=note_types[note.note_type_id].name,
                    deck=None if deck_id is None else decks[deck_id],
                    fields=dict(
                        zip(note_types[note.note_type_id].fields, note.fields, strict=False)
                    ),
                    tags=list(note.tags),
                    cards=cards,
                    reviews=reviews,
                )
                for note, deck_id, cards, reviews in repos.notes.overview()
            ]
            states = repos.cards.state_counts()
        media = (
            sorted(p.name for p in self._media_dir.iterdir() if p.is_file())
            if self._media_dir.is_dir()
            else []
        )
        return CollectionOverview(
            decks=sorted(decks.values(), key=tree_order),
            note_types=[NoteTypeOverview(t.name, list(t.fields)) for t in note_types.values()],
            notes=notes,
            media=media,
            card_states=states,
        )

    def prepare(
        self, builtin_decks: Sequence[bytes], documents_dir: Path | None = None
    ) -> list[DeckInstall]:
        """Create what every collection has, and install or update the built-in decks.

        A built-in deck is installed once; a newer version of its file later updates the text of
        the notes it shipped (matched by their stable ids) and adds new ones, never touching the
        schedule of cards already studied.  A deck the user deleted stays deleted.  A deck
        generated from a document (its `[document]`, a file in `documents_dir`) stores that
        document and gives each note its provenance, so the reviewer can show the source sentence.

        Only a deck that needs installing is parsed (loading the importers); the others are told
        apart by the name and version at the top of their files.
        """
        from_header = [deck_file_header(data) for data in builtin_decks]
        with self._database.transaction() as repos:
            repos.settings.lock_for_setup()
            if repos.presets.get(DEFAULT_PRESET_ID) is None:
                repos.presets.add(Preset(id=DEFAULT_PRESET_ID, name="Default"))
            for stock in STOCK_NOTE_TYPES:
                if repos.note_types.by_name(stock.name) is None:
                    repos.note_types.add(stock)
            versions: dict[str, int] = dict(repos.settings.get(BUILTIN_VERSIONS_KEY) or {})
            installs = []
            for data, header in zip(builtin_decks, from_header, strict=True):
                if header is not None and versions.get(header[0], -1) >= header[1]:
                    continue
                from studyapp.importers.deckfile import parse_deck_file

                draft = parse_deck_file(data)
                if versions.get(draft.name, -1) >= draft.version:
                    continue
                installs.append(self._install(repos, draft, documents_dir))
                versions[draft.name] = draft.version
            repos.settings.set(BUILTIN_VERSIONS_KEY, versions)
        return installs

    def _install(
        self, repos: Repositories, draft: DeckDraft, documents_dir: Path | None
    ) -> DeckInstall:
        now = to_epoch(self._clock.now())
        document_id = (
            None
            if draft.document is None
            else _store_document(repos, draft, draft.document, documents_dir, now)
        )
        deck = ensure_deck(repos, draft.name, DEFAULT_PRESET_ID)
        existing = repos.notes.by_guids(n.guid for n in draft.notes)
        position = repos.cards.next_new_position()
        added = updated = 0
        sources: list[NoteSource] = []
        for note_draft in draft.notes:
            note_type = repos.note_types.by_name(note_draft.note_type)
            if note_type is None:
                raise InvalidInputError(
                    f"Note {note_draft.guid} uses the unknown note type “{note_draft.note_type}”."
                )
            fields = _ordered_fields(note_type, note_draft)
            tags = tuple(note_draft.tags)
            old = existing.get(note_draft.guid)
            if old is None:
                note = repos.notes.add(
                    Note(
                        0, note_draft.guid, note_type.id, fields, tags, now, now, note_draft.source
                    )
                )
                added += 1
            elif (old.fields, old.tags, old.source) != (fields, tags, note_draft.source):
                note = replace(
                    old, fields=fields, tags=tags, source=note_draft.source, modified_at=now
                )
                repos.notes.update(note)
                updated += 1
            else:
                note = old
            if document_id is not None and note_draft.source_start is not None:
                end = note_draft.source_end
                assert end is not None
                sources.append(
                    NoteSource(note.id, document_id, note_draft.source_start, end, False)
                )
            if note is old:
                continue
            have = {card.ordinal for card in repos.cards.for_note(note.id)}
            for ordinal in card_ordinals(note_type, fields):
                if ordinal not in have:
                    repos.cards.add(Card(0, note.id, deck.id, ordinal, due=position), now)
                    position += 1
        repos.documents.set_sources(sources)
        return DeckInstall(draft.name, added, updated)


def _store_document(
    repos: Repositories,
    draft: DeckDraft,
    document: DeckDocument,
    documents_dir: Path | None,
    now: int,
) -> int:
    """The id of the stored copy of a built-in deck's document, checked against the deck."""
    where = f"The built-in deck {draft.name!r} is generated from {document.path!r}"
    if documents_dir is None:
        raise InvalidInputError(f"{where}, but no documents folder was given.")
    try:
        content = (documents_dir / document.path).read_bytes()
    except OSError as error:
        raise InvalidInputError(
            f"{where}, which cannot be read: {error.strerror or error}."
        ) from error
    import hashlib

    sha256 = hashlib.sha256(content).hexdigest()
    if sha256 != document.sha256:
        raise InvalidInputError(
            f"{where}, but that file has changed since the deck was made (SHA-256 {sha256}, "
            f"the deck says {document.sha256}); generate the deck again."
        )
    stored = repos.documents.by_sha256(sha256)
    if stored is not None:
        document_id, text = stored.id, stored.text
    else:
        from studyapp.generation.documents import load_document  # loaded only to install

        loaded = load_document(content, Path(document.path).suffix)
        name = Path(document.path).name
        document_id = repos.documents.add(name, loaded.kind, sha256, content, loaded.text, now)
        text = loaded.text
    for note in draft.notes:
        if note.source_end is not None and note.source_end > len(text):
            raise InvalidInputError(
                f"{where}, but note {note.guid!r} points past its end ({note.source_end} > "
                f"{len(text)} characters)."
            )
    return document_id


def _ordered_fields(note_type: NoteType, draft: NoteDraft) -> tuple[str, ...]:
    given = dict(draft.fields)
    return tuple(given.get(name, "") for name in note_type.fields)
