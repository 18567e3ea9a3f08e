"""The start-up check runs on a worker thread while the GUI loads; its result is the same."""

from __future__ import annotations

import threading

import pytest

from studyapp.paths import DataPaths
from studyapp.services.container import Services
from studyapp.storage.database import Database

pytestmark = pytest.mark.sqlite_only  # the check reads a SQLite collection file


def test_a_started_check_of_a_good_collection_finds_nothing(
    services: Services, database: Database, data_paths: DataPaths
) -> None:
    database.close()

    assert services.backups.start_check_collection(data_paths.database_file).result() is None


def test_a_started_check_reports_damage_and_the_newest_good_backup(
    services: Services, database: Database, data_paths: DataPaths
) -> None:
    backup = services.backups.create("close")
    database.close()
    collection = data_paths.database_file
    collection.write_bytes(b"\xa5" * 8192)
    threads: list[str] = []
    check = services.backups.check_collection

    def recording(path: object) -> object:
        threads.append(threading.current_thread().name)
        return check(collection)

    services.backups.check_collection = recording  # type: ignore[method-assign,assignment]
    damage = services.backups.start_check_collection(collection).result()

    assert threads == ["start-up check"]  # not the caller's thread
    assert damage is not None
    assert damage.problems
    assert damage.newest_good == backup
    assert collection.read_bytes() == b"\xa5" * 8192  # nothing moved or written
