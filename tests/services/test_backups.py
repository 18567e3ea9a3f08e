"""Backups: made with SQLite's online backup API, listed newest first, pruned to 30, restored
with the current file kept aside, and the start-up check that finds a damaged collection."""

from __future__ import annotations

import os
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from studyapp.app import open_collection
from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.errors import InvalidInputError, NotFoundError, StudyAppError
from studyapp.paths import DataPaths
from studyapp.services.backups import BackupService, Damage
from studyapp.services.container import Services
from studyapp.storage.database import Database, sqlite_url
from studyapp.storage.integrity import IntegrityCheck, check_sqlite_file
from tests.conftest import DeckMaker

# Backups are SQLite files; a PostgreSQL collection is backed up with pg_dump.
pytestmark = pytest.mark.sqlite_only


def _start_up_check(services: Services, collection: Path) -> Damage | None:
    """What the app's start-up check makes of `collection`."""
    return services.backups.damage(collection, IntegrityCheck(collection).problems())


def corrupt_middle(path: Path) -> None:
    """Overwrite 8 KB in the middle of the file: b-tree pages there become garbage."""
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2)
        file.write(b"\xa5" * 8192)


def truncate_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def review_count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM review_log").fetchone()[0])
    finally:
        connection.close()


def answer_one(services: Services, deck_id: int) -> None:
    step = services.study.next_step(deck_id)
    assert step.card is not None
    services.study.answer(step.card.card_id, Rating.GOOD, 1000)


def test_a_backup_is_one_consistent_self_contained_file(
    services: Services, database: Database, data_paths: DataPaths
) -> None:
    assert database.quick_check() == []
    backup = services.backups.create("manual")
    assert backup.path.parent == data_paths.backups_dir
    assert backup.path.name == "backup-20260310-100000Z-manual.sqlite3"
    assert backup.size == backup.path.stat().st_size > 0
    assert backup.reason == "manual"
    assert check_sqlite_file(backup.path) == []
    assert sorted(p.name for p in data_paths.backups_dir.iterdir()) == [backup.path.name]
    connection = sqlite3.connect(backup.path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("SELECT count(*) FROM decks").fetchone()[0] >= 1
    finally:
        connection.close()


def test_backups_are_listed_newest_first_and_pruned_to_the_last_30(
    services: Services, clock: ManualClock
) -> None:
    backups = services.backups
    made = []
    for _ in range(31):
        made.append(backups.create("periodic"))
        clock.advance(timedelta(minutes=7))
    listed = backups.list()
    assert len(listed) == 30
    assert [b.path for b in listed] == [b.path for b in reversed(made[1:])]
    assert not made[0].path.exists()  # the oldest went
    assert listed[0].created_at > listed[-1].created_at
    assert backups.newest() == listed[0]


def test_backups_in_the_same_second_get_distinct_names_in_order(services: Services) -> None:
    first = services.backups.create("manual")
    second = services.backups.create("close")
    assert first.path != second.path
    assert second.path.name == "backup-20260310-100000Z-2-close.sqlite3"
    assert services.backups.list() == [second, first]


def test_a_backup_is_due_when_none_was_made_in_the_last_six_hours(
    services: Services, clock: ManualClock
) -> None:
    backups = services.backups
    assert backups.due()
    backups.create("periodic")
    assert not backups.due()
    clock.advance(timedelta(hours=5, minutes=59))
    assert not backups.due()
    clock.advance(timedelta(minutes=1))
    assert backups.due()


def test_other_files_in_the_backups_folder_are_ignored_and_kept(
    services: Services, data_paths: DataPaths
) -> None:
    data_paths.backups_dir.mkdir()
    stranger = data_paths.backups_dir / "notes.txt"
    stranger.write_text("mine")
    assert services.backups.list() == []
    services.backups.create("manual")
    assert stranger.read_text() == "mine"


def test_newest_without_backups_says_so(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError, match="no backups"):
        BackupService(database, clock, tmp_path / "nowhere").newest()


def test_restore_round_trip_brings_back_the_state_of_the_backup(
    data_paths: DataPaths, clock: ManualClock
) -> None:
    url = sqlite_url(data_paths.database_file)
    database, services = open_collection(url, clock, data_paths.media_dir, data_paths.backups_dir)
    deck = DeckMaker(database, clock)("Restore", 5)
    answer_one(services, deck)  # before the backup
    backup = services.backups.create("manual")
    clock.advance(timedelta(minutes=5))
    answer_one(services, deck)  # after the backup
    answer_one(services, deck)
    database.close()
    assert review_count(data_paths.database_file) == 3

    replaced = services.backups.restore(backup.path, data_paths.database_file)

    assert replaced is not None
    assert replaced.name == "collection.sqlite3.replaced-20260310-100500Z"
    assert replaced.parent == data_paths.root
    assert review_count(replaced) == 3  # nothing is thrown away
    assert check_sqlite_file(data_paths.database_file) == []
    database, services = open_collection(url, clock, data_paths.media_dir, data_paths.backups_dir)
    try:
        assert review_count(data_paths.database_file) == 1
        assert services.decks.deck_list()  # opens and works
    finally:
        database.close()
    assert not (data_paths.root / "collection.sqlite3.restoring").exists()


def test_restoring_a_damaged_backup_changes_nothing(
    services: Services, database: Database, data_paths: DataPaths
) -> None:
    backup = services.backups.create("manual")
    corrupt_middle(backup.path)
    database.close()
    before = data_paths.database_file.read_bytes()
    with pytest.raises(InvalidInputError, match="damaged"):
        services.backups.restore(backup.path, data_paths.database_file)
    assert data_paths.database_file.read_bytes() == before
    assert list(data_paths.root.glob("*.replaced-*")) == []
    assert list(data_paths.root.glob("*.restoring")) == []
    with pytest.raises(NotFoundError):
        services.backups.restore(data_paths.root / "missing.sqlite3", data_paths.database_file)


@pytest.mark.parametrize("damage", [corrupt_middle, truncate_half], ids=["corrupted", "truncated"])
def test_the_start_up_check_finds_a_damaged_collection_and_the_newest_good_backup(
    services: Services,
    database: Database,
    data_paths: DataPaths,
    clock: ManualClock,
    damage: object,
) -> None:
    good = services.backups.create("periodic")
    clock.advance(timedelta(hours=1))
    bad = services.backups.create("close")
    corrupt_middle(bad.path)
    database.close()
    assert _start_up_check(services, data_paths.database_file) is None
    assert callable(damage)
    damage(data_paths.database_file)
    damaged_bytes = data_paths.database_file.read_bytes()

    found = _start_up_check(services, data_paths.database_file)

    assert found is not None
    assert found.problems
    assert found.newest_good == good  # the newer backup is damaged too
    assert data_paths.database_file.read_bytes() == damaged_bytes  # nothing moved or written
    kept = services.backups.restore(good.path, data_paths.database_file, "damaged")
    assert kept is not None
    assert kept.name.startswith("collection.sqlite3.damaged-")
    assert kept.read_bytes() == damaged_bytes
    assert check_sqlite_file(data_paths.database_file) == []


def test_an_empty_collection_file_counts_as_damaged(tmp_path: Path) -> None:
    empty = tmp_path / "collection.sqlite3"
    empty.write_bytes(b"")
    assert check_sqlite_file(empty) == ["the file is empty"]
    not_a_database = tmp_path / "text.sqlite3"
    not_a_database.write_bytes(b"hello " * 1000)
    assert check_sqlite_file(not_a_database)


def test_set_aside_moves_the_wal_files_with_the_collection(
    services: Services, data_paths: DataPaths
) -> None:
    services.decks.deck_list()  # the open connection keeps -wal and -shm files
    assert (data_paths.root / "collection.sqlite3-wal").exists()
    kept = services.backups.set_aside_damaged(data_paths.database_file)
    assert not data_paths.database_file.exists()
    assert not (data_paths.root / "collection.sqlite3-wal").exists()
    assert kept.with_name(kept.name + "-wal").exists()


def test_postgresql_collections_are_pointed_to_pg_dump(
    services: Services, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "is_sqlite", False)
    monkeypatch.setattr(database, "sqlite_file", None)
    with pytest.raises(StudyAppError, match="pg_dump"):
        database.backup_to(Path("x.sqlite3"))
    with pytest.raises(StudyAppError, match="pg_dump"):
        database.quick_check()
    with pytest.raises(StudyAppError, match="pg_dump"):
        services.backups.create("manual")
    with pytest.raises(StudyAppError, match="pg_dump"):
        services.backups.collection_file()
    assert not services.backups.available
    assert not services.backups.due()
