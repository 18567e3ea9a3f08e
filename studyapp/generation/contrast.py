"""Contrast cards: for two terms the document sets against each other, which one a statement fits.

Pairs come from headings and sentences ("X vs Y", "the difference between X and Y"), from one
sentence split by "while" or "whereas", and from "X, on the other hand, ..." with the subject of
the sentences before it.  Within a pair's scope, every sentence whose subject is one of the two
terms (or "they"/"it" right after such a sentence) becomes a statement about that term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyapp.generation.analysis import ADVERBS, PRONOUNS, Analysis, subject_of
from studyapp.generation.drafts import CardDraft, capitalized, display, make_span
from studyapp.generation.sentences import HEADING
from studyapp.generation.terms import VERBS, is_stop, stem, words

_PAIR = re.compile(
    r"\b(?:differences?|distinctions?|comparison)\s+between\s+(?P<a>[^,.;:?]+?)\s+and\s+"
    r"(?P<b>[^,.;:?]+)|(?P<c>[^,.;:?]+?)\s+(?:vs\.?|versus)\s+(?P<d>[^,.;:?]+)",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r",?\s*\b(?:on the other hand|in contrast|by contrast|conversely)\b\s*,?\s*", re.IGNORECASE
)
_SPLIT = re.compile(r",\s+while\s+|,?\s+whereas\s+", re.IGNORECASE)
_LEADING = re.compile(r"(?:while|whereas)\s+", re.IGNORECASE)
_THAT = re.compile(r"\b(?:is|are|was|were)\s+that\s+", re.IGNORECASE)
_SPELLED_OUT = re.compile(r"\b(?:stands|stood|is short) for\b", re.IGNORECASE)
_ANAPHORA = frozenset({"they", "it", "he", "she"})


@dataclass(frozen=True)
class _Side:
    name: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class _Statement:
    unit: int
    span_start: int
    side: int
    subject: str
    predicate: str


def contrast_cards(analysis: Analysis) -> list[CardDraft]:
    cards: list[CardDraft] = []
    seen: set[tuple[int, str]] = set()
    for sides, scope in _scopes(analysis):
        statements = _statements(analysis, sides, scope)
        if not {s.side for s in statements} >= {0, 1}:
            continue
        names = [sides[0].name, sides[1].name]
        for statement in reversed(statements):
            names[statement.side] = statement.subject
        for statement in statements:
            if (statement.unit, statement.predicate) in seen:
                continue
            seen.add((statement.unit, statement.predicate))
            options = [analysis.as_term(name) for name in names]
            options[statement.side] = analysis.as_term(statement.subject)
            front = f'Which is it, {options[0]} or {options[1]}: "\u2026 {statement.predicate}"?'
            unit = analysis.units[statement.unit]
            span = make_span(analysis.text, statement.span_start, unit.end)
            cards.append(CardDraft("contrast", front, capitalized(statement.subject), span))
    return cards


def _scopes(analysis: Analysis) -> list[tuple[tuple[_Side, _Side], list[int]]]:
    """Each pair with the units (by index) where statements about it are looked for."""
    units = analysis.units
    scopes: list[tuple[tuple[_Side, _Side], list[int]]] = []
    for index, unit in enumerate(units):
        if analysis.is_filler(unit):
            continue
        sentence = analysis.unit_text(unit)
        section_end = next(
            (i for i in range(index + 1, len(units)) if units[i].kind == HEADING), len(units)
        )
        pair = _declared_pair(sentence)
        if pair is not None:
            scopes.append(
                (pair, list(range(index + 1 if unit.kind == HEADING else index, section_end)))
            )
        if unit.kind == HEADING:
            continue
        clauses = _clauses(analysis, unit.start, unit.end)
        subjects = [found for found in (_subject(analysis, s, e) for s, e in clauses) if found]
        if len(clauses) == 2 and len(subjects) == 2:
            sides = (_side(subjects[0][0]), _side(subjects[1][0]))
            if sides[0].keys != sides[1].keys:
                scopes.append((sides, [index]))
        marker = _MARKER.search(sentence)
        own = _subject(analysis, unit.start, unit.end) if marker else None
        if own is not None:
            for back in range(index - 1, max(unit.section, index - 4), -1):
                other = _subject(analysis, units[back].start, units[back].end)
                if other is not None and _side(other[0]).keys != _side(own[0]).keys:
                    scopes.append(((_side(other[0]), _side(own[0])), list(range(back, index + 1))))
                    break
    return scopes


def _declared_pair(sentence: str) -> tuple[_Side, _Side] | None:
    match = _PAIR.search(sentence)
    if match is None:
        return None
    first = _trim_side(match.group("a") or match.group("c"), from_end=match.group("a") is None)
    second = _trim_side(match.group("b") or match.group("d"), from_end=False)
    if not first or not second:
        return None
    sides = (_side(first), _side(second))
    return None if sides[0].keys == sides[1].keys or not all(s.keys for s in sides) else sides


def _trim_side(text: str, *, from_end: bool) -> str:
    """At most four words of a pair member, stopping at verbs and function words."""
    found = words(text)
    ordered = list(reversed(found)) if from_end else found
    kept = []
    for word in ordered:
        lowered = word.text.lower()
        if lowered in VERBS or (is_stop(lowered) and lowered not in ("the", "a", "an", "of")):
            break
        kept.append(word)
        if len(kept) == 4:
            break
    if from_end:
        kept.reverse()
    while kept and kept[0].text.lower() in ("the", "a", "an", "of"):
        kept.pop(0)
    return text[kept[0].start : kept[-1].end] if kept else ""


def _side(name: str) -> _Side:
    keys = tuple(stem(w.text) for w in words(name) if w.text.lower() not in ("the", "a", "an"))
    return _Side(display(name), keys)


def _matches(subject: str, side: _Side) -> bool:
    keys = _side(subject).keys
    shorter = min(len(keys), len(side.keys))
    return shorter > 0 and keys[:shorter] == side.keys[:shorter]


def _clauses(analysis: Analysis, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence as one clause, or its two halves around "while"/"whereas"/";"."""
    text = analysis.text
    stop = end - 1 if text[end - 1] in ".!?" else end
    leading = _LEADING.match(text, start, stop)
    if leading:
        for comma in re.finditer(r",\s+", text[leading.end() : stop]):
            second = leading.end() + comma.end()
            if _subject(analysis, second, stop) is not None:
                return [(leading.end(), leading.end() + comma.start()), (second, stop)]
        return [(start, stop)]
    split = _SPLIT.search(text, start, stop)
    if split is None:
        return [(start, stop)]
    first_start = start
    that = _THAT.search(text, start, split.start())
    if that:
        first_start = that.end()
    return [(first_start, split.start()), (split.end(), stop)]


def _subject(analysis: Analysis, start: int, end: int) -> tuple[str, int, int] | None:
    """(subject, predicate start, clause end) of a clause, looking past "on the other hand"."""
    text = analysis.text
    marker = _MARKER.search(text, start, end)
    if marker is not None and marker.start() == start:
        start = marker.end()
    elif marker is not None:
        before = words(text, start, marker.start())
        after = words(text, marker.end(), end)
        if (
            before
            and after
            and len(before) <= 6
            and before[0].text.lower() not in PRONOUNS
            and not any(w.text.lower() in VERBS for w in before)
            and (after[0].text.lower() in VERBS or after[0].text.lower() in ADVERBS)
        ):
            return text[before[0].start : before[-1].end], marker.end(), end
        return None
    found = subject_of(text, words(text, start, end))
    if found is None:
        return None
    return found.text, found.predicate_start, end


def _statements(
    analysis: Analysis, sides: tuple[_Side, _Side], scope: list[int]
) -> list[_Statement]:
    found: list[_Statement] = []
    text = analysis.text
    for index in scope:
        unit = analysis.units[index]
        if unit.kind == HEADING or analysis.is_filler(unit):
            continue
        if _SPELLED_OUT.search(analysis.unit_text(unit)):
            continue
        clauses = _clauses(analysis, unit.start, unit.end)
        for start, end in clauses:
            subject = _subject(analysis, start, end)
            if subject is not None:
                matching = [i for i, side in enumerate(sides) if _matches(subject[0], side)]
                if len(matching) == 1 and " and " not in subject[0].replace(
                    sides[matching[0]].name, ""
                ):
                    predicate = display(text[subject[1] : subject[2]]).rstrip(" ,;:.")
                    if len(predicate.split()) >= 3:
                        found.append(
                            _Statement(
                                index, unit.start, matching[0], display(subject[0]), predicate
                            )
                        )
                continue
            lead = words(text, start, end)
            previous = [s for s in found if s.unit == index - 1]
            if (
                lead
                and lead[0].text.lower() in _ANAPHORA
                and len(clauses) == 1
                and len(previous) == 1
            ):
                predicate = (
                    display(text[lead[1].start : end]).rstrip(" ,;:.") if len(lead) > 1 else ""
                )
                if len(predicate.split()) >= 3:
                    earlier = previous[0]
                    found.append(
                        _Statement(
                            index, earlier.span_start, earlier.side, earlier.subject, predicate
                        )
                    )
    return found
