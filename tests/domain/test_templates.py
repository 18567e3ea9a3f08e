"""Card rendering from templates: fields, sections, FrontSide, clozes and inline errors."""

from __future__ import annotations

import pytest

from studyapp.domain.cards import CardTemplate, NoteKind, NoteType
from studyapp.domain.notetypes import BASIC, BASIC_REVERSED, CLOZE, STOCK_NOTE_TYPES
from studyapp.domain.templates import (
    card_ordinals,
    field_is_empty,
    render_answer,
    render_question,
)


def custom(
    front: str, back: str = "{{FrontSide}}", fields: tuple[str, ...] = ("A", "B")
) -> NoteType:
    return NoteType(
        id=0,
        name="Custom",
        kind=NoteKind.STANDARD,
        fields=fields,
        templates=(CardTemplate("Card 1", front, back),),
        css="",
    )


def test_stock_note_types_are_named_and_unsaved() -> None:
    assert [t.name for t in STOCK_NOTE_TYPES] == [
        "Basic",
        "Basic (and reversed card)",
        "Basic (optional reversed card)",
        "Basic (type in the answer)",
        "Cloze",
        "Contrast",
    ]
    assert all(t.id == 0 for t in STOCK_NOTE_TYPES)
    assert CLOZE.kind == NoteKind.CLOZE
    assert CLOZE.fields == ("Text", "Back Extra")
    assert [t.name for t in BASIC_REVERSED.templates] == ["Card 1", "Card 2"]
    assert "color: inherit" in BASIC.css


def test_basic_question_and_answer() -> None:
    fields = ["Capital of France?", "Paris", ""]
    assert render_question(BASIC, fields, 0) == "Capital of France?"
    answer = render_answer(BASIC, fields, 0)
    assert answer.startswith("Capital of France?")
    assert answer.index('<hr id="answer">') < answer.index("Paris")
    assert "extra" not in answer


def test_extra_shows_only_when_non_empty() -> None:
    assert 'class="extra">Note</div>' in render_answer(BASIC, ["Q", "A", "Note"], 0)
    assert 'class="extra"' not in render_answer(BASIC, ["Q", "A", "<br> "], 0)


def test_reversed_card_swaps_sides() -> None:
    fields = ["EMT", "Emergency Medical Technician", ""]
    assert render_question(BASIC_REVERSED, fields, 1) == "Emergency Medical Technician"
    assert render_answer(BASIC_REVERSED, fields, 1).endswith("EMT")


def test_standard_ordinals_skip_templates_with_empty_front() -> None:
    assert card_ordinals(BASIC, ["Q", "A", ""]) == [0]
    assert card_ordinals(BASIC_REVERSED, ["Q", "A", ""]) == [0, 1]
    assert card_ordinals(BASIC_REVERSED, ["Q", "", ""]) == [0]
    assert card_ordinals(BASIC_REVERSED, ["Q", "<div><br></div>", ""]) == [0]
    assert card_ordinals(BASIC, ["", "A", ""]) == []


def test_static_text_alone_does_not_make_a_card() -> None:
    note_type = custom("Question: {{A}}")
    assert card_ordinals(note_type, ["", "b"]) == []
    assert card_ordinals(note_type, ["a", "b"]) == [0]


def test_missing_trailing_field_values_are_empty() -> None:
    assert render_answer(BASIC, ["Q"], 0).endswith("\n\n")


def test_sections_and_inverted_sections() -> None:
    note_type = custom("{{#B}}has B: {{B}}{{/B}}{{^B}}no B{{/B}}")
    assert render_question(note_type, ["a", "x"], 0) == "has B: x"
    assert render_question(note_type, ["a", ""], 0) == "no B"


def test_field_names_with_spaces_and_case_insensitive_lookup() -> None:
    note_type = custom("{{Back Extra}}/{{back extra}}", fields=("Text", "Back Extra"))
    assert render_question(note_type, ["t", "more"], 0) == "more/more"


def test_front_side_only_on_answer() -> None:
    note_type = custom("{{FrontSide}}{{A}}", back="{{FrontSide}}|{{B}}")
    question = render_question(note_type, ["a", "b"], 0)
    assert 'class="template-error"' in question
    assert render_answer(note_type, ["a", "b"], 0) == question + "|b"


def test_text_filter_strips_html() -> None:
    assert render_question(custom("{{text:A}}"), ["<b>bold</b> &amp; more", ""], 0) == (
        "bold & more"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{Nope}}", "unknown field Nope"),
        ("{{shout:A}}", "unknown filter shout"),
        ("{{#Nope}}x{{/Nope}}", "unknown field Nope"),
        ("{{#A}}x", "missing {{/A}}"),
        ("x{{/A}}", "{{/A}} closes a section that was never opened"),
        ("{{#A}}x{{/B}}{{/A}}", "{{/B}} found where {{/A}} was expected"),
    ],
)
def test_template_mistakes_render_inline_errors(template: str, message: str) -> None:
    rendered = render_question(custom(template), ["a", "b"], 0)
    assert f'<span class="template-error">{message}</span>' in rendered


def test_error_messages_are_escaped() -> None:
    rendered = render_question(custom("{{<script>}}"), ["a", "b"], 0)
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered


def test_unknown_ordinal_is_an_inline_error() -> None:
    assert "template-error" in render_question(BASIC, ["Q", "A", ""], 5)
    assert "template-error" in render_answer(BASIC, ["Q", "A", ""], 5)


def test_cloze_ordinals_one_per_number() -> None:
    text = "{{c2::b}} {{c1::a}} {{c1::again}} {{c10::j}}"
    assert card_ordinals(CLOZE, [text, ""]) == [0, 1, 9]
    assert card_ordinals(CLOZE, ["no clozes here", ""]) == []
    assert card_ordinals(CLOZE, ["{{c0::zero}} {{c1::unclosed", ""]) == []


def test_cloze_question_blanks_active_and_shows_others() -> None:
    fields = ["{{c1::Paris}} is the capital of {{c2::France::country}}.", ""]
    assert render_question(CLOZE, fields, 0) == (
        '<span class="cloze">[...]</span> is the capital of France.'
    )
    assert render_question(CLOZE, fields, 1) == (
        'Paris is the capital of <span class="cloze">[country]</span>.'
    )


def test_cloze_answer_highlights_active() -> None:
    fields = ["{{c1::Paris}} is the capital of {{c2::France::country}}.", "Since 508"]
    answer = render_answer(CLOZE, fields, 1)
    assert answer.startswith('Paris is the capital of <span class="cloze">France</span>.')
    assert '<div class="extra">Since 508</div>' in answer
    assert "extra" not in render_answer(CLOZE, [fields[0], ""], 1)


def test_same_cloze_number_twice_is_one_card_with_two_blanks() -> None:
    fields = ["{{c1::CPR}} and {{c1::first aid}}", ""]
    assert card_ordinals(CLOZE, fields) == [0]
    assert render_question(CLOZE, fields, 0).count("[...]") == 2
    assert render_answer(CLOZE, fields, 0) == (
        '<span class="cloze">CPR</span> and <span class="cloze">first aid</span>'
    )


def test_nested_clozes() -> None:
    fields = ["{{c1::outer {{c2::inner}} end}}", ""]
    assert card_ordinals(CLOZE, fields) == [0, 1]
    assert render_question(CLOZE, fields, 0) == '<span class="cloze">[...]</span>'
    assert render_question(CLOZE, fields, 1) == 'outer <span class="cloze">[...]</span> end'
    assert render_answer(CLOZE, fields, 0) == '<span class="cloze">outer inner end</span>'


def test_unbalanced_cloze_markup_stays_text() -> None:
    fields = ["a }} b {{c1::x}} {{c2::open", ""]
    assert card_ordinals(CLOZE, fields) == [0]
    assert render_question(CLOZE, fields, 0) == (
        'a }} b <span class="cloze">[...]</span> {{c2::open'
    )


def test_field_is_empty() -> None:
    assert field_is_empty("")
    assert field_is_empty(" <br> <div></div>&nbsp;\n")
    assert not field_is_empty("<img src='a.png'>")
    assert not field_is_empty("x")


def test_hint_and_type_filters_render_without_scripts() -> None:
    note_type = NoteType(
        0,
        "Typed",
        NoteKind.STANDARD,
        ("Front", "Back", "Hint"),
        (CardTemplate("Card 1", "{{Front}}{{hint:Hint}}{{type:Back}}", "{{Front}}{{type:Back}}"),),
        "",
    )
    question = render_question(note_type, ("capital of France", "Paris", "starts with P"), 0)
    assert '<div class="hint">starts with P</div>' in question
    assert "Paris" not in question
    assert '<div class="type-answer">' in question
    answer = render_answer(note_type, ("capital of France", "Paris", ""), 0)
    assert '<div class="type-answer">Paris</div>' in answer
    assert 'class="hint"' not in answer


def test_optional_reverse_card_exists_only_when_asked_for() -> None:
    from studyapp.domain.notetypes import BASIC_OPTIONAL_REVERSED

    assert card_ordinals(BASIC_OPTIONAL_REVERSED, ("sun", "sol", "", "")) == [0]
    assert card_ordinals(BASIC_OPTIONAL_REVERSED, ("sun", "sol", "y", "")) == [0, 1]
    assert "sun" in render_question(BASIC_OPTIONAL_REVERSED, ("sol", "sun", "y", ""), 1)
