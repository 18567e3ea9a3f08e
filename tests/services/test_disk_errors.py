"""A full disk, a data folder that cannot be written, a media file that cannot be saved: the user
reads a clear message, and nothing is left half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from studyapp.errors import StudyAppError
from studyapp.paths import DataPaths
from studyapp.services.container import Services
from studyapp.services.statistics_period import Period
from studyapp.services.statistics_values import CardCounts
from studyapp.storage.database import Database
from tests.importers.anki_builder import latest_package


def big_csv(path: Path, rows: int) -> Path:
    path.write_text("".join(f"question {i} {'x' * 400}\tanswer {i}\n" for i in range(rows)))
    return path


def collection_figures(services: Services) -> tuple[list[str], CardCounts]:
    """The decks and how many cards of each kind the collection has."""
    decks = [d.name for d in services.decks.deck_list()]
    return decks, services.statistics.compute(None, Period.ALL).card_counts


@pytest.fixture
def capped(database: Database) -> Any:
    """Caps the collection file at its present size from the next connection on, as a full
    disk would; returns a function that lifts the cap."""
    pages = database.sqlite_pragma("PRAGMA page_count")[0][0]

    def cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(database.engine, "connect", cap)
    database.engine.dispose()

    def lift() -> None:
        event.remove(database.engine, "connect", cap)
        database.engine.dispose()

    return lift


@pytest.mark.sqlite_only
def test_a_full_disk_during_an_import_changes_nothing_and_says_so(
    services: Services, database: Database, data_paths: DataPaths, tmp_path: Path, capped: Any
) -> None:
    before = collection_figures(services)
    with pytest.raises(StudyAppError, match="disk is full") as raised:
        services.imports.import_file(big_csv(tmp_path / "big.csv", 3000))
    assert "not saved" in str(raised.value)
    assert collection_figures(services) == before  # read under the cap: nothing was added
    capped()
    assert collection_figures(services) == before
    summary = services.imports.import_file(big_csv(tmp_path / "big.csv", 3000))
    assert summary.added == 3000  # with room again the same import goes through
    assert database.sqlite_pragma("PRAGMA integrity_check") == [("ok",)]


@pytest.mark.sqlite_only
def test_media_that_cannot_be_saved_leave_the_collection_as_it_was(
    services: Services, data_paths: DataPaths, tmp_path: Path
) -> None:
    before = collection_figures(services)
    media = data_paths.media_dir
    media.mkdir(parents=True, exist_ok=True)
    (media / "taken.png").mkdir()  # a folder where the package's media file must go
    package = tmp_path / "with media.apkg"
    package.write_bytes(latest_package(media={"fine.png": b"fine", "taken.png": b"png"}))
    with pytest.raises(StudyAppError, match=r"taken\.png") as raised:
        services.imports.import_file(package)
    assert "nothing was imported" in str(raised.value)
    assert collection_figures(services) == before
    assert sorted(p.name for p in media.iterdir()) == ["taken.png"]  # no stray or partial file


def test_a_data_folder_that_cannot_be_made_is_a_clear_message(tmp_path: Path) -> None:
    in_the_way = tmp_path / "a file"
    in_the_way.write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(in_the_way / "data"), "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("studyapp: Cannot use the data folder")
    assert str(in_the_way / "data") in result.stderr
    assert "Traceback" not in result.stderr


def test_a_collection_file_that_cannot_be_opened_is_a_clear_message(tmp_path: Path) -> None:
    data = DataPaths(tmp_path / "data")
    data.create()
    (data.root / "collection.sqlite3").mkdir()  # SQLite cannot open a folder, as a locked file
    result = subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data.root), "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("studyapp: Cannot ")
    assert str(data.root / "collection.sqlite3") in result.stderr
    assert "Traceback" not in result.stderr
