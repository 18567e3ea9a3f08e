"""Anki-style text export: header lines, then one row per note, quoted with the csv module.

    #separator:tab
    #html:true
    #guid column:1
    #notetype column:2
    #deck column:3
    #tags column:N

Columns: guid, note type, deck, the note's fields (rows padded to the widest note type), tags.
`importers.text.parse_text` and Anki both read it back; quoted fields keep separators, quotes
and line breaks. With `html=False` fields are written as plain text (tags removed, `<br>` as a
line break, entities decoded); the importer escapes plain text again. A "\r\n" inside a field
reads back as "\n".
"""

from __future__ import annotations

import csv
import html
import io
import re

from studyapp.domain.cards import Card
from studyapp.errors import InvalidInputError
from studyapp.exporters.bundle import ExportBundle

_SEPARATOR_NAMES = {
    "\t": "tab",
    ",": "comma",
    ";": "semicolon",
    " ": "space",
    "|": "pipe",
    ":": "colon",
}
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(?:div|p)\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")
_FIXED_COLUMNS = 3
"""guid, note type, deck."""


def write_text(bundle: ExportBundle, *, separator: str = "\t", html: bool = True) -> bytes:
    """The bundle's notes as UTF-8 text; raises InvalidInputError for an unusable separator."""
    if len(separator) != 1 or separator in '"\r\n#':
        raise InvalidInputError(f"{separator!r} cannot separate the columns of a text export.")
    note_types = {note_type.id: note_type for note_type in bundle.note_types}
    decks = {deck.id: deck.name for deck in bundle.decks}
    note_decks = _note_decks(bundle.cards, decks)
    fallback_deck = bundle.decks[0].name if bundle.decks else "Default"
    width = max((len(note.fields) for note in bundle.notes), default=1)
    tags_column = _FIXED_COLUMNS + width + 1
    out = io.StringIO(newline="")
    minimal = csv.writer(out, delimiter=separator, lineterminator="\n")
    quote_all = csv.writer(out, delimiter=separator, lineterminator="\n", quoting=csv.QUOTE_ALL)
    out.write(f"#separator:{_SEPARATOR_NAMES.get(separator, separator)}\n")
    out.write(f"#html:{'true' if html else 'false'}\n")
    out.write("#guid column:1\n#notetype column:2\n#deck column:3\n")
    out.write(f"#tags column:{tags_column}\n")
    for note in bundle.notes:
        note_type = note_types.get(note.note_type_id)
        if note_type is None:
            raise InvalidInputError(f"The note {note.guid!r} has a note type not in the export.")
        fields = [value if html else _plain_text(value) for value in note.fields]
        fields += [""] * (width - len(fields))
        row = [note.guid, note_type.name, note_decks.get(note.id, fallback_deck), *fields]
        row.append(" ".join(note.tags))
        # A first cell starting with "#" is quoted, so the line cannot pass for a header line.
        (quote_all if note.guid.startswith("#") else minimal).writerow(row)
    return out.getvalue().encode("utf-8")


def _note_decks(cards: tuple[Card, ...], decks: dict[int, str]) -> dict[int, str]:
    """Note id -> the deck of its lowest-ordinal card."""
    lowest: dict[int, Card] = {}
    for card in cards:
        current = lowest.get(card.note_id)
        if current is None or card.ordinal < current.ordinal:
            lowest[card.note_id] = card
    return {note_id: decks[c.deck_id] for note_id, c in lowest.items() if c.deck_id in decks}


def _plain_text(value: str) -> str:
    text = _LINE_BREAK.sub("\n", value)
    text = _BLOCK_END.sub("\n", text)
    return html.unescape(_HTML_TAG.sub("", text)).rstrip("\n")
