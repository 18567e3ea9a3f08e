"""Type-in answers: the character-level comparison and its HTML."""

from __future__ import annotations

from studyapp.domain.typed_answer import (
    Mark,
    Run,
    compare_typed,
    comparison_html,
    show_typed_answer,
)


def test_exact_answer_is_all_good() -> None:
    comparison = compare_typed("  Paris ", "Paris")
    assert comparison.correct
    assert comparison.typed == (Run("Paris", Mark.GOOD),)


def test_wrong_and_missing_characters_are_marked() -> None:
    comparison = compare_typed("Pariss", "Paris")
    assert not comparison.correct
    assert comparison.typed == (Run("Paris", Mark.GOOD), Run("s", Mark.BAD))
    assert comparison.expected == (Run("Paris", Mark.GOOD),)
    swapped = compare_typed("Prais", "Paris")
    assert swapped.typed == (Run("Pr", Mark.GOOD), Run("a", Mark.BAD), Run("is", Mark.GOOD))
    assert swapped.expected == (Run("P", Mark.GOOD), Run("a", Mark.MISSED), Run("ris", Mark.GOOD))


def test_comparison_is_case_sensitive_and_blank_runs_count_once() -> None:
    assert not compare_typed("paris", "Paris").correct
    assert compare_typed("first   aid", "first aid").correct


def test_html_escapes_and_shows_arrow_only_when_wrong() -> None:
    right = comparison_html("a<b", "a<b")
    assert "a&lt;b" in right
    assert "↓" not in right
    wrong = comparison_html("x", "<y>")
    assert "↓" in wrong
    assert "&lt;y&gt;" in wrong
    assert 'class="type-missed"' in wrong
    assert 'class="type-bad"' in wrong


def test_nothing_typed_shows_the_correct_answer() -> None:
    assert comparison_html("  ", "Paris") == "<code>Paris</code>"


def test_comparison_replaces_the_type_answer_block() -> None:
    answer = 'Q<hr><div class="type-answer">Paris</div><div class="extra">x</div>'
    shown = show_typed_answer(answer, "Pari", "Paris")
    assert shown.startswith('Q<hr><div class="type-answer"><code>')
    assert 'class="type-missed"' in shown
    assert shown.endswith('<div class="extra">x</div>')
    assert show_typed_answer("no type-in here", "a", "b") == "no type-in here"
