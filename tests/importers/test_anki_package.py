"""Anki packages of all three generations, built in memory, read into ImportDrafts."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import pytest

from studyapp.domain.cards import BuryKind, CardState, NoteKind, Rating, ReviewKind
from studyapp.domain.clock import study_day, study_day_start
from studyapp.errors import InvalidInputError
from studyapp.importers.anki_archive import PackageLimits
from studyapp.importers.anki_package import parse_anki_package
from studyapp.importers.drafts import DueKind, ImportDraft, card_due
from tests.importers.anki_builder import (
    CRT,
    MEDIA,
    latest_package,
    legacy_collection,
    legacy_package,
    media_entries,
    modern_collection,
    pb_int,
    zip_bytes,
    zstd,
)

GENERATIONS = {
    "anki2": legacy_package,
    "anki21": lambda: legacy_package(version=2),
    "anki21b": latest_package,
}


@pytest.fixture(params=sorted(GENERATIONS))
def draft(request: pytest.FixtureRequest) -> ImportDraft:
    generation: str = request.param
    result = parse_anki_package(GENERATIONS[generation]())
    assert result.source_format == generation
    return result


def test_note_types_keep_fields_templates_css_and_kind(draft: ImportDraft) -> None:
    basic, cloze = sorted(draft.note_types, key=lambda t: t.key)
    assert (basic.key, basic.name, basic.kind) == ("1001", "Basic (and reversed card)", 0)
    assert basic.fields == ("Front", "Back")  # sorted by ord, not by JSON order
    assert [t.front for t in basic.templates] == ["{{Front}}", "{{Back}}"]
    assert basic.templates[0].back == "{{FrontSide}}<hr id=answer>{{Back}}"
    assert basic.css == ".card { color: black; }"
    assert cloze.kind == NoteKind.CLOZE
    assert cloze.fields == ("Text", "Back Extra")
    assert cloze.templates[0].front == "{{cloze:Text}}"


def test_the_placeholder_collection_is_never_imported(draft: ImportDraft) -> None:
    assert [note.guid for note in draft.notes] == ["guidA", "guidB", "guidC"]
    assert all("Please update" not in value for n in draft.notes for value in n.fields)


def test_notes_keep_guid_fields_tags_and_times(draft: ImportDraft) -> None:
    first = draft.notes[0]
    assert first.note_type_key == "1001"
    assert first.fields == ("bonjour", "hello")
    assert first.tags == ("greet", "lang::fr")
    assert first.modified_at == 1_700_000_100
    assert first.created_at is None  # the sample's ids are not millisecond times
    assert draft.notes[2].fields == ("{{c1::Paris}} is in {{c2::France}}", "")


def test_decks_nested_without_filtered_or_empty_default(draft: ImportDraft) -> None:
    assert [(d.name, d.description) for d in draft.decks] == [
        ("Lang", "about Lang"),
        ("Lang::French", "about Lang::French"),
    ]


def test_cards_keep_their_schedule(draft: ImportDraft) -> None:
    cards = {card.source_id: card for card in draft.cards}
    assert len(cards) == 6
    review = cards["1"]
    assert (review.state, review.due_kind, review.due, review.interval) == (
        CardState.REVIEW,
        DueKind.COLLECTION_DAY,
        100,
        30,
    )
    assert (review.flag, review.reps, review.lapses, review.ease_factor) == (1, 5, 1, 2500)
    assert (review.stability, review.difficulty, review.desired_retention) == (25.5, 5.25, 0.9)
    assert review.last_reviewed_at == 1_700_000_000
    learning = cards["2"]
    assert (learning.state, learning.due_kind, learning.due) == (
        CardState.LEARNING,
        DueKind.EPOCH_SECONDS,
        1_700_000_500,
    )
    assert learning.remaining_steps == 2
    in_filtered = cards["3"]
    assert (in_filtered.deck, in_filtered.due) == ("Lang::French", 120)
    suspended = cards["4"]
    assert suspended.suspended
    assert suspended.state == CardState.NEW
    assert (suspended.due_kind, suspended.due) == (DueKind.POSITION, 7)
    relearning = cards["5"]
    assert (relearning.state, relearning.due_kind) == (CardState.RELEARNING, DueKind.COLLECTION_DAY)
    assert relearning.stability is None  # implausible FSRS data is dropped
    assert relearning.last_reviewed_at == 1_699_999_900  # from the history
    buried = cards["6"]
    assert (buried.buried, buried.flag, buried.suspended) == (BuryKind.MANUAL, 3, False)
    assert {card.note_key for card in draft.cards} == {"101", "102", "103"}


def test_review_history_with_stable_source_ids(draft: ImportDraft) -> None:
    assert len(draft.reviews) == 6
    assert any("1 review(s) of cards not in the package" in w for w in draft.warnings)
    first, second, lapse, relearn, manual, easy = draft.reviews
    assert (first.source_id, first.reviewed_at) == ("1699990000000", 1_699_990_000_000)
    assert (first.kind, first.rating, first.state_before) == (
        ReviewKind.LEARN,
        Rating.GOOD,
        CardState.NEW,
    )
    assert second.state_before == CardState.LEARNING
    assert (lapse.kind, lapse.rating, lapse.interval, lapse.last_interval) == (
        ReviewKind.REVIEW,
        Rating.AGAIN,
        -600,
        1,
    )
    assert relearn.state_before == CardState.RELEARNING
    assert (manual.kind, manual.rating) == (ReviewKind.MANUAL, None)
    assert (easy.card_source_id, easy.time_taken_ms) == ("5", 1500)
    again = parse_anki_package(legacy_package())
    assert [r.source_id for r in again.reviews] == [r.source_id for r in draft.reviews]


def test_media_is_read_lazily_by_safe_name(draft: ImportDraft) -> None:
    assert sorted(draft.media) == ["cat.jpg", "sound.mp3"]
    assert draft.media["cat.jpg"] == MEDIA["cat.jpg"]
    assert len(draft.media) == 2


def test_card_due_converts_to_our_conventions(draft: ImportDraft) -> None:
    cards = {card.source_id: card for card in draft.cards}
    assert draft.collection_created_at == CRT
    created_day = study_day(_utc(CRT), 4, UTC)
    assert card_due(cards["1"], CRT, 4, UTC) == created_day + 100
    assert card_due(cards["2"], CRT, 4, UTC) == 1_700_000_500
    assert card_due(cards["4"], CRT, 4, UTC) == 7
    start = card_due(cards["5"], CRT, 4, UTC)  # interday relearning: start of that study day
    assert start == int(study_day_start(created_day + 105, 4, UTC).timestamp())
    zone = timezone(timedelta(hours=10))
    assert card_due(cards["1"], CRT, 4, zone) == study_day(_utc(CRT), 4, zone) + 100


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_placeholder_only_package_is_refused() -> None:
    data = zip_bytes({"collection.anki2": legacy_collection(dummy=True), "media": b"{}"})
    with pytest.raises(InvalidInputError, match="placeholder"):
        parse_anki_package(data)


def test_latest_meta_without_its_collection_is_refused() -> None:
    data = zip_bytes({"meta": pb_int(1, 3), "collection.anki2": legacy_collection(dummy=True)})
    with pytest.raises(InvalidInputError, match="placeholder"):
        parse_anki_package(data)


def test_newer_package_version_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="newer Anki"):
        parse_anki_package(latest_package(version=4))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"not a zip at all", "not a readable Anki package"),
        (legacy_package()[:200], "not a readable Anki package|damaged"),
        (zip_bytes({"readme.txt": b"hi"}), "not an Anki package"),
        (zip_bytes({"collection.anki2": b"SQLite format 3\x00" + b"\x00" * 100}), "damaged"),
        (zip_bytes({"collection.anki2": b"garbage"}), "not an SQLite database"),
        (zip_bytes({"meta": b"\xff"}), "'meta' file is damaged"),
    ],
)
def test_bad_packages_get_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_anki_package(data)


def test_sqlite_without_anki_tables_is_refused() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE col (id)")
    db.execute("CREATE VIEW notes AS SELECT 1")
    with pytest.raises(InvalidInputError, match="not an Anki collection"):
        parse_anki_package(zip_bytes({"collection.anki2": db.serialize()}))


def test_truncated_zstd_collection_is_refused() -> None:
    truncated = zstd(modern_collection())[:40]
    data = zip_bytes({"meta": pb_int(1, 3), "collection.anki21b": truncated})
    with pytest.raises(InvalidInputError, match="damaged"):
        parse_anki_package(data)


def test_corrupt_sqlite_inside_zstd_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="not an SQLite database"):
        parse_anki_package(latest_package(collection=b"x" * 100))


@pytest.mark.parametrize("name", ["../evil.sh", "/etc/passwd", "a/b.jpg", "..", "c:\\x.jpg", ""])
def test_unsafe_media_names_are_refused(name: str) -> None:
    legacy = zip_bytes(
        {
            "collection.anki2": legacy_collection(),
            "media": json.dumps({"0": name}).encode(),
            "0": b"x",
        }
    )
    with pytest.raises(InvalidInputError, match="not a plain file name"):
        parse_anki_package(legacy)
    with pytest.raises(InvalidInputError, match="not a plain file name"):
        parse_anki_package(latest_package(media={name: b"x"}))


def test_unsafe_member_names_are_refused() -> None:
    data = zip_bytes({"collection.anki2": legacy_collection(), "../../escape": b"x"})
    with pytest.raises(InvalidInputError, match="unsafe name"):
        parse_anki_package(data)


def test_media_listed_but_missing_is_a_warning() -> None:
    members = {
        "collection.anki2": legacy_collection(),
        "media": json.dumps({"0": "here.png", "1": "gone.png"}).encode(),
        "0": b"png",
    }
    draft = parse_anki_package(zip_bytes(members))
    assert list(draft.media) == ["here.png"]
    assert any("gone.png" in warning for warning in draft.warnings)


def test_damaged_media_file_size_is_reported() -> None:
    data = zip_bytes(
        {
            "meta": pb_int(1, 3),
            "collection.anki21b": zstd(modern_collection()),
            "media": zstd(media_entries({"a.jpg": b"12345"})),
            "0": zstd(b"123"),
        }
    )
    draft = parse_anki_package(data)
    with pytest.raises(InvalidInputError, match="damaged"):
        draft.media["a.jpg"]


def test_zip_bomb_by_total_size_is_refused() -> None:
    data = zip_bytes({"collection.anki2": legacy_collection(), "0": b"\x00" * (3 << 20)})
    with pytest.raises(InvalidInputError, match="decompression bomb"):
        parse_anki_package(data, limits=PackageLimits(max_total_size=2 << 20))


def test_zip_bomb_by_ratio_is_refused() -> None:
    data = zip_bytes({"collection.anki2": legacy_collection(), "0": b"\x00" * (8 << 20)})
    with pytest.raises(InvalidInputError, match="decompression bomb"):
        parse_anki_package(data, limits=PackageLimits(max_ratio=100))


def test_zstd_bomb_inside_the_zip_is_refused() -> None:
    bomb = zstd(b"\x00" * (16 << 20))
    data = zip_bytes({"meta": pb_int(1, 3), "collection.anki21b": bomb}, zipfile.ZIP_STORED)
    with pytest.raises(InvalidInputError, match="decompression bomb"):
        parse_anki_package(data, limits=PackageLimits(max_total_size=4 << 20))


def test_default_limits_accept_ordinary_packages() -> None:
    limits = PackageLimits()
    assert limits.max_total_size == 2 << 30
    assert parse_anki_package(latest_package(), limits=limits).notes
