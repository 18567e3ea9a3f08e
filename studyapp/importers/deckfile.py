"""Our own deck format: a human-readable TOML file (see docs/deck-format.md).

`parse_deck_file` validates the whole file strictly and returns a `DeckDraft`; anything wrong raises
`InvalidInputError` with a message naming the note id and key at fault.  Format 2 adds provenance:
a `[document]` table naming the bundled document the notes were generated from, and per note its
card `kind` and the character range `source_start`..`source_end` of its sentence in that document.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from studyapp.domain.cards import NoteKind, NoteType
from studyapp.domain.notetypes import STOCK_NOTE_TYPES, stock_note_type
from studyapp.domain.templates import card_ordinals, field_is_empty
from studyapp.errors import InvalidInputError

FORMAT_VERSION = 2
"""The newest format; every format from 1 up to it is read."""
NOTE_KINDS = ("definition", "acronym", "list", "cloze", "contrast")
"""The card kinds of the document generator, as a note's `kind` names them."""

_TOP_LEVEL_KEYS = frozenset(
    {"format", "name", "version", "description", "source_document", "notes"}
)
_NOTE_KEYS = frozenset({"id", "type", "fields", "tags", "source"})
_FORMAT_2_TOP_LEVEL_KEYS = frozenset({"document", "retired"})
_FORMAT_2_NOTE_KEYS = frozenset({"kind", "source_start", "source_end"})
_DOCUMENT_KEYS = frozenset({"path", "sha256"})
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_PATH_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """One note as the deck file describes it, before storage gives it an id."""

    guid: str
    """The note's permanent id in the deck file ("emt-ems-001")."""
    note_type: str
    """The name of a stock note type."""
    fields: Mapping[str, str]
    """Field values by field name (read-only); fields the file leaves out are absent."""
    tags: tuple[str, ...]
    source: str | None
    kind: str | None = None
    """The generator's card kind (one of NOTE_KINDS) for a generated note."""
    source_start: int | None = None
    """Where the note's sentence starts in the deck's document text (with `source_end`)."""
    source_end: int | None = None

    def field_values(self, note_type: NoteType) -> tuple[str, ...]:
        """The values in `note_type`'s field order; absent fields are empty."""
        return tuple(self.fields.get(name, "") for name in note_type.fields)


@dataclass(frozen=True, slots=True)
class DeckDocument:
    """The bundled document a deck's notes were generated from."""

    path: str
    """Relative to the bundled documents folder, with `/` between folders ("emt-vs-ems.md")."""
    sha256: str
    """SHA-256 of the document file's bytes, in lower-case hex."""


@dataclass(frozen=True, slots=True)
class DeckDraft:
    name: str
    version: int
    description: str
    source_document: str | None
    notes: tuple[NoteDraft, ...]
    document: DeckDocument | None = None
    retired: tuple[str, ...] = ()
    """Ids of notes earlier versions had and this one dropped; never to be used again."""


def parse_deck_file(data: bytes) -> DeckDraft:
    """Parse and validate a deck file; raises InvalidInputError saying what is wrong and where."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"The deck file is not UTF-8 text ({exc}).") from exc
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"The deck file is not valid TOML: {exc}.") from exc

    file_format = _require(document, "format", int, "the deck file")
    if not 1 <= file_format <= FORMAT_VERSION:
        raise InvalidInputError(
            f"The deck file has format {file_format}; this version of StudyApp reads "
            f"format 1 to {FORMAT_VERSION}."
        )
    _reject_unknown_keys(
        document, _TOP_LEVEL_KEYS, "the deck file", _FORMAT_2_TOP_LEVEL_KEYS, file_format
    )
    name = _require(document, "name", str, "the deck file").strip()
    if not name or any(not part.strip() for part in name.split("::")):
        raise InvalidInputError("The deck file's 'name' is empty or has an empty level.")
    version = _require(document, "version", int, "the deck file")
    if version < 1:
        raise InvalidInputError("The deck file's 'version' must be 1 or more.")
    description = _optional(document, "description", str, "the deck file") or ""
    source_document = _optional(document, "source_document", str, "the deck file")
    deck_document = _parse_document(document)
    retired = _parse_retired(document)

    raw_notes = _require(document, "notes", list, "the deck file")
    if not raw_notes:
        raise InvalidInputError("The deck file has no notes.")
    notes: list[NoteDraft] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(raw_notes, start=1):
        note = _parse_note(raw, number, file_format)
        if note.guid in seen:
            raise InvalidInputError(
                f"Note #{number} reuses the id {note.guid!r} of note #{seen[note.guid]}; "
                "every note needs its own id."
            )
        if note.guid in retired:
            raise InvalidInputError(
                f"Note #{number} uses the id {note.guid!r}, which the deck lists as retired; "
                "a retired id is never used again."
            )
        if note.source_start is not None and deck_document is None:
            raise InvalidInputError(
                f"Note {note.guid!r} (#{number}) has 'source_start' and 'source_end', but the "
                "deck file has no [document] table naming the document they index."
            )
        seen[note.guid] = number
        notes.append(note)
    return DeckDraft(
        name, version, description, source_document, tuple(notes), deck_document, retired
    )


def _parse_document(document: Mapping[str, object]) -> DeckDocument | None:
    table = _optional(document, "document", dict, "the deck file")
    if table is None:
        return None
    where = "the deck file's [document] table"
    _reject_unknown_keys(table, _DOCUMENT_KEYS, where)
    path = _require(table, "path", str, where)
    if not all(_PATH_PART.fullmatch(part) for part in path.split("/")):
        raise InvalidInputError(
            f"In {where}, 'path' is {path!r}; give a file below the bundled documents folder, "
            "like \"emt-vs-ems.md\" (letters, digits, . _ - and / between folders; no '..')."
        )
    sha256 = _require(table, "sha256", str, where)
    if not _SHA256.fullmatch(sha256):
        raise InvalidInputError(f"In {where}, 'sha256' must be 64 lower-case hexadecimal digits.")
    return DeckDocument(path, sha256)


def _parse_retired(document: Mapping[str, object]) -> tuple[str, ...]:
    raw = _optional(document, "retired", list, "the deck file") or []
    for guid in raw:
        if not isinstance(guid, str) or not _ID_PATTERN.fullmatch(guid):
            raise InvalidInputError(
                f"The deck file's 'retired' list has {guid!r}, which is not a note id."
            )
    return tuple(raw)


def _parse_note(raw: object, number: int, file_format: int) -> NoteDraft:
    where = f"note #{number}"
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{where.capitalize()} is not a table; write it as [[notes]].")
    guid = _require(raw, "id", str, where).strip()
    if not _ID_PATTERN.fullmatch(guid):
        raise InvalidInputError(
            f"{where.capitalize()} has the id {guid!r}; ids use letters, digits and . _ : - only."
        )
    where = f"note {guid!r} (#{number})"
    _reject_unknown_keys(raw, _NOTE_KEYS, where, _FORMAT_2_NOTE_KEYS, file_format)

    type_name = _require(raw, "type", str, where)
    note_type = stock_note_type(type_name)
    if note_type is None:
        known = ", ".join(repr(t.name) for t in STOCK_NOTE_TYPES)
        raise InvalidInputError(
            f"{where.capitalize()} has the unknown type {type_name!r}; use one of {known}."
        )

    raw_fields = _require(raw, "fields", dict, where)
    fields: dict[str, str] = {}
    for field_name, value in raw_fields.items():
        if field_name not in note_type.fields:
            known = ", ".join(note_type.fields)
            raise InvalidInputError(
                f"{where.capitalize()} has the field {field_name!r}, which note type "
                f"{note_type.name!r} does not have (its fields: {known})."
            )
        if not isinstance(value, str):
            raise InvalidInputError(f"{where.capitalize()}: field {field_name!r} must be text.")
        fields[field_name] = value
    first = note_type.fields[0]
    if field_is_empty(fields.get(first, "")):
        raise InvalidInputError(f"{where.capitalize()}: the first field {first!r} is empty.")
    values = tuple(fields.get(name, "") for name in note_type.fields)
    if note_type.kind == NoteKind.CLOZE and not card_ordinals(note_type, values):
        raise InvalidInputError(
            f"{where.capitalize()} is a Cloze note without any cloze deletion; "
            "mark at least one like {{c1::answer}}."
        )

    raw_tags = _optional(raw, "tags", list, where) or []
    tags: list[str] = []
    for tag in raw_tags:
        if not isinstance(tag, str) or not tag.strip() or any(c.isspace() for c in tag.strip()):
            raise InvalidInputError(
                f"{where.capitalize()}: tag {tag!r} must be non-empty text without spaces."
            )
        tags.append(tag.strip())

    source = _optional(raw, "source", str, where)
    if source is not None:
        source = source.strip() or None
    kind = _optional(raw, "kind", str, where)
    if kind is not None and kind not in NOTE_KINDS:
        known = ", ".join(repr(k) for k in NOTE_KINDS)
        raise InvalidInputError(
            f"{where.capitalize()} has the unknown kind {kind!r}; use one of {known}."
        )
    start, end = _source_range(raw, where)
    return NoteDraft(
        guid, note_type.name, MappingProxyType(fields), tuple(tags), source, kind, start, end
    )


def _source_range(raw: Mapping[str, object], where: str) -> tuple[int | None, int | None]:
    start = _optional(raw, "source_start", int, where)
    end = _optional(raw, "source_end", int, where)
    if (start is None) != (end is None):
        raise InvalidInputError(
            f"{where.capitalize()} has only one of 'source_start' and 'source_end'; "
            "give both or neither."
        )
    if start is not None and end is not None and not 0 <= start < end:
        raise InvalidInputError(
            f"{where.capitalize()}: 'source_start' ({start}) must be 0 or more and less than "
            f"'source_end' ({end})."
        )
    return start, end


def _reject_unknown_keys(
    table: Mapping[str, object],
    allowed: frozenset[str],
    where: str,
    newer: frozenset[str] = frozenset(),
    file_format: int = FORMAT_VERSION,
) -> None:
    """Reject keys the format does not define; `newer` keys exist from format 2 on."""
    if file_format >= 2:
        allowed = allowed | newer
    unknown = sorted(set(table) - allowed)
    too_new = [key for key in unknown if key in newer]
    if too_new:
        names = ", ".join(repr(key) for key in too_new)
        raise InvalidInputError(
            f"The key {names} in {where} needs format = 2; this file says format = {file_format}."
        )
    if unknown:
        names = ", ".join(repr(key) for key in unknown)
        raise InvalidInputError(f"Unknown key {names} in {where}.")


_TYPE_NAMES: dict[type, str] = {int: "a whole number", str: "text", list: "a list", dict: "a table"}


def _optional(table: Mapping[str, object], key: str, kind: type[T], where: str) -> T | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidInputError(f"In {where}, '{key}' must be {_TYPE_NAMES[kind]}.")
    return value


def _require(table: Mapping[str, object], key: str, kind: type[T], where: str) -> T:
    value = _optional(table, key, kind, where)
    if value is None:
        raise InvalidInputError(f"In {where}, the key '{key}' is missing.")
    return value
