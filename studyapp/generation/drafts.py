"""Card drafts with provenance: what the generator hands to the rest of the app."""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("definition", "acronym", "list", "contrast", "cloze")
BLANK = "[...]"


@dataclass(frozen=True)
class SourceSpan:
    """The sentence a card came from: `text == document.text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CardDraft:
    """A proposed card; `kind` is one of KINDS."""

    kind: str
    front: str
    back: str
    source: SourceSpan


def make_span(document_text: str, start: int, end: int) -> SourceSpan:
    return SourceSpan(start, end, document_text[start:end])


_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")


def display(text: str) -> str:
    """Card text from document text: one line, markdown links and emphasis marks removed."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def as_sentence(text: str) -> str:
    """Capitalised, ending in a full stop unless it already ends in punctuation."""
    text = display(text).rstrip(" ,;:")
    if text and text[-1] not in ".!?":
        text += "."
    return capitalized(text)
