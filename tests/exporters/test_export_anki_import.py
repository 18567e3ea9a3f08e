"""Anki itself imports our packages: the `anki` package (AGPL, a test-only tool from the dev extra)
reads both generations into a fresh collection, and everything we exported is there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)
from anki.dbproxy import DBProxy

from studyapp.domain.cards import CardState
from studyapp.domain.clock import study_day
from studyapp.exporters.anki_package import write_apkg
from studyapp.exporters.bundle import ExportBundle
from studyapp.exporters.text import write_text
from tests.exporters.sample_bundle import DECKS, MEDIA, NOTE_TYPES, NOTES, sample_bundle

LOCAL_ZONE: tzinfo = datetime.now().astimezone().tzinfo or UTC
"""Anki counts days in the machine's time zone; the sample uses the same one."""


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def db(col: Collection) -> DBProxy:
    assert col.db is not None
    return col.db


def import_into(col: Collection, bundle: ExportBundle, legacy: bool, tmp_path: Path) -> None:
    package = tmp_path / ("legacy.apkg" if legacy else "latest.apkg")
    package.write_bytes(write_apkg(bundle, legacy=legacy))
    options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))


@pytest.mark.parametrize("legacy", [False, True], ids=["latest", "legacy"])
def test_anki_imports_notes_cards_decks_tags_media_and_history(
    collection: Collection, legacy: bool, tmp_path: Path
) -> None:
    bundle = sample_bundle(zone=LOCAL_ZONE)
    import_into(collection, bundle, legacy, tmp_path)

    assert collection.note_count() == len(NOTES) == 6
    assert collection.card_count() == len(bundle.cards) == 9
    assert db(collection).scalar("SELECT count() FROM revlog") == len(bundle.reviews) == 8
    deck_names = {deck.name for deck in collection.decks.all_names_and_ids()}
    assert deck_names == {deck.name for deck in DECKS}
    assert sorted(collection.tags.all()) == sorted({t for n in NOTES for t in n.tags})
    assert sorted(Path(collection.media.dir()).iterdir()) == sorted(
        Path(collection.media.dir()) / name for name in MEDIA
    )
    for name, data in MEDIA.items():
        assert (Path(collection.media.dir()) / name).read_bytes() == data

    type_names = {t.id: t.name for t in NOTE_TYPES}
    anki_notes = {}
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        anki_notes[note.guid] = note
    for ours in NOTES:
        note = anki_notes[ours.guid]
        assert tuple(note.fields) == ours.fields
        assert tuple(note.tags) == ours.tags
        note_type = note.note_type()
        assert note_type is not None
        # Anki renames a note type whose name it already has with other ids ("Basic+").
        assert note_type["name"].rstrip("+") == type_names[ours.note_type_id]
        assert note_type["flds"][0]["name"] == next(
            t.fields[0] for t in NOTE_TYPES if t.id == ours.note_type_id
        )


@pytest.mark.parametrize("legacy", [False, True], ids=["latest", "legacy"])
def test_anki_keeps_each_cards_schedule_and_memory_state(
    collection: Collection, legacy: bool, tmp_path: Path
) -> None:
    bundle = sample_bundle(zone=LOCAL_ZONE)
    import_into(collection, bundle, legacy, tmp_path)
    today = study_day(datetime.now(UTC), bundle.rollover_hour, LOCAL_ZONE)
    guids = {note.id: note.guid for note in NOTES}
    rows = db(collection).all(
        "SELECT n.guid, c.ord, c.type, c.queue, c.due, c.ivl, c.reps, c.lapses, c.flags, c.data, "
        "c.left FROM cards c JOIN notes n ON n.id = c.nid"
    )
    cards = {(row[0], row[1]): row[2:] for row in rows}
    queues = {CardState.NEW: 0, CardState.LEARNING: 1, CardState.REVIEW: 2, CardState.RELEARNING: 1}
    for card in bundle.cards:
        kind, queue, due, ivl, reps, lapses, flags, data, left = cards[
            (guids[card.note_id], card.ordinal)
        ]
        expected_queue = queues[card.state]
        if card.suspended:
            expected_queue = -1
        elif card.buried:
            expected_queue = -1 - int(card.buried)
        assert (kind, queue) == (int(card.state), expected_queue)
        assert (ivl, reps, lapses, flags) == (card.interval, card.reps, card.lapses, card.flag)
        if card.state == CardState.REVIEW:
            assert due - collection.sched.today == card.due - today
        elif card.state != CardState.NEW:
            assert due == card.due  # epoch seconds
            assert left > 0
        memory = json.loads(data or "{}")
        if card.stability is not None:
            assert (memory["s"], memory["d"]) == pytest.approx((card.stability, card.difficulty))
        else:
            assert "s" not in memory


@pytest.mark.parametrize("legacy", [False, True], ids=["latest", "legacy"])
def test_anki_keeps_the_review_log(collection: Collection, legacy: bool, tmp_path: Path) -> None:
    bundle = sample_bundle(zone=LOCAL_ZONE)
    import_into(collection, bundle, legacy, tmp_path)
    rows = db(collection).all("SELECT id, ease, ivl, lastIvl, time, type FROM revlog ORDER BY id")
    expected = [
        [r.reviewed_at, r.rating or 0, r.interval, r.last_interval, r.time_taken_ms, int(r.kind)]
        for r in sorted(bundle.reviews, key=lambda r: r.reviewed_at)
    ]
    assert rows == expected


@pytest.mark.parametrize("legacy", [False, True], ids=["latest", "legacy"])
def test_anki_imports_a_package_without_scheduling_as_new_cards(
    collection: Collection, legacy: bool, tmp_path: Path
) -> None:
    import_into(collection, sample_bundle(include_scheduling=False), legacy, tmp_path)
    assert (collection.note_count(), collection.card_count()) == (6, 9)
    assert db(collection).scalar("SELECT count() FROM revlog") == 0
    assert db(collection).list("SELECT DISTINCT type FROM cards") == [0]
    assert db(collection).list("SELECT DISTINCT queue FROM cards") == [0]


def test_anki_reads_our_text_export_header_lines(collection: Collection, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(write_text(sample_bundle()))
    metadata = collection.get_csv_metadata(path=str(path), delimiter=None)
    assert (metadata.guid_column, metadata.notetype_column, metadata.deck_column) == (1, 2, 3)
    assert metadata.tags_column == 7
    log = collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log
    # A fresh Anki collection has the stock note types only: the custom one is reported missing.
    assert (len(log.new), len(log.missing_notetype)) == (4, 2)
    decks = {deck.id: deck.name for deck in DECKS}
    note_decks = {c.note_id: decks[c.deck_id] for c in sample_bundle().cards if c.ordinal == 0}
    imported = {n.guid: n for n in map(collection.get_note, collection.find_notes(""))}
    assert len(imported) == 4
    for ours in NOTES:
        if ours.note_type_id == 4:
            continue
        note = imported[ours.guid]
        # Anki's stock Basic types have two fields; our third (Extra) has no place there.
        assert tuple(note.fields) == ours.fields[: len(note.fields)]
        assert tuple(note.tags) == ours.tags
        assert collection.decks.name(note.cards()[0].did) == note_decks[ours.id]
