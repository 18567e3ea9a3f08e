"""Shared fixtures: a fixed clock, a fresh data folder, and services built as app.py builds them."""

from __future__ import annotations

import os

# Before anything imports Qt: no display in tests.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp.app import open_collection
from studyapp.domain.clock import ManualClock
from studyapp.paths import DataPaths
from studyapp.services.container import Services
from studyapp.storage.database import Database, sqlite_url
from tests.postgres_server import (
    SKIP_LOCATION,
    SKIP_REASON,
    URL_VARIABLE,
    PostgresServer,
    shown_url,
)

START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


TESTS_DIR = Path(__file__).parent
BOTH_BACKENDS = ("services", "storage")
"""Test folders whose collection tests run on SQLite and on PostgreSQL (unless `sqlite_only`)."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames or metafunc.definition.get_closest_marker(
        "sqlite_only"
    ):
        return  # the `backend` fixture says "sqlite"; test ids stay as they are
    if metafunc.definition.path.relative_to(TESTS_DIR).parts[0] in BOTH_BACKENDS:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def _skipped_for_postgresql(report: pytest.TestReport) -> bool:
    return (
        report.skipped
        and isinstance(report.longrepr, tuple)
        and SKIP_REASON in str(report.longrepr[2])
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport() -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """One line in the short summary for all PostgreSQL variants skipped, not one per test."""
    report = yield
    if _skipped_for_postgresql(report):
        assert isinstance(report.longrepr, tuple)
        report.longrepr = (*SKIP_LOCATION, report.longrepr[2])
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say at the end whether the PostgreSQL variants ran, and if not, why."""
    reports = [
        report
        for outcome in ("passed", "failed", "error", "skipped")
        for report in terminalreporter.stats.get(outcome, [])
        if isinstance(report, pytest.TestReport)
    ]
    skipped = sum(1 for report in reports if _skipped_for_postgresql(report))
    if skipped:
        terminalreporter.write_line(f"{skipped} tests not run on PostgreSQL. {SKIP_REASON}.")
    ran = sum(1 for report in reports if report.when == "call" and "[postgresql" in report.nodeid)
    if ran and os.environ.get(URL_VARIABLE):
        server = shown_url(os.environ.get(URL_VARIABLE, ""))
        terminalreporter.write_line(f"{ran} tests ran on PostgreSQL at {server}.")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def data_paths(data_dir: Path) -> DataPaths:
    paths = DataPaths(data_dir)
    paths.create()
    return paths


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        pytest.skip(SKIP_REASON)
    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Where `collection_url` (and so `opened`) puts the collection: sqlite or postgresql."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def collection_url(
    backend: str, data_paths: DataPaths, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The URL of a new collection: a SQLite file in the data folder, or a PostgreSQL database."""
    if backend == "sqlite":
        yield sqlite_url(data_paths.database_file)
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.fresh_database() as url:
        yield url


@pytest.fixture
def opened(
    collection_url: str, data_paths: DataPaths, clock: ManualClock
) -> Iterator[tuple[Database, Services]]:
    database, services = open_collection(collection_url, clock, data_paths.media_dir)
    yield database, services
    database.close()


@pytest.fixture
def services(opened: tuple[Database, Services]) -> Services:
    return opened[1]


@pytest.fixture
def database(opened: tuple[Database, Services]) -> Database:
    return opened[0]


class DeckMaker:
    """Adds a Basic deck of numbered cards through the real repositories."""

    def __init__(self, database: Database, clock: ManualClock) -> None:
        self._database = database
        self._clock = clock

    def __call__(self, name: str, cards: int, preset_id: int = 1) -> int:
        from studyapp.domain.cards import Card, Note
        from studyapp.domain.clock import to_epoch
        from studyapp.services.collection import ensure_deck

        now = to_epoch(self._clock.now())
        with self._database.transaction() as repos:
            deck = ensure_deck(repos, name, preset_id)
            basic = repos.note_types.by_name("Basic")
            assert basic is not None
            position = repos.cards.next_new_position()
            for number in range(1, cards + 1):
                note = repos.notes.add(
                    Note(
                        0,
                        f"{name}-{number}",
                        basic.id,
                        (f"Q{number}", f"A{number}", ""),
                        (),
                        now,
                        now,
                    )
                )
                repos.cards.add(Card(0, note.id, deck.id, 0, due=position + number), now)
            return deck.id


@pytest.fixture
def make_deck(database: Database, clock: ManualClock) -> DeckMaker:
    return DeckMaker(database, clock)
