"""The fast `card_ordinals` (compiled per note type, cached per emptiness pattern) against the
reference that renders every question."""

from __future__ import annotations

import itertools
import random

import pytest

from studyapp.domain.cards import CardTemplate, NoteKind, NoteType
from studyapp.domain.notetypes import STOCK_NOTE_TYPES
from studyapp.domain.templates import card_ordinals, rendered_card_ordinals

FIELDS = ("Front", "Back", "Extra", "front", "Back")
"""Duplicate and case-folded names, so lookups resolve exactly as rendering does."""
VALUES = ("", "x", " ", "<br>", "<div><br></div>", "&nbsp;", "{{c1::a}}", "{{c2::b}} {{c1::c}}")
QUESTIONS = (
    "{{Front}}",
    "{{front}}",
    "{{FRONT}}",
    "{{Back}}",
    "{{Extra}}",
    "plain text",
    "{{Missing}}",
    "{{FrontSide}}",
    "{{text:FrontSide}}",
    "{{text:Back}}",
    "{{nosuchfilter:Extra}}",
    "{{cloze:Front}}",
    "{{#Extra}}{{Front}}{{/Extra}}",
    "{{^Extra}}{{Back}}{{/Extra}}",
    "{{#Missing}}{{Front}}{{/Missing}}",
    "{{^Missing}}{{Front}}{{/Missing}}",
    "{{#Front}}{{^Back}}{{Extra}}{{/Back}}{{/Front}}",
    "{{#Front}}{{Back}}",
    "{{/Front}}{{Back}}",
    "{{#Front}}{{Back}}{{/Extra}}",
    "{{#Back}}static{{/Back}}",
    "{{Front}}{{#Back}}{{/Back}}",
)


def _note_types() -> list[NoteType]:
    types = list(STOCK_NOTE_TYPES)
    for kind in (NoteKind.STANDARD, NoteKind.CLOZE):
        for number, question in enumerate(QUESTIONS):
            templates = (
                CardTemplate("Card 1", question, "{{FrontSide}}"),
                CardTemplate("Card 2", QUESTIONS[-1 - number], "{{Back}}"),
            )
            types.append(NoteType(number, f"T{number}", kind, FIELDS, templates, ""))
    return types


@pytest.mark.parametrize("note_type", _note_types(), ids=lambda t: f"{t.name}-{t.kind.name}")
def test_fast_ordinals_equal_rendered_ordinals(note_type: NoteType) -> None:
    width = len(note_type.fields)
    choices = list(itertools.product(VALUES[:4], repeat=min(width, 4)))
    generator = random.Random(note_type.name)
    for values in choices:
        for extra in range(3):
            fields = [*values, *(generator.choice(VALUES) for _ in range(width - len(values)))]
            fields = fields[: width - extra % 2]  # sometimes fewer values than fields
            assert card_ordinals(note_type, fields) == rendered_card_ordinals(note_type, fields), (
                fields
            )
    for _ in range(200):
        fields = [generator.choice(VALUES) for _ in range(width + generator.randint(-1, 1))]
        assert card_ordinals(note_type, fields) == rendered_card_ordinals(note_type, fields)


def test_result_is_a_fresh_list() -> None:
    note_type = STOCK_NOTE_TYPES[0]
    first = card_ordinals(note_type, ["Q", "A"])
    first.append(99)
    assert card_ordinals(note_type, ["Q", "A"]) == [0]
