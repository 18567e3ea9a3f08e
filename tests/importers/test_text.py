"""Anki text exports, plain CSV/TSV and Quizlet exports -> notes."""

from __future__ import annotations

import time

import pytest

from studyapp.domain.cards import NoteKind
from studyapp.errors import InvalidInputError
from studyapp.importers.drafts import ImportDraft
from studyapp.importers.text import DECK_COLUMN, TAGS_COLUMN, TextImportOptions, parse_text

DEFAULTS = TextImportOptions()


def parse(data: bytes, name: str = "Vocab.csv", **options: object) -> ImportDraft:
    return parse_text(data, file_name=name, options=TextImportOptions(**options))  # type: ignore[arg-type]


def fronts(draft: ImportDraft) -> list[str]:
    return [note.fields[0] for note in draft.notes]


def test_plain_csv_with_header_quotes_and_newlines() -> None:
    data = b'Front,Back\nhello,"bonjour, salut"\n"two\nlines",deux\n'
    draft = parse(data, "folder/My Words.csv")
    assert [n.fields for n in draft.notes] == [
        ("hello", "bonjour, salut", ""),
        ("two<br>lines", "deux", ""),
    ]
    assert [n.line for n in draft.notes] == [2, 3]
    assert {n.deck for n in draft.notes} == {"My Words"}
    assert [d.name for d in draft.decks] == ["My Words"]
    assert [t.name for t in draft.note_types] == ["Basic"]
    assert all(n.guid is None and n.note_type_key == "Basic" for n in draft.notes)
    assert draft.cards == ()


@pytest.mark.parametrize("separator", ["\t", ";", "|", ","])
def test_separator_is_detected(separator: str) -> None:
    rows = ["a, b", "c; d", "e | f"] if separator == "\t" else ["a b", "c d", "e f"]
    data = "\n".join(f"{row}{separator}answer {i}" for i, row in enumerate(rows)).encode()
    assert [n.fields[1] for n in parse(data).notes] == ["answer 0", "answer 1", "answer 2"]


def test_anki_export_with_every_directive() -> None:
    data = (
        b"#separator:tab\n#html:true\n#tags:imported\n#guid column:1\n#notetype column:2\n"
        b"#deck column:3\n#tags column:6\n#if matches:update current\n"
        b"g1\tBasic\tLang::French\t<b>chat</b>\tcat\tanimal lang::fr\n"
        b"g2\tCloze\tLang\t{{c1::Paris}}\tcapital\t\n"
    )
    draft = parse(data, "export.txt")
    first, second = draft.notes
    assert (first.guid, first.note_type_key, first.deck) == ("g1", "Basic", "Lang::French")
    assert first.fields == ("<b>chat</b>", "cat", "")
    assert first.tags == ("imported", "animal", "lang::fr")
    assert first.line == 9
    assert (second.note_type_key, second.fields, second.tags) == (
        "Cloze",
        ("{{c1::Paris}}", "capital"),
        ("imported",),
    )
    assert [d.name for d in draft.decks] == ["Lang", "Lang::French"]
    assert {t.name: t.kind for t in draft.note_types} == {
        "Basic": NoteKind.STANDARD,
        "Cloze": NoteKind.CLOZE,
    }


@pytest.mark.parametrize(
    ("directive", "separator"),
    [("Comma", ","), ("Semicolon", ";"), ("Pipe", "|"), ("Colon", ":"), ("Space", " "),
     ("TAB", "\t"), ("#", "#")],
)  # fmt: skip
def test_separator_directive_names_and_characters(directive: str, separator: str) -> None:
    data = f"#separator:{directive}\nq1{separator}a1\n".encode()
    assert parse(data).notes[0].fields[:2] == ("q1", "a1")


def test_bad_separator_directive_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match="names no separator"):
        parse(b"#separator:Hyphens\nq-a\n")


def test_columns_directive_maps_fields_by_name() -> None:
    data = b"#separator:Comma\n#columns:Back,Front,Tags\nanswer,question,t1 t2\n"
    note = parse(data).notes[0]
    assert note.fields == ("question", "answer", "")
    assert note.tags == ("t1", "t2")


def test_notetype_and_deck_directives_and_defaults() -> None:
    data = b"#notetype:Basic (and reversed card)\n#deck:Top::Sub\nq\ta\n"
    note = parse(data, deck="Ignored").notes[0]
    assert (note.note_type_key, note.deck) == ("Basic (and reversed card)", "Top::Sub")
    assert parse(b"q\ta\n", "file.tsv", deck="Chosen").notes[0].deck == "Chosen"
    assert parse(b"q\ta\n", "file.tsv").notes[0].deck == "file"


def test_unknown_note_type_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match="note type 'Nope'"):
        parse(b"#notetype:Nope\nq\ta\n")


@pytest.mark.parametrize(
    "encoded",
    [
        "caf\u00e9\tna\u00efve\n".encode(),
        b"\xef\xbb\xbf" + "caf\u00e9\tna\u00efve\n".encode(),
        "\ufeffcaf\u00e9\tna\u00efve\n".encode("utf-16-le"),
        "\ufeffcaf\u00e9\tna\u00efve\n".encode("utf-16-be"),
        "caf\u00e9\tna\u00efve\n".encode("utf-16-le"),
        "caf\u00e9\tna\u00efve\n".encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom", "cp1252"],
)
def test_encodings(encoded: bytes) -> None:
    assert parse(encoded).notes[0].fields[:2] == ("caf\u00e9", "na\u00efve")


def test_cp1252_smart_quotes() -> None:
    assert parse(b"\x93quoted\x94\tanswer\n").notes[0].fields[0] == "\u201cquoted\u201d"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"#separator:tab\n", "no rows"),
        (b"Front,Back\n", "header row but no rows"),
    ],
)
def test_files_that_cannot_be_imported(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse(data)


def test_ragged_rows_are_listed_with_line_numbers() -> None:
    data = b"q1,a1\nq2,a2,extra\nq3\n,empty first\nq5,a5\n"
    with pytest.raises(InvalidInputError) as caught:
        parse(data)
    message = str(caught.value)
    assert "3 rows cannot be imported" in message
    assert "line 2: it has 3 columns where 2 were expected" in message
    assert "line 3: it has 1 columns" in message
    assert "line 4: the first field (Front) is empty" in message
    assert "Nothing was imported" in message


def test_skip_bad_rows_keeps_the_good_ones() -> None:
    draft = parse(b"q1,a1\nq2,a2,extra\nq3,a3\n", skip_bad_rows=True)
    assert fronts(draft) == ["q1", "q3"]
    assert [(row.line, row.reason) for row in draft.skipped_rows] == [
        (2, "it has 3 columns where 2 were expected")
    ]
    assert draft.warnings == ("Line 2 was skipped: it has 3 columns where 2 were expected",)


def test_unclosed_quote_names_its_line() -> None:
    with pytest.raises(InvalidInputError, match="Line 2: a quoted field starts here"):
        parse(b'q1,a1\nq2,"never closed\nmore\n')


def test_cloze_rows_without_a_cloze_are_bad() -> None:
    with pytest.raises(InvalidInputError, match="would make no cards"):
        parse(b"#notetype:Cloze\nno cloze here\textra\n")


def test_identical_rows_are_both_kept() -> None:
    draft = parse(b"same\tanswer\nsame\tanswer\n")
    assert fronts(draft) == ["same", "same"]
    assert len({note.key for note in draft.notes}) == 2


def test_plain_text_is_escaped_and_html_is_kept() -> None:
    plain = parse(b"1 < 2 & 3\tyes\n").notes[0]
    assert plain.fields[0] == "1 &lt; 2 &amp; 3"
    detected = parse(b"<i>x</i>\ty\n").notes[0]
    assert detected.fields[0] == "<i>x</i>"
    forced = parse(b"<i>x</i>\ty\n", html=False).notes[0]
    assert forced.fields[0] == "&lt;i&gt;x&lt;/i&gt;"
    directive = parse(b"#html:false\n<i>x</i>\ty\n").notes[0]
    assert directive.fields[0] == "&lt;i&gt;x&lt;/i&gt;"


def test_quizlet_default_export() -> None:
    draft = parse(b"term\tdefinition\ndog\ta loyal pet\ncat\tmeows\n", "Quizlet set.txt")
    assert [n.fields[:2] for n in draft.notes] == [("dog", "a loyal pet"), ("cat", "meows")]


def test_quizlet_custom_separators() -> None:
    data = b"dog - a pet, loyal;;cat - meows\nloudly;;"
    draft = parse(data, separator=" - ", record_separator=";;")
    assert [n.fields[:2] for n in draft.notes] == [
        ("dog", "a pet, loyal"),
        ("cat", "meows<br>loudly"),
    ]
    assert [n.line for n in draft.notes] == [1, 1]


def test_quizlet_custom_term_separator_with_newline_records() -> None:
    draft = parse(b"dog=>pet\ncat=>meows\n", separator="=>")
    assert [n.fields[:2] for n in draft.notes] == [("dog", "pet"), ("cat", "meows")]


def test_dialog_column_mapping_and_header_choice() -> None:
    data = b"Lang::A\tanswer\tquestion\tt1\n"
    draft = parse(
        data,
        columns=(DECK_COLUMN, "Back", "Front", TAGS_COLUMN),
        has_header=False,
        tags=("extra",),
    )
    note = draft.notes[0]
    assert (note.deck, note.fields, note.tags) == (
        "Lang::A",
        ("question", "answer", ""),
        ("extra", "t1"),
    )


def test_header_row_can_be_forced_off() -> None:
    assert fronts(parse(b"Front,Back\nq,a\n", has_header=False)) == ["Front", "q"]


def test_extra_columns_are_reported() -> None:
    draft = parse(b"q\ta\te\tx\n")
    assert draft.notes[0].fields == ("q", "a", "e")
    assert draft.warnings == ("Column(s) 4 match no field and were not imported.",)


def test_huge_single_field_is_handled_quickly() -> None:
    big = "x" * (10 << 20)
    started = time.monotonic()
    draft = parse(f'"{big}",answer\n'.encode())
    assert len(draft.notes[0].fields[0]) == 10 << 20
    assert time.monotonic() - started < 10


def test_invalid_deck_in_column_is_a_bad_row() -> None:
    data = b"#deck column:1\nA::::B\tq\ta\nGood\tq\ta\n"
    draft = parse(data, skip_bad_rows=True)
    assert [n.deck for n in draft.notes] == ["Good"]
    assert "deck name 'A::::B' is invalid" in draft.skipped_rows[0].reason
