"""Exporting from a real collection and importing the file again, into ours and into Anki."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from studyapp.app import open_collection
from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.errors import NotFoundError
from studyapp.services.container import Services
from studyapp.services.exports import ExportFormat
from studyapp.storage.database import sqlite_url

DeckMaker = Callable[[str, int], int]


def study_a_little(services: Services, clock: ManualClock, make_deck: DeckMaker) -> None:
    deck_id = make_deck("Export me::Sub", 5)
    for rating in (Rating.GOOD, Rating.EASY, Rating.AGAIN, Rating.GOOD):
        card = services.study.next_step(deck_id).card
        assert card is not None
        services.study.answer(card.card_id, rating, 3000)
        clock.advance(timedelta(minutes=1))


def fresh(tmp_path: Path, clock: ManualClock, name: str) -> Services:
    folder = tmp_path / name
    folder.mkdir()
    _, services = open_collection(sqlite_url(folder / "c.sqlite3"), clock, folder / "media")
    return services


@pytest.mark.parametrize(
    ("file_name", "export_format"),
    [
        ("out.apkg", ExportFormat.APKG),
        ("legacy.apkg", ExportFormat.APKG_LEGACY),
        ("out.csv", ExportFormat.CSV),
        ("out.txt", ExportFormat.TEXT),
    ],
)
def test_export_then_import_into_another_collection_keeps_the_notes(
    services: Services,
    clock: ManualClock,
    make_deck: DeckMaker,
    tmp_path: Path,
    file_name: str,
    export_format: ExportFormat,
) -> None:
    study_a_little(services, clock, make_deck)
    target = tmp_path / file_name
    result = services.exports.export(target, export_format, deck="Export me")
    original = [n for n in services.collection.overview().notes if n.deck == "Export me::Sub"]
    assert result.notes == len(original) == 5
    other = fresh(tmp_path, clock, "other")
    summary = other.imports.import_file(target)
    assert summary.added == 5
    copied = {note.guid: note for note in other.collection.overview().notes}
    with_history = export_format in (ExportFormat.APKG, ExportFormat.APKG_LEGACY)
    for note in original:
        assert copied[note.guid].fields == note.fields
        assert copied[note.guid].tags == note.tags
        assert copied[note.guid].deck == "Export me::Sub"
        assert copied[note.guid].reviews == (note.reviews if with_history else 0)
    assert summary.reviews_added == (4 if with_history else 0)


def test_export_without_scheduling_makes_every_card_new(
    services: Services, clock: ManualClock, make_deck: DeckMaker, tmp_path: Path
) -> None:
    study_a_little(services, clock, make_deck)
    target = tmp_path / "plain.apkg"
    result = services.exports.export(
        target, ExportFormat.APKG, deck="Export me", include_scheduling=False
    )
    assert result.reviews == 0
    other = fresh(tmp_path, clock, "other")
    other.imports.import_file(target)
    states = other.collection.overview().card_states
    assert states["learning"] == states["review"] == 0


def test_unknown_deck_is_a_clear_error(services: Services, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="Nope"):
        services.exports.export(tmp_path / "x.apkg", ExportFormat.APKG, deck="Nope")


def test_anki_imports_our_export_of_a_studied_deck(
    services: Services, clock: ManualClock, make_deck: DeckMaker, tmp_path: Path
) -> None:
    anki_collection = pytest.importorskip("anki.collection")
    from anki import import_export_pb2

    study_a_little(services, clock, make_deck)
    target = tmp_path / "for-anki.apkg"
    result = services.exports.export(target, ExportFormat.APKG)
    (tmp_path / "anki").mkdir()
    col = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        options = import_export_pb2.ImportAnkiPackageOptions(with_scheduling=True)
        col.import_anki_package(
            import_export_pb2.ImportAnkiPackageRequest(package_path=str(target), options=options)
        )
        assert col.note_count() == result.notes
        assert col.card_count() == result.cards
        assert col.db.scalar("select count() from revlog") == result.reviews
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert {"EMT vs EMS", "Export me", "Export me::Sub"} <= names
    finally:
        col.close()
