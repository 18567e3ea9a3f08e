"""Decks and answers the GUI tests start from, set up through the real services."""

from __future__ import annotations

from studyapp.domain.cards import Rating
from studyapp.services.container import Services

EMT_DECK = "EMT vs EMS"

TINY_DECK = """\
format = 1
name = "Languages::Tiny"
version = 1

[[notes]]
id = "tiny-001"
type = "Basic"
source = "A test note"

[notes.fields]
Front = "שלום"
Back = "Hello (Hebrew) — مرحبا (Arabic)"
"""


def install_tiny_deck(services: Services) -> int:
    """A one-card deck "Languages::Tiny" (Hebrew front); returns its deck id."""
    services.collection.prepare([TINY_DECK.encode()])
    return services.decks.by_name("Languages::Tiny").id


def answer_all_new(services: Services, deck_id: int, rating: Rating = Rating.EASY) -> int:
    """Answer every card the deck offers now through the service; returns how many."""
    answered = 0
    while (step := services.study.next_step(deck_id)).card is not None:
        services.study.answer(step.card.card_id, rating, 4000)
        answered += 1
    return answered
