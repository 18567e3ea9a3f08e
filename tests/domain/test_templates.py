"""Card rendering from templates: fields, sections, FrontSide, clozes and inline errors."""

from __future__ import annotations

import html

import pytest

from studyapp.domain.cards import CardTemplate, NoteKind, NoteType
from studyapp.domain.notetypes import BASIC, BASIC_REVERSED, CLOZE, STOCK_NOTE_TYPES
from studyapp.domain.sanitize import sanitize_card_html
from studyapp.domain.templates import (
    TYPE_PROMPT,
    card_ordinals,
    field_is_empty,
    hide_hints,
    hint_number,
    rename_field_in_template,
    render_answer,
    render_question,
    template_problems,
    type_answer_text,
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
        ("{{Nope}}", "Unknown field 'Nope' in {{Nope}}"),
        ("{{shout:A}}", "Unknown filter 'shout' in {{shout:A}}"),
        ("{{text:shout:A}}", "Unknown filter 'shout' in {{text:shout:A}}"),
        ("{{#Nope}}x{{/Nope}}", "Unknown field 'Nope' in {{#Nope}}"),
        ("{{#A}}x", "{{#A}} is missing its {{/A}}"),
        ("{{^A}}x", "{{^A}} is missing its {{/A}}"),
        ("{{type:text:A}}", "Only {{type:Field}} and {{type:cloze:Field}} can be typed in"),
        ("x{{/A}}", "{{/A}} closes a section that was never opened"),
        ("{{#A}}x{{/B}}{{/A}}", "{{/B}} found where {{/A}} was expected"),
    ],
)
def test_template_mistakes_render_inline_errors(template: str, message: str) -> None:
    rendered = render_question(custom(template), ["a", "b"], 0)
    assert f'<span class="template-error">{html.escape(message)}' in rendered


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


def test_optional_reverse_card_exists_only_when_asked_for() -> None:
    from studyapp.domain.notetypes import BASIC_OPTIONAL_REVERSED

    assert card_ordinals(BASIC_OPTIONAL_REVERSED, ("sun", "sol", "", "")) == [0]
    assert card_ordinals(BASIC_OPTIONAL_REVERSED, ("sun", "sol", "y", "")) == [0, 1]
    assert "sun" in render_question(BASIC_OPTIONAL_REVERSED, ("sol", "sun", "y", ""), 1)


def test_unknown_filter_message_is_readable_on_the_card() -> None:
    rendered = render_question(custom("{{foo:A}} after"), ["front", "b"], 0)
    assert rendered == (
        '<span class="template-error">Unknown filter &#x27;foo&#x27; in {{foo:A}}</span> after'
    )


def test_filters_chain_right_to_left() -> None:
    note_type = NoteType(
        0, "Chain", NoteKind.CLOZE, ("Text",), (CardTemplate("C", "{{text:cloze:Text}}", "x"),), ""
    )
    assert render_question(note_type, ["<b>{{c1::Paris}}</b> wins"], 0) == "[...] wins"


def test_tags_are_rendered_escaped() -> None:
    note_type = custom("{{A}} [{{Tags}}]")
    assert render_question(note_type, ["q", ""], 0, tags=("emt", "a<b")) == "q [emt a&lt;b]"
    assert render_question(note_type, ["q", ""], 0) == "q []"


def test_a_field_called_tags_wins_over_the_note_tags() -> None:
    note_type = custom("{{Tags}}", fields=("Front", "Tags"))
    assert render_question(note_type, ["q", "field value"], 0, tags=("t",)) == "field value"


def test_tags_alone_do_not_make_a_card() -> None:
    assert card_ordinals(custom("{{Tags}}{{A}}"), ["", ""]) == []


def test_cloze_hint_shows_in_the_blank() -> None:
    fields = ["The {{c1::heart::organ}} pumps {{c2::blood}}", ""]
    assert render_question(CLOZE, fields, 0) == (
        'The <span class="cloze">[organ]</span> pumps blood'
    )
    assert 'The <span class="cloze">heart</span> pumps blood' in render_answer(CLOZE, fields, 0)


def test_hint_is_folded_into_a_link_until_clicked() -> None:
    note_type = custom("{{A}}{{hint:B}}")
    rendered = sanitize_card_html(render_question(note_type, ["q", "starts with <b>P</b>"], 0))
    assert "starts with" in rendered  # other views show the hint as it is
    folded = hide_hints(rendered, label="Show hint")
    assert "starts with" not in folded
    assert '<a class="hint" href="#hint-0">Show hint</a>' in folded
    shown = hide_hints(rendered, shown={0})
    assert '<div class="hint">starts with <b>P</b></div>' in shown
    assert "href" not in shown
    assert hint_number("hint-0") == 0
    assert hint_number("hint-x") is None
    assert hint_number("elsewhere") is None


def test_empty_hint_renders_nothing() -> None:
    assert render_question(custom("{{A}}{{hint:B}}"), ["q", "<br>"], 0) == "q"


def test_several_hints_fold_separately() -> None:
    note_type = custom("{{hint:A}}{{hint:B}}")
    rendered = render_question(note_type, ["one", "two"], 0)
    partly = hide_hints(rendered, shown={1})
    assert 'href="#hint-0"' in partly
    assert "two" in partly
    assert "one" not in partly


def test_type_in_prompt_on_question_and_expected_text_on_answer() -> None:
    note_type = NoteType(
        0,
        "Typed",
        NoteKind.STANDARD,
        ("Front", "Back"),
        (CardTemplate("Card 1", "{{Front}}{{type:Back}}", "{{FrontSide}}<hr>{{type:Back}}"),),
        "",
    )
    fields = ("capital of France", "<b>Paris</b> &amp; co")
    question = render_question(note_type, fields, 0)
    assert question == "capital of France" + TYPE_PROMPT
    answer = render_answer(note_type, fields, 0)
    # FrontSide leaves the prompt out; the answer shows the plain expected text.
    assert answer == 'capital of France<hr><div class="type-answer">Paris &amp; co</div>'
    assert type_answer_text(note_type, fields, 0) == "Paris & co"
    assert type_answer_text(BASIC, ["q", "a", ""], 0) is None


def test_type_in_cloze_expects_the_active_deletions() -> None:
    note_type = NoteType(
        0,
        "Cloze typed",
        NoteKind.CLOZE,
        ("Text",),
        (CardTemplate("Cloze", "{{cloze:Text}}{{type:cloze:Text}}", "{{type:cloze:Text}}"),),
        "",
    )
    fields = ["{{c1::CPR}} and {{c1::first <i>aid</i>}} then {{c2::AED}}"]
    assert type_answer_text(note_type, fields, 0) == "CPR, first aid"
    assert type_answer_text(note_type, fields, 1) == "AED"
    assert render_answer(note_type, fields, 1) == '<div class="type-answer">AED</div>'


def test_template_problems_are_listed_before_saving() -> None:
    note_type = custom("x")
    assert template_problems("{{A}} {{#B}}{{Tags}}{{/B}} {{text:A}}", note_type) == []
    assert template_problems("{{#A}}open", note_type) == ["{{#A}} is missing its {{/A}}"]
    assert template_problems("{{C}}{{#D}}{{/D}}{{bold:A}}", note_type) == [
        "Unknown field 'C' in {{C}}",
        "Unknown field 'D' in a section",
        "Unknown filter 'bold' in {{bold:A}}",
    ]
    assert set(template_problems("{{#A}}{{/B}}", note_type)) == {
        "{{/B}} found where {{/A}} was expected",
        "{{#A}} is missing its {{/A}}",
    }


def test_renaming_a_field_rewrites_every_reference() -> None:
    template = "{{Front}} {{#Front}}{{text:Front}}{{/Front}} {{Frontier}} {{^ Front }}x{{/Front}}"
    assert rename_field_in_template(template, "Front", "Question") == (
        "{{Question}} {{#Question}}{{text:Question}}{{/Question}} {{Frontier}} "
        "{{^Question}}x{{/Question}}"
    )
