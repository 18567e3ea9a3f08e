"""The real seed document: at least 25 cards that together cover every fact in it."""

from __future__ import annotations

from collections import Counter

import pytest

from studyapp.generation.cards import CardDraft, generate_cards
from studyapp.generation.documents import SourceDocument
from tests.generation.quality import check_quality, tokens

# Each fact: word groups that must all appear together on one card (front and back).
FACTS = {
    "EMT stands for emergency medical technician": ["EMT", "emergency medical technician"],
    "EMS stands for Emergency Medical Services": ["EMS", "emergency medical services"],
    "where EMTs work": ["ambulances", "hospitals", "clinics"],
    "EMTs are first responders to emergencies": ["first responders", "car accidents"],
    "EMT training: emergency care": ["trained", "emergency medical care", "sick or injured"],
    "EMT training: basic life support": ["basic life support", "CPR", "defibrillators"],
    "EMTs give emotional support": ["emotional support", "families"],
    "EMT qualities: quick decisions": ["think quickly", "pressure"],
    "EMT qualities: calm": ["calm", "chaos"],
    "EMS settings": ["homes", "businesses", "schools", "public events"],
    "EMS dispatch": ["dispatched", "911"],
    "EMS volunteer or paid": ["volunteer", "paid"],
    "three categories of providers": ["first responders", "EMS technicians", "paramedics"],
    "what first responders can do": ["first responders", "basic life support"],
    "what technicians and paramedics can do": ["paramedics", "medication", "intubation"],
    "who EMS works with": ["police", "fire"],
    "difference: EMTs first on the call": ["EMTs", "first responders", "emergency call"],
    "difference: EMTs assess and give basic care": ["assess", "first aid"],
    "difference: EMS advanced life support": ["EMS providers", "advanced life support"],
    "difference: EMS transport patients": ["EMS providers", "transport", "hospital"],
    "difference: pre-hospital only": ["EMTs", "pre-hospital"],
    "difference: pre-hospital and in-hospital": ["EMS", "in-hospital"],
}


@pytest.fixture
def cards(seed_document: SourceDocument) -> list[CardDraft]:
    return generate_cards(seed_document)


def test_at_least_25_cards_of_every_kind(cards: list[CardDraft]) -> None:
    assert len(cards) >= 25
    kinds = Counter(card.kind for card in cards)
    assert set(kinds) == {"definition", "acronym", "list", "cloze", "contrast"}


def test_quality_rules_hold(seed_document: SourceDocument, cards: list[CardDraft]) -> None:
    check_quality(seed_document, cards)


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_every_fact_is_covered(cards: list[CardDraft], fact: str) -> None:
    wanted = [tokens(words) for words in FACTS[fact]]

    def covers(card: CardDraft) -> bool:
        found = tokens(f"{card.front} {card.back}")
        text = " ".join(found)
        return all(f" {' '.join(w)} " in f" {text} " for w in wanted)

    assert any(covers(card) for card in cards), fact


def test_acronyms_and_categories(cards: list[CardDraft]) -> None:
    pairs = {(c.front, c.back) for c in cards}
    assert ("What does EMS stand for?", "Emergency Medical Services") in pairs
    assert ("What does EMT stand for?", "Emergency medical technicians") in pairs
    assert ("What is the abbreviation for Emergency Medical Services?", "EMS") in pairs
    assert (
        "What are the three categories of EMS providers?",
        "first responders, EMS technicians, and paramedics",
    ) in pairs


def test_filler_sentences_make_no_cards(cards: list[CardDraft]) -> None:
    for card in cards:
        assert "blog post" not in card.source.text
        assert "make sure" not in card.source.text
        assert "you" not in tokens(card.source.text)
