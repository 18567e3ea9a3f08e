"""The built-in "EMT vs EMS" deck: valid, complete, and written in our own words.

The deck is the generator's output on our fact sheet (resources/documents/emt-vs-ems.md); that the
committed file is exactly that output is checked in tests/services/test_builtin_deck_build.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studyapp.domain.notetypes import stock_note_type
from studyapp.domain.templates import card_ordinals
from studyapp.importers.deckfile import NOTE_KINDS, DeckDraft, parse_deck_file

CHECKOUT = Path(__file__).resolve().parents[2]
DECK_FILE = CHECKOUT / "decks" / "emt-vs-ems.toml"
FACT_SHEET = CHECKOUT / "resources" / "documents" / "emt-vs-ems.md"
SEED_FILE = CHECKOUT.parent / "shared" / "seed" / "emt-vs-ems.txt"
RUN = 6

_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)


@pytest.fixture(scope="module")
def deck() -> DeckDraft:
    return parse_deck_file(DECK_FILE.read_bytes())


def words(text: str) -> list[str]:
    """Lower-case words with HTML, cloze markup, apostrophes and other punctuation removed."""
    text = _CLOZE.sub(r"\1", text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub("['\u2019]", "", text.lower())
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + RUN]) for i in range(len(found) - RUN + 1)}


def all_text(deck: DeckDraft) -> str:
    parts = [deck.description]
    for note in deck.notes:
        parts.extend(note.fields.values())
        parts.append(note.source or "")
    return "\n".join(parts)


def test_deck_header(deck: DeckDraft) -> None:
    assert deck.name == "EMT vs EMS"
    assert deck.version >= 1
    assert deck.description
    assert deck.document is not None
    assert deck.document.path == FACT_SHEET.name


def test_enough_notes_with_unique_ids_and_sources(deck: DeckDraft) -> None:
    assert len(deck.notes) >= 25
    ids = [note.guid for note in deck.notes]
    assert len(set(ids)) == len(ids)
    assert all(note.source for note in deck.notes)
    assert all(note.tags for note in deck.notes)


def test_every_note_makes_cards(deck: DeckDraft) -> None:
    note_types = set()
    for note in deck.notes:
        note_type = stock_note_type(note.note_type)
        assert note_type is not None
        note_types.add(note_type.name)
        assert card_ordinals(note_type, note.field_values(note_type)), note.guid
    assert note_types == {"Basic", "Cloze", "Contrast"}
    assert {note.kind for note in deck.notes} == set(NOTE_KINDS)


def test_no_sentence_is_copied_from_the_source(deck: DeckDraft) -> None:
    source_runs = runs(SEED_FILE.read_text(encoding="utf-8"))
    assert len(source_runs) > 100
    texts = [("fact sheet", FACT_SHEET.read_text(encoding="utf-8"))]
    texts.append(("description", deck.description))
    for note in deck.notes:
        texts.extend((f"{note.guid} {name}", value) for name, value in note.fields.items())
        texts.append((f"{note.guid} source", note.source or ""))
    copied = [
        f"{where}: {' '.join(run)}" for where, text in texts for run in runs(text) & source_runs
    ]
    assert copied == []


@pytest.mark.parametrize(
    "term",
    [
        "Emergency Medical Technician",
        "Emergency Medical Services",
        "basic life support",
        "advanced life support",
        "CPR",
        "defibrillator",
        "first aid",
        "ambulances",
        "hospitals",
        "clinics",
        "homes",
        "businesses",
        "schools",
        "public events",
        "car crashes",
        "natural disasters",
        "911",
        "volunteer",
        "paid",
        "first responders",
        "EMS technicians",
        "paramedic",
        "medication",
        "intubation",
        "intravenous",
        "police",
        "fire",
        "medical staff",
        "carry patients to hospital",
        "pre-hospital",
        "in-hospital",
        "emotional support",
        "think fast",
        "decisions",
        "dispatched",
        "call centre",
        "volunteers",
        "paid staff",
        "advanced training",
        "three categories",
        "trained professional",
        "intravenous (IV) fluids",
        "families",
        "pressure",
        "calm",
        "chaotic",
        "communities",
        "training",
        "responsibilities",
        "program",
    ],
)
def test_covers_every_fact_of_the_source(deck: DeckDraft, term: str) -> None:
    assert term.lower() in all_text(deck).lower()


def test_notes_where_the_document_departs_from_common_usage(deck: DeckDraft) -> None:
    sheet = FACT_SHEET.read_text(encoding="utf-8")
    assert "## Note on usage" in sheet
    usage = sheet[sheet.index("## Note on usage") :]
    from_usage = [note for note in deck.notes if (note.source or "").strip("“”") in usage]
    assert any("whole emergency medical system" in (n.source or "") for n in from_usage)
    assert any("one level of provider" in (n.source or "") for n in from_usage)
    assert any("according to the article" in (n.source or "") for n in deck.notes)
