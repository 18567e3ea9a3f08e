"""Fields written in Markdown become HTML when a card is rendered."""

from __future__ import annotations

from dataclasses import replace

from studyapp.domain.markdown_fields import fields_as_html, markdown_html
from studyapp.domain.notetypes import BASIC, CLOZE
from studyapp.domain.templates import render_answer, render_question


def test_single_paragraph_is_inline() -> None:
    assert markdown_html("**bold** and *it*") == "<strong>bold</strong> and <em>it</em>"
    assert markdown_html("   ") == ""


def test_blocks_and_line_breaks() -> None:
    assert markdown_html("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert markdown_html("a\nb") == "a<br />\nb"
    assert "<table>" in markdown_html("| a | b |\n|---|---|\n| 1 | 2 |")


def test_only_markdown_note_types_convert() -> None:
    assert fields_as_html(BASIC, ["**x**", "", ""]) == ("**x**", "", "")
    written = replace(BASIC, markdown=True)
    assert fields_as_html(written, ["**x**", "", ""]) == ("<strong>x</strong>", "", "")


def test_cloze_syntax_survives_markdown() -> None:
    cloze = replace(CLOZE, markdown=True)
    fields = fields_as_html(cloze, ["The **{{c1::heart::organ}}** pumps", ""])
    assert render_question(cloze, fields, 0) == (
        'The <strong><span class="cloze">[organ]</span></strong> pumps'
    )
    assert '<strong><span class="cloze">heart</span></strong>' in render_answer(cloze, fields, 0)
