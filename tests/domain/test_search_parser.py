"""The search parser: a table of queries and their trees, and of malformed queries and where."""

from __future__ import annotations

import pytest

from studyapp.domain.search import (
    AddedWithin,
    And,
    Comparison,
    DeckIs,
    Everything,
    FieldIs,
    FlagIs,
    Node,
    Not,
    NoteTypeIs,
    Or,
    Pattern,
    Property,
    PropertyIs,
    RatedWithin,
    StateIs,
    StateKind,
    TagIs,
    Text,
    Wildcard,
    parse_search,
    search_term,
)
from studyapp.errors import SearchError

ANY, ONE = Wildcard.ANY, Wildcard.ONE


def lit(text: str) -> Pattern:
    return Pattern.literal(text)


CASES: list[tuple[str, Node]] = [
    ("", Everything()),
    ("   ", Everything()),
    ("dog", Text(lit("dog"))),
    ('"a dog"', Text(lit("a dog"))),
    ("d*g", Text(Pattern(("d", ANY, "g")))),
    ("d_g", Text(Pattern(("d", ONE, "g")))),
    ("d**g", Text(Pattern(("d", ANY, "g")))),
    (r"d\*g", Text(lit("d*g"))),
    (r"d\_g", Text(lit("d_g"))),
    (r"say \"hi\"", And((Text(lit("say")), Text(lit('"hi"'))))),
    ("a-b", Text(lit("a-b"))),
    ("-dog", Not(Text(lit("dog")))),
    ('-"a dog"', Not(Text(lit("a dog")))),
    ("--dog", Not(Not(Text(lit("dog"))))),
    ("a b", And((Text(lit("a")), Text(lit("b"))))),
    ("a and b", And((Text(lit("a")), Text(lit("b"))))),
    ("a OR b", Or((Text(lit("a")), Text(lit("b"))))),
    ("a or b c", Or((Text(lit("a")), And((Text(lit("b")), Text(lit("c"))))))),
    ("(a or b) c", And((Or((Text(lit("a")), Text(lit("b")))), Text(lit("c"))))),
    ("-(a b)", Not(And((Text(lit("a")), Text(lit("b")))))),
    ('"or"', Text(lit("or"))),
    ("front:dog", FieldIs("front", lit("dog"))),
    ("Front:*dog*", FieldIs("Front", Pattern((ANY, "dog", ANY)))),
    ('front:"a dog"', FieldIs("front", lit("a dog"))),
    ('"front:a dog"', FieldIs("front", lit("a dog"))),
    (r"12\:30", Text(lit("12:30"))),
    ("deck:Biology", DeckIs(lit("Biology"))),
    ('deck:"EMT Basics"', DeckIs(lit("EMT Basics"))),
    ("deck:Parent::Child", DeckIs(lit("Parent::Child"))),
    ("deck:Bio*", DeckIs(Pattern(("Bio", ANY)))),
    ("DECK:bio", DeckIs(lit("bio"))),
    ("tag:anatomy::heart", TagIs(lit("anatomy::heart"))),
    ("tag:a*", TagIs(Pattern(("a", ANY)))),
    ('note:"Basic (and reversed card)"', NoteTypeIs(lit("Basic (and reversed card)"))),
    ("is:new", StateIs(StateKind.NEW)),
    ("is:LEARN", StateIs(StateKind.LEARN)),
    ("is:review", StateIs(StateKind.REVIEW)),
    ("is:due", StateIs(StateKind.DUE)),
    ("is:suspended", StateIs(StateKind.SUSPENDED)),
    ("is:buried", StateIs(StateKind.BURIED)),
    ("flag:0", FlagIs(0)),
    ("flag:7", FlagIs(7)),
    ("added:7", AddedWithin(7)),
    ("rated:3", RatedWithin(3, None)),
    ("rated:3:1", RatedWithin(3, 1)),
    ("prop:ivl>=10", PropertyIs(Property.INTERVAL, Comparison.GREATER_EQUAL, 10, 0)),
    ("prop:due=-1", PropertyIs(Property.DUE, Comparison.EQUAL, -1, 0)),
    ("prop:reps<3", PropertyIs(Property.REPS, Comparison.LESS, 3, 0)),
    ("prop:lapses!=0", PropertyIs(Property.LAPSES, Comparison.NOT_EQUAL, 0, 0)),
    ("prop:s>2.5", PropertyIs(Property.STABILITY, Comparison.GREATER, 2.5, 1)),
    ("prop:d<=0.5", PropertyIs(Property.DIFFICULTY, Comparison.LESS_EQUAL, 0.5, 1)),
    ("prop:d>0.9", PropertyIs(Property.DIFFICULTY, Comparison.GREATER, 0.9, 1)),
    ("prop:d=1", PropertyIs(Property.DIFFICULTY, Comparison.EQUAL, 1, 0)),
    ("prop:r<0.9", PropertyIs(Property.RETRIEVABILITY, Comparison.LESS, 0.9, 1)),
    ("prop:r=.85", PropertyIs(Property.RETRIEVABILITY, Comparison.EQUAL, 0.85, 2)),
    (
        "deck:Bio -is:suspended (tag:exam OR flag:1)",
        And(
            (
                DeckIs(lit("Bio")),
                Not(StateIs(StateKind.SUSPENDED)),
                Or((TagIs(lit("exam")), FlagIs(1))),
            )
        ),
    ),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[q or "empty" for q, _ in CASES])
def test_parses(query: str, expected: Node) -> None:
    assert parse_search(query) == expected


MALFORMED: list[tuple[str, int, str]] = [
    ("(dog", 0, "never closed"),
    ("a (b (c)", 2, "never closed"),
    ("dog)", 3, "no “(”"),
    ('"a dog', 0, "quote is never closed"),
    ('front:"a', 6, "quote is never closed"),
    ("()", 1, "between these parentheses"),
    ("OR dog", 0, "before it"),
    ("dog OR", 4, "after it"),
    ("a OR OR b", 2, "after it"),
    ("- dog", 0, "needs something after it"),
    ("dog -", 4, "needs something after it"),
    ("is:sleeping", 3, "not a card state"),
    ("is:", 3, "not a card state"),
    ("flag:8", 5, "from 0 to 7"),
    ("flag:red", 5, "from 0 to 7"),
    ("added:0", 6, "from 1"),
    ("added:x", 6, "whole number"),
    ("rated:2:5", 8, "from 1 to 4"),
    ("rated:", 6, "whole number"),
    ("prop:foo>1", 5, "not a property"),
    ("prop:ivl", 8, "needs a comparison"),
    ("prop:ivl>", 9, "needs a number"),
    ("prop:ivl>1.5", 9, "whole number"),
    ("prop:r<abc", 7, "needs a number"),
    ("prop:d>5", 7, "from 0 to 1"),
    ("prop:d<=-0.1", 8, "from 0 to 1"),
    ("prop:r<1.5", 7, "from 0 to 1"),
    ("deck:", 5, "needs something"),
    (":dog", 0, "field name is missing"),
    ('""', 0, "empty phrase"),
]


@pytest.mark.parametrize(
    ("query", "position", "problem"), MALFORMED, ids=[q for q, _, _ in MALFORMED]
)
def test_malformed_queries_say_what_and_where(query: str, position: int, problem: str) -> None:
    with pytest.raises(SearchError) as caught:
        parse_search(query)
    assert caught.value.position == position
    assert problem in str(caught.value)
    assert f"at character {position + 1}" in str(caught.value)


def test_patterns_translate_to_like_and_regex() -> None:
    pattern = Pattern(("50%", ANY, "a_b", ONE, "\\"))
    assert pattern.like() == "50\\%%a\\_b_\\\\"
    assert pattern.matches("50% off a_b!\\")
    assert not pattern.matches("50% off a_b\\")
    assert pattern.plain is None
    assert Pattern.literal("Dog").matches("dOG")
    assert lit("x").plain == "x"


def test_search_terms_round_trip_through_the_parser() -> None:
    name = 'Odd "deck"_*\\ name'
    assert parse_search(search_term("deck", name)) == DeckIs(lit(name))
