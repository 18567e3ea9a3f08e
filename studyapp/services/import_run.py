"""One import applied inside one transaction: note types, notes, cards and reviews, written in
batches (or copied with SQL from an Anki package), with progress, cancelling and the counts of what
changed."""

from __future__ import annotations

import base64
import secrets
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from studyapp.domain.cards import CardState, Note, NoteType
from studyapp.domain.clock import Clock, from_epoch, study_day, study_day_start, to_epoch
from studyapp.domain.decks import Preset
from studyapp.domain.sanitize import MARKUP_CHARACTERS, sanitize_card_html
from studyapp.domain.templates import ordinal_rule
from studyapp.errors import ImportCancelledError
from studyapp.importers.drafts import (
    DueKind,
    ImportedNote,
    ImportStream,
    NoteTypeDraft,
    PackageSource,
    card_due,
)
from studyapp.services.collection import DEFAULT_PRESET_ID, ensure_deck
from studyapp.services.settings import read_settings
from studyapp.storage.package_conversions import CardConversion, NoteConversion

if TYPE_CHECKING:
    from studyapp.storage.import_writer import CardRowTuple, NoteRowTuple, ReviewRowTuple
    from studyapp.storage.package_copy import PackageCopy
    from studyapp.storage.repositories import Repositories

__all__ = ["ImportRun", "Progress"]

Progress = Callable[[int, int], None]
"""(done, total): called now and then during an import, from the thread running it."""

_CHUNK = 2000
_Item = TypeVar("_Item")


class ImportRun:
    """Applies one import inside one transaction and counts what it did."""

    def __init__(
        self,
        stream: ImportStream,
        clock: Clock,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.stream = stream
        self.clock = clock
        self.progress = progress
        self.cancelled = cancelled
        self.added = self.updated = self.unchanged = self.skipped = 0
        self.cards_added = self.reviews_added = 0
        self.messages: list[str] = []
        self.now = to_epoch(clock.now())
        self.total = sum(stream.counts)

    def _tick(self, done: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelledError("The import was cancelled; nothing was changed.")
        if self.progress is not None:
            self.progress(done, self.total)

    def apply(self, repos: Repositories) -> None:
        stream = self.stream
        self._tick(0)
        note_types = {d.key: self._note_type(repos, d) for d in stream.note_types}
        preset = repos.presets.get(DEFAULT_PRESET_ID)
        assert preset is not None
        decks = {d.name: ensure_deck(repos, d.name, DEFAULT_PRESET_ID).id for d in stream.decks}
        if stream.package and stream.counts[1] and repos.import_writer.can_copy_package():
            package = stream.package
            with repos.import_writer.package_copy(package.take) as copy:
                self._copy_notes(repos, copy, package, note_types)
                self._copy_cards(repos, copy, package, decks, preset)
            self._tick(self.total)
            return
        note_ids, added = self._notes(repos, note_types)
        if stream.counts[1]:
            card_ids, kept = self._package_cards(repos, note_ids, added, decks, preset)
        else:
            self._template_cards(repos, note_types, added, decks)
            card_ids, kept = {}, []
            deque(stream.cards, maxlen=0)  # read for the warnings about cards left out
        self._reviews(repos, card_ids, kept)
        self._tick(self.total)

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

    def _by_first_field(
        self, repos: Repositories, type_ids: Mapping[str, int]
    ) -> dict[int, dict[str, Note]]:
        """Note type id -> the collection's notes by first field, for the notes without a
        guid (text rows, all in memory)."""
        notes = self.stream.notes
        if not isinstance(notes, tuple):
            return {}
        wanted: dict[int, list[str]] = {}
        for note in notes:
            if not note.guid and note.fields:
                wanted.setdefault(type_ids[note.note_type_key], []).append(note.fields[0])
        return {
            type_id: repos.notes.by_first_field(type_id, values)
            for type_id, values in wanted.items()
        }

    def _notes(
        self, repos: Repositories, note_types: Mapping[str, NoteType]
    ) -> tuple[dict[str, int], list[tuple[ImportedNote, tuple[str, ...], int]]]:
        """Every note's id by key; and the notes this import added, in order, with their
        stored (sanitized) fields and ids."""
        type_ids = {key: note_type.id for key, note_type in note_types.items()}
        by_first = self._by_first_field(repos, type_ids)
        now = self.now
        ids: dict[str, int] = {}
        added: list[tuple[ImportedNote, tuple[str, ...], int]] = []
        done = 0
        pending: list[tuple[ImportedNote, tuple[str, ...]]] = []
        rows: list[NoteRowTuple] = []

        def flush() -> None:
            for (imported, fields), note_id in zip(
                pending, repos.import_writer.add_notes(rows), strict=True
            ):
                ids[imported.key] = note_id
                added.append((imported, fields, note_id))
            pending.clear()
            rows.clear()

        for chunk in _batches(self.stream.notes, _CHUNK):
            self._tick(done)
            done += len(chunk)
            guids = [n.guid for n in chunk if n.guid]
            by_guid: dict[str, Note | None] = dict(repos.notes.by_guids(guids)) if guids else {}
            """The collection's notes by guid; None for a guid this chunk adds."""
            fresh_guids = iter(_new_guids(len(chunk) - len(guids)))
            for imported in chunk:
                type_id = type_ids[imported.note_type_key]
                fields = tuple(map(sanitize_card_html, imported.fields))
                guid = imported.guid
                if guid:
                    if guid in by_guid and by_guid[guid] is None:
                        # An earlier note of this chunk has the guid: it is added first.
                        flush()
                        by_guid.update(repos.notes.by_guids([guid]))
                    existing = by_guid.get(guid)
                else:
                    existing = by_first.get(type_id, {}).get(imported.fields[0])
                if existing is not None:
                    existing = self._existing_note(repos, existing, type_id, fields, imported.tags)
                    ids[imported.key] = existing.id
                    if guid:
                        by_guid[guid] = existing
                    continue
                if guid:
                    by_guid[guid] = None
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
            flush()
        self.added = len(added)
        return ids, added

    def _existing_note(
        self,
        repos: Repositories,
        existing: Note,
        type_id: int,
        fields: tuple[str, ...],
        tags: tuple[str, ...],
    ) -> Note:
        """Update a note the collection already has, if the import changed it; returns it as
        it is now."""
        if existing.note_type_id != type_id:
            self.skipped += 1
            self.messages.append(
                f"A note with the id {existing.guid} already exists with another note type;"
                " it was left as it is."
            )
        elif (existing.fields, existing.tags) == (fields, tags):
            self.unchanged += 1
        else:
            changed = replace(existing, fields=fields, tags=tags, modified_at=self.now)
            repos.notes.update(changed)
            self.updated += 1
            return changed
        return existing

    def _template_cards(
        self,
        repos: Repositories,
        note_types: Mapping[str, NoteType],
        added: list[tuple[ImportedNote, tuple[str, ...], int]],
        decks: Mapping[str, int],
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
                self.cards_added += len(repos.import_writer.add_cards(rows))
                rows.clear()
            if done % _CHUNK == 0:
                self._tick(self.stream.counts[0])
        self.cards_added += len(repos.import_writer.add_cards(rows))

    def _copy_notes(
        self,
        repos: Repositories,
        copy: PackageCopy,
        package: PackageSource,
        note_types: Mapping[str, NoteType],
    ) -> None:
        """What `_notes` does, by copying the rows with SQL."""
        note_fields = package.note_fields

        def fields(flds: str | None, count: int) -> tuple[str, ...]:
            return tuple(map(sanitize_card_html, note_fields(flds, count)))

        types = [(int(key), t.id, len(t.fields)) for key, t in note_types.items()]
        conversion = NoteConversion(types, fields, package.note_tags, self.now, MARKUP_CHARACTERS)
        self.added, conflicts = copy.notes(conversion)
        existing = repos.notes.by_guids({c.guid for c in conflicts}) if conflicts else {}
        for conflict in conflicts:
            existing[conflict.guid] = self._existing_note(
                repos, existing[conflict.guid], conflict.note_type_id, conflict.fields,
                conflict.tags,
            )  # fmt: skip
        self._tick(self.stream.counts[0])

    def _copy_cards(
        self,
        repos: Repositories,
        copy: PackageCopy,
        package: PackageSource,
        decks: Mapping[str, int],
        preset: Preset,
    ) -> None:
        """What `_package_cards` and `_reviews` do, by copying the rows with SQL."""
        rollover, zone = read_settings(repos.settings).rollover_hour, self.clock.zone
        created = self.stream.collection_created_at or 0
        deck_ids = dict(decks)
        homes: list[tuple[int, int]] = []
        for home, name in package.homes.items():
            deck_id = deck_ids.get(name)
            if deck_id is None:
                deck_id = deck_ids[name] = ensure_deck(repos, name, DEFAULT_PRESET_ID).id
            homes.append((home, deck_id))
        conversion = CardConversion(
            first_position=repos.cards.next_new_position(),
            learning_steps=len(preset.learning_steps),
            relearning_steps=len(preset.relearning_steps),
            first_day=study_day(from_epoch(created), rollover, zone),
            modified_at=self.now,
            day_start=lambda day: to_epoch(study_day_start(day, rollover, zone)),
            study_day=lambda moment: study_day(from_epoch(moment), rollover, zone),
            memory=package.card_memory,
        )
        cards, reviews = copy.cards(homes, conversion)
        self.cards_added += cards
        self.reviews_added += reviews

    def _package_cards(
        self,
        repos: Repositories,
        note_ids: Mapping[str, int],
        added: list[tuple[ImportedNote, tuple[str, ...], int]],
        decks: Mapping[str, int],
        preset: Preset,
    ) -> tuple[dict[str, int], list[int]]:
        """Add the package's cards of newly added notes. Returns, when the package has reviews,
        card source id -> our id (for the cards of notes the collection had, too) and the ids
        of the cards the collection had."""
        settings = read_settings(repos.settings)
        rollover, zone = settings.rollover_hour, self.clock.zone
        created = self.stream.collection_created_at
        first_position = repos.cards.next_new_position()
        steps = {
            CardState.RELEARNING: len(preset.relearning_steps),
            CardState.LEARNING: len(preset.learning_steps),
        }
        learning_steps = len(preset.learning_steps)
        days: dict[tuple[bool, int], int] = {}
        """(is a review card, collection day) -> `card_due` of such a card."""
        new_keys = {imported.key for imported, _, _ in added}
        del added
        deck_ids = dict(decks)
        now = self.now
        new_state, collection_day = CardState.NEW, DueKind.COLLECTION_DAY
        keep_ids = self.stream.counts[2] > 0
        mapping: dict[str, int] = {}
        existing: list[tuple[str, int, int]] = []
        """(source id, note id, ordinal) of the cards of notes the collection had."""
        done = self.stream.counts[0]
        for chunk in _batches(self.stream.cards, _CHUNK):
            self._tick(done)
            done += len(chunk)
            rows: list[CardRowTuple] = []
            sources: list[str] = []
            for imported in chunk:
                note_key = imported.note_key
                if note_key not in new_keys:
                    if keep_ids:
                        existing.append((imported.source_id, note_ids[note_key], imported.ordinal))
                    continue
                deck_id = deck_ids.get(imported.deck)
                if deck_id is None:
                    deck_id = ensure_deck(repos, imported.deck, DEFAULT_PRESET_ID).id
                    deck_ids[imported.deck] = deck_id
                state = imported.state
                due = imported.due
                if state == new_state:
                    if imported.due_kind is collection_day:
                        due = card_due(imported, created, rollover, zone)
                    due += first_position
                elif imported.due_kind is collection_day:
                    key = (state == CardState.REVIEW, due)
                    if key not in days:
                        days[key] = card_due(imported, created, rollover, zone)
                    due = days[key]
                reviewed = imported.last_reviewed_at
                remaining = imported.remaining_steps
                rows.append(
                    (
                        note_ids[note_key],
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
                        None
                        if reviewed is None
                        else study_day(from_epoch(reviewed), rollover, zone),
                        imported.flag,
                        imported.suspended,
                        int(imported.buried),
                        now,
                    )
                )
                if keep_ids:
                    sources.append(imported.source_id)
            ids = repos.import_writer.add_cards(rows)
            self.cards_added += len(ids)
            if keep_ids:
                mapping.update(zip(sources, ids, strict=True))
        kept: list[int] = []
        if existing:
            known = repos.cards.ids_by_note_and_ordinal(sorted({n for _, n, _ in existing}))
            for source_id, note_id, ordinal in existing:
                card_id = known.get((note_id, ordinal))
                if card_id is not None:
                    mapping[source_id] = card_id
                    kept.append(card_id)
        return mapping, kept

    def _reviews(
        self, repos: Repositories, card_ids: Mapping[str, int], kept: Sequence[int]
    ) -> None:
        """Add the package's reviews of its cards, but those the collection already logged
        (only the cards it had, `kept`, can have them)."""
        logged = repos.reviews.source_ids(sorted(set(kept))) if kept else set()
        done = sum(self.stream.counts[:2])
        for chunk in _batches(self.stream.reviews, _CHUNK):
            self._tick(done)
            done += len(chunk)
            rows: list[ReviewRowTuple] = []
            for imported in chunk:
                card_id = card_ids.get(imported.card_source_id)
                if card_id is None or (card_id, imported.source_id) in logged:
                    continue
                rating = imported.rating
                rows.append(
                    (
                        card_id,
                        imported.reviewed_at,
                        int(imported.kind),
                        None if rating is None else int(rating),
                        int(imported.state_before),
                        imported.last_interval,
                        imported.interval,
                        imported.time_taken_ms,
                        imported.source_id,
                    )
                )
            repos.import_writer.add_reviews(rows)
            self.reviews_added += len(rows)


def _batches(items: Iterable[_Item], size: int) -> Iterator[list[_Item]]:
    """`items` in lists of `size` (the last one shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _new_guids(count: int) -> list[str]:
    """`count` random note guids like `secrets.token_urlsafe(10)`'s: 14 URL-safe characters,
    84 random bits, made from one call to the system's random source."""
    size = 14
    data = secrets.token_bytes(3 * -(-count * size // 4))  # encodes without padding
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return [text[start : start + size] for start in range(0, count * size, size)]
