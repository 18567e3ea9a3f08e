"""Note types and decks of an Anki collection, in both storage schemas.

Schema 11 (collection.anki2 / .anki21) keeps them as JSON in the single `col` row (`models`,
`decks`). Schema 18 (collection.anki21b) has `notetypes`, `fields`, `templates` and `decks` tables
whose `config`/`kind` columns are protobuf messages:

- Notetype.Config: kind = 1 (0 normal, 1 cloze), css = 3;
- Notetype.Template.Config: q_format = 1, a_format = 2;
- Deck.kind: normal = 1 (DeckNormal: description = 4), filtered = 2;
- deck names separate levels with U+001F instead of "::".
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from studyapp.domain.cards import CardTemplate, NoteKind
from studyapp.domain.decks import DECK_SEPARATOR, normalize_deck_name
from studyapp.errors import InvalidInputError
from studyapp.importers.drafts import NoteTypeDraft
from studyapp.importers.protobuf import ProtobufError, fields_by_number, get_bytes, get_int, get_str

DEFAULT_DECK_ID = 1


@dataclass(frozen=True, slots=True)
class AnkiDeck:
    id: int
    name: str
    filtered: bool
    description: str


def uses_schema_18(connection: sqlite3.Connection) -> bool:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "notetypes" not in tables:
        return False
    row = connection.execute("SELECT models FROM col").fetchone()
    return row is None or not (row[0] or "").strip()


def read_note_types(connection: sqlite3.Connection, schema_18: bool) -> list[NoteTypeDraft]:
    if schema_18:
        return _note_types_18(connection)
    return [_note_type_11(key, model) for key, model in _col_json(connection, "models").items()]


def read_decks(connection: sqlite3.Connection, schema_18: bool) -> dict[int, AnkiDeck]:
    decks: dict[int, AnkiDeck] = {}
    if schema_18:
        for deck_id, name, kind in connection.execute("SELECT id, name, kind FROM decks"):
            deck_id, name = _int(deck_id, "deck id"), _text(name, "deck name")
            filtered, description = _deck_kind(kind)
            decks[deck_id] = AnkiDeck(deck_id, _deck_name(name, deck_id), filtered, description)
        return decks
    for key, raw in _col_json(connection, "decks").items():
        deck_id = _int(raw.get("id", key), "deck id")
        name = _text(raw.get("name"), "deck name")
        desc = raw.get("desc")
        decks[deck_id] = AnkiDeck(
            deck_id,
            _deck_name(name, deck_id),
            bool(raw.get("dyn")),
            desc if isinstance(desc, str) else "",
        )
    return decks


def _col_json(connection: sqlite3.Connection, column: str) -> dict[str, dict[str, object]]:
    row = connection.execute(f"SELECT {column} FROM col").fetchone()
    if row is None:
        raise InvalidInputError("The package's collection has no 'col' row.")
    try:
        value = json.loads(row[0] or "{}")
    except (TypeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"The collection's {column} are not valid JSON ({exc}).") from exc
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise InvalidInputError(f"The collection's {column} are not a JSON object of objects.")
    return value


def _note_type_11(key: str, model: dict[str, object]) -> NoteTypeDraft:
    name = _text(model.get("name"), "note type name")
    fields = sorted(_dicts(model.get("flds"), name), key=lambda f: _int(f.get("ord", 0), "ord"))
    templates = sorted(_dicts(model.get("tmpls"), name), key=lambda t: _int(t.get("ord", 0), "ord"))
    css = model.get("css")
    return NoteTypeDraft(
        key=str(_int(model.get("id", key), "note type id")),
        name=name,
        kind=NoteKind.CLOZE if model.get("type") == 1 else NoteKind.STANDARD,
        fields=tuple(_text(f.get("name"), "field name") for f in fields),
        templates=tuple(
            CardTemplate(
                _text(t.get("name"), "template name"),
                _text(t.get("qfmt", ""), "template"),
                _text(t.get("afmt", ""), "template"),
            )
            for t in templates
        ),
        css=css if isinstance(css, str) else "",
    )


def _note_types_18(connection: sqlite3.Connection) -> list[NoteTypeDraft]:
    fields: dict[int, list[str]] = {}
    for ntid, name in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(_int(ntid, "note type id"), []).append(_text(name, "field name"))
    templates: dict[int, list[CardTemplate]] = {}
    query = "SELECT ntid, name, config FROM templates ORDER BY ntid, ord"
    for ntid, name, config in connection.execute(query):
        parsed = _protobuf(config, "card template")
        template = CardTemplate(
            _text(name, "template name"),
            _protobuf_text(parsed, 1, "card template"),
            _protobuf_text(parsed, 2, "card template"),
        )
        templates.setdefault(_int(ntid, "note type id"), []).append(template)
    note_types: list[NoteTypeDraft] = []
    for ntid, name, config in connection.execute("SELECT id, name, config FROM notetypes"):
        ntid = _int(ntid, "note type id")
        parsed = _protobuf(config, "note type")
        note_types.append(
            NoteTypeDraft(
                key=str(ntid),
                name=_text(name, "note type name"),
                kind=NoteKind.CLOZE if get_int(parsed, 1) == 1 else NoteKind.STANDARD,
                fields=tuple(fields.get(ntid, ())),
                templates=tuple(templates.get(ntid, ())),
                css=_protobuf_text(parsed, 3, "note type"),
            )
        )
    return note_types


def _deck_kind(kind: object) -> tuple[bool, str]:
    parsed = _protobuf(kind, "deck")
    normal = get_bytes(parsed, 1)
    if normal is None:
        return get_bytes(parsed, 2) is not None, ""
    return False, _protobuf_text(_protobuf(normal, "deck"), 4, "deck")


def _deck_name(raw: str, deck_id: int) -> str:
    name = raw.replace("\x1f", DECK_SEPARATOR)
    try:
        return normalize_deck_name(name)
    except ValueError:
        parts = [part.strip() or "blank" for part in name.split(DECK_SEPARATOR)]
        return DECK_SEPARATOR.join(parts) if name.strip() else f"Deck {deck_id}"


def _protobuf(value: object, what: str) -> dict[int, list[int | bytes]]:
    if value is None:
        return {}
    if not isinstance(value, bytes):
        raise InvalidInputError(f"The collection's {what} settings are not binary data.")
    try:
        return fields_by_number(value)
    except ProtobufError as exc:
        raise InvalidInputError(f"The collection's {what} settings are damaged ({exc}).") from exc


def _protobuf_text(parsed: dict[int, list[int | bytes]], number: int, what: str) -> str:
    try:
        return get_str(parsed, number)
    except ProtobufError as exc:
        raise InvalidInputError(f"The collection's {what} settings are damaged ({exc}).") from exc


def _dicts(value: object, owner: str) -> list[dict[str, object]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInputError(f"The note type {owner!r} in the collection is malformed.")
    return value


def _int(value: object, what: str) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise InvalidInputError(f"The collection has a malformed {what}: {value!r}.")


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"The collection has a malformed {what}: {value!r}.")
    return value
