"""Anki-style text export, read back by importers.text.parse_text."""

from __future__ import annotations

import dataclasses

import pytest

from studyapp.domain.cards import Note
from studyapp.errors import InvalidInputError
from studyapp.exporters.text import write_text
from studyapp.importers.text import TextImportOptions, parse_text
from tests.exporters.sample_bundle import NOTE_TYPES, NOTES, TRICKY, sample_bundle

NAMES = {note_type.id: note_type.name for note_type in NOTE_TYPES}
NOTE_DECKS = {
    "basic-1": "Languages::French",
    "#A:rev": "Languages::French::Verbs",
    "cloze-3": "Geography",
    "vocab-4": "Languages",
    "basic-5": "Default",
    "vocab-6": "Languages::French",
}
OPTIONS = TextImportOptions(note_types=NOTE_TYPES)


@pytest.mark.parametrize("separator", ["\t", ",", ";", "|", " "])
def test_notes_round_trip_with_every_separator(separator: str) -> None:
    data = write_text(sample_bundle(), separator=separator)
    draft = parse_text(data, file_name="export.txt", options=OPTIONS)
    assert not draft.skipped_rows
    assert len(draft.notes) == len(NOTES) == 6
    for note, imported in zip(NOTES, draft.notes, strict=True):
        assert imported.guid == note.guid
        assert imported.note_type_key == NAMES[note.note_type_id]
        assert imported.fields == note.fields
        assert imported.tags == note.tags
        assert imported.deck == NOTE_DECKS[note.guid]
    assert draft.notes[1].fields[2] == TRICKY
    assert [deck.name for deck in draft.decks] == [
        "Default",
        "Geography",
        "Languages",
        "Languages::French",
        "Languages::French::Verbs",
    ]


def test_header_lines_name_every_column() -> None:
    text = write_text(sample_bundle(), separator=",").decode()
    header = text.splitlines()[:6]
    assert header == [
        "#separator:comma",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:7",
    ]
    assert '\n"#A:rev",' in text  # a guid starting with # is quoted, so it is no header line


def test_plain_text_export_round_trips_through_the_importers_escaping() -> None:
    notes = (
        Note(1, "p-1", 1, ("Tom &amp; Jerry", "line one<br>line two", "<b>bold</b>"), (), 0, 0),
        Note(2, "p-2", 1, ("a &lt; b", 'say "x"', ""), ("t",), 0, 0),
    )
    bundle = dataclasses.replace(sample_bundle(), notes=notes)
    data = write_text(bundle, html=False)
    assert b"#html:false" in data
    draft = parse_text(data, file_name="plain.csv", options=OPTIONS)
    assert [n.fields for n in draft.notes] == [
        ("Tom &amp; Jerry", "line one<br>line two", "bold"),
        ("a &lt; b", 'say "x"', ""),
    ]


@pytest.mark.parametrize("separator", ["", '"', "\n", "ab", "#"])
def test_unusable_separators_are_refused(separator: str) -> None:
    with pytest.raises(InvalidInputError, match="cannot separate"):
        write_text(sample_bundle(), separator=separator)
