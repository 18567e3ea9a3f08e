"""The start-up integrity check runs while the app reads its first screen: reads go ahead, and
no write, backup or migration reaches the file until the check has passed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from studyapp.errors import CollectionDamagedError
from studyapp.paths import DataPaths
from studyapp.services.container import Services
from studyapp.storage.database import Database, sqlite_url
from studyapp.storage.integrity import IntegrityCheck, check_sqlite_file
from studyapp.storage.schema import CardRow

pytestmark = pytest.mark.sqlite_only  # the check and its gate are for SQLite collection files


def refuse() -> None:
    raise CollectionDamagedError("damaged in this test")


def deck_names(services: Services) -> list[str]:
    return sorted(row.name for row in services.decks.deck_list())


def card_count(database: Database) -> int:
    with database.transaction() as repos:
        return int(repos.session.scalar(select(func.count()).select_from(CardRow)) or 0)


def test_reads_go_ahead_without_waiting_for_the_gate(
    database: Database, services: Services
) -> None:
    deck_names(services)  # the day's first queue brings buried cards back: a write
    calls: list[str] = []
    database.hold_writes(lambda: calls.append("waited"))

    assert card_count(database) > 0
    assert deck_names(services) == ["EMT vs EMS"]
    assert calls == []


def test_the_first_write_waits_for_the_gate_once_and_then_commits(
    database: Database, services: Services
) -> None:
    calls: list[str] = []
    database.hold_writes(lambda: calls.append("waited"))

    services.decks.create("Cardiology")
    services.decks.create("Trauma")

    assert calls == ["waited"]
    assert deck_names(services) == ["Cardiology", "EMT vs EMS", "Trauma"]


def test_a_refused_write_is_rolled_back_and_later_writes_are_refused_too(
    database: Database, services: Services
) -> None:
    database.hold_writes(refuse)

    for name in ("Cardiology", "Trauma"):
        with pytest.raises(CollectionDamagedError):
            services.decks.create(name)

    database.hold_writes(None)
    assert deck_names(services) == ["EMT vs EMS"]


def test_no_backup_is_made_of_a_collection_the_gate_refuses(
    database: Database, services: Services
) -> None:
    database.hold_writes(refuse)

    with pytest.raises(CollectionDamagedError):
        services.backups.create("close")

    assert services.backups.list() == []
    assert list(services.backups.backups_dir.glob("*.partial")) == []


def test_no_migration_runs_before_the_gate_has_passed(tmp_path: Path) -> None:
    new = Database(sqlite_url(tmp_path / "new.sqlite3"))
    new.hold_writes(refuse)
    try:
        with pytest.raises(CollectionDamagedError):
            new.upgrade()
        assert new.schema_revision() is None
    finally:
        new.close()


def corrupt_after_first_page(path: Path) -> None:
    """Overwrite every page but the first (the schema): every table read fails."""
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(4096)
        file.write(b"\xa5" * (size - 4096))


def test_the_check_finds_a_good_file_sound_and_a_missing_one_new(
    database: Database, data_paths: DataPaths, tmp_path: Path
) -> None:
    database.close()

    assert IntegrityCheck(data_paths.database_file).problems() == []
    IntegrityCheck(data_paths.database_file).require_sound()
    assert IntegrityCheck(tmp_path / "absent.sqlite3").problems() == []


def test_the_check_reports_a_damaged_file_and_the_gate_refuses_it(
    database: Database, data_paths: DataPaths
) -> None:
    database.close()
    collection = data_paths.database_file
    corrupt_after_first_page(collection)
    damaged = collection.read_bytes()

    check = IntegrityCheck(collection)

    assert check.problems()
    assert check.problems() == check_sqlite_file(collection)
    with pytest.raises(CollectionDamagedError, match="is damaged"):
        check.require_sound()
    assert collection.read_bytes() == damaged  # the check never writes


def test_reading_a_damaged_page_says_the_collection_is_damaged(
    database: Database, data_paths: DataPaths
) -> None:
    database.close()
    corrupt_after_first_page(data_paths.database_file)
    reopened = Database(sqlite_url(data_paths.database_file))
    try:
        with pytest.raises(CollectionDamagedError, match="Restart StudyApp"):
            card_count(reopened)
    finally:
        reopened.close()
