"""Acronym cards, both directions: from "X stands for Y" and from "Y (X)" or "X (Y)"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyapp.generation.analysis import Analysis
from studyapp.generation.drafts import CardDraft, SourceSpan, capitalized, display, make_span
from studyapp.generation.sentences import HEADING
from studyapp.generation.terms import is_acronym, words

_STANDS_FOR = re.compile(
    r"\b(?P<short>[A-Z][A-Za-z0-9&]*[A-Z0-9]s?)\s*(?:\)\s*)?,?\s+"
    r"(?:stands|stood|is short|is an? (?:acronym|abbreviation|initialism))\s+(?:for|of)\s+"
    r"(?P<long>[^.,;:()\n]+)"
)
_PARENTHESIS = re.compile(r"\((?P<inner>[^()\n]{2,80})\)")
_MINOR = frozenset({"of", "and", "for", "the", "in", "on", "to", "a", "an", "&"})


@dataclass(frozen=True)
class Acronym:
    short: str
    long: str
    source: SourceSpan
    explicit: bool


def acronym_cards(analysis: Analysis) -> list[CardDraft]:
    """Two cards per acronym, the first definition found winning ("stands for" before brackets)."""
    found = _find(analysis)
    chosen: dict[str, Acronym] = {}
    for acronym in sorted(found, key=lambda a: (not a.explicit, a.source.start)):
        chosen.setdefault(_singular(acronym.short).upper(), acronym)
    cards: list[CardDraft] = []
    for key, acronym in chosen.items():
        long = analysis.as_term(acronym.long)
        forward = capitalized(long)
        cards.append(CardDraft("acronym", f"What does {key} stand for?", forward, acronym.source))
        cards.append(
            CardDraft(
                "acronym", f"What is the abbreviation for {long}?", acronym.short, acronym.source
            )
        )
    return cards


def _find(analysis: Analysis) -> list[Acronym]:
    found: list[Acronym] = []
    for unit in analysis.units:
        if unit.kind == HEADING:
            continue
        sentence = analysis.unit_text(unit)
        span = make_span(analysis.text, unit.start, unit.end)
        for match in _STANDS_FOR.finditer(sentence):
            short = match.group("short")
            long = _trim_expansion(match.group("long"))
            if is_acronym(short) and long and _initials_match(short, long, loose=True):
                found.append(Acronym(short, long, span, explicit=True))
        for match in _PARENTHESIS.finditer(sentence):
            inner = match.group("inner").strip()
            before = sentence[: match.start()]
            if is_acronym(inner):
                expansion = _expansion_before(before, inner)
                if expansion:
                    found.append(Acronym(inner, expansion, span, explicit=False))
            else:
                short = before.rstrip().rsplit(" ", 1)[-1].strip("*_`\"'")
                long = _trim_expansion(inner)
                if is_acronym(short) and _initials_match(short, long, loose=False):
                    found.append(Acronym(short, long, span, explicit=False))
    return found


def _trim_expansion(text: str) -> str:
    """The expansion without a trailing clause: "Random Access Memory which ..." loses "which"."""
    kept: list[str] = []
    for word in text.split():
        if word.lower() in ("which", "that", "who", "is", "are", "was", "were") and kept:
            break
        kept.append(word)
    return display(" ".join(kept))


def _letters(short: str) -> str:
    return _singular(short).lower()


def _singular(short: str) -> str:
    return short[:-1] if short.endswith("s") and short[:-1].isupper() else short


def _initials(phrase: str) -> str:
    letters: list[str] = []
    for word in words(phrase):
        if word.text.lower() in _MINOR:
            continue
        letters.extend(part[0].lower() for part in word.text.split("-") if part)
    return "".join(letters)


def _initials_match(short: str, long: str, *, loose: bool) -> bool:
    letters = _letters(short)
    initials = _initials(long)
    if initials == letters:
        return True
    # "stands for" is explicit; allow words whose initials skip a letter group, like "Ca".
    return loose and initials.startswith(letters[:1]) and len(initials) <= len(letters) + 1


def _expansion_before(before: str, short: str) -> str | None:
    """The words just before "(SHORT)" whose initials spell it, with at most one word after them."""
    letters = _letters(short)
    found = words(before)[-(len(letters) * 2 + 2) :]
    for end in (len(found), len(found) - 1):
        for start in range(end - 1, -1, -1):
            phrase = before[found[start].start : found[end - 1].end]
            if found[start].text.lower() in _MINOR:
                continue
            initials = _initials(phrase)
            if initials == letters:
                return display(phrase)
            if len(initials) > len(letters):
                break
    return None
