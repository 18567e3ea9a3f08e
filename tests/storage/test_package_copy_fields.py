"""The stored fields of a copied Anki note: the text made without calling the conversion (plain
notes) is exactly the text the conversion gives, for any `flds` and number of fields."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from studyapp.domain.sanitize import MARKUP_CHARACTERS, sanitize_card_html
from studyapp.importers.anki_collection import note_fields, note_tags
from studyapp.storage.package_conversions import NoteConversion
from studyapp.storage.package_copy import stored_fields
from studyapp.storage.rows import json_strings

_TRICKY = '<>&"\\\x00\x01\t\n\x7f\x80\u00a0é€😀'
"""Characters that keep a note from being plain."""
_PLAIN = "ab ;/[]^-~=?"


@st.composite
def _notes(draw: st.DrawFn) -> tuple[str | None, int]:
    """A note's `flds` and its number of fields: mostly plain notes of as many fields as
    asked for, some with one character that is not plain, or a field more or less."""
    fields = st.text(alphabet=st.sampled_from(list(_PLAIN)), max_size=6)
    values = draw(st.lists(fields, min_size=1, max_size=4))
    flds = "\x1f".join(values)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(flds)))
        flds = flds[:at] + draw(st.sampled_from(list(_TRICKY))) + flds[at:]
    count = len(values) + draw(st.sampled_from((0, 0, 0, 1, -1)))
    return draw(st.sampled_from((flds, flds, flds, None))), count


def _sanitized(flds: str | None, count: int) -> tuple[str, ...]:
    return tuple(map(sanitize_card_html, note_fields(flds, count)))


def _conversion(calls: list[str | None]) -> NoteConversion:
    def fields(flds: str | None, count: int) -> tuple[str, ...]:
        calls.append(flds)
        return _sanitized(flds, count)

    return NoteConversion((), fields, note_tags, 0, MARKUP_CHARACTERS)


@given(st.one_of(_notes(), st.tuples(st.text(), st.integers(min_value=0, max_value=4))))
@example(("question 1\x1fanswer 1, with a comma", 2))
@example(("", 1))
@example(("a\x1fb", 3))
@example(("a\x1fb\x1fc", 2))
def test_stored_fields_are_the_conversions(note: tuple[str | None, int]) -> None:
    flds, count = note
    calls: list[str | None] = []
    assert stored_fields(_conversion(calls))(flds, count) == json_strings(_sanitized(flds, count))


@pytest.mark.parametrize("character", list(_TRICKY))
def test_a_note_with_a_character_not_plain_goes_through_the_conversion(character: str) -> None:
    flds = f"front {character}\x1fback"
    calls: list[str | None] = []
    stored = stored_fields(_conversion(calls))(flds, 2)
    assert calls == [flds]
    assert stored == json_strings(_sanitized(flds, 2))


@pytest.mark.parametrize(
    ("flds", "count", "stored"),
    [
        ("front\x1fback", 2, '["front", "back"]'),
        ("one field only", 1, '["one field only"]'),
        ("", 1, '[""]'),
        ("x = [1; 2]? ^_^ ~ 100%", 1, '["x = [1; 2]? ^_^ ~ 100%"]'),
    ],
)
def test_plain_notes_are_made_without_the_conversion(flds: str, count: int, stored: str) -> None:
    calls: list[str | None] = []
    assert stored_fields(_conversion(calls))(flds, count) == stored
    assert calls == []
    assert json.loads(stored) == list(note_fields(flds, count))


@pytest.mark.parametrize(
    ("flds", "count"),
    [
        ('<b onclick="x()">bold</b>\x1fa &amp; b', 2),  # markup: sanitized
        ("non\u00a0breaking\x1fspace", 2),  # a markup character outside ASCII
        ('say "hi"\x1fback\\slash', 2),  # JSON escapes
        ("tab\there\x1fdel\x7f", 2),  # control characters
        ("café\x1f😀", 2),  # escaped as \\u....
        ("a\x1fb", 1),  # fields dropped
        ("a", 2),  # fields added
        (None, 2),
    ],
)
def test_other_notes_go_through_the_conversion(flds: str | None, count: int) -> None:
    calls: list[str | None] = []
    stored = stored_fields(_conversion(calls))(flds, count)
    assert calls == [flds]
    assert stored == json_strings(_sanitized(flds, count))
