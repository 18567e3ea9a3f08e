"""Fuzzing the import service: whatever the bytes, our own error or a clean import, and a failed
import leaves the database exactly as it was."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.errors import StudyAppError
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.importers.anki_builder import latest_package

PACKAGE = latest_package()


def snapshot(database: Database) -> tuple[int, ...]:
    with database.engine.connect() as connection:
        return tuple(
            connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("decks", "note_types", "notes", "cards", "review_log")
        )


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer)


def attempt(services: Services, database: Database, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    before = snapshot(database)
    try:
        services.imports.import_file(path)
    except StudyAppError:
        assert snapshot(database) == before


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".txt", ".apkg", ".toml"]))
def test_random_bytes_raise_only_our_error(
    services: Services, database: Database, tmp_path: Path, data: bytes, suffix: str
) -> None:
    attempt(services, database, tmp_path / f"random{suffix}", data)


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), max_size=12))
def test_damaged_packages_raise_only_our_error(
    services: Services, database: Database, tmp_path: Path, edits: list[tuple[int, int]]
) -> None:
    attempt(services, database, tmp_path / "damaged.apkg", mutate(PACKAGE, edits))


@FUZZ
@given(
    members=st.dictionaries(
        st.sampled_from(["collection.anki2", "collection.anki21", "meta", "media", "0", "../x"]),
        st.binary(max_size=300),
        max_size=4,
    )
)
def test_zips_with_odd_members_raise_only_our_error(
    services: Services, database: Database, tmp_path: Path, members: dict[str, bytes]
) -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    attempt(services, database, tmp_path / "odd.apkg", buffer.getvalue())
