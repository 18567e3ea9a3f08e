"""An Anki collection database (SQLite bytes) -> note types, decks, notes, cards and review log.

Card columns as Anki stores them: `type` 0 new, 1 learning, 2 review, 3 relearning; `queue` -1
suspended, -2 buried with a sibling, -3 buried by hand (otherwise 0 new, 1/4 intraday learning,
2 review, 3 interday learning); `due` is a new-queue position, an epoch second (intraday learning)
or a day number counted from the collection's creation `crt`. A card in a filtered deck keeps its
home deck in `odid` and its own due in `odue`. FSRS memory state lives in `data` JSON
(`s` stability, `d` difficulty, `dr` desired retention, `lrt` last review time).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from studyapp.domain.cards import BuryKind, CardState, ReviewKind
from studyapp.domain.decks import parent_names
from studyapp.errors import InvalidInputError
from studyapp.importers.anki_models import (
    DEFAULT_DECK_ID,
    AnkiDeck,
    read_decks,
    read_note_types,
    uses_schema_18,
)
from studyapp.importers.anki_values import (
    BURIED,
    RATINGS,
    REVIEW_KINDS,
    card_memory,
    memory_state,
    number,
    schedule,
    state_before,
)
from studyapp.importers.drafts import (
    DueKind,
    ImportedCard,
    ImportedDeck,
    ImportedNote,
    ImportedReview,
    NoteTypeDraft,
    PackageSource,
)

_SQLITE_MAGIC = b"SQLite format 3\x00"
_REQUIRED_TABLES = ("col", "notes", "cards")
_MILLISECOND_IDS = 10**11
"""Note ids from this on are creation times in epoch milliseconds, as Anki makes them."""
_FIELD_SEPARATOR = "\x1f"
_DUMMY_TEXT = "please update to the latest anki version"


@dataclass(slots=True)
class CollectionContent:
    note_types: list[NoteTypeDraft]
    decks: list[ImportedDeck]
    notes: list[ImportedNote]
    cards: list[ImportedCard]
    reviews: list[ImportedReview]
    created_at: int
    warnings: list[str] = field(default_factory=list)


def read_collection(data: bytes, time_limit: float) -> CollectionContent:
    """Read everything StudyApp imports from the collection file's bytes."""
    with CollectionReader(data, time_limit) as reader:
        notes = list(reader.notes())
        cards = list(reader.cards())
        reviews = list(reader.reviews())
        return CollectionContent(
            reader.note_types,
            list(reader.decks),
            notes,
            cards,
            reviews,
            reader.created_at,
            reader.warnings,
        )


def is_placeholder(content: CollectionContent) -> bool:
    """The one-note collection.anki2 that modern packages carry for old Anki versions."""
    return len(content.notes) == 1 and _is_dummy(content.notes[0].fields)


def _is_dummy(fields: Iterable[str]) -> bool:
    return any(_DUMMY_TEXT in value.casefold() for value in fields)


class CollectionReader:
    """An Anki collection database opened from bytes, its rows read one pass at a time.

    Note types, decks and the creation time are read on opening; `notes()`, `cards()` and
    `reviews()` then yield the rows in that order (cards of notes that were not read are left
    out, and so are reviews of cards that were not read). `warnings` is complete once all three
    are read. Any fault of the database becomes an InvalidInputError.
    """

    def __init__(self, data: bytes | bytearray, time_limit: float) -> None:
        self._connection, self._data = _open(data, time_limit)
        self.warnings: list[str] = []
        self._note_ids: set[int] = set()
        self._card_ids: set[int] = set()
        try:
            with _database_errors():
                connection = self._connection
                schema_18 = uses_schema_18(connection)
                self.note_types = read_note_types(connection, schema_18)
                self._decks = read_decks(connection, schema_18)
                row = connection.execute("SELECT crt FROM col").fetchone()
                self.created_at = number(row[0] if row else 0)
                self._field_counts = {int(t.key): len(t.fields) for t in self.note_types}
                self._homes: dict[int, tuple[int, str, bool]] = {}
                """The card's home deck id -> the deck its cards go to, its name, and whether
                they had to be moved there (the home deck is missing or filtered)."""
                self._card_homes, self._orphans = self._card_pass()
                self.note_count, self.review_count = self._counts()
                self.card_count = sum(self._card_homes.values())
                used = {self._home(home)[0] for home in self._card_homes}
                self.decks = _deck_list(self._decks, used)
        except BaseException:
            self._connection.close()
            raise

    def __enter__(self) -> CollectionReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()
        self._data = b""

    def _known_notes(self, column: str = "CAST(id AS INTEGER)") -> str:
        """SQL: `column` of the notes `notes()` reads (those of a known note type)."""
        types = ", ".join(str(mid) for mid in self._field_counts) or "NULL"
        return f"SELECT {column} FROM notes WHERE CAST(mid AS INTEGER) IN ({types})"

    def _counts(self) -> tuple[int, int]:
        """Notes that will be read, and the review-log rows."""
        connection = self._connection
        notes = connection.execute(f"SELECT count(*) FROM ({self._known_notes()})").fetchone()[0]
        reviews = 0
        if _has_revlog(connection):
            reviews = connection.execute("SELECT count(*) FROM revlog").fetchone()[0]
        return int(notes), int(reviews)

    def _card_pass(self) -> tuple[dict[int, int], int]:
        """How many cards to be read have each home deck id, and how many cards will not be
        read (their note is not). When every card is read (the usual case), the homes are
        counted without asking of each card whether its note is read."""
        connection = self._connection
        read = f"CAST(nid AS INTEGER) IN ({self._known_notes()})"
        home = "COALESCE(NULLIF(CAST(odid AS INTEGER), 0), CAST(did AS INTEGER))"
        total = connection.execute("SELECT count(*) FROM cards").fetchone()[0]
        count = connection.execute(f"SELECT count(*) FROM cards WHERE {read}").fetchone()[0]
        where = "" if count == total else f" WHERE {read}"
        query = f"SELECT {home}, count(*) FROM cards{where} GROUP BY 1"
        return dict(connection.execute(query).fetchall()), int(total - count)

    def _home(self, home: int) -> tuple[int, str, bool]:
        found = self._homes.get(home)
        if found is None:
            found = self._homes[home] = _home_deck(self._decks, home)
        return found

    def package_source(self) -> PackageSource | None:
        """The database for copying the notes, cards and review log with SQL; None when its
        tables are not plain enough for that (card or note ids that are not the row ids,
        missing columns): then they are read row by row."""
        with _database_errors():
            if not all(self._has_columns(table) for table in ("notes", "cards")):
                return None
            if _has_revlog(self._connection) and not self._has_columns("revlog"):
                return None
        return PackageSource(
            take=self._take,
            homes={home: name for home, (_, name, _) in self._homes.items()},
            note_fields=note_fields,
            note_tags=note_tags,
            card_memory=card_memory,
        )

    def _has_columns(self, table: str) -> bool:
        """Whether `table` has its id as the row id and every column the copy reads."""
        info = self._connection.execute(f"PRAGMA table_info({table})").fetchall()
        types = {str(row[1]).casefold(): (str(row[2]).casefold(), row[5]) for row in info}
        return types.get("id") == ("integer", 1) and _COPIED_COLUMNS[table] <= types.keys()

    def _take(self) -> bytes | bytearray:
        """Give the warnings `notes()`, `cards()` and `reviews()` give, for rows copied instead
        of read; close the connection and hand over the database."""
        connection = self._connection
        known = self._known_notes()
        read = f"CAST(nid AS INTEGER) IN ({known})"
        counts = "".join(f" WHEN {mid} THEN {n}" for mid, n in self._field_counts.items())
        count = f"CASE CAST(mid AS INTEGER){counts} END" if counts else "NULL"
        text = "COALESCE(CAST(flds AS TEXT), '')"
        # Separators counted in bytes (one each): no scan of the characters, and past a NUL.
        separators = (
            f"length(CAST({text} AS BLOB)) - length(CAST(replace({text}, char(31), '') AS BLOB))"
        )
        with _database_errors():
            unknown_type, mismatched = connection.execute(
                f"SELECT count(*) FILTER (WHERE {count} IS NULL), count(*) FILTER (WHERE "
                f"{separators} + 1 != {count}) "
                "FROM notes"
            ).fetchone()
            homeless = sum(n for home, n in self._card_homes.items() if self._home(home)[2])
            foreign = malformed = 0
            if _has_revlog(connection):
                cards = f"SELECT CAST(id AS INTEGER) FROM cards WHERE {read}"
                foreign, malformed = connection.execute(
                    f"SELECT count(*) FILTER (WHERE ({_IN_CARDS.format(cards=cards)}) IS NOT 1), "
                    f"count(*) FILTER (WHERE {_IN_CARDS.format(cards=cards)} "
                    f"AND ({_WELL_FORMED}) IS NOT 1) FROM revlog"
                ).fetchone()
        self._note_warnings(unknown_type, mismatched)
        self._card_warnings(self._orphans, homeless)
        self._review_warnings(foreign, malformed)
        data = self._data
        self.close()
        return data

    def _note_warnings(self, unknown_type: int, mismatched: int) -> None:
        if unknown_type:
            self.warnings.append(f"{unknown_type} note(s) with an unknown note type were left out.")
        if mismatched:
            self.warnings.append(
                f"{mismatched} note(s) had a different number of fields than their note type; "
                "missing fields were left empty and extra ones dropped."
            )

    def _card_warnings(self, orphans: int, homeless: int) -> None:
        if orphans:
            self.warnings.append(f"{orphans} card(s) without a note were left out.")
        if homeless:
            self.warnings.append(
                f"{homeless} card(s) in a missing or filtered deck without a home deck were put "
                "in the Default deck."
            )

    def _review_warnings(self, foreign: int, malformed: int) -> None:
        if foreign:
            self.warnings.append(f"{foreign} review(s) of cards not in the package were left out.")
        if malformed:
            self.warnings.append(f"{malformed} malformed review(s) were left out.")

    def is_placeholder(self) -> bool:
        """Whether this is the one-note collection.anki2 that modern packages carry for old
        Anki versions."""
        with _database_errors():
            known = self._known_notes("CAST(flds AS TEXT)")
            found = self._connection.execute(f"{known} LIMIT 2").fetchall()
        return len(found) == 1 and _is_dummy((found[0][0] or "").split(_FIELD_SEPARATOR))

    def notes(self) -> Iterator[ImportedNote]:
        unknown_type = mismatched = 0
        field_counts = self._field_counts
        type_keys = {mid: str(mid) for mid in field_counts}
        keys = self._note_ids
        query = (
            "SELECT CAST(id AS INTEGER), CAST(guid AS TEXT), CAST(mid AS INTEGER), "
            "CAST(mod AS INTEGER), CAST(tags AS TEXT), CAST(flds AS TEXT) FROM notes ORDER BY id"
        )
        with _database_errors():
            for note_id, guid, mid, mod, tags, flds in self._connection.execute(query):
                count = field_counts.get(mid)
                if count is None:
                    unknown_type += 1
                    continue
                values = note_fields(flds, count)
                if (flds or "").count(_FIELD_SEPARATOR) + 1 != count:
                    mismatched += 1
                keys.add(note_id)
                key = str(note_id)
                yield ImportedNote(
                    key,
                    guid or key,
                    type_keys[mid],
                    tuple(values),
                    note_tags(tags),
                    None,
                    note_id // 1000 if note_id >= _MILLISECOND_IDS else None,
                    mod,
                )
        self._note_warnings(unknown_type, mismatched)

    def cards(self) -> Iterator[ImportedCard]:
        orphans = homeless = 0
        columns = _CARD_COLUMNS.split(", ")
        query = (
            "SELECT "
            + ", ".join(f"CAST({column} AS INTEGER)" for column in columns)
            + ", data FROM cards ORDER BY id"
        )
        note_keys, card_ids, home_of = self._note_ids, self._card_ids, self._home
        new, position, no_burial = CardState.NEW, DueKind.POSITION, BuryKind.NONE
        with _database_errors():
            latest_reviews = _latest_reviews(self._connection)
            for row in self._connection.execute(query):
                card_id, nid, did, ordinal, kind, queue, due, ivl, factor = row[:9]
                reps, lapses, left, odue, odid, flags, data = row[9:]
                if nid not in note_keys:
                    orphans += 1
                    continue
                card_ids.add(card_id)
                home = home_of(odid or did)
                if home[2]:
                    homeless += 1
                if kind == 0 and not odid:
                    state, due_kind, due_value = new, position, due
                else:
                    state, due_kind, due_value = schedule(kind, queue, odue if odid else due)
                if data and data != "{}":
                    memory = memory_state(data)
                    last_review = memory.get("lrt")
                else:
                    memory, last_review = _NO_MEMORY, None
                yield ImportedCard(
                    str(card_id),
                    str(nid),
                    home[1],
                    ordinal if ordinal > 0 else 0,
                    state,
                    due_value,
                    due_kind,
                    ivl if ivl > 0 else 0,
                    factor if factor > 0 else 0,
                    left % 1000 if left > 0 else 0,
                    reps if reps > 0 else 0,
                    lapses if lapses > 0 else 0,
                    flags & 7,
                    queue == -1,
                    BURIED.get(queue, no_burial),
                    memory.get("s"),
                    memory.get("d"),
                    memory.get("dr"),
                    int(last_review) if last_review else latest_reviews.get(card_id),
                )
        self._card_warnings(orphans, homeless)

    def reviews(self) -> Iterator[ImportedReview]:
        if not _has_revlog(self._connection):
            return
        cards = self._card_ids
        foreign = malformed = 0
        previous_card: int | None = None
        columns = ["id", "cid", "ease", "ivl", "lastIvl", "factor", "time", "type"]
        query = (
            "SELECT "
            + ", ".join(f"CAST({column} AS INTEGER)" for column in columns)
            + " FROM revlog ORDER BY cid, id"
        )
        with _database_errors():
            for (
                review_id,
                cid,
                ease,
                ivl,
                last_ivl,
                factor,
                taken,
                kind_number,
            ) in self._connection.execute(query):
                if cid not in cards:
                    foreign += 1
                    continue
                kind = REVIEW_KINDS.get(kind_number)
                if kind is None or not 0 <= ease <= 4:
                    malformed += 1
                    continue
                if ease == 0 and kind in _GRADED:
                    kind = ReviewKind.MANUAL
                first = cid != previous_card
                previous_card = cid
                yield ImportedReview(
                    source_id=str(review_id),
                    card_source_id=str(cid),
                    reviewed_at=review_id,
                    kind=kind,
                    rating=RATINGS[ease],
                    state_before=state_before(kind, last_ivl, first),
                    last_interval=last_ivl,
                    interval=ivl,
                    ease_factor=max(factor, 0),
                    time_taken_ms=max(taken, 0),
                )
        self._review_warnings(foreign, malformed)


@contextmanager
def _database_errors() -> Iterator[None]:
    """Faults of the package's database, as the user's error."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise InvalidInputError(
                "Reading the package's collection took too long; it was stopped."
            ) from exc
        raise _corrupt(exc) from exc
    except sqlite3.Error as exc:
        raise _corrupt(exc) from exc


def note_fields(flds: str | None, count: int) -> list[str]:
    """A note's fields from Anki's `flds`: missing ones empty, extra ones dropped."""
    values = (flds or "").split(_FIELD_SEPARATOR)
    if len(values) != count:
        values = (values + [""] * count)[:count]
    return values


def note_tags(tags: str | None) -> tuple[str, ...]:
    return tuple(tags.split()) if tags else ()


def _open(
    data: bytes | bytearray, time_limit: float
) -> tuple[sqlite3.Connection, bytes | bytearray]:
    """The database opened in memory, and its bytes (as it was opened; a bytearray is changed
    in place)."""
    if not data.startswith(_SQLITE_MAGIC):
        raise InvalidInputError("The package's collection is not an SQLite database.")
    opened = data
    if data[18:20] == b"\x02\x02":  # WAL mode cannot be read from memory; rollback mode can
        opened = data if isinstance(data, bytearray) else bytearray(data)
        opened[18:20] = b"\x01\x01"
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(opened)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA trusted_schema = OFF")
        deadline = time.monotonic() + time_limit
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 100_000)
        kinds = dict(connection.execute("SELECT name, type FROM sqlite_master").fetchall())
    except sqlite3.Error as exc:
        connection.close()
        raise _corrupt(exc) from exc
    missing = [name for name in _REQUIRED_TABLES if kinds.get(name) != "table"]
    if missing:
        connection.close()
        raise InvalidInputError(
            "The package's collection is not an Anki collection (no table "
            + ", ".join(missing)
            + ")."
        )
    return connection, opened


def _corrupt(exc: sqlite3.Error) -> InvalidInputError:
    return InvalidInputError(f"The package's collection is a damaged database ({exc}).")


def _home_deck(decks: dict[int, AnkiDeck], home: int) -> tuple[int, str, bool]:
    """The deck that cards with this home deck go to: it, or Default if it is missing or
    filtered (then Default is added to `decks` if the collection lacks it)."""
    deck = decks.get(home)
    if deck is not None and not deck.filtered:
        return home, deck.name, False
    deck = decks.get(DEFAULT_DECK_ID) or AnkiDeck(DEFAULT_DECK_ID, "Default", False, "")
    decks[DEFAULT_DECK_ID] = deck
    return DEFAULT_DECK_ID, deck.name, True


_NO_MEMORY: dict[str, float] = {}
_CARD_COLUMNS = (
    "id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags"
)
_COPIED_COLUMNS = {
    "notes": frozenset({"id", "mid"}),
    "cards": frozenset(_CARD_COLUMNS.split(", ")) | {"data"},
    "revlog": frozenset({"id", "cid", "ease", "ivl", "lastivl", "factor", "time", "type"}),
}
_IN_CARDS = "CAST(cid AS INTEGER) IN ({cards})"
_WELL_FORMED = (
    "CAST(type AS INTEGER) IN (" + ", ".join(str(kind.value) for kind in ReviewKind) + ") "
    "AND CAST(ease AS INTEGER) BETWEEN 0 AND 4"
)
"""SQL: a review-log row `reviews()` reads (when its card was read)."""
_GRADED = (ReviewKind.LEARN, ReviewKind.REVIEW, ReviewKind.RELEARN, ReviewKind.FILTERED)


def _has_revlog(connection: sqlite3.Connection) -> bool:
    row = connection.execute("SELECT type FROM sqlite_master WHERE name = 'revlog'").fetchone()
    return row is not None and row[0] == "table"


def _latest_reviews(connection: sqlite3.Connection) -> dict[int, int]:
    """Card id -> epoch second of its latest graded review."""
    if not _has_revlog(connection):
        return {}
    query = (
        "SELECT CAST(cid AS INTEGER), CAST(max(id) AS INTEGER) / 1000 FROM revlog "
        "WHERE ease BETWEEN 1 AND 4 GROUP BY cid"
    )
    return dict(connection.execute(query).fetchall())


def _deck_list(decks: dict[int, AnkiDeck], used: set[int]) -> list[ImportedDeck]:
    """Every normal deck (Default only when it holds cards), parents first."""
    chosen = {
        deck.name: deck
        for deck in decks.values()
        if not deck.filtered and (deck.id != DEFAULT_DECK_ID or deck.id in used)
    }
    names = set(chosen)
    for name in list(names):
        names.update(parent_names(name))
    ordered = sorted(names, key=lambda name: name.split("::"))
    return [ImportedDeck(n, chosen[n].description if n in chosen else "") for n in ordered]
