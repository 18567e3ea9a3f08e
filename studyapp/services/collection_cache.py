"""Settings, decks, presets and note types read once and kept while the collection is unchanged.

Studying reads them several times a card; each read is a query.  The cache is keyed on the
database's change stamp (`Database.change_stamp`): any commit in this process, or on SQLite by any
other connection, makes it read them again.  A service that commits a transaction which changed
none of them says so (`kept`), so its own answers do not empty the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studyapp.domain.cards import NoteType
from studyapp.domain.decks import Deck, Preset
from studyapp.domain.exam import ExamTarget, deck_exam
from studyapp.services.settings import AppSettings, read_settings

if TYPE_CHECKING:
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

Stamp = tuple[int, int, int]


@dataclass(slots=True)
class _Entries:
    settings: AppSettings | None = None
    stored: dict[str, Any] | None = None
    """The settings table as stored, every key (AppSettings and the others)."""
    decks: list[Deck] | None = None
    decks_by_id: dict[int, Deck] = field(default_factory=dict)
    presets: dict[int, Preset] | None = None
    note_types: dict[int, NoteType] = field(default_factory=dict)
    exams: dict[tuple[int, int], ExamTarget | None] = field(default_factory=dict)
    """The exam of each (deck id, study day) asked for."""


class CachedReads:
    """Reads through the cache within one transaction (`repos`) that started with `stamp`."""

    def __init__(self, repos: Repositories, entries: _Entries, stamp: Stamp | None) -> None:
        self._repos = repos
        self._entries = entries
        self.stamp = stamp

    def settings(self) -> AppSettings:
        if self._entries.settings is None:
            self._entries.settings = read_settings(self._repos.settings)
        return self._entries.settings

    def setting(self, key: str) -> Any:
        """The stored value of settings key `key`, or None."""
        if self._entries.stored is None:
            self._entries.stored = self._repos.settings.all()
        return self._entries.stored.get(key)

    def forget_settings(self) -> None:
        """The transaction wrote to the settings table: read it again when next asked.

        (Forgotten rather than updated: a transaction that rolls back leaves no trace.)
        """
        self._entries.stored = None
        self._entries.settings = None

    def decks(self) -> list[Deck]:
        """Every deck, by name."""
        if self._entries.decks is None:
            decks = self._repos.decks.all()
            self._entries.decks_by_id = {d.id: d for d in decks}
            self._entries.decks = decks
        return self._entries.decks

    def deck(self, deck_id: int) -> Deck | None:
        self.decks()
        return self._entries.decks_by_id.get(deck_id)

    def exam(self, deck_id: int, today: int) -> ExamTarget | None:
        """The exam the cards of deck `deck_id` prepare for on study day `today` (its own or an
        ancestor's, see domain.exam.deck_exam); None without one, or without such a deck."""
        key = (deck_id, today)
        exams = self._entries.exams
        if key not in exams:
            deck = self.deck(deck_id)
            exams[key] = None if deck is None else deck_exam(self.decks(), deck, today)
        return exams[key]

    def presets(self) -> dict[int, Preset]:
        if self._entries.presets is None:
            self._entries.presets = {p.id: p for p in self._repos.presets.all()}
        return self._entries.presets

    def preset(self, preset_id: int) -> Preset | None:
        return self.presets().get(preset_id)

    def note_type(self, note_type_id: int) -> NoteType | None:
        known = self._entries.note_types.get(note_type_id)
        if known is None:
            known = self._repos.note_types.get(note_type_id)
            if known is not None:
                self._entries.note_types[note_type_id] = known
        return known


class CollectionCache:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._kept: tuple[Stamp | None, _Entries] = (None, _Entries())
        """The stamp and what was read under it, replaced together (services run on threads)."""

    def reads(self, repos: Repositories) -> CachedReads:
        """The cached reads for a transaction just begun: call before any other query in it."""
        stamp = self._database.change_stamp(repos)
        kept, entries = self._kept
        if stamp is None or stamp != kept:
            entries = _Entries()
            self._kept = (stamp, entries)
        return CachedReads(repos, entries, stamp)

    def kept(self, reads: CachedReads) -> None:
        """The transaction of `reads` committed without changing anything cached: keep the
        cache, unless another commit came in since that transaction began."""
        kept, entries = self._kept
        if reads.stamp is None or reads.stamp != kept:
            return
        after = self.stamp_after(reads)
        if after is not None:
            self._kept = (after, entries)

    def stamp_after(self, reads: CachedReads) -> Stamp | None:
        """The stamp the next transaction will find if the transaction of `reads`, just
        committed, is the only commit since it began; None if another came in (or the database
        gives no stamps).  A commit on the same connection leaves `PRAGMA data_version` as it
        was, so only the generation moves on."""
        if reads.stamp is None:
            return None
        generation, connection, version = reads.stamp
        if self._database.generation != generation + 1:
            return None
        return generation + 1, connection, version
