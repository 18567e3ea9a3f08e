"""generate_cards on our own documents: kinds where expected, offsets, quality, determinism."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from studyapp.generation.cards import CardDraft, cards_to_json, generate_cards
from studyapp.generation.documents import load_document
from tests.generation.quality import check_quality
from tests.generation.samples import DOCUMENTS, sample

NAMES = sorted(p.name for p in DOCUMENTS.iterdir())


def cards_of(name: str) -> list[CardDraft]:
    return generate_cards(sample(name))


def find(cards: list[CardDraft], kind: str, front: str) -> CardDraft:
    matching = [c for c in cards if c.kind == kind and re.search(front, c.front)]
    assert matching, f"no {kind} card with a front like {front!r}"
    return matching[0]


@pytest.mark.parametrize("name", NAMES)
def test_quality_rules_hold_on_every_document(name: str) -> None:
    cards = cards_of(name)
    assert len(cards) >= 15
    check_quality(sample(name), cards)


@pytest.mark.parametrize("name", NAMES)
def test_generation_is_deterministic(name: str) -> None:
    assert cards_of(name) == cards_of(name)


def test_several_kinds_on_every_document() -> None:
    for name in NAMES:
        kinds = Counter(card.kind for card in cards_of(name))
        assert kinds["cloze"] >= 5, name
        assert len(kinds) >= 3, (name, kinds)


def test_photosynthesis_markdown() -> None:
    cards = cards_of("photosynthesis.md")
    definition = find(cards, "definition", r"^What is photosynthesis\?$")
    assert definition.back.startswith("Photosynthesis is the process")
    assert find(cards, "list", r"two stages of photosynthesis").back == (
        "the light-dependent reactions and the Calvin cycle"
    )
    assert find(cards, "list", r"light-dependent reactions produce").back == "ATP, NADPH, oxygen"
    thylakoids = find(cards, "contrast", r"take place in the thylakoid membranes")
    assert thylakoids.back == "The light-dependent reactions"
    assert "C4 plants" in {c.back for c in cards if c.kind == "contrast"}
    # the markdown heading is never part of a card, and "Introduction" never becomes a term
    assert not any("Introduction" in c.front and c.kind != "cloze" for c in cards)


def test_tcp_udp_html() -> None:
    cards = cards_of("tcp-vs-udp.html")
    assert find(cards, "acronym", r"^What does TCP stand for\?$").back == (
        "Transmission Control Protocol"
    )
    assert find(cards, "acronym", r"abbreviation for User Datagram Protocol").back == "UDP"
    assert find(cards, "definition", r"^What is UDP\?$").back.startswith("UDP is a connectionless")
    assert find(cards, "contrast", r"guarantee delivery").back == "UDP"
    assert find(cards, "contrast", r"only 8 bytes long").back == "The UDP header"
    assert not any("newsletter" in c.source.text for c in cards)


def test_water_cycle_text() -> None:
    cards = cards_of("water-cycle.txt")
    stages = find(cards, "list", r"^What are the four main stages of the water cycle\?$")
    assert stages.back == "evaporation, condensation, precipitation, and collection"
    assert find(cards, "definition", r"^What is runoff\?$").back.startswith("Runoff is water")
    assert find(cards, "contrast", r"within days or weeks").back == "Runoff"
    assert all("97.5 percent" in c.source.text for c in cards if "97.5" in c.back)
    assert not any(c.front.startswith("What is overview") for c in cards)


def test_roman_history_text() -> None:
    cards = cards_of("roman-history.txt")
    assert find(cards, "definition", r"^What was the Senate\?$")
    assert find(cards, "list", r"two classes of Roman society").back == "patricians and plebeians"
    assert find(cards, "contrast", r"single emperor").back == "The Empire"
    assert find(cards, "contrast", r"wealthy landowning").back == "Patricians"
    # "Dr." does not end a sentence
    assert any(c.source.text.startswith("Dr. Mary Beard") for c in cards)


def test_glossary_acronyms_both_directions() -> None:
    cards = cards_of("computing-glossary.md")
    pairs = {(c.front, c.back) for c in cards if c.kind == "acronym"}
    assert ("What does CPU stand for?", "Central processing unit") in pairs
    assert ("What is the abbreviation for central processing unit?", "CPU") in pairs
    assert ("What does SSD stand for?", "Solid-state drives") in pairs
    assert ("What does HTML stand for?", "HyperText Markup Language") in pairs
    assert ("What does API stand for?", "Application programming interface") in pairs
    assert not any("glossary" in c.source.text.lower() for c in cards)


def test_offsets_index_the_crlf_normalised_file(tmp_path: Path) -> None:
    raw = (DOCUMENTS / "water-cycle.txt").read_bytes().replace(b"\n", b"\r\n")
    document = load_document(raw, ".txt")
    decoded = raw.decode("utf-8").replace("\r\n", "\n")
    for card in generate_cards(document):
        assert decoded[card.source.start : card.source.end] == card.source.text


def test_filler_gives_no_cards() -> None:
    text = (
        "In this article you will learn about volcanoes. Make sure to subscribe to our channel.\n\n"
        "A volcano is an opening in the crust of a planet through which lava escapes.\n\n"
        "Your teacher will love this blog post about magma chambers and volcanic ash clouds."
    )
    cards = generate_cards(load_document(text.encode(), ".txt"))
    assert cards
    assert all(c.source.text.startswith("A volcano") for c in cards)


def test_near_duplicate_fronts_are_dropped() -> None:
    sentence = "Glaciers carve U-shaped valleys into mountain ranges over thousands of years."
    text = f"{sentence}\n\n{sentence}\n\n{sentence.replace('thousands', 'many thousands')}\n"
    cards = generate_cards(load_document(text.encode(), ".txt"))
    assert len([c for c in cards if c.kind == "cloze"]) == 1


def test_generic_headings_never_become_terms() -> None:
    text = (
        "# Introduction\n\n## What is Summary?\n\nSummary is a section at the end of a text.\n\n"
        "## Overview\n\nOverview is the part that introduces the topic of basalt formation.\n"
    )
    cards = generate_cards(load_document(text.encode(), ".md"))
    generic = {"introduction", "summary", "overview"}
    for card in cards:
        assert not any(word in card.front.lower() for word in generic) or card.kind == "cloze"
        if card.kind == "cloze":
            blank = card.back[len(card.front.split("[...]")[0]) :].split()[0].lower()
            assert blank.strip(".,") not in generic


def test_cards_to_json_shape() -> None:
    cards = cards_of("water-cycle.txt")
    rows = cards_to_json(cards)
    assert len(rows) == len(cards)
    for row, card in zip(rows, cards, strict=True):
        assert set(row) == {"kind", "front", "back", "source"}
        assert row["source"] == {
            "start": card.source.start,
            "end": card.source.end,
            "text": card.source.text,
        }
        assert row["kind"] in {"definition", "acronym", "list", "cloze", "contrast"}
    assert json.loads(json.dumps(rows)) == rows


def test_generation_code_has_no_topic_specific_words() -> None:
    package = Path(__file__).resolve().parents[2] / "studyapp" / "generation"
    source = " ".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    for word in ("EMT", "EMS", "paramedic", "911", "ambulance", "responder"):
        assert re.search(rf"\b{word}", source, re.IGNORECASE) is None, word
