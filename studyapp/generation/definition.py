"""Definition cards: "What is X?" from sections headed so and from "X is/are ..." sentences."""

from __future__ import annotations

import re

from studyapp.generation.analysis import ADVERBS, PRONOUNS, Analysis, Subject
from studyapp.generation.drafts import CardDraft, as_sentence, make_span
from studyapp.generation.sentences import HEADING, Unit
from studyapp.generation.terms import BACKGROUND, is_generic, is_stop, stem, word_set, words

_QUESTION_HEADING = re.compile(
    r"(?:what|who)\s+(?P<verb>is|are|was|were)\s+(?P<article>an?\s+|the\s+)?(?P<term>[^?]{1,60}?)\s*\??",
    re.IGNORECASE,
)
_DEFINING_VERBS = {"is": "is", "are": "are", "was": "was", "were": "were", "refers": "is"}
_CLAUSE_END = re.compile(r",\s+(?:while|whereas|but|although|though)\b|;|\s[-\u2013\u2014]\s")
_NOT_DEFINING = word_set(
    """more less better worse different similar able important essential vital key not no
    responsible likely unlikely used"""
)
_EXPLICIT_ACRONYM = re.compile(r"\b(?:stands|stood) for\b|\bis short for\b", re.IGNORECASE)


def definition_cards(analysis: Analysis) -> list[CardDraft]:
    """Definitions from question headings first, then from defining sentences."""
    cards: list[CardDraft] = []
    used: set[int] = set()
    for index, unit in enumerate(analysis.units):
        if unit.kind != HEADING:
            continue
        match = _QUESTION_HEADING.fullmatch(analysis.unit_text(unit).strip())
        if match is None or is_generic(match.group("term")):
            continue
        answer = _section_answer(analysis, index, match.group("term"))
        if answer is None:
            continue
        used.add(answer.start)
        article = (match.group("article") or "").strip().lower()
        term = f"{article} {match.group('term')}".strip()
        front = f"What {match.group('verb').lower()} {term}?"
        back = as_sentence(_main_clause(analysis, answer))
        cards.append(
            CardDraft("definition", front, back, make_span(analysis.text, *_range(answer)))
        )
    for unit in analysis.units:
        if unit.kind == HEADING or unit.start in used or analysis.is_filler(unit):
            continue
        subject = analysis.subject(unit.start, unit.end)
        if subject is None or not _defines(analysis, unit, subject):
            continue
        verb = _DEFINING_VERBS[subject.verb]
        if subject.verb == "refers":
            verb = "are" if subject.plural else "is"
        front = f"What {verb} {analysis.as_term(subject.text)}?"
        back = as_sentence(_main_clause(analysis, unit))
        cards.append(CardDraft("definition", front, back, make_span(analysis.text, *_range(unit))))
    return cards


def _range(unit: Unit) -> tuple[int, int]:
    return unit.start, unit.end


def _section_answer(analysis: Analysis, heading_index: int, term: str) -> Unit | None:
    """The first sentence under the heading that is about the term and not only its spelling-out."""
    keys = {stem(w.text) for w in words(term)}
    fallback: Unit | None = None
    for unit in analysis.units[heading_index + 1 :]:
        if unit.kind == HEADING:
            break
        if analysis.is_filler(unit):
            continue
        sentence = analysis.unit_text(unit)
        if not keys & {stem(w.text) for w in words(sentence)}:
            continue
        if _EXPLICIT_ACRONYM.search(sentence):
            fallback = fallback or unit
            continue
        return unit
    return fallback


def _defines(analysis: Analysis, unit: Unit, subject: Subject) -> bool:
    """Whether "SUBJECT is/are PREDICATE" reads as a definition of a term."""
    if subject.verb not in _DEFINING_VERBS or _EXPLICIT_ACRONYM.search(analysis.unit_text(unit)):
        return False
    subject_words = words(subject.text)
    lowered = [w.text.lower() for w in subject_words]
    if "and" in lowered or lowered[0] in PRONOUNS or stem(subject_words[-1].text) in BACKGROUND:
        return False
    predicate = [
        w.text.lower()
        for w in words(analysis.text, subject.predicate_start, unit.end)
        if w.text.lower() not in ADVERBS
    ]
    if len(predicate) < 4:
        return False
    verb, first = predicate[0], predicate[1]
    if subject.verb == "refers":
        return verb == "refers" and first == "to"
    if first in _NOT_DEFINING or (first.endswith(("ed", "ing")) and not is_stop(first)):
        return False
    return not (first in ("that", "because", "why", "how", "when", "where") or first == "to")


def _main_clause(analysis: Analysis, unit: Unit) -> str:
    """The sentence without a contrasting second half ("..., while Y ...")."""
    sentence = analysis.unit_text(unit)
    cut = _CLAUSE_END.search(sentence)
    return sentence[: cut.start()] if cut else sentence
