"""`generate_cards`: every card kind over one document, filtered by the quality rules.

Rules applied to every draft: the answer is grounded in its source sentence, no two fronts are the
same or nearly the same, no side is longer than a sentence or two, and nothing comes from filler
(the text talking about itself or to the reader).  The output is deterministic: cards appear in
document order, and for one sentence in the order of KINDS.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from studyapp.generation.acronym import acronym_cards
from studyapp.generation.analysis import FILLER, Analysis
from studyapp.generation.cloze import cloze_cards
from studyapp.generation.contrast import contrast_cards
from studyapp.generation.definition import definition_cards
from studyapp.generation.documents import SourceDocument
from studyapp.generation.drafts import BLANK, KINDS, CardDraft, SourceSpan
from studyapp.generation.listcards import list_cards
from studyapp.generation.terms import stem, words

__all__ = ["CardDraft", "SourceSpan", "cards_to_json", "generate_cards"]

MAX_SIDE_CHARS = 320
MAX_SIDE_SENTENCES = 2
SIMILAR = 0.9
_MAX_COMPARISONS = 60
_SENTENCE_END = re.compile(r"[.!?][\"')\u201d]*\s+(?=[A-Z])")
_IGNORED_IN_FRONTS = frozenset({"a", "an", "the", "is", "are", "was", "were"})


def generate_cards(document: SourceDocument) -> list[CardDraft]:
    """Draft cards for `document`, each with the exact span of the sentence it came from."""
    analysis = Analysis(document.text)
    candidates = [
        *acronym_cards(analysis),
        *definition_cards(analysis),
        *list_cards(analysis),
        *contrast_cards(analysis),
        *cloze_cards(analysis),
    ]
    fronts = _FrontIndex()
    kept: list[CardDraft] = []
    for card in candidates:
        if acceptable(card) and not fronts.near_duplicate(card.front):
            fronts.add(card.front)
            kept.append(card)
    order = {kind: position for position, kind in enumerate(KINDS)}
    ranked = sorted(
        enumerate(kept), key=lambda item: (item[1].source.start, order[item[1].kind], item[0])
    )
    return [card for _, card in ranked]


def cards_to_json(cards: list[CardDraft]) -> list[dict[str, object]]:
    """The `studyapp generate --json` shape: kind, front, back and source {start, end, text}."""
    return [
        {
            "kind": card.kind,
            "front": card.front,
            "back": card.back,
            "source": {
                "start": card.source.start,
                "end": card.source.end,
                "text": card.source.text,
            },
        }
        for card in cards
    ]


def acceptable(card: CardDraft) -> bool:
    """Whether a draft keeps every quality rule that can be checked on the card alone."""
    if card.kind not in KINDS or not card.front.strip() or not card.back.strip():
        return False
    for side in (card.front, card.back):
        if len(side) > MAX_SIDE_CHARS or len(_SENTENCE_END.findall(side)) >= MAX_SIDE_SENTENCES:
            return False
    if any(FILLER.search(text) for text in (card.front, card.back, card.source.text)):
        return False
    if card.kind == "cloze" and card.front.count(BLANK) != 1:
        return False
    return grounded(card.back, card.source.text)


def grounded(answer: str, source: str) -> bool:
    """Every word of the answer occurs in the source (plural and case aside)."""
    available = {stem(w.text) for w in words(source)}
    return all(stem(w.text) in available for w in words(answer))


def normalized_front(front: str) -> str:
    """A front reduced for comparison: stems of its words without articles and forms of "be"."""
    found = [w.text for w in words(front)]
    return " ".join(stem(w) for w in found if w.lower() not in _IGNORED_IN_FRONTS)


def _all_words(front: str) -> str:
    return " ".join(stem(w.text) for w in words(front))


class _FrontIndex:
    """Fronts seen so far, found again by exact normal form or by close similarity."""

    def __init__(self) -> None:
        self._exact: set[str] = set()
        self._by_word: dict[str, list[str]] = {}

    def add(self, front: str) -> None:
        self._exact.add(normalized_front(front))
        key = _all_words(front)
        for word in dict.fromkeys(key.split()):
            self._by_word.setdefault(word, []).append(key)

    def near_duplicate(self, front: str) -> bool:
        if normalized_front(front) in self._exact:
            return True
        key = _all_words(front)
        tokens = key.split()
        distinct = list(dict.fromkeys(tokens))
        rare = sorted(distinct, key=lambda w: (len(self._by_word.get(w, ())), w))[:2]
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(tokens)
        checked = 0
        for word in rare:
            for other in reversed(self._by_word.get(word, ())):
                checked += 1
                if checked > _MAX_COMPARISONS:
                    return False
                other_tokens = other.split()
                shorter, longer = sorted((len(tokens), len(other_tokens)))
                if 2 * shorter / (shorter + longer) < SIMILAR:
                    continue
                matcher.set_seq1(other_tokens)
                if matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR:
                    return True
        return False
