"""Our TOML deck format: what parses, and the clear errors for what does not."""

from __future__ import annotations

import pytest

from studyapp.domain.notetypes import BASIC, CLOZE
from studyapp.errors import InvalidInputError
from studyapp.generation.drafts import KINDS
from studyapp.importers.deckfile import (
    NOTE_KINDS,
    DeckDocument,
    DeckDraft,
    NoteDraft,
    parse_deck_file,
)

HEADER = """\
format = 1
name = "Test::Deck"
version = 2
"""

GOOD = (
    HEADER
    + """\
description = "A small deck."
source_document = "notes.txt"

[[notes]]
id = "t-001"
type = "Basic"
tags = ["test::one", "plain"]
source = "Section 1"

[notes.fields]
Front = "Q1"
Back = "A1"

[[notes]]
id = "t-002"
type = "Cloze"
fields = { Text = "{{c1::Paris}} is in {{c2::France}}", "Back Extra" = "geo" }

[[notes]]
id = "t-003"
type = "Basic (and reversed card)"
fields = { Front = "EMT", Back = "Emergency Medical Technician", Extra = "" }
"""
)


def parse(text: str) -> DeckDraft:
    return parse_deck_file(text.encode("utf-8"))


def note(body: str) -> str:
    return HEADER + "\n[[notes]]\n" + body


def test_parses_a_valid_deck() -> None:
    deck = parse(GOOD)
    assert (deck.name, deck.version) == ("Test::Deck", 2)
    assert deck.description == "A small deck."
    assert deck.source_document == "notes.txt"
    assert [n.guid for n in deck.notes] == ["t-001", "t-002", "t-003"]
    first = deck.notes[0]
    assert first == NoteDraft(
        guid="t-001",
        note_type="Basic",
        fields={"Front": "Q1", "Back": "A1"},
        tags=("test::one", "plain"),
        source="Section 1",
    )
    assert first.field_values(BASIC) == ("Q1", "A1", "")
    assert deck.notes[1].field_values(CLOZE) == ("{{c1::Paris}} is in {{c2::France}}", "geo")
    assert deck.notes[1].tags == ()
    assert deck.notes[1].source is None


def test_optional_top_level_keys_default() -> None:
    deck = parse(note('id = "a"\ntype = "Basic"\nfields = { Front = "x" }\n'))
    assert deck.description == ""
    assert deck.source_document is None


def test_fields_are_read_only() -> None:
    fields = parse(GOOD).notes[0].fields
    with pytest.raises(TypeError):
        fields["Front"] = "changed"  # type: ignore[index]


def test_utf8_bom_is_accepted() -> None:
    assert parse_deck_file(b"\xef\xbb\xbf" + GOOD.encode()).name == "Test::Deck"


def expect_error(text: str, *fragments: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse(text)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_bad_toml_reports_the_line() -> None:
    expect_error(HEADER + "\n[[notes]]\nid = = 'x'\ntype = 'Basic'\n", "not valid TOML", "line 6")


def test_not_utf8() -> None:
    with pytest.raises(InvalidInputError, match="UTF-8"):
        parse_deck_file(b"format = 1\nname = '\xff'\n")


def test_unknown_format_version() -> None:
    expect_error(GOOD.replace("format = 1", "format = 3"), "format 3", "format 1 to 2")
    expect_error(GOOD.replace("format = 1", "format = 0"), "format 0")


@pytest.mark.parametrize("key", ["format", "name", "version"])
def test_missing_top_level_key(key: str) -> None:
    lines = [line for line in GOOD.splitlines() if not line.startswith(f"{key} =")]
    expect_error("\n".join(lines), f"'{key}' is missing")


def test_wrong_types() -> None:
    expect_error(GOOD.replace("version = 2", 'version = "2"'), "'version' must be a whole number")
    expect_error(GOOD.replace("version = 2", "version = true"), "'version'")
    expect_error(GOOD.replace("version = 2", "version = 0"), "'version' must be 1 or more")
    expect_error(GOOD.replace('name = "Test::Deck"', 'name = "Test::"'), "empty level")


def test_unknown_keys_are_errors() -> None:
    expect_error(GOOD.replace("version = 2", "version = 2\nauthor = 'me'"), "'author'")
    expect_error(GOOD.replace('source = "Section 1"', 'sourse = "x"'), "'sourse'", "'t-001'")


def test_no_notes() -> None:
    expect_error(HEADER, "'notes' is missing")
    expect_error(HEADER + "notes = []\n", "no notes")


def test_missing_id() -> None:
    expect_error(note('type = "Basic"\nfields = { Front = "x" }\n'), "note #1", "'id'")


def test_malformed_id() -> None:
    expect_error(
        note('id = "has space"\ntype = "Basic"\nfields = { Front = "x" }\n'), "'has space'"
    )


def test_duplicate_ids() -> None:
    text = GOOD.replace('id = "t-003"', 'id = "t-001"')
    expect_error(text, "'t-001'", "#3", "#1")


def test_unknown_note_type() -> None:
    expect_error(
        GOOD.replace('type = "Basic"\n', 'type = "Basik"\n'), "'t-001'", "'Basik'", "'Cloze'"
    )


def test_unknown_field_name() -> None:
    expect_error(
        GOOD.replace('Back = "A1"', 'Bak = "A1"'), "'t-001'", "'Bak'", "Front, Back, Extra"
    )


def test_field_value_must_be_text() -> None:
    expect_error(GOOD.replace('Back = "A1"', "Back = 1"), "'t-001'", "'Back' must be text")


def test_empty_first_field() -> None:
    expect_error(GOOD.replace('Front = "Q1"', 'Front = " <br> "'), "'t-001'", "'Front' is empty")
    expect_error(GOOD.replace('Front = "Q1"\n', ""), "'t-001'", "'Front' is empty")


def test_cloze_without_cloze() -> None:
    text = GOOD.replace("{{c1::Paris}} is in {{c2::France}}", "Paris is in France")
    expect_error(text, "'t-002'", "without any cloze")


def test_bad_tags() -> None:
    expect_error(GOOD.replace('"plain"', '"two words"'), "'t-001'", "'two words'")
    expect_error(GOOD.replace('"plain"', "3"), "'t-001'", "tag 3")
    expect_error(
        GOOD.replace('tags = ["test::one", "plain"]', 'tags = "x"'), "'tags' must be a list"
    )


def test_notes_must_be_tables() -> None:
    expect_error(HEADER + "notes = [1]\n", "Note #1 is not a table")


# --- Format 2: provenance of generated decks ------------------------------------------------------

SHA = "ab" * 32
GENERATED = f"""\
format = 2
name = "Generated"
version = 3
retired = ["g-001", "g-004"]

[document]
path = "notes/glaciers.md"
sha256 = "{SHA}"

[[notes]]
id = "g-002"
type = "Basic"
kind = "definition"
source = "A glacier is a river of ice."
source_start = 10
source_end = 38
fields = {{ Front = "What is a glacier?", Back = "A river of ice." }}

[[notes]]
id = "g-003"
type = "Contrast"
kind = "contrast"
fields = {{ Question = "Which moves faster?", Answer = "Rivers" }}
"""


def test_parses_format_2_provenance() -> None:
    deck = parse(GENERATED)
    assert deck.document == DeckDocument("notes/glaciers.md", SHA)
    assert deck.retired == ("g-001", "g-004")
    first, second = deck.notes
    assert (first.kind, first.source_start, first.source_end) == ("definition", 10, 38)
    assert (second.kind, second.source_start, second.source_end) == ("contrast", None, None)
    assert second.note_type == "Contrast"


def test_format_1_has_no_provenance() -> None:
    deck = parse(GOOD)
    assert deck.document is None
    assert deck.retired == ()
    assert all(n.kind is None and n.source_start is None for n in deck.notes)


def test_note_kinds_are_the_generators() -> None:
    assert set(NOTE_KINDS) == set(KINDS)


def test_format_2_keys_need_format_2() -> None:
    old = GENERATED.replace("format = 2", "format = 1")
    expect_error(old, "'document', 'retired'", "needs format = 2")
    old = GOOD.replace('source = "Section 1"', 'kind = "cloze"')
    expect_error(old, "'kind'", "'t-001'", "needs format = 2")


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (('path = "notes/glaciers.md"', 'path = "../glaciers.md"'), ["'path'", "'../glaciers.md'"]),
        (('path = "notes/glaciers.md"', 'path = "/etc/passwd"'), ["'path'"]),
        (('path = "notes/glaciers.md"\n', ""), ["[document]", "'path' is missing"]),
        ((f'sha256 = "{SHA}"', 'sha256 = "ABC"'), ["'sha256'", "64 lower-case"]),
        ((f'sha256 = "{SHA}"', f'sha256 = "{SHA}"\nsize = 3'), ["'size'", "[document]"]),
        (('kind = "definition"', 'kind = "riddle"'), ["'g-002'", "'riddle'", "'cloze'"]),
        (("source_end = 38\n", ""), ["'g-002'", "only one of"]),
        (("source_end = 38", "source_end = 10"), ["'g-002'", "less than"]),
        (("source_start = 10", "source_start = -1"), ["'g-002'", "0 or more"]),
        (("source_start = 10", 'source_start = "10"'), ["'source_start' must be a whole number"]),
        (('id = "g-003"', 'id = "g-004"'), ["'g-004'", "retired"]),
        (('retired = ["g-001", "g-004"]', 'retired = ["bad id"]'), ["'retired'", "'bad id'"]),
        (('retired = ["g-001", "g-004"]', 'retired = "g-001"'), ["'retired' must be a list"]),
    ],
)
def test_format_2_errors(change: tuple[str, str], fragments: list[str]) -> None:
    old, new = change
    assert old in GENERATED
    expect_error(GENERATED.replace(old, new, 1), *fragments)


def test_offsets_need_a_document() -> None:
    text = GENERATED.replace(f'[document]\npath = "notes/glaciers.md"\nsha256 = "{SHA}"\n', "")
    expect_error(text, "'g-002'", "no [document]")
