"""Our deck format (docs/deck-format.md): an ExportBundle -> a TOML file.

The output reads back identically through `importers.deckfile.parse_deck_file`: same ids, note
types, field values (every field written, empty ones included), tags and sources. The format holds
notes of the stock note types only, and no scheduling or media.

Note ids must be letters, digits and `. _ : -` (starting with a letter or digit). A guid outside
that alphabet (Anki's guids often are) is written as `guid-` followed by its UTF-8 bytes in hex, so
the file stays valid; such notes get that id as their guid when the file is imported.
"""

from __future__ import annotations

import re

from studyapp.domain.cards import Note, NoteKind, NoteType
from studyapp.domain.decks import normalize_deck_name
from studyapp.domain.notetypes import STOCK_NOTE_TYPES, stock_note_type
from studyapp.domain.templates import card_ordinals, field_is_empty
from studyapp.errors import InvalidInputError
from studyapp.exporters.bundle import ExportBundle

FORMAT_VERSION = 1
ENCODED_GUID_PREFIX = "guid-"

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def write_deck_file(
    bundle: ExportBundle, *, deck_name: str, version: int = 1, description: str = ""
) -> bytes:
    """The bundle's notes as a deck file named `deck_name`.

    Raises InvalidInputError for a note the format cannot hold: a custom note type, an empty first
    field, a Cloze note without a cloze deletion.
    """
    try:
        name = normalize_deck_name(deck_name)
    except ValueError as exc:
        raise InvalidInputError(f"The deck name {deck_name!r} is invalid: {exc}.") from exc
    if version < 1:
        raise InvalidInputError("A deck file's version must be 1 or more.")
    if not bundle.notes:
        raise InvalidInputError(f"The deck {name!r} has no notes to export.")
    note_types = {note_type.id: note_type for note_type in bundle.note_types}
    lines = [f"format = {FORMAT_VERSION}", f"name = {toml_string(name)}", f"version = {version}"]
    if description:
        lines.append(f"description = {toml_string(description)}")
    seen: set[str] = set()
    for note in bundle.notes:
        stock = _stock_type(note, note_types)
        note_id = deck_file_id(note.guid)
        if note_id in seen:
            raise InvalidInputError(f"Two notes share the id {note_id!r}; ids must be unique.")
        seen.add(note_id)
        lines += ["", "[[notes]]", f"id = {toml_string(note_id)}"]
        lines.append(f"type = {toml_string(stock.name)}")
        tags = [tag for tag in note.tags if tag.strip()]
        if tags:
            lines.append("tags = [" + ", ".join(toml_string(tag) for tag in tags) + "]")
        if note.source and note.source.strip():
            lines.append(f"source = {toml_string(note.source.strip())}")
        lines += ["", "[notes.fields]"]
        for field_name, value in zip(stock.fields, note.fields, strict=True):
            lines.append(f"{toml_key(field_name)} = {toml_string(value)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def deck_file_id(guid: str) -> str:
    """The note's id in a deck file: its guid, or the guid encoded when it has other characters."""
    if _ID_PATTERN.fullmatch(guid):
        return guid
    return ENCODED_GUID_PREFIX + guid.encode("utf-8").hex()


def _stock_type(note: Note, note_types: dict[int, NoteType]) -> NoteType:
    note_type = note_types.get(note.note_type_id)
    where = f"The note {note.guid!r}"
    if note_type is None:
        raise InvalidInputError(f"{where} has a note type that is not in the export.")
    stock = stock_note_type(note_type.name)
    if stock is None or stock.fields != note_type.fields or len(note.fields) != len(stock.fields):
        known = ", ".join(repr(t.name) for t in STOCK_NOTE_TYPES)
        raise InvalidInputError(
            f"{where} uses the note type {note_type.name!r}; the deck format holds only the "
            f"stock note types ({known}) with their own fields. Export as .apkg instead."
        )
    if field_is_empty(note.fields[0]):
        raise InvalidInputError(f"{where} has an empty first field ({stock.fields[0]}).")
    if stock.kind == NoteKind.CLOZE and not card_ordinals(stock, note.fields):
        raise InvalidInputError(f"{where} is a Cloze note without any cloze deletion.")
    if any(any(char.isspace() for char in tag.strip()) for tag in note.tags):
        raise InvalidInputError(f"{where} has a tag with a space in it.")
    return stock


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, one line."""
    out: list[str] = []
    for char in value:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)
