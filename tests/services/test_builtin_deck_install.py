"""Installing the built-in deck: provenance on every note, and progress kept across an upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp import paths
from studyapp.app import open_collection
from studyapp.domain.cards import Card, Rating
from studyapp.domain.clock import ManualClock
from studyapp.errors import InvalidInputError
from studyapp.importers.deckfile import parse_deck_file
from studyapp.paths import DataPaths
from studyapp.services.container import Services
from studyapp.storage.database import Database, sqlite_url

V1_DECK = Path(__file__).parent / "data" / "emt-vs-ems-v1.toml"
DECK_FILE = paths.decks_dir() / "emt-vs-ems.toml"


def note_ids(database: Database) -> dict[str, int]:
    with database.transaction() as repos:
        return {note.guid: note.id for note, *_ in repos.notes.overview()}


def test_fresh_install_gives_every_note_its_source(services: Services, database: Database) -> None:
    deck = parse_deck_file(DECK_FILE.read_bytes())
    ids = note_ids(database)
    assert set(ids) == {note.guid for note in deck.notes}
    with database.transaction() as repos:
        for note in deck.notes:
            cards = repos.cards.for_note(ids[note.guid])
            assert cards, note.guid
            for card in cards:
                source = repos.documents.source_of_card(card.id)
                assert source is not None, note.guid
                assert (source.start, source.end) == (note.source_start, note.source_end)
                assert not source.changed
                document = repos.documents.get(source.document_id)
                assert document is not None
                assert document.name == "emt-vs-ems.md"
                assert document.kind == "markdown"
                sentence = document.text[source.start : source.end]
                assert note.source == f"“{sentence}”"


def test_reviewer_source_view_works_on_builtin_cards(services: Services) -> None:
    deck_id = services.decks.by_name("EMT vs EMS").id
    step = services.study.next_step(deck_id)
    assert step.card is not None
    view = services.generation.source_of(step.card.card_id)
    assert view is not None
    assert view.document == "emt-vs-ems.md"
    assert view.text[view.start : view.end].strip()


def test_upgrade_from_v1_keeps_progress_of_matched_notes(
    data_paths: DataPaths, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_url(data_paths.database_file)
    with monkeypatch.context() as patched:
        patched.setattr(paths, "builtin_deck_files", lambda: [V1_DECK])
        database, services = open_collection(url, clock, data_paths.media_dir)
    v1_ids = note_ids(database)
    assert len(v1_ids) == 36
    with database.transaction() as repos:
        card_ids = [
            card.id for note_id in v1_ids.values() for card in repos.cards.for_note(note_id)
        ]
    for number, card_id in enumerate(card_ids):
        services.study.answer(card_id, Rating.EASY if number % 2 else Rating.GOOD, 3000)
    before = _progress(database, v1_ids)
    assert all(reviews > 0 for _, reviews in before.values())
    v1_fields = {o.guid: o.fields for o in services.collection.overview().notes}
    database.close()

    database, services = open_collection(url, clock, data_paths.media_dir)  # the v2 deck
    try:
        v2 = parse_deck_file(DECK_FILE.read_bytes())
        v2_guids = {note.guid for note in v2.notes}
        kept = v2_guids & set(v1_ids)
        assert len(kept) >= 9
        ids = note_ids(database)
        assert {guid: ids[guid] for guid in v1_ids} == v1_ids  # no note was deleted or replaced
        assert _progress(database, v1_ids) == before  # schedules and review logs untouched
        overview = {o.guid: o for o in services.collection.overview().notes}
        for note in v2.notes:
            fields = overview[note.guid].fields
            assert fields == {**dict.fromkeys(fields, ""), **note.fields}, note.guid
        for guid in set(v1_ids) - kept:
            assert overview[guid].fields == v1_fields[guid]  # retired notes stay as they were
        with database.transaction() as repos:
            for guid in kept:
                card = repos.cards.for_note(ids[guid])[0]
                assert repos.documents.source_of_card(card.id) is not None, guid
            assert len(repos.decks.all()) == 1
    finally:
        database.close()


def _progress(database: Database, ids: dict[str, int]) -> dict[str, tuple[list[Card], int]]:
    with database.transaction() as repos:
        reviews = {note.guid: count for note, _, _, count in repos.notes.overview()}
        return {
            guid: (repos.cards.for_note(note_id), reviews[guid]) for guid, note_id in ids.items()
        }


def test_a_changed_document_is_refused(services: Services, tmp_path: Path) -> None:
    (tmp_path / "emt-vs-ems.md").write_text("Something else entirely.\n", encoding="utf-8")
    data = DECK_FILE.read_bytes().replace(b"version = ", b"version = 1", 1)
    with pytest.raises(InvalidInputError, match="changed since the deck was made"):
        services.collection.prepare([data], tmp_path)
    with pytest.raises(InvalidInputError, match="no documents folder"):
        services.collection.prepare([data])
