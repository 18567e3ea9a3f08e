"""Copying an Anki package's notes, cards and review log into the collection with
INSERT ... SELECT (SQLite only): the package's database is attached to the import's connection,
in memory.

Rows come out exactly as the row-by-row import makes them (`importers.anki_collection` reads,
`services.imports` converts): the same values, the same ids, in the same order. What SQL cannot
compute (a note's fields split, sanitized and stored as JSON, a study day's start in the user's
time zone, FSRS values in the card's JSON) is asked of Python functions registered on the
connection for the copy, called only for the rows that need them. New notes and cards take the
ids SQLite gives rows inserted without one (after the table's largest, in the order inserted), the
ids the row-by-row import gives them too; the copy checks that.

SQLite refuses to detach a database read by an open transaction, so the package is detached when
the connection goes back to the pool, after the import's commit or rollback.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.pool import ConnectionPoolEntry

from studyapp.storage.package_conversions import CardConversion, Memory, NoteConversion
from studyapp.storage.rows import json_strings, tag_text

SCHEMA = "studyapp_package"
_FUNCTIONS = {
    "studyapp_fields": 2,
    "studyapp_tags": 1,
    "studyapp_day_start": 1,
    "studyapp_study_day": 1,
    "studyapp_memory": 2,
}
"""The Python functions registered for the copy, with their number of arguments."""
_TABLES = ("type_map", "numbered", "note_map", "deck_map", "latest")
"""The temporary tables of the copy (each named studyapp_...)."""
Ids = Callable[[int], range]
"""`ids(count)` hands out `count` new ids of a table, after those handed out before (so
`ids(0).start` is where the next ones begin)."""


@dataclass(frozen=True, slots=True)
class NoteConflict:
    """A package note whose guid a note of the collection has (or an earlier note of the
    package, already copied): left to the caller, which updates that note or leaves it."""

    guid: str
    note_type_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@contextmanager
def attached_package(
    connection: Connection,
    database: Callable[[], bytes | bytearray],
    note_ids: Ids,
    card_ids: Ids,
) -> Iterator[PackageCopy]:
    """The package's database (asked of `database()` once, its bytes dropped once attached)
    attached to `connection`, to copy its rows from."""
    raw: sqlite3.Connection = connection.connection.driver_connection  # type: ignore[assignment]
    _detach_on_checkin(connection.engine)
    connection.exec_driver_sql(f"ATTACH ':memory:' AS {SCHEMA}")
    connection.connection.info[SCHEMA] = True  # for _detach, when the connection comes back
    try:
        raw.deserialize(database(), name=SCHEMA)
        yield PackageCopy(connection, raw, note_ids, card_ids)
    finally:
        for table in _TABLES:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.studyapp_{table}")
        for name, arguments in _FUNCTIONS.items():
            raw.create_function(name, arguments, None)


def _detach_on_checkin(engine: Engine) -> None:
    if not event.contains(engine, "checkin", _detach):
        event.listen(engine, "checkin", _detach)


def _detach(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    """Detach the package from a connection coming back to the pool (its transaction over);
    other connections pass untouched."""
    if record.info.pop(SCHEMA, False):
        dbapi_connection.execute(f"DETACH {SCHEMA}")


_SEPARATOR = "\x1f"
"""Between the fields of an Anki note's `flds`."""
_GUID = "COALESCE(NULLIF(CAST(n.guid AS TEXT), ''), CAST(CAST(n.id AS INTEGER) AS TEXT))"
"""SQL: a package note's guid (its id when it has none), as `notes()` reads it."""
_KNOWN_NOTES = """
FROM studyapp_package.notes AS n
JOIN temp.studyapp_type_map AS t ON t.source = CAST(n.mid AS INTEGER)
"""
"""SQL: the package's notes of known types."""
_NOTE_ROWS = f"""
INSERT OR IGNORE INTO main.notes (id, guid, note_type_id, fields, tags, created_at, modified_at)
SELECT NULL, {_GUID}, t.id, studyapp_fields(CAST(n.flds AS TEXT), t.fields),
  CASE WHEN n.tags IS NULL OR n.tags = '' THEN '' ELSE studyapp_tags(CAST(n.tags AS TEXT)) END,
  CASE WHEN CAST(n.id AS INTEGER) >= 100000000000 THEN CAST(n.id AS INTEGER) / 1000
    ELSE :now END,
  COALESCE(NULLIF(CAST(n.mod AS INTEGER), 0), :now)
{_KNOWN_NOTES}
ORDER BY n.id
"""
"""SQL: the package's notes of known types, in note id order; those whose guid the collection
has (or an earlier note of the package, just added) are left out by the guid's unique index.
Only a guid can be refused: no other value is ever NULL or breaks a constraint."""
_NOTE_MAP = f"""
INSERT INTO temp.studyapp_note_map
SELECT n.id, c.id, c.id >= :first
{_KNOWN_NOTES}
JOIN main.notes AS c ON c.guid = {_GUID}
ORDER BY n.id
"""
"""SQL: every package note of a known type -> the collection's note of its guid (new if it was
added from `:first` on)."""
_LATER_DUPLICATES = """
UPDATE temp.studyapp_note_map SET new = 0
WHERE new = 1 AND source > (
  SELECT min(m.source) FROM temp.studyapp_note_map AS m WHERE m.id = studyapp_note_map.id)
"""
"""SQL: a package note whose guid an earlier note of the package has was not added (that one
was)."""
_CONFLICTS = """
SELECT c.guid, t.id, CAST(n.flds AS TEXT), t.fields, CAST(n.tags AS TEXT)
FROM temp.studyapp_note_map AS m
JOIN studyapp_package.notes AS n ON n.id = m.source
JOIN temp.studyapp_type_map AS t ON t.source = CAST(n.mid AS INTEGER)
JOIN main.notes AS c ON c.id = m.id
WHERE m.new = 0
ORDER BY m.source
"""


def stored_fields(conversion: NoteConversion) -> Callable[[str | None, int], str]:
    """A note's `flds` and its number of fields -> the JSON text stored for its fields:
    `json_strings(conversion.fields(flds, count))`, made without a call for the plain notes
    (printable ASCII, none of the markup characters, no quote or backslash to escape)."""
    escaped = re.escape(conversion.markup + '"\\')
    plain = re.compile(f"[^{escaped}\\x00-\\x1e\\x7f-\\U0010ffff]*").fullmatch
    convert = conversion.fields

    def fields(flds: str | None, count: int) -> str:
        if flds is not None and plain(flds) and flds.count(_SEPARATOR) == count - 1:
            return '["' + flds.replace(_SEPARATOR, '", "') + '"]'
        return json_strings(convert(flds, count))

    return fields


class PackageCopy:
    """Copies the attached package's rows: first its notes, then its cards and reviews."""

    def __init__(
        self, connection: Connection, raw: sqlite3.Connection, note_ids: Ids, card_ids: Ids
    ) -> None:
        self._connection = connection
        self._raw = raw
        self._note_ids = note_ids
        self._card_ids = card_ids

    def notes(self, conversion: NoteConversion) -> tuple[int, list[NoteConflict]]:
        """Insert the notes of the known types whose guid the collection lacks (the first of
        the package's notes sharing one); how many, and the others, in Anki's note id order."""
        execute = self._connection.exec_driver_sql

        def tags(text: str | None) -> str:
            return tag_text(conversion.tags(text))

        fields = stored_fields(conversion)
        self._raw.create_function("studyapp_fields", 2, fields, deterministic=True)
        self._raw.create_function("studyapp_tags", 1, tags, deterministic=True)
        execute(
            "CREATE TEMP TABLE studyapp_type_map (source INTEGER PRIMARY KEY, id INTEGER, "
            "fields INTEGER)"
        )
        execute(
            "CREATE TEMP TABLE studyapp_note_map (source INTEGER PRIMARY KEY, id INTEGER, "
            "new INTEGER)"
        )
        if conversion.types:
            execute("INSERT INTO temp.studyapp_type_map VALUES (?, ?, ?)", list(conversion.types))
        # The new notes get no id from us: SQLite numbers them after the table's largest id, in
        # the order they are inserted (the package's note id order), as the ids handed out here.
        first = self._note_ids(0).start
        added = execute(_NOTE_ROWS, {"now": conversion.now}).rowcount
        last = execute("SELECT max(id) FROM main.notes").scalar()
        if added and last != first + added - 1:
            raise RuntimeError("the copied notes did not get the ids handed out for them")
        ids = self._note_ids(added)
        self._map_notes(first, added)
        conflicts = [
            NoteConflict(guid, type_id, conversion.fields(flds, size), conversion.tags(text))
            for guid, type_id, flds, size, text in execute(_CONFLICTS)
        ]
        return len(ids), conflicts

    def _map_notes(self, first: int, added: int) -> None:
        """Map every package note of a known type to its note: the one added for it (`added`
        of them, from the id `first` on), or the one of its guid the collection had or the
        package added first."""
        execute = self._connection.exec_driver_sql
        known = execute(f"SELECT count(*) {_KNOWN_NOTES}").scalar()
        if known == added:
            # Every note was added: the k-th in note id order has the k-th id.
            execute("CREATE TEMP TABLE studyapp_numbered (number INTEGER PRIMARY KEY, source)")
            execute(
                f"INSERT INTO temp.studyapp_numbered SELECT NULL, n.id {_KNOWN_NOTES} ORDER BY n.id"
            )
            execute(
                "INSERT INTO temp.studyapp_note_map SELECT source, ? - 1 + number, 1 "
                "FROM temp.studyapp_numbered ORDER BY number",
                (first,),
            )
        else:
            if execute(_NOTE_MAP, {"first": first}).rowcount != known:
                raise RuntimeError("a package note was neither added nor found by its guid")
            marked = execute("SELECT count(*) FROM temp.studyapp_note_map WHERE new = 1").scalar()
            if marked != added:
                execute("CREATE INDEX temp.studyapp_note_map_id ON studyapp_note_map (id)")
                execute(_LATER_DUPLICATES)

    def cards(
        self, decks: Sequence[tuple[int, int]], conversion: CardConversion
    ) -> tuple[int, int]:
        """Insert the cards of the notes added and the reviews of every card of the notes
        copied (`decks`: Anki home deck id, our deck id); how many of each."""
        self._register(conversion)
        execute = self._connection.exec_driver_sql
        execute("CREATE TEMP TABLE studyapp_deck_map (source INTEGER PRIMARY KEY, id INTEGER)")
        if decks:
            execute("INSERT INTO temp.studyapp_deck_map VALUES (?, ?)", list(decks))
        cards = _copy_cards(self._connection, conversion, self._card_ids)
        return cards, _copy_reviews(self._connection)

    def _register(self, conversion: CardConversion) -> None:
        memories: dict[object, Memory] = {}

        def memory(data: object, index: int) -> float | int | None:
            found = memories.get(data)
            if found is None:
                found = memories[data] = conversion.memory(data)
            return found[index]

        def study_day(moment: int | None) -> int | None:
            return None if moment is None else conversion.study_day(moment)

        raw = self._raw
        raw.create_function("studyapp_day_start", 1, conversion.day_start, deterministic=True)
        raw.create_function("studyapp_study_day", 1, study_day, deterministic=True)
        raw.create_function("studyapp_memory", 2, memory, deterministic=True)


_CARD_VALUES = """
SELECT NULL, m.id, d.id,
  CASE WHEN c.ord > 0 THEN c.ord ELSE 0 END,
  c.state,
  CASE c.state
    WHEN 0 THEN c.due_value + :first_position
    WHEN 2 THEN c.due_value + :first_day
    ELSE CASE WHEN c.due_value > 1000000000 THEN c.due_value
      ELSE studyapp_day_start(c.due_value + :first_day) END
  END,
  CASE WHEN c.ivl > 0 THEN c.ivl ELSE 0 END,
  CASE WHEN c.lft > 0 AND c.lft % 1000 != 0
    THEN max(0, (CASE c.state WHEN 3 THEN :relearning ELSE :learning END) - c.lft % 1000)
    ELSE 0 END,
  CASE WHEN c.has_data THEN studyapp_memory(c.data, 0) END,
  CASE WHEN c.has_data THEN studyapp_memory(c.data, 1) END,
  CASE WHEN c.reps > 0 THEN c.reps ELSE 0 END,
  CASE WHEN c.lapses > 0 THEN c.lapses ELSE 0 END,
  CASE WHEN c.has_data OR l.at IS NOT NULL THEN studyapp_study_day(
    COALESCE(CASE WHEN c.has_data THEN studyapp_memory(c.data, 2) END, l.at)) END,
  c.flags & 7,
  c.queue = -1,
  CASE c.queue WHEN -2 THEN 1 WHEN -3 THEN 2 ELSE 0 END,
  :now
FROM (
  SELECT id, CAST(nid AS INTEGER) AS nid, CAST(ord AS INTEGER) AS ord,
    CAST(queue AS INTEGER) AS queue, CAST(ivl AS INTEGER) AS ivl,
    CAST(reps AS INTEGER) AS reps, CAST(lapses AS INTEGER) AS lapses,
    CAST("left" AS INTEGER) AS lft, CAST(flags AS INTEGER) AS flags, data,
    data IS NOT NULL AND data NOT IN ('', '{}', 0) AS has_data,
    COALESCE(NULLIF(CAST(odid AS INTEGER), 0), CAST(did AS INTEGER)) AS home,
    CASE WHEN COALESCE(CAST(odid AS INTEGER), 0) != 0 THEN CAST(odue AS INTEGER)
      ELSE CAST(due AS INTEGER) END AS due_value,
    CASE CAST(type AS INTEGER)
      WHEN 1 THEN 1
      WHEN 2 THEN CASE WHEN CAST(queue AS INTEGER) IN (1, 3, 4) THEN 3 ELSE 2 END
      WHEN 3 THEN 3
      ELSE 0 END AS state
  FROM studyapp_package.cards
) AS c
JOIN temp.studyapp_note_map AS m ON m.source = c.nid AND m.new = 1
JOIN temp.studyapp_deck_map AS d ON d.source = c.home
LEFT JOIN temp.studyapp_latest AS l ON l.cid = c.id
ORDER BY c.id
"""
_CARD_COLUMNS = (
    "id, note_id, deck_id, ordinal, state, due, interval, step, stability, difficulty, reps, "
    "lapses, last_review_day, flag, suspended, buried, modified_at"
)


def _copy_cards(connection: Connection, conversion: CardConversion, card_ids: Ids) -> int:
    connection.exec_driver_sql(
        "CREATE TEMP TABLE studyapp_latest AS SELECT CAST(cid AS INTEGER) AS cid, "
        "CAST(max(id) AS INTEGER) / 1000 AS at FROM studyapp_package.revlog "
        "WHERE ease BETWEEN 1 AND 4 GROUP BY 1"
        if _has_table(connection, "revlog")
        else "CREATE TEMP TABLE studyapp_latest (cid INTEGER, at INTEGER)"
    )
    parameters = {
        "first_position": conversion.first_position,
        "first_day": conversion.first_day,
        "learning": conversion.learning_steps,
        "relearning": conversion.relearning_steps,
        "now": conversion.modified_at,
    }
    # The new cards get no id from us: SQLite numbers them after the table's largest id, in
    # the order they are inserted (the package's card id order), as the ids handed out here.
    first = card_ids(0).start
    added = connection.exec_driver_sql(
        f"INSERT INTO main.cards ({_CARD_COLUMNS}) {_CARD_VALUES}", parameters
    ).rowcount
    last = connection.exec_driver_sql("SELECT max(id) FROM main.cards").scalar()
    if added and last != first + added - 1:
        raise RuntimeError("the copied cards did not get the ids handed out for them")
    return len(card_ids(added))


def _has_table(connection: Connection, name: str) -> bool:
    found = connection.exec_driver_sql(
        f"SELECT type FROM {SCHEMA}.sqlite_master WHERE name = ?", (name,)
    ).scalar()
    return found == "table"


_REVIEW_ROWS = """
INSERT INTO main.review_log (card_id, reviewed_at, kind, rating, state_before, last_interval,
  interval, time_taken_ms, source_id)
SELECT r.card_id, r.id, r.kind, NULLIF(r.ease, 0),
  CASE
    WHEN r.kind = 1 THEN 2
    WHEN r.kind = 2 THEN 3
    WHEN r.kind = 0 OR r.last_ivl <= 0 THEN CASE WHEN r.first THEN 0 ELSE 1 END
    ELSE 2 END,
  r.last_ivl, r.ivl, max(r.taken, 0), CAST(r.id AS TEXT)
FROM (
  SELECT k.id AS card_id, m.new = 0 AS kept, v.*,
    ROW_NUMBER() OVER (PARTITION BY v.cid ORDER BY v.id) = 1 AS first
  FROM (
    SELECT CAST(id AS INTEGER) AS id, CAST(cid AS INTEGER) AS cid,
      CAST(ease AS INTEGER) AS ease, CAST(ivl AS INTEGER) AS ivl,
      CAST(lastIvl AS INTEGER) AS last_ivl, CAST(time AS INTEGER) AS taken,
      CASE WHEN CAST(ease AS INTEGER) = 0 AND CAST(type AS INTEGER) IN (0, 1, 2, 3) THEN 4
        ELSE CAST(type AS INTEGER) END AS kind
    FROM studyapp_package.revlog
    WHERE CAST(type AS INTEGER) IN (0, 1, 2, 3, 4, 5)
      AND CAST(ease AS INTEGER) BETWEEN 0 AND 4
  ) AS v
  JOIN studyapp_package.cards AS c ON c.id = v.cid
  JOIN temp.studyapp_note_map AS m ON m.source = CAST(c.nid AS INTEGER)
  JOIN main.cards AS k ON k.note_id = m.id
    AND k.ordinal = CASE WHEN CAST(c.ord AS INTEGER) > 0 THEN CAST(c.ord AS INTEGER) ELSE 0 END
) AS r
WHERE NOT (r.kept AND EXISTS (
  SELECT 1 FROM main.review_log AS l
  WHERE l.card_id = r.card_id AND l.source_id = CAST(r.id AS TEXT)))
ORDER BY r.cid, r.id
"""
"""SQL: the reviews of the cards of every note copied, each card found by its note and ordinal
(the card added, or the one the collection had), but those the collection already logged."""


def _copy_reviews(connection: Connection) -> int:
    if not _has_table(connection, "revlog"):
        return 0
    return int(connection.exec_driver_sql(_REVIEW_ROWS).rowcount)
