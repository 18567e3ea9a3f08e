"""Independent checks of the generator's quality rules, shared by the generation tests."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from studyapp.generation.cards import CardDraft
from studyapp.generation.documents import SourceDocument

GENERIC = {"introduction", "conclusion", "summary", "overview", "background", "references"}
STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "is", "are", "was", "were", "it", "they"}
FILLER = re.compile(
    r"\b(you|your|you're|you\u2019re|blog post|this article|make sure|subscribe|click)\b",
    re.IGNORECASE,
)


def tokens(text: str) -> list[str]:
    found = re.findall(r"[a-z0-9]+(?:['\u2019-][a-z0-9]+)*", text.lower())
    return [t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in found]


def check_quality(document: SourceDocument, cards: list[CardDraft]) -> None:
    """Every rule the issue lists, checked card by card and pair by pair."""
    fronts: list[list[str]] = []
    for card in cards:
        source = card.source
        assert document.text[source.start : source.end] == source.text, card
        assert source.text, card
        assert source.text.strip() == source.text, card
        # grounded: every word of the answer is in the source sentence
        assert set(tokens(card.back)) <= set(tokens(source.text)), card
        # short: a sentence or two, never a paragraph
        for side in (card.front, card.back):
            assert len(side) <= 320, card
            assert len(re.findall(r"[.!?]\s+[A-Z]", side)) <= 1, card
        # no filler
        for text in (card.front, card.back, source.text):
            assert not FILLER.search(text), card
        # generic headings never become terms
        asked = re.fullmatch(r"What (?:is|are|was|were) (?:an? |the )?(.+)\?", card.front)
        if card.kind == "definition" and asked:
            assert asked.group(1).lower() not in GENERIC, card
        if card.kind == "cloze":
            assert card.front.count("[...]") == 1, card
            assert card.back == " ".join(re.sub(r"[*_`]", "", source.text).split()), card
            before, after = card.front.split("[...]")
            assert card.back.startswith(before), card
            assert card.back.endswith(after), card
            blank = card.back[len(before) : len(card.back) - len(after)]
            assert blank.strip(), card
            assert blank.lower() not in STOP, card
            assert blank.lower() not in GENERIC, card
        fronts.append(tokens(card.front))
    # no two fronts the same or nearly the same
    for i, first in enumerate(fronts):
        for second in fronts[i + 1 :]:
            assert first != second
            ratio = SequenceMatcher(None, first, second, autojunk=False).ratio()
            assert ratio < 0.9, (first, second)
