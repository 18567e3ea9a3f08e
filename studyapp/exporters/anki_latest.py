"""Schema 18 (`collection.anki21b`): note types, decks, options and settings in their own tables.

Config columns are protobuf messages (numbers from Anki's public .proto files):

- Notetype.Config: kind 1 (1 = cloze), sort_field_idx 2, css 3, latex_pre 5, latex_post 6,
  reqs 8 (CardRequirement: card_ord 1, kind 2 with 1 = any, field_ords 3);
- Notetype.Field.Config: font_name 3, font_size 4; Notetype.Template.Config: q_format 1,
  a_format 2;
- Deck.kind: normal 1 (Deck.Normal: config_id 1, description 4); Deck.common may be empty;
- DeckConfig.Config: learn_steps 1 and relearn_steps 2 (minutes, packed floats), fsrs_params_6
  6, new_per_day 9, reviews_per_day 10, ..., desired_retention 37.

Deck names separate levels with U+001F; the `config` table holds collection settings as JSON.
"""

from __future__ import annotations

import json
import sqlite3

from studyapp.domain.cards import NoteKind, NoteType
from studyapp.domain.decks import DECK_SEPARATOR, Preset
from studyapp.exporters.anki_rows import AnkiContent
from studyapp.exporters.anki_settings import (
    FIELD_FONT,
    FIELD_FONT_SIZE,
    LATEX_POST,
    LATEX_PRE,
    card_requirements,
    collection_settings,
    learning_minutes,
)
from studyapp.exporters.anki_tables import fill_content, new_database, serialize
from studyapp.exporters.protobuf import (
    bytes_field,
    float_field,
    int_field,
    packed_floats,
    packed_ints,
)

SCHEMA_VERSION = 18
_CARD_REQUIREMENT_ANY = 1
_LATEST_SCHEMA = """
CREATE TABLE deck_config (
  id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL
);
CREATE TABLE config (
  KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL,
  val blob NOT NULL
) WITHOUT ROWID;
CREATE TABLE fields (
  ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
  config blob NOT NULL, PRIMARY KEY (ntid, ord)
) WITHOUT ROWID;
CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
CREATE TABLE templates (
  ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL,
  PRIMARY KEY (ntid, ord)
) WITHOUT ROWID;
CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);
CREATE INDEX idx_templates_usn ON templates (usn);
CREATE TABLE notetypes (
  id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL
);
CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
CREATE INDEX idx_notetypes_usn ON notetypes (usn);
CREATE TABLE decks (
  id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL
);
CREATE UNIQUE INDEX idx_decks_name ON decks (name);
CREATE INDEX idx_notes_mid ON notes (mid);
CREATE INDEX idx_cards_odid ON cards (odid) WHERE odid != 0;
CREATE TABLE tags (
  tag text NOT NULL PRIMARY KEY COLLATE unicase, usn integer NOT NULL,
  collapsed boolean NOT NULL, config blob NULL
) WITHOUT ROWID;
CREATE TABLE graves (
  oid integer NOT NULL, type integer NOT NULL, usn integer NOT NULL, PRIMARY KEY (oid, type)
) WITHOUT ROWID;
CREATE INDEX idx_graves_pending ON graves (usn);
"""


def latest_collection(content: AnkiContent) -> bytes:
    """The bytes of a schema-18 collection holding `content` (not yet zstd-compressed)."""
    connection = new_database(_LATEST_SCHEMA)
    mtime = content.modified
    connection.execute(
        "INSERT INTO col VALUES (1, ?, ?, ?, ?, 0, 0, 0, '', '', '', '', '')",
        (content.crt, mtime * 1000, mtime * 1000, SCHEMA_VERSION),
    )
    connection.executemany(
        "INSERT INTO config VALUES (?, 0, ?, ?)",
        [
            (key, mtime, json.dumps(value, separators=(",", ":")).encode("utf-8"))
            for key, value in collection_settings(content).items()
        ],
    )
    for anki_id, note_type in content.note_types:
        _insert_note_type(connection, anki_id, note_type, mtime)
    connection.executemany(
        "INSERT INTO decks VALUES (?, ?, ?, 0, ?, ?)",
        [
            (
                deck.id,
                deck.name.replace(DECK_SEPARATOR, "\x1f"),
                mtime,
                b"",
                bytes_field(1, int_field(1, deck.config_id), keep_empty=True),
            )
            for deck in content.decks
        ],
    )
    connection.executemany(
        "INSERT INTO deck_config VALUES (?, ?, ?, 0, ?)",
        [(anki_id, p.name, mtime, deck_options(p)) for anki_id, p in content.presets],
    )
    connection.executemany(
        "INSERT INTO tags VALUES (?, 0, 0, NULL)", [(tag,) for tag in content.tags]
    )
    fill_content(connection, content)
    return serialize(connection)


def _insert_note_type(
    connection: sqlite3.Connection, anki_id: int, note_type: NoteType, mtime: int
) -> None:
    requirements = b"".join(
        bytes_field(
            8,
            int_field(1, ordinal) + int_field(2, _CARD_REQUIREMENT_ANY) + packed_ints(3, fields),
        )
        for ordinal, fields in card_requirements(note_type)
    )
    config = (
        int_field(1, 1 if note_type.kind == NoteKind.CLOZE else 0)
        + bytes_field(3, note_type.css)
        + bytes_field(5, LATEX_PRE)
        + bytes_field(6, LATEX_POST)
        + requirements
    )
    connection.execute(
        "INSERT INTO notetypes VALUES (?, ?, ?, 0, ?)", (anki_id, note_type.name, mtime, config)
    )
    field_config = bytes_field(3, FIELD_FONT) + int_field(4, FIELD_FONT_SIZE)
    connection.executemany(
        "INSERT INTO fields VALUES (?, ?, ?, ?)",
        [(anki_id, i, name, field_config) for i, name in enumerate(note_type.fields)],
    )
    connection.executemany(
        "INSERT INTO templates VALUES (?, ?, ?, ?, 0, ?)",
        [
            (anki_id, i, t.name, mtime, bytes_field(1, t.front) + bytes_field(2, t.back))
            for i, t in enumerate(note_type.templates)
        ],
    )


def deck_options(preset: Preset) -> bytes:
    """DeckConfig.Config for a preset; options we do not have take Anki's defaults."""
    return (
        packed_floats(1, learning_minutes(preset.learning_steps))
        + packed_floats(2, learning_minutes(preset.relearning_steps))
        + packed_floats(4, [1.0] * 7)  # easy_days_percentages: every weekday as usual
        + packed_floats(6, preset.parameters)
        + int_field(9, preset.new_per_day)
        + int_field(10, preset.reviews_per_day)
        + float_field(11, 2.5)  # initial_ease
        + float_field(12, 1.3)  # easy_multiplier
        + float_field(13, 1.2)  # hard_multiplier
        + float_field(15, 1.0)  # interval_multiplier
        + int_field(16, preset.maximum_interval)
        + int_field(17, 1)  # minimum_lapse_interval
        + int_field(18, 1)  # graduating_interval_good
        + int_field(19, 4)  # graduating_interval_easy
        + int_field(21, 1)  # leech_action: tag only
        + int_field(22, 8)  # leech_threshold
        + int_field(24, 60)  # cap_answer_time_to_secs
        + float_field(37, preset.desired_retention)
    )
