"""Anki packages of both generations, read back by importers.anki_package."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from datetime import timedelta, timezone

import pytest
import zstandard

from studyapp.domain.cards import CardState, ReviewKind
from studyapp.domain.clock import from_epoch, study_day
from studyapp.errors import InvalidInputError
from studyapp.exporters.anki_package import PLACEHOLDER_TEXT, placeholder_collection, write_apkg
from studyapp.importers.anki_collection import is_placeholder, read_collection
from studyapp.importers.anki_package import parse_anki_package
from studyapp.importers.drafts import DueKind, ImportDraft, card_due
from studyapp.importers.protobuf import fields_by_number, get_bytes, get_int, get_messages, get_str
from tests.exporters.sample_bundle import DECKS, MEDIA, NOTE_TYPES, NOTES, PRESETS, sample_bundle

ZONE = timezone(timedelta(hours=-5))
"""Not UTC, so day numbers and study days must be converted, not copied."""


@pytest.fixture(params=[False, True], ids=["latest", "legacy"])
def legacy(request: pytest.FixtureRequest) -> bool:
    value: bool = request.param
    return value


def read_back(legacy: bool, *, include_scheduling: bool = True) -> ImportDraft:
    bundle = sample_bundle(zone=ZONE, include_scheduling=include_scheduling)
    draft = parse_anki_package(write_apkg(bundle, legacy=legacy))
    assert draft.source_format == ("anki2" if legacy else "anki21b")
    assert draft.warnings == ()
    return draft


def test_note_types_notes_decks_and_media_round_trip(legacy: bool) -> None:
    draft = read_back(legacy)
    types = {t.key: t for t in draft.note_types}
    assert sorted((t.name, t.kind, t.fields, t.templates, t.css) for t in types.values()) == sorted(
        (t.name, t.kind, t.fields, t.templates, t.css) for t in NOTE_TYPES
    )
    names = {t.id: t.name for t in NOTE_TYPES}
    assert len(draft.notes) == len(NOTES) == 6
    by_guid = {note.guid: note for note in draft.notes}
    for note in NOTES:
        imported = by_guid[note.guid]
        assert types[imported.note_type_key].name == names[note.note_type_id]
        assert (imported.fields, imported.tags) == (note.fields, note.tags)
        assert (imported.created_at, imported.modified_at) == (note.created_at, note.modified_at)
    assert [deck.name for deck in draft.decks] == sorted(
        (deck.name for deck in DECKS), key=lambda name: name.split("::")
    )
    assert dict(draft.media) == MEDIA


def test_cards_keep_their_schedule_and_memory_state(legacy: bool) -> None:
    bundle = sample_bundle(zone=ZONE)
    draft = read_back(legacy)
    assert draft.collection_created_at == bundle.created_at
    guids = {note.id: note.guid for note in NOTES}
    note_guids = {note.key: note.guid for note in draft.notes}
    imported = {(note_guids[c.note_key], c.ordinal): c for c in draft.cards}
    decks = {deck.id: deck.name for deck in DECKS}
    presets = {deck.id: next(p for p in PRESETS if p.id == deck.preset_id) for deck in DECKS}
    assert len(imported) == len(bundle.cards) == 9
    for card in bundle.cards:
        copy = imported[(guids[card.note_id], card.ordinal)]
        assert copy.deck == decks[card.deck_id]
        assert copy.state == card.state
        due = card_due(copy, draft.collection_created_at, bundle.rollover_hour, ZONE)
        assert due == card.due
        assert (copy.interval, copy.reps, copy.lapses, copy.flag) == (
            card.interval,
            card.reps,
            card.lapses,
            card.flag,
        )
        assert (copy.suspended, copy.buried) == (card.suspended, card.buried)
        assert (copy.stability, copy.difficulty) == (card.stability, card.difficulty)
        if card.state in (CardState.LEARNING, CardState.RELEARNING):
            preset = presets[card.deck_id]
            learning = card.state == CardState.LEARNING
            steps = preset.learning_steps if learning else preset.relearning_steps
            assert copy.remaining_steps == len(steps) - card.step
        if card.last_review_day is not None:
            assert copy.last_reviewed_at is not None
            reviewed = from_epoch(copy.last_reviewed_at)
            assert study_day(reviewed, bundle.rollover_hour, ZONE) == card.last_review_day
        if card.stability is not None:
            assert copy.desired_retention == presets[card.deck_id].desired_retention


def test_review_history_round_trips(legacy: bool) -> None:
    bundle = sample_bundle(zone=ZONE)
    draft = read_back(legacy)
    card_keys = {c.source_id: (c.note_key, c.ordinal) for c in draft.cards}
    ours = {(c.note_id, c.ordinal): c.id for c in bundle.cards}
    note_ids = {n.key: next(o.id for o in NOTES if o.guid == n.guid) for n in draft.notes}
    assert len(draft.reviews) == len(bundle.reviews) == 8
    for review, copy in zip(
        sorted(bundle.reviews, key=lambda r: r.reviewed_at),
        sorted(draft.reviews, key=lambda r: r.reviewed_at),
        strict=True,
    ):
        note_key, ordinal = card_keys[copy.card_source_id]
        assert ours[(note_ids[note_key], ordinal)] == review.card_id
        assert (copy.reviewed_at, copy.kind, copy.rating) == (
            review.reviewed_at,
            review.kind,
            review.rating,
        )
        assert (copy.interval, copy.last_interval, copy.time_taken_ms) == (
            review.interval,
            review.last_interval,
            review.time_taken_ms,
        )
    assert sum(r.kind == ReviewKind.MANUAL for r in draft.reviews) == 1


def test_without_scheduling_every_card_is_new_and_history_is_left_out(legacy: bool) -> None:
    draft = read_back(legacy, include_scheduling=False)
    assert len(draft.cards) == 9
    assert draft.reviews == ()
    assert {c.state for c in draft.cards} == {CardState.NEW}
    assert {c.due_kind for c in draft.cards} == {DueKind.POSITION}
    assert not any(c.suspended or c.buried or c.flag or c.stability for c in draft.cards)
    assert len({c.due for c in draft.cards if c.ordinal == 0}) == 6  # distinct positions
    assert len(draft.notes) == 6


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_latest_package_layout() -> None:
    files = members(write_apkg(sample_bundle()))
    assert get_int(fields_by_number(files["meta"]), 1) == 3
    unpack = zstandard.ZstdDecompressor().decompressobj
    entries = get_messages(fields_by_number(unpack().decompress(files["media"])), 1)
    assert len(entries) == len(MEDIA)
    for index, (raw, (name, data)) in enumerate(zip(entries, MEDIA.items(), strict=True)):
        entry = fields_by_number(raw)
        assert (get_str(entry, 1), get_int(entry, 2)) == (name, len(data))
        assert get_bytes(entry, 3) == hashlib.sha1(data).digest()
        assert unpack().decompress(files[str(index)]) == data
    collection = unpack().decompress(files["collection.anki21b"])
    assert collection.startswith(b"SQLite format 3\x00")
    placeholder = read_collection(files["collection.anki2"], 10)
    assert is_placeholder(placeholder)
    assert placeholder.notes[0].fields[0] == PLACEHOLDER_TEXT
    assert files["collection.anki2"] == placeholder_collection()


def test_legacy_package_layout() -> None:
    files = members(write_apkg(sample_bundle(), legacy=True))
    assert "meta" not in files
    assert "collection.anki21b" not in files
    assert json.loads(files["media"]) == {"0": "cat.jpg", "1": "hello world.mp3"}
    assert (files["0"], files["1"]) == tuple(MEDIA.values())


def test_output_is_reproducible() -> None:
    assert write_apkg(sample_bundle()) == write_apkg(sample_bundle())


def test_reviews_in_the_same_millisecond_get_distinct_ids(legacy: bool) -> None:
    bundle = sample_bundle()
    twin = dataclasses.replace(bundle.reviews[0], card_id=9)
    draft = parse_anki_package(
        write_apkg(dataclasses.replace(bundle, reviews=(*bundle.reviews, twin)), legacy=legacy)
    )
    ids = [review.source_id for review in draft.reviews]
    assert len(ids) == len(set(ids)) == 9


@pytest.mark.parametrize("name", ["../evil.jpg", "/abs.png", "sub/dir.png", " lead.png", ""])
def test_unsafe_media_names_are_refused(name: str) -> None:
    bundle = dataclasses.replace(sample_bundle(), media={name: b"x"})
    with pytest.raises(InvalidInputError, match="cannot go into a package"):
        write_apkg(bundle)


def test_a_note_of_a_missing_note_type_is_refused() -> None:
    bundle = dataclasses.replace(sample_bundle(), note_types=NOTE_TYPES[:3])
    with pytest.raises(InvalidInputError, match="vocab-4"):
        write_apkg(bundle)


def test_tags_differing_only_in_case_are_registered_once(legacy: bool) -> None:
    bundle = sample_bundle()
    shouty = dataclasses.replace(NOTES[0], tags=("ANIMALS", "Lang::FR"))
    notes = (*bundle.notes[1:], shouty)
    draft = parse_anki_package(write_apkg(dataclasses.replace(bundle, notes=notes), legacy=legacy))
    assert {n.guid: n.tags for n in draft.notes}["basic-1"] == ("ANIMALS", "Lang::FR")
