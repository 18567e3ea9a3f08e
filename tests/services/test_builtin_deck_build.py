"""The built-in deck is the generator's output on our fact sheet, and its note ids stay stable."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from studyapp.generation.documents import load_document
from studyapp.importers.deckfile import DeckDraft, parse_deck_file
from studyapp.paths import decks_dir, documents_dir
from studyapp.services.builtin_deck import build_deck_file, update_deck_file

DECK_FILE = decks_dir() / "emt-vs-ems.toml"
FACT_SHEET = documents_dir() / "emt-vs-ems.md"
V1_DECK = Path(__file__).parent / "data" / "emt-vs-ems-v1.toml"
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")


@pytest.fixture(scope="module")
def deck() -> DeckDraft:
    return parse_deck_file(DECK_FILE.read_bytes())


def card_text(deck: DeckDraft) -> list[str]:
    """Each note's fields as one lower-case line, cloze markup removed."""
    return [_CLOZE.sub(r"\1", " ".join(n.fields.values())).lower() for n in deck.notes]


def test_committed_deck_is_exactly_the_generators_output(deck: DeckDraft) -> None:
    committed = DECK_FILE.read_bytes()
    rebuilt = build_deck_file(FACT_SHEET, name=deck.name, version=deck.version, previous=committed)
    assert rebuilt.decode() == committed.decode(), (
        "decks/emt-vs-ems.toml is out of date: run `studyapp generate "
        "resources/documents/emt-vs-ems.md --deck-file decks/emt-vs-ems.toml`"
    )
    assert update_deck_file(FACT_SHEET, name=None, previous=committed) == committed


def test_enough_notes_of_every_kind(deck: DeckDraft) -> None:
    assert len(deck.notes) >= 25
    kinds = {note.kind for note in deck.notes}
    assert kinds == {"definition", "acronym", "list", "cloze", "contrast"}


def test_offsets_index_the_fact_sheet_exactly(deck: DeckDraft) -> None:
    content = FACT_SHEET.read_bytes()
    assert deck.document is not None
    assert deck.document.path == "emt-vs-ems.md"
    assert deck.document.sha256 == hashlib.sha256(content).hexdigest()
    text = load_document(content, ".md").text
    for note in deck.notes:
        assert note.source_start is not None
        assert note.source_end is not None
        sentence = text[note.source_start : note.source_end]
        assert note.source == f"“{sentence.strip()}”", note.guid
        assert sentence == sentence.strip()
        assert "\n" not in sentence


# Each fact of the seed document, as words that one card of the deck must hold together.
FACTS = {
    "EMT stands for": ["emt", "emergency medical technician"],
    "EMS stands for": ["ems", "emergency medical services"],
    "EMTs give urgent care to the ill or hurt": ["emt", "urgent medical help", "ill", "hurt"],
    "where EMTs work": ["ambulances", "clinics", "hospitals"],
    "EMTs respond first": ["first", "car crashes", "natural disasters"],
    "basic life support": ["basic life support", "cpr", "defibrillator"],
    "emotional support": ["emotional support", "families"],
    "decisions under pressure": ["think fast", "decisions", "pressure"],
    "calm in chaos": ["calm", "chaotic"],
    "service to communities": ["services", "communities"],
    "EMS providers are trained for emergencies": ["ems provider", "trained", "emergencies"],
    "where EMS providers work": ["homes", "schools", "public events", "businesses"],
    "dispatch": ["dispatched", "911 call centre"],
    "volunteer or paid": ["volunteers", "paid staff"],
    "three categories": ["three categories", "first responders", "paramedics", "ems technicians"],
    "first responders give BLS": ["first responders", "basic life support", "cpr"],
    "technicians and paramedics give complex care": ["paramedics", "medication", "intubation"],
    "police and fire": ["police", "fire personnel"],
    "duties overlap, training differs": ["duties", "training", "responsibilities"],
    "EMTs first at the call": ["emts", "first to reach an emergency call"],
    "EMTs give basic care": ["emts", "basic care", "first aid", "cpr"],
    "EMS gives advanced life support": ["ems providers", "advanced life support", "intravenous"],
    "EMS transports and works with staff": ["carry patients to hospital", "medical staff"],
    "pre-hospital care (the article's claim)": ["emts", "pre-hospital"],
    "pre- and in-hospital care (the article's claim)": ["ems", "in-hospital"],
    "both roles matter": ["each role", "important", "patient care"],
    "common usage: EMS is the whole system": ["common usage", "whole emergency medical system"],
    "common usage: EMTs are one level": ["one level of provider", "paramedics"],
}


@pytest.mark.parametrize("fact", list(FACTS))
def test_every_fact_is_covered_by_a_card(deck: DeckDraft, fact: str) -> None:
    needed = FACTS[fact]
    assert any(all(word in text for word in needed) for text in card_text(deck)), fact


# --- The transition from the hand-written deck (format 1, version 1) ------------------------------

# v1 notes whose fact the generated deck asks again, so their progress carries over.
KEPT_FROM_V1 = {
    "emt-ems-005": "definition",  # what EMTs do / What is an EMT?
    "emt-ems-007": "list",  # car crashes and natural disasters
    "emt-ems-014": "definition",  # what EMS providers are trained for / What is EMS?
    "emt-ems-019": "list",  # the three categories of EMS providers
    "emt-ems-021": "list",  # what EMS technicians and paramedics are trained for
    "emt-ems-023": "list",  # police and fire personnel
    "emt-ems-025": "list",  # what EMTs do on arrival
    "emt-ems-026": "cloze",  # basic care on arrival
    "emt-ems-036": "list",  # where EMS providers give care
}


def test_v1_notes_keep_their_ids_where_the_fact_is_asked_again(deck: DeckDraft) -> None:
    v1 = parse_deck_file(V1_DECK.read_bytes())
    v1_ids = {note.guid: note for note in v1.notes}
    kept = {note.guid: note.kind for note in deck.notes if note.guid in v1_ids}
    assert kept == KEPT_FROM_V1
    for note in deck.notes:
        if note.guid in v1_ids:
            assert v1_ids[note.guid].note_type == note.note_type
        else:
            assert int(note.guid.rsplit("-", 1)[1]) > 36
    assert set(deck.retired) == set(v1_ids) - set(kept)
    assert deck.version > v1.version


def test_building_from_v1_maps_the_same_ids() -> None:
    built = parse_deck_file(
        build_deck_file(FACT_SHEET, name="EMT vs EMS", version=2, previous=V1_DECK.read_bytes())
    )
    kept = {note.guid: note.kind for note in built.notes if note.guid in KEPT_FROM_V1}
    assert kept == KEPT_FROM_V1


# --- Stable ids on documents of other subjects ----------------------------------------------------

GLACIERS = """\
# Glaciers

## What is a glacier?

A glacier is a large, slow river of ice that forms where more snow falls than melts.
Glaciers shape valleys into three forms: cirques, horns, and U-shaped valleys.
An ice sheet covers a whole landmass, whereas a valley glacier fills a single valley.
Meltwater from glaciers feeds many rivers during the dry season.
"""


def build(tmp_path: Path, text: str, previous: bytes | None, version: int = 1) -> bytes:
    path = tmp_path / "glaciers.md"
    path.write_text(text, encoding="utf-8")
    return build_deck_file(path, name="Glaciers", version=version, previous=previous)


def ids_by_source(data: bytes) -> dict[tuple[str | None, str | None, str], str]:
    deck = parse_deck_file(data)
    return {(n.kind, n.source, next(iter(n.fields.values()))): n.guid for n in deck.notes}


def test_a_new_deck_numbers_from_the_document_name(tmp_path: Path) -> None:
    deck = parse_deck_file(build(tmp_path, GLACIERS, None))
    assert [n.guid for n in deck.notes] == [
        f"glaciers-{i:03d}" for i in range(1, len(deck.notes) + 1)
    ]
    assert deck.retired == ()
    assert all(note.tags == (f"glaciers::{note.kind}",) for note in deck.notes)


def test_regenerating_an_unchanged_document_changes_nothing(tmp_path: Path) -> None:
    first = build(tmp_path, GLACIERS, None)
    assert build(tmp_path, GLACIERS, first) == first


def test_ids_survive_edits_and_are_never_reused(tmp_path: Path) -> None:
    first = build(tmp_path, GLACIERS, None)
    first_deck = parse_deck_file(first)
    definition = next(n for n in first_deck.notes if n.kind == "definition")
    meltwater = [n.guid for n in first_deck.notes if "Meltwater" in (n.source or "")]
    assert meltwater
    edited = (
        GLACIERS.replace(
            "that forms where more snow falls than melts", "formed where snow piles up"
        ).replace("Meltwater from glaciers feeds many rivers during the dry season.\n", "")
        + "Crevasses are deep cracks that open in moving glacier ice.\n"
    )
    second = parse_deck_file(build(tmp_path, edited, first, version=2))
    by_guid = {n.guid: n for n in second.notes}
    # The definition's sentence changed: it keeps its id because its question is the same.
    assert by_guid[definition.guid].fields["Back"] != definition.fields["Back"]
    # Cards of the removed sentence are retired; the new sentence's cards get fresh numbers.
    assert set(meltwater) <= set(second.retired)
    assert not set(meltwater) & set(by_guid)
    highest = max(int(n.guid[-3:]) for n in first_deck.notes)
    fresh = [n for n in second.notes if n.guid not in {m.guid for m in first_deck.notes}]
    assert fresh
    assert all(int(n.guid[-3:]) > highest for n in fresh)
    # Unchanged sentences keep their ids.
    unchanged = {k: v for k, v in ids_by_source(first).items() if "Glaciers shape" in (k[1] or "")}
    assert unchanged
    assert unchanged.items() <= ids_by_source(build(tmp_path, edited, first, 2)).items()
    # Retired ids stay retired, and are not handed out again even when the sentence returns.
    third = parse_deck_file(build(tmp_path, GLACIERS, build(tmp_path, edited, first, 2), 3))
    assert set(meltwater) <= set(third.retired)
    assert not set(meltwater) & {n.guid for n in third.notes}


def test_a_note_is_never_matched_with_another_note_type(tmp_path: Path) -> None:
    first = build(tmp_path, GLACIERS, None).decode()
    cloze = next(n for n in parse_deck_file(first.encode()).notes if n.kind == "cloze")
    start = first.index(f'id = "{cloze.guid}"')
    end = first.find("[[notes]]", start)
    block = first[start : end if end >= 0 else len(first)]
    as_basic = (
        block.replace('type = "Cloze"', 'type = "Basic"')
        .replace("Text = ", "Front = ")
        .replace('"Back Extra" = ', "Extra = ")
    )
    retyped = first.replace(block, as_basic).encode()
    assert parse_deck_file(retyped).notes
    rebuilt = parse_deck_file(build(tmp_path, GLACIERS, retyped, 2))
    assert cloze.guid not in {n.guid for n in rebuilt.notes}
    assert cloze.guid in rebuilt.retired


def test_update_bumps_the_version_only_on_change(tmp_path: Path) -> None:
    path = tmp_path / "glaciers.md"
    path.write_text(GLACIERS, encoding="utf-8")
    first = update_deck_file(path, name="Glaciers", previous=None)
    assert parse_deck_file(first).version == 1
    assert update_deck_file(path, name=None, previous=first) == first
    path.write_text(GLACIERS + "Firn is snow that has survived one summer.\n", encoding="utf-8")
    second = parse_deck_file(update_deck_file(path, name=None, previous=first))
    assert (second.name, second.version) == ("Glaciers", 2)


def test_deck_file_text_is_escaped(tmp_path: Path) -> None:
    text = 'A moraine is a ridge of "till" \\ rock debris that a glacier leaves behind.\n'
    data = build(tmp_path, "# Moraines\n\n" + text + GLACIERS, None)
    deck = parse_deck_file(data)
    assert any('"till" \\ rock' in (note.source or "") for note in deck.notes)
    assert b'\\"till\\" \\\\ rock' in data
