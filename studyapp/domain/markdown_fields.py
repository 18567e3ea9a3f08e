"""Fields written in Markdown: a note type with `markdown` set stores its fields as Markdown
text, converted to HTML (by markdown-it-py, CommonMark plus tables and strikethrough) only when a
card is rendered.  Raw HTML in the text passes through, and is sanitized with the card.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from studyapp.domain.cards import NoteType

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _converter() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "breaks": True}).enable(
        ["table", "strikethrough"]
    )


def markdown_html(text: str) -> str:
    """`text` as HTML; a single paragraph comes without its `<p>`, so it sits inline in a card."""
    if not text.strip():
        return ""
    rendered = str(_converter().render(text)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def fields_as_html(note_type: NoteType, fields: Sequence[str]) -> tuple[str, ...]:
    """The note's field values as templates expect them: HTML, converted from Markdown if the
    note type is written in Markdown."""
    if not note_type.markdown:
        return tuple(fields)
    return tuple(markdown_html(value) for value in fields)
