"""Repositories: domain values in, domain values out; ORM rows never leave this package.

Repositories never commit: `Database.transaction()` owns the session and its one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.orm import Session

from studyapp.domain.cards import (
    Note,
    NoteType,
)
from studyapp.domain.decks import Deck, Preset
from studyapp.storage.card_repository import CardRepository
from studyapp.storage.deck_list_sql import (
    DECKS_SQL,
    PRESETS_SQL,
    SETTINGS_SQL,
    deck_of,
    preset_of,
    settings_of,
)
from studyapp.storage.driver_statements import Prepared
from studyapp.storage.review_repository import ReviewRepository
from studyapp.storage.rows import (
    deck_columns,
    deck_value,
    insert_rows,
    is_sqlite,
    note_type_columns,
    note_type_value,
    note_value,
    preset_columns,
    preset_value,
    tag_text,
)
from studyapp.storage.schema import (
    CardRow,
    DeckRow,
    NoteRow,
    NoteTypeRow,
    PresetRow,
    ReviewRow,
    SettingRow,
)
from studyapp.storage.transaction_link import TransactionLink

if TYPE_CHECKING:  # loaded on first use (see Repositories)
    from studyapp.storage.bulk_edits import BulkEdits
    from studyapp.storage.document_repository import DocumentRepository
    from studyapp.storage.export_queries import ExportQueries
    from studyapp.storage.import_writer import ImportWriter
    from studyapp.storage.note_store import NoteStore
    from studyapp.storage.planning_queries import PlanningQueries
    from studyapp.storage.row_snapshots import SnapshotRepository
    from studyapp.storage.schedule_queries import ScheduleQueries
    from studyapp.storage.search_queries import SearchQueries
    from studyapp.storage.stats_queries import StatsQueries

_SETUP_LOCK = 0x5354_5550  # "STUP": the advisory lock a shared collection is set up under
_LISTED = 500
_DECKS = Prepared(text(DECKS_SQL))
_PRESETS = Prepared(text(PRESETS_SQL))
_SETTINGS = Prepared(text(SETTINGS_SQL))
"""Values per `IN (...)` list."""
_NOTE = Prepared(
    select(
        NoteRow.id,
        NoteRow.guid,
        NoteRow.note_type_id,
        NoteRow.fields,
        NoteRow.tags,
        NoteRow.created_at,
        NoteRow.modified_at,
        NoteRow.source,
    ).where(NoteRow.id == bindparam("note_id"))
)
"""A card shown while studying reads its note with it, on the driver (a plain row)."""


class PresetRepository:
    def __init__(self, link: TransactionLink) -> None:
        self._link = link

    @property
    def _session(self) -> Session:
        return self._link.session

    def get(self, preset_id: int) -> Preset | None:
        row = self._session.get(PresetRow, preset_id)
        return None if row is None else preset_value(row)

    def all(self) -> list[Preset]:
        self._link.flush()
        driver = self._link.driver
        return [preset_of(row, driver.decodes_json) for row in driver.rows(_PRESETS, {})]

    def add(self, preset: Preset) -> Preset:
        row = PresetRow(**preset_columns(preset))
        self._session.add(row)
        self._session.flush()
        return preset_value(row)

    def update(self, preset: Preset) -> None:
        """Store every option of `preset` (found by id)."""
        self._session.execute(
            update(PresetRow).where(PresetRow.id == preset.id).values(**preset_columns(preset))
        )

    def delete(self, preset_id: int) -> None:
        self._session.execute(delete(PresetRow).where(PresetRow.id == preset_id))


class DeckRepository:
    def __init__(self, link: TransactionLink) -> None:
        self._link = link

    @property
    def _session(self) -> Session:
        return self._link.session

    def all(self) -> list[Deck]:
        self._link.flush()
        return [deck_of(row) for row in self._link.driver.rows(_DECKS, {})]

    def get(self, deck_id: int) -> Deck | None:
        row = self._session.get(DeckRow, deck_id)
        return None if row is None else deck_value(row)

    def by_name(self, name: str) -> Deck | None:
        row = self._session.scalars(select(DeckRow).where(DeckRow.name == name)).first()
        return None if row is None else deck_value(row)

    def add(self, name: str, preset_id: int) -> Deck:
        row = DeckRow(name=name, preset_id=preset_id)
        self._session.add(row)
        self._session.flush()
        return deck_value(row)

    def update(self, deck: Deck) -> None:
        """Store every column of `deck` (found by id): name, preset, exam, filter, collapsed."""
        self._session.execute(
            update(DeckRow).where(DeckRow.id == deck.id).values(**deck_columns(deck))
        )

    def delete(self, deck_id: int) -> None:
        """Delete an empty deck (one that no card refers to)."""
        self._session.execute(delete(DeckRow).where(DeckRow.id == deck_id))


class NoteTypeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> list[NoteType]:
        rows = self._session.scalars(select(NoteTypeRow).order_by(NoteTypeRow.id))
        return [note_type_value(r) for r in rows]

    def get(self, note_type_id: int) -> NoteType | None:
        row = self._session.get(NoteTypeRow, note_type_id)
        return None if row is None else note_type_value(row)

    def by_name(self, name: str) -> NoteType | None:
        row = self._session.scalars(select(NoteTypeRow).where(NoteTypeRow.name == name)).first()
        return None if row is None else note_type_value(row)

    def add(self, note_type: NoteType) -> NoteType:
        row = NoteTypeRow(**note_type_columns(note_type))
        self._session.add(row)
        self._session.flush()
        return note_type_value(row)


class NoteRepository:
    def __init__(self, link: TransactionLink) -> None:
        self._link = link

    @property
    def _session(self) -> Session:
        return self._link.session

    def get(self, note_id: int) -> Note | None:
        driver = self._link.driver
        row = driver.first(_NOTE, {"note_id": note_id})
        if row is None:
            return None
        found, guid, note_type_id, fields, tags, created_at, modified_at, source = row
        return Note(
            found,
            guid,
            note_type_id,
            tuple(json.loads(fields) if driver.decodes_json else fields),
            tuple(tags.split()),
            created_at,
            modified_at,
            source,
        )

    def by_guids(self, guids: Iterable[str]) -> dict[str, Note]:
        wanted = list(guids)
        if len(wanted) > _LISTED and is_sqlite(self._session):
            # One JSON parameter instead of a bound parameter per guid.
            listed = func.json_each(json.dumps(wanted)).table_valued("value")
            condition = NoteRow.guid.in_(select(listed.c.value))
            rows = self._session.scalars(select(NoteRow).where(condition))
            return {r.guid: note_value(r) for r in rows}
        found: dict[str, Note] = {}
        for start in range(0, len(wanted), _LISTED):
            chunk = wanted[start : start + _LISTED]
            rows = self._session.scalars(select(NoteRow).where(NoteRow.guid.in_(chunk)))
            found.update((r.guid, note_value(r)) for r in rows)
        return found

    def add(self, note: Note) -> Note:
        row = NoteRow(
            guid=note.guid,
            note_type_id=note.note_type_id,
            fields=list(note.fields),
            tags=tag_text(note.tags),
            created_at=note.created_at,
            modified_at=note.modified_at,
            source=note.source,
        )
        self._session.add(row)
        self._session.flush()
        return note_value(row)

    def by_first_field(self, note_type_id: int, values: Iterable[str]) -> dict[str, Note]:
        """Notes of one type whose first field is one of `values`, by that value."""
        found: dict[str, Note] = {}
        wanted = list(dict.fromkeys(values))
        first = NoteRow.fields[0].as_string()
        if len(wanted) > _LISTED:
            # Many values: one pass over the note type's first fields beats a query per chunk
            # (the first field has no index, so each chunk would read them all again).
            listed = set(wanted)
            scan = select(NoteRow.id, first).where(NoteRow.note_type_id == note_type_id)
            ids = [i for i, value in self._session.execute(scan) if value in listed]
            chosen = [NoteRow.id.in_(ids[s : s + _LISTED]) for s in range(0, len(ids), _LISTED)]
        else:
            chosen = [first.in_(wanted)] if wanted else []
        for condition in chosen:
            rows = self._session.scalars(
                select(NoteRow)
                .where(NoteRow.note_type_id == note_type_id, condition)
                .order_by(NoteRow.id)
            )
            for row in rows:
                found.setdefault(row.fields[0], note_value(row))
        return found

    def add_many(self, notes: Sequence[Note]) -> list[int]:
        """Insert notes in bulk; returns their new ids in order."""
        if not notes:
            return []
        rows = [
            {
                "guid": n.guid,
                "note_type_id": n.note_type_id,
                "fields": list(n.fields),
                "tags": tag_text(n.tags),
                "created_at": n.created_at,
                "modified_at": n.modified_at,
                "source": n.source,
            }
            for n in notes
        ]
        return insert_rows(self._session, NoteRow.__table__, rows)  # type: ignore[arg-type]

    def overview(self) -> list[tuple[Note, int | None, int, int]]:
        """Every note with the deck of its lowest-ordinal card, its card and review counts."""
        first_deck = (
            select(CardRow.deck_id)
            .where(CardRow.note_id == NoteRow.id)
            .order_by(CardRow.ordinal)
            .limit(1)
            .scalar_subquery()
        )
        card_count = select(func.count()).where(CardRow.note_id == NoteRow.id).scalar_subquery()
        review_count = (
            select(func.count())
            .select_from(ReviewRow)
            .join(CardRow, CardRow.id == ReviewRow.card_id)
            .where(CardRow.note_id == NoteRow.id)
            .scalar_subquery()
        )
        query = select(NoteRow, first_deck, card_count, review_count).order_by(NoteRow.id)
        return [
            (note_value(row), deck, int(cards), int(reviews))
            for row, deck, cards, reviews in self._session.execute(query)
        ]

    def update(self, note: Note) -> None:
        self._session.execute(
            update(NoteRow)
            .where(NoteRow.id == note.id)
            .values(
                fields=list(note.fields),
                tags=tag_text(note.tags),
                modified_at=note.modified_at,
                source=note.source,
            )
        )


class SettingRepository:
    def __init__(self, link: TransactionLink) -> None:
        self._link = link

    @property
    def _session(self) -> Session:
        return self._link.session

    def get(self, key: str) -> Any:
        row = self._session.get(SettingRow, key)
        return None if row is None else row.value

    def all(self) -> dict[str, Any]:
        self._link.flush()
        driver = self._link.driver
        return settings_of(driver.rows(_SETTINGS, {}), driver.decodes_json)

    def set(self, key: str, value: Any) -> None:
        row = self._session.get(SettingRow, key)
        if row is None:
            self._session.add(SettingRow(key=key, value=value))
        else:
            row.value = value

    def lock_for_setup(self) -> None:
        """Make instances that set up a shared (PostgreSQL) collection at once do it in turn.

        The lock lasts until the transaction ends.  A SQLite collection has one instance at a
        time (the collection lock), so there is nothing to do there.
        """
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SETUP_LOCK})


class Repositories:
    """Every repository, bound to the one session of a transaction, each made on first use.

    The modules of the browser, statistics, import and planning queries load only when a
    transaction first needs them, not to study or to show the deck list.
    """

    def __init__(self, link: TransactionLink) -> None:
        self.link = link
        """The transaction (for the database's change stamp); services go through the
        repositories."""

    @property
    def session(self) -> Session:
        """The transaction's ORM session, made when first asked for."""
        return self.link.session

    @cached_property
    def presets(self) -> PresetRepository:
        return PresetRepository(self.link)

    @cached_property
    def decks(self) -> DeckRepository:
        return DeckRepository(self.link)

    @cached_property
    def note_types(self) -> NoteTypeRepository:
        return NoteTypeRepository(self.session)

    @cached_property
    def notes(self) -> NoteRepository:
        return NoteRepository(self.link)

    @cached_property
    def cards(self) -> CardRepository:
        return CardRepository(self.link)

    @cached_property
    def reviews(self) -> ReviewRepository:
        return ReviewRepository(self.link)

    @cached_property
    def settings(self) -> SettingRepository:
        return SettingRepository(self.link)

    @cached_property
    def documents(self) -> DocumentRepository:
        from studyapp.storage.document_repository import DocumentRepository

        return DocumentRepository(self.session)

    @cached_property
    def exports(self) -> ExportQueries:
        from studyapp.storage.export_queries import ExportQueries

        return ExportQueries(self.session)

    @cached_property
    def stats(self) -> StatsQueries:
        from studyapp.storage.stats_queries import StatsQueries

        return StatsQueries(self.session)

    @cached_property
    def search(self) -> SearchQueries:
        from studyapp.storage.search_queries import SearchQueries

        return SearchQueries(self.session)

    @cached_property
    def bulk(self) -> BulkEdits:
        from studyapp.storage.bulk_edits import BulkEdits

        return BulkEdits(self.session)

    @cached_property
    def snapshots(self) -> SnapshotRepository:
        from studyapp.storage.row_snapshots import SnapshotRepository

        return SnapshotRepository(self.session)

    @cached_property
    def note_store(self) -> NoteStore:
        from studyapp.storage.note_store import NoteStore

        return NoteStore(self.session)

    @cached_property
    def schedule(self) -> ScheduleQueries:
        from studyapp.storage.schedule_queries import ScheduleQueries

        return ScheduleQueries(self.link)

    @cached_property
    def planning(self) -> PlanningQueries:
        from studyapp.storage.planning_queries import PlanningQueries

        return PlanningQueries(self.session)

    @cached_property
    def import_writer(self) -> ImportWriter:
        from studyapp.storage.import_writer import ImportWriter

        return ImportWriter(self.session)
