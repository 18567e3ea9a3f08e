"""Our deck format: what write_deck_file writes, parse_deck_file reads back identically."""

from __future__ import annotations

import dataclasses

import pytest

from studyapp.domain.cards import Note
from studyapp.errors import InvalidInputError
from studyapp.exporters.bundle import ExportBundle
from studyapp.exporters.deckfile import deck_file_id, write_deck_file
from studyapp.importers.deckfile import parse_deck_file
from tests.exporters.sample_bundle import NOTE_TYPES, NOTES, VOCAB, sample_bundle

AWKWARD = 'Quotes " and \\ backslash\nsecond line\r\n\ttab, \x01 control, \x7f del, ünïcode 🦉 """'


def stock_bundle(*extra: Note) -> ExportBundle:
    notes = tuple(note for note in NOTES if note.note_type_id != VOCAB.id) + extra
    return dataclasses.replace(sample_bundle(), notes=notes)


def test_notes_round_trip_through_the_deck_file_parser() -> None:
    awkward = Note(7, "awkward-7", 1, (AWKWARD, "", "<i>extra</i>"), ("a::b", "c"), 0, 0, "Ch. 2")
    bundle = stock_bundle(awkward)
    deck = parse_deck_file(write_deck_file(bundle, deck_name="Languages::French", version=3))
    assert (deck.name, deck.version) == ("Languages::French", 3)
    names = {note_type.id: note_type.name for note_type in NOTE_TYPES}
    assert len(deck.notes) == len(bundle.notes) == 5
    for note, draft in zip(bundle.notes, deck.notes, strict=True):
        assert draft.guid == deck_file_id(note.guid)
        assert draft.note_type == names[note.note_type_id]
        note_type = next(t for t in NOTE_TYPES if t.id == note.note_type_id)
        assert dict(draft.fields) == dict(zip(note_type.fields, note.fields, strict=True))
        assert draft.tags == note.tags
        assert draft.source == note.source
    assert deck.notes[-1].fields["Front"] == AWKWARD


def test_guids_outside_the_id_alphabet_are_encoded_reversibly() -> None:
    assert deck_file_id("basic-1") == "basic-1"
    encoded = deck_file_id("#A:rev")
    assert encoded == "guid-" + b"#A:rev".hex()
    assert bytes.fromhex(encoded.removeprefix("guid-")).decode() == "#A:rev"


def test_description_and_multi_level_names_are_written() -> None:
    data = write_deck_file(stock_bundle(), deck_name=" A :: B ", description='Say "hi"\nbye')
    deck = parse_deck_file(data)
    assert (deck.name, deck.description) == ("A::B", 'Say "hi"\nbye')
    assert data.decode().startswith('format = 1\nname = "A::B"\nversion = 1\n')


def test_custom_note_types_are_refused_with_a_clear_message() -> None:
    with pytest.raises(InvalidInputError, match=r"'Vocabulary'.*stock note types.*\.apkg"):
        write_deck_file(sample_bundle(), deck_name="All")


@pytest.mark.parametrize(
    ("fields", "type_id", "message"),
    [
        (("", "back", ""), 1, "empty first field"),
        (("no cloze here", ""), 3, "without any cloze"),
    ],
)
def test_notes_the_format_cannot_hold_are_refused(
    fields: tuple[str, ...], type_id: int, message: str
) -> None:
    bad = Note(8, "bad-8", type_id, fields, (), 0, 0)
    with pytest.raises(InvalidInputError, match=message):
        write_deck_file(stock_bundle(bad), deck_name="Deck")


def test_an_empty_deck_or_bad_name_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="no notes"):
        write_deck_file(dataclasses.replace(sample_bundle(), notes=()), deck_name="Empty")
    with pytest.raises(InvalidInputError, match="empty level"):
        write_deck_file(stock_bundle(), deck_name="A::::B")
