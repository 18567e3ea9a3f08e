"""Importing files into the collection: text exports, Anki packages and our deck format.

An import is one transaction: a file that cannot be read, a cancel, or any failure leaves the
collection exactly as it was.  Media files are written to the media folder only after the
database commit, under names the importer has checked.
"""

from __future__ import annotations

import base64
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from studyapp.domain.cards import CardState, Note, NoteType, Review
from studyapp.domain.clock import Clock, from_epoch, study_day, to_epoch
from studyapp.domain.decks import Preset
from studyapp.domain.sanitize import sanitize_card_html
from studyapp.domain.templates import ordinal_rule
from studyapp.errors import ImportCancelledError, InvalidInputError
from studyapp.importers.anki_package import parse_anki_package
from studyapp.importers.deckfile import parse_deck_file
from studyapp.importers.drafts import (
    DueKind,
    ImportDraft,
    ImportedDeck,
    ImportedNote,
    NoteTypeDraft,
    card_due,
)
from studyapp.importers.text import (
    DECK_COLUMN,
    GUID_COLUMN,
    NOTETYPE_COLUMN,
    TAGS_COLUMN,
    TextImportOptions,
    parse_text,
    preview_text,
)
from studyapp.services.collection import DEFAULT_PRESET_ID, ensure_deck
from studyapp.services.settings import read_settings
from studyapp.storage.card_repository import CardRowTuple
from studyapp.storage.database import Database
from studyapp.storage.repositories import NoteRowTuple, Repositories

__all__ = [
    "DECK_COLUMN",
    "GUID_COLUMN",
    "NOTETYPE_COLUMN",
    "TAGS_COLUMN",
    "ImportService",
    "ImportSummary",
    "Progress",
    "TextImportOptions",
    "TextPreview",
]

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""(done, total): called now and then during an import, from the thread running it."""

_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class ImportSummary:
    file_name: str
    added: int
    updated: int
    unchanged: int
    skipped: int
    failed: int
    cards_added: int
    reviews_added: int
    media_added: int
    messages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TextPreview:
    separator: str
    has_header: bool
    header: tuple[str, ...] | None
    rows: tuple[tuple[str, ...], ...]
    columns: int
    deck: str
    note_type: str
    columns_map: tuple[str | None, ...]
    note_types: tuple[tuple[str, tuple[str, ...]], ...]
    decks: tuple[str, ...]
    bad_rows: tuple[str, ...]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path.name}: {error.strerror or error}.") from error


class ImportService:
    TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
    PACKAGE_SUFFIXES = frozenset({".apkg", ".colpkg"})
    DECK_SUFFIXES = frozenset({".toml"})

    def __init__(self, database: Database, clock: Clock, media_dir: Path) -> None:
        self._database = database
        self._clock = clock
        self._media_dir = media_dir

    def _note_types(self) -> tuple[NoteType, ...]:
        with self._database.transaction() as repos:
            return tuple(repos.note_types.all())

    def preview_text(self, path: Path, options: TextImportOptions) -> TextPreview:
        note_types = self._note_types()
        preview = preview_text(
            _read(path), file_name=path.name, options=replace(options, note_types=note_types)
        )
        with self._database.transaction() as repos:
            decks = tuple(d.name for d in repos.decks.all())
        return TextPreview(
            separator=preview.separator,
            has_header=preview.has_header,
            header=preview.header,
            rows=preview.rows,
            columns=preview.columns,
            deck=preview.deck,
            note_type=preview.note_type,
            columns_map=preview.columns_map,
            note_types=tuple((t.name, t.fields) for t in note_types),
            decks=decks,
            bad_rows=preview.bad_rows,
        )

    def import_file(
        self,
        path: Path,
        *,
        options: TextImportOptions | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportSummary:
        """Import `path` in one transaction; see the module docstring for the guarantees."""
        suffix = path.suffix.casefold()
        data = _read(path)
        if suffix in self.TEXT_SUFFIXES:
            chosen = replace(options or TextImportOptions(), note_types=self._note_types())
            draft = parse_text(data, file_name=path.name, options=chosen)
        elif suffix in self.PACKAGE_SUFFIXES:
            draft = parse_anki_package(data)
        elif suffix in self.DECK_SUFFIXES:
            draft = _deck_file_draft(data, self._note_types())
        else:
            raise InvalidInputError(
                f"{path.name}: StudyApp imports .csv, .tsv, .txt, .apkg, .colpkg and .toml files."
            )
        run = _ImportRun(draft, self._clock, progress, cancelled)
        with self._database.transaction() as repos:
            run.apply(repos)
        self._database.optimize()
        media_added = self._write_media(draft.media, run.messages)
        return ImportSummary(
            file_name=path.name,
            added=run.added,
            updated=run.updated,
            unchanged=run.unchanged,
            skipped=len(draft.skipped_rows) + run.skipped,
            failed=0,
            cards_added=run.cards_added,
            reviews_added=run.reviews_added,
            media_added=media_added,
            messages=tuple(run.messages),
        )

    def _write_media(self, media: Mapping[str, bytes], messages: list[str]) -> int:
        written = 0
        self._media_dir.mkdir(parents=True, exist_ok=True)
        root = self._media_dir.resolve()
        for name in media:
            target = (root / name).resolve()
            if target.parent != root:
                messages.append(f"The media file name {name!r} was refused.")
                continue
            content = media[name]
            if target.exists():
                if target.read_bytes() != content:
                    messages.append(
                        f"A different media file called {name} already exists; kept the old one."
                    )
                continue
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(content)
            partial.replace(target)
            written += 1
        return written


def _deck_file_draft(data: bytes, note_types: Iterable[NoteType]) -> ImportDraft:
    deck = parse_deck_file(data)
    known = {t.name: t for t in note_types}
    used: dict[str, NoteType] = {}
    notes = []
    for note in deck.notes:
        note_type = known.get(note.note_type)
        if note_type is None:
            raise InvalidInputError(
                f"Note {note.guid} uses the unknown note type {note.note_type}."
            )
        used[note_type.name] = note_type
        notes.append(
            ImportedNote(
                key=note.guid,
                guid=note.guid,
                note_type_key=note_type.name,
                fields=note.field_values(note_type),
                tags=tuple(note.tags),
                deck=deck.name,
            )
        )
    return ImportDraft(
        note_types=tuple(NoteTypeDraft.from_note_type(t) for t in used.values()),
        decks=(ImportedDeck(deck.name),),
        notes=tuple(notes),
        source_format="studyapp",
    )


class _ImportRun:
    """Applies one draft inside one transaction and counts what it did."""

    def __init__(
        self,
        draft: ImportDraft,
        clock: Clock,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.draft = draft
        self.clock = clock
        self.progress = progress
        self.cancelled = cancelled
        self.added = self.updated = self.unchanged = self.skipped = 0
        self.cards_added = self.reviews_added = 0
        self.messages: list[str] = list(draft.warnings)
        self.now = to_epoch(clock.now())

    def _tick(self, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelledError("The import was cancelled; nothing was changed.")
        if self.progress is not None:
            self.progress(done, total)

    def apply(self, repos: Repositories) -> None:
        draft = self.draft
        total = len(draft.notes) + len(draft.cards) + len(draft.reviews)
        self._tick(0, total)
        note_types = {d.key: self._note_type(repos, d) for d in draft.note_types}
        preset = repos.presets.get(DEFAULT_PRESET_ID)
        assert preset is not None
        decks = {d.name: ensure_deck(repos, d.name, DEFAULT_PRESET_ID).id for d in draft.decks}
        note_ids, added = self._notes(repos, note_types, total)
        if draft.cards:
            new_keys = {imported.key for imported, _, _ in added}
            card_ids = self._package_cards(repos, note_ids, new_keys, decks, preset, total)
        else:
            card_ids = {}
            self._template_cards(repos, note_types, added, decks, total)
        self._reviews(repos, card_ids, total)
        self._tick(total, total)

    def _note_type(self, repos: Repositories, draft: NoteTypeDraft) -> NoteType:
        """The collection's note type of that name and fields (or a renamed copy made by an
        earlier import), else a new one."""
        same_fields = [t for t in repos.note_types.all() if t.fields == draft.fields]
        for existing in same_fields:
            if existing.name == draft.name or existing.name.startswith(f"{draft.name} ("):
                return existing
        name = draft.name
        number = 2
        while repos.note_types.by_name(name) is not None:
            name = f"{draft.name} ({number})"
            number += 1
        return repos.note_types.add(
            NoteType(0, name, draft.kind, draft.fields, draft.templates, draft.css)
        )

    def _notes(
        self, repos: Repositories, note_types: Mapping[str, NoteType], total: int
    ) -> tuple[dict[str, int], list[tuple[ImportedNote, tuple[str, ...], int]]]:
        """Every draft note's id by key; and the notes this import added, in draft order, with
        their stored (sanitized) fields and ids."""
        draft_notes = self.draft.notes
        by_guid = repos.notes.by_guids(n.guid for n in draft_notes if n.guid)
        by_first: dict[int, dict[str, Note]] = {}
        for type_id in {note_types[n.note_type_key].id for n in draft_notes if not n.guid}:
            values = [
                n.fields[0]
                for n in draft_notes
                if not n.guid and note_types[n.note_type_key].id == type_id and n.fields
            ]
            by_first[type_id] = repos.notes.by_first_field(type_id, values)
        type_ids = {key: note_type.id for key, note_type in note_types.items()}
        fresh_guids = iter(_new_guids(sum(1 for n in draft_notes if not n.guid)))
        now = self.now
        ids: dict[str, int] = {}
        added: list[tuple[ImportedNote, tuple[str, ...], int]] = []
        pending: list[tuple[ImportedNote, tuple[str, ...]]] = []
        rows: list[NoteRowTuple] = []

        def insert_pending() -> None:
            for (imported, fields), note_id in zip(
                pending, repos.notes.add_rows(rows), strict=True
            ):
                ids[imported.key] = note_id
                added.append((imported, fields, note_id))
            pending.clear()
            rows.clear()

        for done, imported in enumerate(draft_notes, 1):
            type_id = type_ids[imported.note_type_key]
            fields = tuple(map(sanitize_card_html, imported.fields))
            guid = imported.guid
            if guid:
                existing = by_guid.get(guid) if by_guid else None
            else:
                existing = by_first.get(type_id, {}).get(imported.fields[0])
            if existing is not None:
                ids[imported.key] = self._existing_note(repos, existing, type_id, imported, fields)
            else:
                pending.append((imported, fields))
                rows.append(
                    (
                        guid or next(fresh_guids),
                        type_id,
                        fields,
                        imported.tags,
                        imported.created_at or now,
                        imported.modified_at or now,
                    )
                )
                if len(rows) >= _CHUNK:
                    insert_pending()
            if done % _CHUNK == 0:
                self._tick(done, total)
        insert_pending()
        self.added = len(added)
        return ids, added

    def _existing_note(
        self,
        repos: Repositories,
        existing: Note,
        type_id: int,
        imported: ImportedNote,
        fields: tuple[str, ...],
    ) -> int:
        """Update a note the collection already has, if the draft changed it; returns its id."""
        if existing.note_type_id != type_id:
            self.skipped += 1
            self.messages.append(
                f"A note with the id {existing.guid} already exists with another note type;"
                " it was left as it is."
            )
        elif (existing.fields, existing.tags) == (fields, imported.tags):
            self.unchanged += 1
        else:
            changed = replace(existing, fields=fields, tags=imported.tags, modified_at=self.now)
            repos.notes.update(changed)
            self.updated += 1
        return existing.id

    def _template_cards(
        self,
        repos: Repositories,
        note_types: Mapping[str, NoteType],
        added: list[tuple[ImportedNote, tuple[str, ...], int]],
        decks: Mapping[str, int],
        total: int,
    ) -> None:
        position = repos.cards.next_new_position()
        rules = {key: ordinal_rule(note_type) for key, note_type in note_types.items()}
        deck_ids = dict(decks)
        fallback = next(iter(decks.values()), None)
        now = self.now
        rows: list[CardRowTuple] = []
        for done, (imported, fields, note_id) in enumerate(added, 1):
            deck_id = deck_ids.get(imported.deck or "", fallback)
            if deck_id is None:
                name = imported.deck or "Imported"
                deck_id = ensure_deck(repos, name, DEFAULT_PRESET_ID).id
                deck_ids[name] = deck_id
            ordinals = rules[imported.note_type_key](fields)
            if not ordinals:
                self.messages.append(
                    f"The note starting “{fields[0][:40]}” makes no cards; it was kept."
                )
            for ordinal in ordinals:
                # A new card: Card(0, note_id, deck_id, ordinal, due=position) as a row.
                rows.append(
                    (note_id, deck_id, ordinal, 0, position, 0, 0, None, None, 0, 0, None, 0,
                     False, 0, now)
                )  # fmt: skip
                position += 1
            if len(rows) >= _CHUNK:
                self.cards_added += len(repos.cards.add_rows(rows))
                rows.clear()
            if done % _CHUNK == 0:
                self._tick(len(self.draft.notes), total)
        self.cards_added += len(repos.cards.add_rows(rows))

    def _package_cards(
        self,
        repos: Repositories,
        note_ids: Mapping[str, int],
        new_keys: set[str],
        decks: Mapping[str, int],
        preset: Preset,
        total: int,
    ) -> dict[str, int]:
        """Add the package's cards of newly added notes; returns card source id -> our id."""
        settings = read_settings(repos.settings)
        rollover, zone = settings.rollover_hour, self.clock.zone
        created = self.draft.collection_created_at
        first_position = repos.cards.next_new_position()
        steps = {
            CardState.RELEARNING: len(preset.relearning_steps),
            CardState.LEARNING: len(preset.learning_steps),
        }
        learning_steps = len(preset.learning_steps)
        days: dict[tuple[bool, int], int] = {}
        """(is a review card, collection day) -> `card_due` of such a card."""
        deck_ids = dict(decks)
        now = self.now
        mapping: dict[str, int] = {}
        existing_notes: list[int] = []
        rows: list[CardRowTuple] = []
        sources: list[str] = []

        def insert_pending() -> None:
            ids = repos.cards.add_rows(rows)
            mapping.update(zip(sources, ids, strict=True))
            self.cards_added += len(ids)
            rows.clear()
            sources.clear()

        for done, imported in enumerate(self.draft.cards, 1):
            if done % _CHUNK == 0:
                self._tick(len(self.draft.notes) + done, total)
            note_id = note_ids[imported.note_key]
            if imported.note_key not in new_keys:
                existing_notes.append(note_id)
                continue
            deck_id = deck_ids.get(imported.deck)
            if deck_id is None:
                deck_id = ensure_deck(repos, imported.deck, DEFAULT_PRESET_ID).id
                deck_ids[imported.deck] = deck_id
            state = imported.state
            due = imported.due
            if state == CardState.NEW:
                if imported.due_kind is DueKind.COLLECTION_DAY:
                    due = card_due(imported, created, rollover, zone)
                due += first_position
            elif imported.due_kind is DueKind.COLLECTION_DAY:
                key = (state == CardState.REVIEW, due)
                if key not in days:
                    days[key] = card_due(imported, created, rollover, zone)
                due = days[key]
            reviewed = imported.last_reviewed_at
            remaining = imported.remaining_steps
            rows.append(
                (
                    note_id,
                    deck_id,
                    imported.ordinal,
                    int(state),
                    due,
                    imported.interval,
                    max(0, steps.get(state, learning_steps) - remaining) if remaining else 0,
                    imported.stability,
                    imported.difficulty,
                    imported.reps,
                    imported.lapses,
                    None if reviewed is None else study_day(from_epoch(reviewed), rollover, zone),
                    imported.flag,
                    imported.suspended,
                    int(imported.buried),
                    now,
                )
            )
            sources.append(imported.source_id)
            if len(rows) >= _CHUNK:
                insert_pending()
        insert_pending()
        if existing_notes:
            known = repos.cards.ids_by_note_and_ordinal(sorted(set(existing_notes)))
            for imported in self.draft.cards:
                if imported.note_key in new_keys:
                    continue
                card_id = known.get((note_ids[imported.note_key], imported.ordinal))
                if card_id is not None:
                    mapping[imported.source_id] = card_id
        return mapping

    def _reviews(self, repos: Repositories, card_ids: Mapping[str, int], total: int) -> None:
        if not self.draft.reviews:
            return
        logged = repos.reviews.source_ids(sorted(set(card_ids.values())))
        rows: list[Review] = []
        for imported in self.draft.reviews:
            card_id = card_ids.get(imported.card_source_id)
            if card_id is None or (card_id, imported.source_id) in logged:
                continue
            rows.append(
                Review(
                    card_id=card_id,
                    reviewed_at=imported.reviewed_at,
                    kind=imported.kind,
                    rating=imported.rating,
                    state_before=imported.state_before,
                    last_interval=imported.last_interval,
                    interval=imported.interval,
                    time_taken_ms=imported.time_taken_ms,
                    stability=None,
                    difficulty=None,
                    source_id=imported.source_id,
                )
            )
            if len(rows) % _CHUNK == 0:
                self._tick(len(self.draft.notes) + len(self.draft.cards) + len(rows), total)
        repos.reviews.add_many(rows)
        self.reviews_added = len(rows)


def _new_guids(count: int) -> list[str]:
    """`count` random note guids like `secrets.token_urlsafe(10)`'s: 14 URL-safe characters,
    84 random bits, made from one call to the system's random source."""
    size = 14
    data = secrets.token_bytes(3 * -(-count * size // 4))  # encodes without padding
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return [text[start : start + size] for start in range(0, count * size, size)]
