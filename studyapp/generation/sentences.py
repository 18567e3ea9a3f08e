"""Splitting a document's text into units with exact character offsets.

A unit is a heading, a list item, or one sentence of a paragraph.  Offsets index the document text
unchanged, so `text[unit.start:unit.end]` is the unit; surrounding whitespace is never included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyapp.generation.terms import word_set

HEADING = "heading"
ITEM = "item"
SENTENCE = "sentence"

# Words that end in a period without ending a sentence (compared lower-case, without the period).
ABBREVIATIONS = word_set(
    "e.g i.e eg ie cf vs dr mr mrs ms prof st jr sr inc ltd co corp fig figs no nos vol pp etc"
    " approx ca al mt ft gen sen rep gov lt col sgt capt est dept univ ave blvd a.m p.m"
)

_MD_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]+(?P<body>.*?)[ \t]*#*[ \t]*$")
_BULLET = re.compile(r"[ \t]*(?:[-*+\u2022\u2013]|\d{1,2}[.)]|[a-z]\))[ \t]+(?P<body>\S.*?)\s*$")
_TERMINAL = re.compile(r"[.!?]+[\"')\]\u2019\u201d]*(?=\s|$)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'(\[\u201c\u2018]?[A-Z0-9]")


@dataclass(frozen=True)
class Unit:
    """One heading, list item or sentence: `text[start:end]`, within heading number `section`."""

    start: int
    end: int
    kind: str
    section: int


def split_units(text: str) -> list[Unit]:
    """Headings, list items and sentences of `text`, in document order."""
    raw: list[tuple[int, int, str]] = []
    for block_start, lines in _blocks(text):
        _split_block(text, block_start, lines, raw)
    units: list[Unit] = []
    section = -1
    for start, end, kind in raw:
        if kind == HEADING:
            section = len(units)
        units.append(Unit(start, end, kind, section))
    return units


def _blocks(text: str) -> list[tuple[int, list[tuple[int, str]]]]:
    """Runs of non-blank lines, each line with its start offset."""
    blocks: list[tuple[int, list[tuple[int, str]]]] = []
    current: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            current.append((offset, line))
        elif current:
            blocks.append((current[0][0], current))
            current = []
        offset += len(line) + 1
    if current:
        blocks.append((current[0][0], current))
    return blocks


def _split_block(
    text: str, block_start: int, lines: list[tuple[int, str]], out: list[tuple[int, int, str]]
) -> None:
    if len(lines) == 1 and _looks_like_heading(lines[0][1]):
        start, line = lines[0]
        out.append(_trimmed(text, start, start + len(line), HEADING))
        return
    paragraph_start: int | None = None
    paragraph_end = block_start
    for start, line in lines:
        heading = _MD_HEADING.match(line)
        bullet = None if heading else _BULLET.match(line)
        if heading is None and bullet is None:
            if paragraph_start is None:
                paragraph_start = start
            paragraph_end = start + len(line)
            continue
        if paragraph_start is not None:
            _split_sentences(text, paragraph_start, paragraph_end, out)
            paragraph_start = None
        match = heading or bullet
        assert match is not None
        body_start = start + match.start("body")
        body_end = start + match.end("body")
        if body_end > body_start:
            out.append(_trimmed(text, body_start, body_end, HEADING if heading else ITEM))
    if paragraph_start is not None:
        _split_sentences(text, paragraph_start, paragraph_end, out)


def _looks_like_heading(line: str) -> bool:
    """A line standing alone: short, capitalised, without sentence punctuation at its end."""
    stripped = line.strip()
    if _MD_HEADING.match(line):
        return True
    if not stripped or len(stripped) > 90 or len(stripped.split()) > 12:
        return False
    if _BULLET.match(line) or stripped[-1] in ".,;:!":
        return False
    return stripped[0].isupper() or stripped[0].isdigit()


def _trimmed(text: str, start: int, end: int, kind: str) -> tuple[int, int, str]:
    heading = _MD_HEADING.match(text, start, end) if kind == HEADING else None
    if heading:
        start, end = heading.start("body"), heading.end("body")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end, kind


def _split_sentences(text: str, start: int, end: int, out: list[tuple[int, int, str]]) -> None:
    sentence_start = start
    for match in _TERMINAL.finditer(text, start, end):
        stop = match.end()
        following = _NEXT_STARTS_SENTENCE.match(text, stop, end)
        if stop < end and following is None:
            continue
        single_period = match.group().rstrip("\"')]\u2019\u201d") == "."
        if single_period and not _ends_sentence(text, sentence_start, match.start()):
            continue
        if stop > sentence_start:
            out.append(_trimmed(text, sentence_start, stop, SENTENCE))
        sentence_start = stop
    if text[sentence_start:end].strip():
        out.append(_trimmed(text, sentence_start, end, SENTENCE))


def _ends_sentence(text: str, sentence_start: int, period: int) -> bool:
    """Whether the period at `period` ends a sentence rather than an abbreviation or initial."""
    word_start = period
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:period].lstrip("\"'([\u201c\u2018").lower()
    if not word:
        return True
    if word in ABBREVIATIONS or word + "." in ABBREVIATIONS:
        return word == "etc"
    if len(word) == 1 and word.isalpha():
        return False  # an initial, as in "J. Smith"
    return re.fullmatch(r"(?:[a-z]\.)+[a-z]", word) is None  # U.S., e.g
