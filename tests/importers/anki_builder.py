"""Builds small Anki packages of every generation in memory, for the importer tests.

One sample collection (two note types, nested decks, a filtered deck, cards in every state, review
history and FSRS data) is written in schema 11 (JSON in `col`) or schema 18 (tables with protobuf
configs), then zipped the way Anki does for each package generation.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Mapping

import zstandard

CRT = 1_699_920_000
"""The sample collection's creation time (UTC epoch seconds)."""
BASIC_ID = 1001
CLOZE_ID = 1002
CSS = ".card { color: black; }"
DUMMY_TEXT = "Please update to the latest Anki version, then import the .colpkg/.apkg file again."

# (id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data)
CARDS: tuple[tuple[object, ...], ...] = (
    (1, 101, 11, 0, 2, 2, 100, 30, 2500, 5, 1, 0, 0, 0, 1,
     '{"s":25.5,"d":5.25,"dr":0.9,"lrt":1700000000}'),
    (2, 101, 11, 1, 1, 1, 1_700_000_500, 0, 0, 1, 0, 1002, 0, 0, 0, ""),
    (3, 102, 12, 0, 2, 2, -100000, 10, 2300, 3, 0, 0, 120, 11, 0, ""),
    (4, 102, 11, 1, 0, -1, 7, 0, 0, 0, 0, 0, 0, 0, 0, ""),
    (5, 103, 10, 0, 3, 3, 105, 4, 2100, 8, 2, 1001, 0, 0, 0, '{"s":"bad","d":3}'),
    (6, 103, 10, 1, 2, -3, 110, 20, 2500, 4, 0, 0, 0, 0, 3, ""),
)  # fmt: skip
NOTES: tuple[tuple[object, ...], ...] = (
    (101, "guidA", BASIC_ID, 1_700_000_100, " greet lang::fr ", "bonjour\x1fhello"),
    (102, "guidB", BASIC_ID, 1_700_000_200, "", 'chat\x1fcat <img src="cat.jpg">'),
    (103, "guidC", CLOZE_ID, 1_700_000_300, "geo", "{{c1::Paris}} is in {{c2::France}}\x1f"),
)
# (id, cid, ease, ivl, lastIvl, factor, time, type)
REVLOG: tuple[tuple[int, ...], ...] = (
    (1_699_990_000_000, 1, 3, -600, -60, 0, 4000, 0),
    (1_699_990_600_000, 1, 3, 1, -600, 2500, 3000, 0),
    (1_699_999_000_000, 1, 1, -600, 1, 2300, 9000, 1),
    (1_699_999_700_000, 1, 3, 30, -600, 2300, 2000, 2),
    (1_699_999_800_000, 1, 0, 30, 30, 2300, 0, 4),
    (1_699_999_900_000, 5, 4, 4, 2, 2100, 1500, 1),
    (1_699_999_950_000, 999, 3, 1, 0, 2500, 1000, 1),
)
DECKS = {1: "Default", 10: "Lang", 11: "Lang::French", 12: "Filtered"}

_COMMON_TABLES = """
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,
  time integer not null, type integer not null);
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
"""


def _models_json() -> dict[str, object]:
    def template(name: str, ordinal: int, front: str, back: str) -> dict[str, object]:
        return {"name": name, "ord": ordinal, "qfmt": front, "afmt": back}

    return {
        str(BASIC_ID): {
            "id": BASIC_ID, "name": "Basic (and reversed card)", "type": 0, "css": CSS,
            "flds": [{"name": "Back", "ord": 1}, {"name": "Front", "ord": 0}],
            "tmpls": [
                template("Card 1", 0, "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
                template("Card 2", 1, "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
            ],
        },
        str(CLOZE_ID): {
            "id": CLOZE_ID, "name": "Cloze", "type": 1, "css": CSS,
            "flds": [{"name": "Text", "ord": 0}, {"name": "Back Extra", "ord": 1}],
            "tmpls": [template("Cloze", 0, "{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}")],
        },
    }  # fmt: skip


def _insert_content(db: sqlite3.Connection, schema_18: bool, dummy: bool) -> None:
    if dummy:
        db.execute(
            "INSERT INTO notes VALUES (1, 'dummy', ?, 0, 0, '', ?, '', 0, 0, '')",
            (BASIC_ID, DUMMY_TEXT + "\x1f"),
        )
        db.execute("INSERT INTO cards VALUES (1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'')")
        return
    for note_id, guid, mid, mod, tags, flds in NOTES:
        db.execute(
            "INSERT INTO notes VALUES (?, ?, ?, ?, 0, ?, ?, '', 0, 0, '')",
            (note_id, guid, mid, mod, tags, flds),
        )
    for card in CARDS:
        db.execute("INSERT INTO cards VALUES (?,?,?,?,0,0,?,?,?,?,?,?,?,?,?,?,?,?)", card)
    for row in REVLOG:
        db.execute("INSERT INTO revlog VALUES (?,?,0,?,?,?,?,?,?)", row)


def legacy_collection(*, dummy: bool = False) -> bytes:
    """A schema-11 collection: note types and decks as JSON in the `col` row."""
    db = sqlite3.connect(":memory:")
    db.executescript(_COMMON_TABLES)
    decks = {
        str(i): {"id": i, "name": name, "dyn": int(name == "Filtered"), "desc": f"about {name}"}
        for i, name in DECKS.items()
    }
    db.execute(
        "INSERT INTO col VALUES (1, ?, 0, 0, 11, 0, 0, 0, '{}', ?, ?, '{}', '{}')",
        (CRT, json.dumps(_models_json()), json.dumps(decks)),
    )
    _insert_content(db, schema_18=False, dummy=dummy)
    db.commit()
    return db.serialize()


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def pb_int(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value)


def pb_bytes(number: int, value: bytes | str) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(raw)) + raw


def modern_collection() -> bytes:
    """A schema-18 collection: notetypes, fields, templates and decks tables."""
    db = sqlite3.connect(":memory:")
    db.executescript(
        _COMMON_TABLES
        + """
        CREATE TABLE notetypes (id integer primary key, name text not null,
          mtime_secs integer not null, usn integer not null, config blob not null);
        CREATE TABLE fields (ntid integer not null, ord integer not null, name text not null,
          config blob not null, primary key (ntid, ord));
        CREATE TABLE templates (ntid integer not null, ord integer not null, name text not null,
          mtime_secs integer not null, usn integer not null, config blob not null,
          primary key (ntid, ord));
        CREATE TABLE decks (id integer primary key, name text not null, mtime_secs integer,
          usn integer, common blob not null, kind blob not null);
        """
    )
    db.execute("INSERT INTO col VALUES (1, ?, 0, 0, 18, 0, 0, 0, '', '', '', '', '')", (CRT,))
    for key, model in _models_json().items():
        assert isinstance(model, dict)
        config = pb_int(1, model["type"]) + pb_int(2, 0) + pb_bytes(3, CSS) + pb_bytes(255, b"x")
        db.execute(
            "INSERT INTO notetypes VALUES (?, ?, 0, 0, ?)", (int(key), model["name"], config)
        )
        for field in model["flds"]:
            db.execute(
                "INSERT INTO fields VALUES (?, ?, ?, ?)",
                (int(key), field["ord"], field["name"], pb_bytes(1, "Arial")),
            )
        for tmpl in model["tmpls"]:
            tconfig = pb_bytes(1, tmpl["qfmt"]) + pb_bytes(2, tmpl["afmt"]) + pb_int(7, 12)
            db.execute(
                "INSERT INTO templates VALUES (?, ?, ?, 0, 0, ?)",
                (int(key), tmpl["ord"], tmpl["name"], tconfig),
            )
    for deck_id, name in DECKS.items():
        if name == "Filtered":
            kind = pb_bytes(2, pb_int(1, 1))
        else:
            kind = pb_bytes(1, pb_int(1, 1) + pb_bytes(4, f"about {name}"))
        db.execute(
            "INSERT INTO decks VALUES (?, ?, 0, 0, ?, ?)",
            (deck_id, name.replace("::", "\x1f"), b"", kind),
        )
    _insert_content(db, schema_18=True, dummy=False)
    db.commit()
    return db.serialize()


def zip_bytes(members: Mapping[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


MEDIA = {"cat.jpg": b"\xff\xd8jpeg-bytes", "sound.mp3": b"ID3mp3-bytes"}


def legacy_package(*, version: int | None = None, media: Mapping[str, bytes] = MEDIA) -> bytes:
    """Generation 1 (no meta, collection.anki2) or 2 (meta + collection.anki21 + dummy)."""
    members: dict[str, bytes] = {}
    if version is None:
        members["collection.anki2"] = legacy_collection()
    else:
        members["meta"] = pb_int(1, version)
        members["collection.anki2"] = legacy_collection(dummy=True)
        members["collection.anki21"] = legacy_collection()
    mapping = {str(i): name for i, name in enumerate(media)}
    members["media"] = json.dumps(mapping).encode()
    for index, data in enumerate(media.values()):
        members[str(index)] = data
    return zip_bytes(members)


def media_entries(media: Mapping[str, bytes]) -> bytes:
    return b"".join(
        pb_bytes(1, pb_bytes(1, name) + pb_int(2, len(data)) + pb_bytes(3, b"\x00" * 20))
        for name, data in media.items()
    )


def latest_package(
    *, media: Mapping[str, bytes] = MEDIA, collection: bytes | None = None, version: int = 3
) -> bytes:
    """Generation 3: meta, zstd collection.anki21b, zstd protobuf media map, zstd media files."""
    members = {
        "meta": pb_int(1, version),
        "collection.anki2": legacy_collection(dummy=True),
        "collection.anki21b": zstd(modern_collection() if collection is None else collection),
        "media": zstd(media_entries(media)),
    }
    for index, data in enumerate(media.values()):
        members[str(index)] = zstd(data)
    return zip_bytes(members)
