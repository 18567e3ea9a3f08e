"""Decks from documents: drafts, adding them with provenance, and re-generation after a change."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from studyapp.errors import InvalidInputError
from studyapp.services.container import Services
from studyapp.storage.database import Database

GLACIERS = """# Glaciers

## What is a glacier?

A glacier is a persistent body of dense ice that moves under its own weight.

GPS stands for Global Positioning System, which researchers use to track ice flow.

Glaciers form in three settings: high mountains, polar regions, and subpolar islands.

Valley glaciers flow down mountain valleys, while ice sheets spread across whole continents.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_drafts_carry_exact_sources_and_adding_keeps_provenance(
    services: Services, tmp_path: Path
) -> None:
    document = services.generation.generate(write(tmp_path, "glaciers.md", GLACIERS))
    assert document.cards
    kinds = {card.kind for card in document.cards}
    assert {"definition", "acronym", "cloze"} <= kinds
    for card in document.cards:
        assert document.text[card.source_start : card.source_end] == card.source_text
    added = services.generation.add_cards(document, document.cards, "Earth::Glaciers")
    assert added.notes == len(document.cards)
    assert added.cards >= added.notes
    assert added.flagged == 0
    row = next(r for r in services.decks.deck_list() if r.name == "Earth::Glaciers")
    assert row.new == min(20, added.cards)
    step = services.study.next_step(row.deck_id)
    assert step.card is not None
    source = services.generation.source_of(step.card.card_id)
    assert source is not None
    assert source.document == "glaciers.md"
    assert source.text[source.start : source.end] in GLACIERS
    assert not source.changed


def test_builtin_cards_have_their_document_source(services: Services) -> None:
    deck = services.decks.deck_list()[0]
    step = services.study.next_step(deck.deck_id)
    assert step.card is not None
    view = services.generation.source_of(step.card.card_id)
    assert view is not None
    assert view.document == "emt-vs-ems.md"
    assert not view.changed


def test_edited_and_rejected_drafts(services: Services, tmp_path: Path) -> None:
    document = services.generation.generate(write(tmp_path, "glaciers.md", GLACIERS))
    kept = [replace(document.cards[0], back="Edited answer"), *document.cards[2:]]
    added = services.generation.add_cards(document, kept, "Glaciers")
    assert added.notes == len(document.cards) - 1


def test_changed_document_flags_cards_whose_sentence_changed(
    services: Services, database: Database, tmp_path: Path
) -> None:
    first = services.generation.generate(write(tmp_path, "glaciers.md", GLACIERS))
    services.generation.add_cards(first, first.cards, "Glaciers")
    changed_text = GLACIERS.replace("moves under its own weight", "creeps downhill slowly")
    second = services.generation.generate(write(tmp_path, "glaciers.md", changed_text))
    assert second.sha256 != first.sha256
    added = services.generation.add_cards(second, (), "Glaciers")
    affected = [c for c in first.cards if "own weight" in c.source_text]
    assert added.flagged == len(affected) > 0
    with database.engine.connect() as connection:
        flagged = connection.exec_driver_sql(
            "SELECT count(*) FROM notes WHERE source_changed"
        ).scalar_one()
        moved = connection.execute(
            text(
                "SELECT count(*) FROM notes n JOIN documents d ON d.id = n.document_id"
                " WHERE d.sha256 = :sha256"
            ),
            {"sha256": second.sha256},
        ).scalar_one()
    assert flagged == len(affected)
    assert moved == len(first.cards) - len(affected)


def test_unsupported_document_gives_a_clear_message(services: Services, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="docx"):
        services.generation.generate(write(tmp_path, "notes.docx", "x"))
