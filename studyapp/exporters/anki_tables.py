"""The tables both Anki schemas share (col, notes, cards, revlog, graves), built in memory.

`new_database` creates them; `fill_content` inserts the rows of an `AnkiContent`; `serialize`
returns the finished database file's bytes. Nothing touches the file system.
"""

from __future__ import annotations

import sqlite3

from studyapp.exporters.anki_rows import AnkiContent

_COMMON_SCHEMA = """
CREATE TABLE col (
  id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,
  conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
  tags text NOT NULL
);
CREATE TABLE notes (
  id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
  csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE cards (
  id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
  due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
  lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE revlog (
  id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL
);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""


def _unicase(left: str, right: str) -> int:
    """Anki's case-insensitive collation, needed to create its name indexes."""
    a, b = left.casefold(), right.casefold()
    return (a > b) - (a < b)


def new_database(extra_schema: str) -> sqlite3.Connection:
    """An in-memory database with the shared tables and `extra_schema`."""
    connection = sqlite3.connect(":memory:")
    connection.create_collation("unicase", _unicase)
    connection.executescript(_COMMON_SCHEMA + extra_schema)
    return connection


def fill_content(connection: sqlite3.Connection, content: AnkiContent) -> None:
    connection.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", content.notes)
    connection.executemany(
        "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", content.cards
    )
    connection.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", content.revlog)


def serialize(connection: sqlite3.Connection) -> bytes:
    """The database file's bytes (rollback journal mode, as Anki packages hold it)."""
    try:
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()
