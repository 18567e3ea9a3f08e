"""A document prepared for card making: its units, scored terms, filler, and sentence subjects."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyapp.generation.sentences import HEADING, Unit, split_units
from studyapp.generation.terms import VERBS, TermIndex, Word, is_generic, is_stop, word_set, words

# Sentences addressed to the reader or about the text itself: no card is made from them.
FILLER = re.compile(
    r"\b(?:you|your|yours|yourself|you['\u2019](?:re|ll|ve|d)|"
    r"this (?:blog|post|article|guide|page|video|tutorial|book|chapter|section|lesson|glossary|"
    r"document|text|website|site|course)|"
    r"blog post|make sure|click|subscribe|sign up|read on|keep reading|contact us|check out|"
    r"let['\u2019]s|we will|we['\u2019]ll|stay tuned|learn more|don['\u2019]t forget|"
    r"in this (?:article|post|guide))\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"(?<![\w-])I(?:['\u2019]m)?(?![\w-])")
_ARTICLES = frozenset({"the", "a", "an"})
_INSIDE_SUBJECT = frozenset({"of", "and", "the", "a", "an", "for", "in"})
ADVERBS = word_set(
    """also often usually generally typically always never mainly mostly only sometimes commonly
    frequently rarely still even then now both all either specially specifically largely simply
    normally primarily actually already"""
)
PRONOUNS = word_set(
    "it its they them their this these those that he she we i you there here both each all"
)


@dataclass(frozen=True)
class Subject:
    """The noun phrase a clause starts with, and where its predicate starts."""

    start: int
    end: int
    text: str
    predicate_start: int
    plural: bool
    verb: str


class Analysis:
    """The document text split into units, with a term index over everything but headings."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.units: list[Unit] = split_units(text)
        self.terms = TermIndex(text, [(u.start, u.end) for u in self.units if u.kind != HEADING])
        self.lowercase_words = frozenset(re.findall(r"(?<![\w-])[a-z][a-z-]*", text))
        self._filler: dict[int, bool] = {}
        self.proper_words = frozenset(re.findall(r"(?<=[a-z,;] )[A-Z][a-z-]+", text))

    def unit_text(self, unit: Unit) -> str:
        return self.text[unit.start : unit.end]

    def heading(self, unit: Unit) -> str | None:
        """The text of the heading `unit` sits under, if any."""
        if unit.section < 0:
            return None
        return self.unit_text(self.units[unit.section])

    def as_term(self, phrase: str) -> str:
        """A phrase as written mid-sentence: "The Roman Republic" -> "the Roman Republic",
        "Groundwater" -> "groundwater" unless it is capitalised mid-sentence too."""
        first, _, rest = phrase.partition(" ")
        lowered = first.lower()
        if lowered in ("the", "a", "an") or (
            first[:1].isupper()
            and first[1:].islower()
            and (lowered in self.lowercase_words or first not in self.proper_words)
            and not any(w[:1].isupper() for w in rest.split())
        ):
            first = lowered
        return f"{first} {rest}".strip()

    def is_filler(self, unit: Unit) -> bool:
        known = self._filler.get(unit.start)
        if known is None:
            content = self.unit_text(unit)
            known = FILLER.search(content) is not None or _FIRST_PERSON.search(content) is not None
            self._filler[unit.start] = known
        return known

    def subject(self, start: int, end: int) -> Subject | None:
        """The subject of the clause `text[start:end]`: up to six words before its verb."""
        found = words(self.text, start, end)
        return subject_of(self.text, found)

    def subject_in(self, clause: str) -> str | None:
        """The subject of a clause given as a string, as written."""
        found = subject_of(clause, words(clause))
        return None if found is None else found.text


def subject_of(text: str, found: list[Word]) -> Subject | None:
    """The subject at the head of `found` (the words of one clause), or None."""
    if len(found) < 3:
        return None
    first = found[0].text.lower()
    if first in PRONOUNS or (is_stop(first) and first not in _ARTICLES):
        return None
    taken: list[Word] = []
    position = 0
    for position, word in enumerate(found):
        lowered = word.text.lower()
        if taken and text[taken[-1].end : word.start].strip():
            return None  # punctuation inside what would be the subject
        ends_subject = lowered in VERBS or lowered in ADVERBS or is_stop(lowered)
        if position > 0 and ends_subject and lowered not in _INSIDE_SUBJECT:
            break
        taken.append(word)
        if len(taken) > 6:
            return None
    else:
        return None
    verb_at = position
    while verb_at < len(found) and found[verb_at].text.lower() in ADVERBS:
        verb_at += 1
    if verb_at >= len(found) or found[verb_at].text.lower() not in VERBS:
        return None
    while taken and taken[-1].text.lower() in _INSIDE_SUBJECT:
        taken.pop()
    content = [w for w in taken if w.text.lower() not in _ARTICLES]
    if not content:
        return None
    subject_text = text[taken[0].start : taken[-1].end]
    if is_generic(subject_text):
        return None
    verb = found[verb_at].text.lower()
    plural = verb in ("are", "were", "have") or (
        content[-1].text.endswith("s") and not verb.endswith("s")
    )
    return Subject(taken[0].start, taken[-1].end, subject_text, found[position].start, plural, verb)
