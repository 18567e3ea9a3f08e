"""Schema 11 (`collection.anki2`): note types, decks and options as JSON in the single `col` row.

`col.models` maps note-type ids to {"name", "type" (0 standard, 1 cloze), "flds", "tmpls", "css",
"req", ...}; `col.decks` deck ids to {"name" with "::", "conf", "desc", "dyn": 0, ...};
`col.dconf` option-group ids to {"new": {"delays" (minutes), "perDay"}, "rev": {...},
"lapse": {...}}; `col.conf` holds collection settings such as `schedVer` and `rollover`.
"""

from __future__ import annotations

import json

from studyapp.domain.cards import NoteKind, NoteType
from studyapp.domain.decks import Preset
from studyapp.exporters.anki_rows import DEFAULT_DECK_ID, AnkiContent
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

LEGACY_SCHEMA_VERSION = 11
_LEGACY_SCHEMA = """
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
"""


def legacy_collection(content: AnkiContent) -> bytes:
    """The bytes of a schema-11 collection holding `content`."""
    connection = new_database(_LEGACY_SCHEMA)
    modified_ms = content.modified * 1000
    models = {str(anki_id): _model(anki_id, nt, content) for anki_id, nt in content.note_types}
    decks = {
        str(deck.id): _deck(deck.id, deck.name, deck.config_id, content) for deck in content.decks
    }
    dconf = {str(anki_id): _options(anki_id, p, content) for anki_id, p in content.presets}
    connection.execute(
        "INSERT INTO col VALUES (1, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?)",
        (
            content.crt,
            modified_ms,
            modified_ms,
            LEGACY_SCHEMA_VERSION,
            _json(collection_settings(content)),
            _json(models),
            _json(decks),
            _json(dconf),
            _json(dict.fromkeys(content.tags, 0)),
        ),
    )
    fill_content(connection, content)
    return serialize(connection)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _model(anki_id: int, note_type: NoteType, content: AnkiContent) -> dict[str, object]:
    return {
        "id": anki_id,
        "name": note_type.name,
        "type": 1 if note_type.kind == NoteKind.CLOZE else 0,
        "mod": content.modified,
        "usn": 0,
        "sortf": 0,
        "did": DEFAULT_DECK_ID,
        "tmpls": [
            {
                "name": template.name,
                "ord": ordinal,
                "qfmt": template.front,
                "afmt": template.back,
                "bqfmt": "",
                "bafmt": "",
                "did": None,
                "bfont": "",
                "bsize": 0,
            }
            for ordinal, template in enumerate(note_type.templates)
        ],
        "flds": [
            {
                "name": name,
                "ord": ordinal,
                "sticky": False,
                "rtl": False,
                "font": FIELD_FONT,
                "size": FIELD_FONT_SIZE,
                "description": "",
                "plainText": False,
                "collapsed": False,
                "excludeFromSearch": False,
            }
            for ordinal, name in enumerate(note_type.fields)
        ],
        "css": note_type.css,
        "latexPre": LATEX_PRE,
        "latexPost": LATEX_POST,
        "latexsvg": False,
        "req": [[ordinal, "any", fields] for ordinal, fields in card_requirements(note_type)],
        "tags": [],
        "vers": [],
    }


def _deck(anki_id: int, name: str, config_id: int, content: AnkiContent) -> dict[str, object]:
    return {
        "id": anki_id,
        "name": name,
        "mod": content.modified,
        "usn": 0,
        "lrnToday": [0, 0],
        "revToday": [0, 0],
        "newToday": [0, 0],
        "timeToday": [0, 0],
        "collapsed": False,
        "browserCollapsed": False,
        "desc": "",
        "dyn": 0,
        "conf": config_id,
        "extendNew": 0,
        "extendRev": 0,
    }


def _options(anki_id: int, preset: Preset, content: AnkiContent) -> dict[str, object]:
    return {
        "id": anki_id,
        "name": preset.name,
        "mod": content.modified,
        "usn": 0,
        "maxTaken": 60,
        "autoplay": True,
        "timer": 0,
        "replayq": True,
        "dyn": False,
        "new": {
            "bury": False,
            "delays": learning_minutes(preset.learning_steps),
            "initialFactor": 2500,
            "ints": [1, 4, 0],
            "order": 1,
            "perDay": preset.new_per_day,
        },
        "rev": {
            "bury": False,
            "ease4": 1.3,
            "ivlFct": 1.0,
            "maxIvl": preset.maximum_interval,
            "perDay": preset.reviews_per_day,
            "hardFactor": 1.2,
        },
        "lapse": {
            "delays": learning_minutes(preset.relearning_steps),
            "leechAction": 1,
            "leechFails": 8,
            "minInt": 1,
            "mult": 0.0,
        },
        "desiredRetention": preset.desired_retention,
        "fsrsParams6": list(preset.parameters),
    }
