"""split_units: sentences, headings and list items with exact offsets."""

from __future__ import annotations

from studyapp.generation.sentences import HEADING, ITEM, SENTENCE, split_units

TEXT = """# Cell biology

Dr. Ada Lee works in the U.S. and measured 3.5 times more ATP, e.g. in muscle cells. \
Cells divide by mitosis, i.e. one cell becomes two! Does it always work? Mostly...
The parts are:
- the nucleus
- the membrane.
1. First numbered item

Summary

Cells are the units of life.
"""


def texts(text: str) -> list[tuple[str, str]]:
    return [(u.kind, text[u.start : u.end]) for u in split_units(text)]


def test_units_and_kinds() -> None:
    assert texts(TEXT) == [
        (HEADING, "Cell biology"),
        (
            SENTENCE,
            "Dr. Ada Lee works in the U.S. and measured 3.5 times more ATP, e.g. in muscle cells.",
        ),
        (SENTENCE, "Cells divide by mitosis, i.e. one cell becomes two!"),
        (SENTENCE, "Does it always work?"),
        (SENTENCE, "Mostly..."),
        (SENTENCE, "The parts are:"),
        (ITEM, "the nucleus"),
        (ITEM, "the membrane."),
        (ITEM, "First numbered item"),
        (HEADING, "Summary"),
        (SENTENCE, "Cells are the units of life."),
    ]


def test_sections_point_at_their_heading() -> None:
    units = split_units(TEXT)
    assert units[1].section == 0
    assert units[-1].section == 9
    assert units[0].section == 0


def test_soft_line_breaks_stay_inside_a_sentence() -> None:
    text = "Plants take up water\nthrough their roots. Then it rises."
    assert texts(text) == [
        (SENTENCE, "Plants take up water\nthrough their roots."),
        (SENTENCE, "Then it rises."),
    ]


def test_initials_and_trailing_etc() -> None:
    text = "J. R. Smith sold apples, pears, etc. Later he sold plums."
    assert [t for _, t in texts(text)] == [
        "J. R. Smith sold apples, pears, etc.",
        "Later he sold plums.",
    ]
