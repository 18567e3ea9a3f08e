"""Anki text exports, plain CSV/TSV and Quizlet exports -> an ImportDraft of notes (no cards).

Header directives (`#separator:`, `#html:`, `#tags:`, `#columns:`, `#notetype:`, `#deck:`,
`#notetype column:`, `#deck column:`, `#tags column:`, `#guid column:`) are honoured; unknown ones
are ignored. Without them: the separator is detected, a header row is detected and skipped, columns
fill the fields of Basic in order, and the deck is the `deck` option or else the file's name.
Separators and column roles the user chose in the import dialog (`TextImportOptions`) win over the
file's directives; the note type and deck named in the file win over the options' defaults.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath

from studyapp.domain.cards import NoteType
from studyapp.domain.decks import normalize_deck_name, parent_names
from studyapp.domain.notetypes import STOCK_NOTE_TYPES
from studyapp.domain.templates import field_is_empty, ordinal_rule
from studyapp.errors import InvalidInputError
from studyapp.importers.drafts import (
    ImportDraft,
    ImportedDeck,
    ImportedNote,
    NoteTypeDraft,
    SkippedRow,
)
from studyapp.importers.text_decoding import decode_text
from studyapp.importers.text_records import (
    Header,
    Record,
    detect_separator,
    read_csv_records,
    read_header,
    read_split_records,
    separator_from_directive,
)

TAGS_COLUMN = "#tags"
DECK_COLUMN = "#deck"
NOTETYPE_COLUMN = "#notetype"
GUID_COLUMN = "#guid"
"""Column roles besides fields, for `TextImportOptions.columns` (no field name starts with #)."""

_SPECIAL_COLUMNS = (NOTETYPE_COLUMN, DECK_COLUMN, TAGS_COLUMN, GUID_COLUMN)
_HEADER_WORDS = frozenset(
    {"front", "back", "question", "answer", "term", "definition", "word", "meaning", "text",
     "translation", "extra", "back extra", "hint", "notes", "example", "tags", "deck",
     "notetype", "note type", "guid", "id"}
)  # fmt: skip
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>|&(#[0-9]+|[a-zA-Z]+);")
_LISTED_BAD_ROWS = 10


@dataclass(frozen=True, slots=True)
class TextImportOptions:
    deck: str | None = None
    """Deck for rows the file gives none (no `#deck:` or deck column); else the file's name."""
    note_type: str | None = None
    """Note type for rows the file gives none; else Basic."""
    separator: str | None = None
    """Between fields (Quizlet: between term and definition); None: `#separator:` or detect."""
    record_separator: str | None = None
    """Between records (Quizlet: between cards); None: line breaks, with csv quoting."""
    html: bool | None = None
    """Fields are HTML; None: `#html:`, else guessed from the fields. Plain text is escaped."""
    has_header: bool | None = None
    """The first row names the columns; None: detect."""
    columns: tuple[str | None, ...] | None = None
    """The dialog's mapping: per column a field name, a *_COLUMN role, or None to leave it out."""
    tags: tuple[str, ...] = ()
    """Added to every note."""
    skip_bad_rows: bool = False
    """Import the good rows and report the bad ones, instead of refusing the whole file."""
    note_types: tuple[NoteType, ...] = STOCK_NOTE_TYPES
    """The note types rows may name: the stock ones and the collection's."""


@dataclass(slots=True)
class _Layout:
    roles: dict[str, int]
    """Special role -> 0-based column."""
    labels: list[str] | None
    expected_columns: int


def parse_text(data: bytes, *, file_name: str, options: TextImportOptions) -> ImportDraft:
    """Read a text export; raises InvalidInputError for a file that cannot be imported at all,
    and for bad rows unless `options.skip_bad_rows` (then they are in `skipped_rows`)."""
    display_name = PurePath(file_name).name or "The file"
    text, _encoding = decode_text(data, display_name)
    header, body = read_header(text)
    records = _records(header, body, options)
    if not records:
        raise InvalidInputError(f"{display_name} has no rows to import.")

    note_types = {note_type.name: note_type for note_type in options.note_types}
    layout = _layout(header, records, options)
    if _has_header_row(records[0], layout, options):
        if layout.labels is None:
            _label_columns(layout, [cell.strip() for cell in records[0].cells])
        records = records[1:]
        if not records:
            raise InvalidInputError(f"{display_name} has a header row but no rows to import.")

    default_type = _find_note_type(
        header.get("notetype") or options.note_type or "Basic", note_types
    )
    if default_type is None:
        name = header.get("notetype") or options.note_type
        raise InvalidInputError(f"{display_name} names the note type {name!r}, which is unknown.")
    default_deck = _default_deck(header, options, display_name)
    is_html = _is_html(header, records, options)
    file_tags = tuple((header.get("tags") or "").split())
    file_tags += tuple(tag for tag in options.tags if tag not in file_tags)

    builder = _NoteBuilder(layout, note_types, default_type, default_deck, is_html, file_tags)
    for record in records:
        builder.add(record)
    if builder.skipped and not options.skip_bad_rows:
        raise InvalidInputError(_bad_rows_message(builder.skipped, display_name))
    warnings = [f"Line {row.line} was skipped: {row.reason}" for row in builder.skipped]
    warnings += builder.warnings()
    return ImportDraft(
        note_types=tuple(NoteTypeDraft.from_note_type(t) for t in builder.used_types.values()),
        decks=_decks(builder.used_decks),
        notes=tuple(builder.notes),
        warnings=tuple(warnings),
        skipped_rows=tuple(builder.skipped),
        source_format="text",
    )


def _separator(header: Header, body: str, options: TextImportOptions) -> str:
    separator = options.separator
    if not separator and header.get("separator") is not None:
        separator = separator_from_directive(header.directives["separator"])
    return separator or detect_separator(body)


@dataclass(frozen=True, slots=True)
class TextFilePreview:
    """How a text file would be read with the given options: what the import dialog shows."""

    separator: str
    has_header: bool
    header: tuple[str, ...] | None
    rows: tuple[tuple[str, ...], ...]
    columns: int
    deck: str
    note_type: str
    columns_map: tuple[str | None, ...]
    """Per column: the field it fills, a *_COLUMN role, or None (left out)."""
    bad_rows: tuple[str, ...]


def preview_text(
    data: bytes, *, file_name: str, options: TextImportOptions, max_rows: int = 20
) -> TextFilePreview:
    """The first rows of a text file and how `parse_text` would map them, bad rows included."""
    display_name = PurePath(file_name).name or "The file"
    text, _encoding = decode_text(data, display_name)
    header, body = read_header(text)
    records = _records(header, body, options)
    if not records:
        raise InvalidInputError(f"{display_name} has no rows to import.")
    layout = _layout(header, records, options)
    has_header = _has_header_row(records[0], layout, options)
    if has_header and layout.labels is None:
        _label_columns(layout, [cell.strip() for cell in records[0].cells])
    head = records[0].cells if has_header else None
    body_records = records[1:] if has_header else records
    note_type = header.get("notetype") or options.note_type or "Basic"
    known = {t.name: t for t in options.note_types}
    found = _find_note_type(note_type, known)
    fields = list(found.fields) if found is not None else []
    columns = max([layout.expected_columns, *(len(r.cells) for r in records[: max_rows + 1])])
    role_of = {column: role for role, column in layout.roles.items()}
    mapping: list[str | None] = []
    for column in range(columns):
        if column in role_of:
            mapping.append(role_of[column])
        elif layout.labels is not None:
            label = layout.labels[column] if column < len(layout.labels) else ""
            mapping.append(label or None)
        else:
            mapping.append(fields.pop(0) if fields else None)
    try:
        checked = parse_text(
            data, file_name=file_name, options=replace(options, skip_bad_rows=True)
        )
        bad = tuple(f"line {row.line}: {row.reason}" for row in checked.skipped_rows)
    except InvalidInputError as error:
        bad = (str(error),)
    return TextFilePreview(
        separator=_separator(header, body, options),
        has_header=has_header,
        header=head,
        rows=tuple(record.cells for record in body_records[:max_rows]),
        columns=columns,
        deck=_default_deck(header, options, display_name),
        note_type=found.name if found is not None else note_type,
        columns_map=tuple(mapping),
        bad_rows=bad,
    )


def _records(header: Header, body: str, options: TextImportOptions) -> list[Record]:
    first_line = header.lines + 1
    separator = _separator(header, body, options)
    record_separator = options.record_separator
    if record_separator in ("\n", "\r\n"):
        record_separator = None
    if record_separator or len(separator) > 1:
        return read_split_records(body, separator, record_separator or "\n", first_line)
    if separator in ('"', "\r", "\n"):
        raise InvalidInputError(f"{separator!r} cannot separate fields.")
    return read_csv_records(body, separator, first_line)


def _layout(header: Header, records: list[Record], options: TextImportOptions) -> _Layout:
    roles: dict[str, int] = {}
    labels: list[str] | None = None
    if options.columns is not None:
        labels = ["" if name is None else name for name in options.columns]
    else:
        for role in _SPECIAL_COLUMNS:
            column = header.column(role[1:] + " column")
            if column is not None:
                roles[role] = column
        if header.get("columns"):
            labels = _split_labels(header.directives["columns"], records)
    expected = len(labels) if options.columns is not None and labels else len(records[0].cells)
    layout = _Layout(roles, None, expected)
    if labels is not None:
        _label_columns(layout, labels)
    return layout


def _label_columns(layout: _Layout, labels: list[str]) -> None:
    """Name the columns; labels such as "Tags", "Deck", "Note type" or "GUID" take that role."""
    layout.labels = labels
    for index, label in enumerate(labels):
        role = "#" + label.strip().casefold().lstrip("#").replace(" ", "")
        if role in _SPECIAL_COLUMNS and role not in layout.roles:
            layout.roles[role] = index


def _split_labels(value: str, records: list[Record]) -> list[str]:
    width = len(records[0].cells)
    for separator in ("\t", ",", ";", "|", " "):
        parts = value.split(separator)
        if len(parts) == width:
            return [part.strip() for part in parts]
    return [part.strip() for part in re.split(r"[\t,;|]", value)]


def _has_header_row(record: Record, layout: _Layout, options: TextImportOptions) -> bool:
    if options.has_header is not None:
        return options.has_header
    words = [cell.strip().casefold() for cell in record.cells if cell.strip()]
    if not words:
        return False
    known = set(_HEADER_WORDS)
    known |= {name.casefold() for t in options.note_types for name in t.fields}
    if layout.labels:
        known |= {label.casefold() for label in layout.labels}
    return all(word in known for word in words)


def _find_note_type(name: str, note_types: dict[str, NoteType]) -> NoteType | None:
    name = name.strip()
    found = note_types.get(name)
    if found is not None:
        return found
    folded = [t for t in note_types.values() if t.name.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def _default_deck(header: Header, options: TextImportOptions, display_name: str) -> str:
    candidates = (
        (header.get("deck"), "the header line '#deck:'"),
        (options.deck, "the chosen deck"),
        (PurePath(display_name).stem, "the file name"),
    )
    for name, origin in candidates:
        if name and name.strip():
            try:
                return normalize_deck_name(name)
            except ValueError as exc:
                raise InvalidInputError(
                    f"The deck name {name!r} from {origin} is invalid: {exc}."
                ) from exc
    return "Imported"


def _is_html(header: Header, records: list[Record], options: TextImportOptions) -> bool:
    if options.html is not None:
        return options.html
    value = header.get("html")
    if value is not None:
        return value.strip().casefold() in ("true", "yes", "1", "on")
    return any(_HTML.search(cell) for record in records for cell in record.cells)


class _NoteBuilder:
    def __init__(
        self,
        layout: _Layout,
        note_types: dict[str, NoteType],
        default_type: NoteType,
        default_deck: str,
        is_html: bool,
        file_tags: tuple[str, ...],
    ) -> None:
        self.layout = layout
        self.note_types = note_types
        self.default_type = default_type
        self.default_deck = default_deck
        self.is_html = is_html
        self.file_tags = file_tags
        self.notes: list[ImportedNote] = []
        self.skipped: list[SkippedRow] = []
        self.used_types: dict[str, NoteType] = {}
        self.used_decks: set[str] = set()
        self.unmapped: set[int] = set()
        self._mappings: dict[str, list[tuple[int, int]]] = {}

    def add(self, record: Record) -> None:
        try:
            self.notes.append(self._note(record))
        except _BadRow as exc:
            self.skipped.append(SkippedRow(record.line, str(exc)))

    def _cell(self, record: Record, role: str) -> str | None:
        if not self.layout.roles:
            return None
        column = self.layout.roles.get(role)
        if column is None or column >= len(record.cells):
            return None
        return record.cells[column].strip()

    def _note(self, record: Record) -> ImportedNote:
        if len(record.cells) != self.layout.expected_columns:
            raise _BadRow(
                f"it has {len(record.cells)} columns where {self.layout.expected_columns} "
                "were expected"
            )
        type_name = self._cell(record, NOTETYPE_COLUMN)
        note_type = self.default_type
        if type_name:
            found = _find_note_type(type_name, self.note_types)
            if found is None:
                raise _BadRow(f"the note type {type_name!r} is unknown")
            note_type = found
        deck = self.default_deck
        deck_cell = self._cell(record, DECK_COLUMN)
        if deck_cell:
            try:
                deck = normalize_deck_name(deck_cell)
            except ValueError as exc:
                raise _BadRow(f"the deck name {deck_cell!r} is invalid: {exc}") from exc
        values = [""] * len(note_type.fields)
        for column, field_index in self._mapping(note_type):
            if column < len(record.cells):
                values[field_index] = self._convert(record.cells[column])
        if field_is_empty(values[0]):
            raise _BadRow(f"the first field ({note_type.fields[0]}) is empty")
        if not ordinal_rule(note_type)(values):
            raise _BadRow(f"it would make no cards with the note type {note_type.name!r}")
        tags = self.file_tags
        row_tags = self._cell(record, TAGS_COLUMN)
        if row_tags:
            listed = list(tags)
            for tag in row_tags.split():
                if tag not in listed:
                    listed.append(tag)
            tags = tuple(listed)
        guid = self._cell(record, GUID_COLUMN) or None
        self.used_types.setdefault(note_type.name, note_type)
        self.used_decks.add(deck)
        return ImportedNote(
            key=f"row {len(self.notes) + len(self.skipped) + 1}",
            guid=guid,
            note_type_key=note_type.name,
            fields=tuple(values),
            tags=tags,
            deck=deck,
            line=record.line,
        )

    def _convert(self, value: str) -> str:
        if self.is_html:
            return value
        if "&" in value or "<" in value or ">" in value or "\n" in value:
            return html.escape(value, quote=False).replace("\n", "<br>")
        return value

    def _mapping(self, note_type: NoteType) -> list[tuple[int, int]]:
        """(column, field index) pairs for `note_type`."""
        cached = self._mappings.get(note_type.name)
        if cached is not None:
            return cached
        special = set(self.layout.roles.values())
        columns = [i for i in range(self.layout.expected_columns) if i not in special]
        folded = {name.casefold(): i for i, name in enumerate(note_type.fields)}
        labels = self.layout.labels
        pairs: list[tuple[int, int]] = []
        named = [labels[i].strip().casefold() for i in columns if labels and i < len(labels)]
        if labels and any(label in folded for label in named):
            for i in columns:
                label = labels[i].strip().casefold() if i < len(labels) else ""
                if label in folded:
                    pairs.append((i, folded[label]))
                elif label:
                    self.unmapped.add(i)
        else:
            pairs = list(zip(columns, range(len(note_type.fields)), strict=False))
            self.unmapped.update(columns[len(note_type.fields) :])
        self._mappings[note_type.name] = pairs
        return pairs

    def warnings(self) -> list[str]:
        if not self.unmapped:
            return []
        numbers = ", ".join(str(i + 1) for i in sorted(self.unmapped))
        return [f"Column(s) {numbers} match no field and were not imported."]


class _BadRow(Exception):
    """One row cannot be imported; the message says why."""


def _bad_rows_message(rows: Sequence[SkippedRow], display_name: str) -> str:
    listed = "; ".join(f"line {row.line}: {row.reason}" for row in rows[:_LISTED_BAD_ROWS])
    more = f"; and {len(rows) - _LISTED_BAD_ROWS} more" if len(rows) > _LISTED_BAD_ROWS else ""
    count = "1 row" if len(rows) == 1 else f"{len(rows)} rows"
    return f"{display_name}: {count} cannot be imported ({listed}{more}). Nothing was imported."


def _decks(names: set[str]) -> tuple[ImportedDeck, ...]:
    every = set(names)
    for name in names:
        every.update(parent_names(name))
    return tuple(ImportedDeck(name) for name in sorted(every, key=lambda n: n.split("::")))
