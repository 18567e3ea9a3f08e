"""Cloze cards: one key term of a fact sentence blanked as [...]; the back is the whole sentence."""

from __future__ import annotations

from studyapp.generation.analysis import Analysis
from studyapp.generation.drafts import BLANK, CardDraft, display, make_span
from studyapp.generation.sentences import HEADING
from studyapp.generation.terms import Word, words

MIN_WORDS = 6
MAX_CHARS = 320


def cloze_cards(analysis: Analysis) -> list[CardDraft]:
    cards: list[CardDraft] = []
    for unit in analysis.units:
        if unit.kind == HEADING or analysis.is_filler(unit):
            continue
        sentence = analysis.unit_text(unit)
        if len(sentence) > MAX_CHARS or len(words(sentence)) < MIN_WORDS:
            continue
        term = _blank_term(analysis, unit.start, unit.end)
        if term is None:
            continue
        start, end = term[0].start, term[-1].end
        front = display(analysis.text[unit.start : start] + BLANK + analysis.text[end : unit.end])
        cards.append(
            CardDraft(
                "cloze", front, display(sentence), make_span(analysis.text, unit.start, unit.end)
            )
        )
    return cards


def _blank_term(analysis: Analysis, start: int, end: int) -> list[Word] | None:
    """The best term to blank: preferably outside the subject, never repeated in the sentence."""
    subject = analysis.subject(start, end)
    keys = [w.key for w in words(analysis.text, start, end)]
    best: tuple[float, list[Word]] | None = None
    for score, phrase in analysis.terms.terms_in(analysis.text, start, end):
        phrase_keys = [w.key for w in phrase]
        size = len(phrase_keys)
        repeats = sum(1 for i in range(len(keys) - size + 1) if keys[i : i + size] == phrase_keys)
        if repeats > 1:
            continue
        if subject is not None and phrase[0].start < subject.end and phrase[-1].end > subject.start:
            score = min(score, 1.0) * 0.999  # the subject only when nothing else is a term
        if best is None or score > best[0]:
            best = (score, phrase)
    return None if best is None or best[0] < 1.0 else best[1]
