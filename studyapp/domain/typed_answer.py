"""Type-in answers: the typed text compared with the correct answer, character by character.

As in Anki, the answer side shows the typed text with each character marked right or wrong and,
when they differ, an arrow and the correct answer with the characters that were missed marked.
The comparison is case-sensitive; surrounding blanks are ignored and runs of blanks count as one.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

_BLANKS = re.compile(r"\s+")
_TYPE_ANSWER = re.compile(r'<div class="type-answer">([^<]*)</div>')

# Inline styles: the comparison must read well whatever the note type's CSS and the theme.
_STYLES = {
    "good": "color: #000000; background-color: #a6f0b4;",
    "bad": "color: #000000; background-color: #ffb3b3;",
    "missed": "color: #000000; background-color: #d0d0d0;",
}


class Mark(Enum):
    GOOD = "good"
    """Typed and correct."""
    BAD = "bad"
    """Typed, but not in the correct answer at this place."""
    MISSED = "missed"
    """In the correct answer, but not typed."""


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    mark: Mark


@dataclass(frozen=True, slots=True)
class TypedComparison:
    typed: tuple[Run, ...]
    """The typed text, in runs marked GOOD or BAD."""
    expected: tuple[Run, ...]
    """The correct answer, in runs marked GOOD or MISSED."""

    @property
    def correct(self) -> bool:
        return all(run.mark is Mark.GOOD for run in (*self.typed, *self.expected))


def normalized(text: str) -> str:
    """`text` as compared: NFC, without surrounding blanks, blank runs as one space."""
    return _BLANKS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _append(runs: list[Run], text: str, mark: Mark) -> None:
    if not text:
        return
    if runs and runs[-1].mark is mark:
        runs[-1] = Run(runs[-1].text + text, mark)
    else:
        runs.append(Run(text, mark))


def compare_typed(typed: str, expected: str) -> TypedComparison:
    """Which characters of `typed` match `expected`, and which of `expected` were missed."""
    given, wanted = normalized(typed), normalized(expected)
    typed_runs: list[Run] = []
    expected_runs: list[Run] = []
    matcher = difflib.SequenceMatcher(None, given, wanted, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            _append(typed_runs, given[a_start:a_end], Mark.GOOD)
            _append(expected_runs, wanted[b_start:b_end], Mark.GOOD)
        else:
            _append(typed_runs, given[a_start:a_end], Mark.BAD)
            _append(expected_runs, wanted[b_start:b_end], Mark.MISSED)
    return TypedComparison(tuple(typed_runs), tuple(expected_runs))


def _runs_html(runs: tuple[Run, ...]) -> str:
    return "".join(
        f'<span class="type-{run.mark.value}" style="{_STYLES[run.mark.value]}">'
        f"{html.escape(run.text)}</span>"
        for run in runs
    )


def comparison_html(typed: str, expected: str) -> str:
    """The comparison as HTML (text escaped; safe to insert into sanitized card HTML)."""
    if not normalized(typed):
        return f"<code>{html.escape(normalized(expected))}</code>"
    comparison = compare_typed(typed, expected)
    if comparison.correct:
        return f"<code>{_runs_html(comparison.typed)}</code>"
    return (
        f"<code>{_runs_html(comparison.typed)}</code><br>"
        '<span class="type-arrow">↓</span><br>'
        f"<code>{_runs_html(comparison.expected)}</code>"
    )


def show_typed_answer(answer_html: str, typed: str, expected: str) -> str:
    """`answer_html` with its type-in answer (from `{{type:...}}`) replaced by the comparison."""
    block = f'<div class="type-answer">{comparison_html(typed, expected)}</div>'
    return _TYPE_ANSWER.sub(lambda _match: block, answer_html, count=1)
