"""One PostgreSQL collection shared by several app instances: concurrent answers, the command
line, backups.  Runs only with $STUDYAPP_TEST_POSTGRES_URL (see tests/postgres_server.py)."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import text

from studyapp.app import open_collection
from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.errors import StudyAppError
from studyapp.paths import DataPaths
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.conftest import START, DeckMaker
from tests.postgres_server import PostgresServer

CARDS = 40
ROUNDS = 3
INSTANCES = 2


def _answer_every_card(
    url: str, media_dir: str, card_ids: Sequence[int], tag: int, start: Barrier
) -> None:
    """One app instance: answers every card in turn, `ROUNDS` times; `tag` marks its reviews."""
    database, services = open_collection(url, ManualClock(START), Path(media_dir))
    try:
        start.wait(timeout=60)
        for _ in range(ROUNDS):
            for card_id in card_ids:
                services.study.answer(card_id, Rating.GOOD, tag)
    finally:
        database.close()


@pytest.fixture
def shared(
    postgres_server: PostgresServer, data_paths: DataPaths, clock: ManualClock
) -> Iterator[tuple[str, Database, Services]]:
    """A fresh PostgreSQL collection (whatever the backend of the other tests): URL, database and
    the services of a first instance."""
    with postgres_server.fresh_database() as url:
        database, services = open_collection(url, clock, data_paths.media_dir)
        yield url, database, services
        database.close()


@pytest.mark.timeout(300)
def test_two_instances_answering_the_same_cards_lose_and_duplicate_nothing(
    shared: tuple[str, Database, Services], data_paths: DataPaths, clock: ManualClock
) -> None:
    url, database, _ = shared
    make_deck = DeckMaker(database, clock)
    deck_id = make_deck("Shared", CARDS)
    with database.engine.connect() as connection:
        card_ids = list(
            connection.execute(
                text("SELECT id FROM cards WHERE deck_id = :deck ORDER BY id"), {"deck": deck_id}
            ).scalars()
        )
    assert len(card_ids) == CARDS
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(INSTANCES)
    tags = [1000 + number for number in range(INSTANCES)]
    instances = [
        spawn.Process(
            target=_answer_every_card,
            args=(url, str(data_paths.media_dir), card_ids, tag, start),
        )
        for tag in tags
    ]
    for instance in instances:
        instance.start()
    for instance in instances:
        instance.join(timeout=240)
    assert [instance.exitcode for instance in instances] == [0] * INSTANCES

    with database.engine.connect() as connection:
        reviews = connection.execute(text("SELECT card_id, time_taken_ms FROM review_log")).all()
        reps: dict[int, int] = dict(
            connection.execute(
                text("SELECT id, reps FROM cards WHERE deck_id = :deck"), {"deck": deck_id}
            ).all()
        )
    # Every answer of every instance is in the log exactly once ...
    assert Counter((card_id, tag) for card_id, tag in reviews) == {
        (card_id, tag): ROUNDS for card_id in card_ids for tag in tags
    }
    # ... and no instance overwrote a card with a state read before the other's answer.
    assert reps == dict.fromkeys(card_ids, ROUNDS * INSTANCES)


def _studyapp(data_dir: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STUDYAPP_")}
    return subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir), "--database", url, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_the_command_line_creates_and_opens_a_postgresql_collection(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    with postgres_server.fresh_database(migrated=False) as url:
        first = _studyapp(tmp_path, url, "decks", "--json")
        second = _studyapp(tmp_path, url, "decks", "--json")
        backup = _studyapp(tmp_path, url, "backup", "create")
    assert first.returncode == 0, first.stderr
    assert [deck["name"] for deck in json.loads(first.stdout)] == ["EMT vs EMS"]
    assert second.stdout == first.stdout
    assert backup.returncode == 1
    assert "pg_dump" in backup.stderr
    # Neither a SQLite collection, nor its lock, nor a backup was written in the data folder.
    assert not list(tmp_path.glob("collection*"))
    assert not list(tmp_path.glob("backups/*"))


def test_backups_of_a_postgresql_collection_point_to_pg_dump(
    shared: tuple[str, Database, Services],
) -> None:
    _, _, services = shared
    assert services.backups.available is False
    assert services.backups.due() is False
    with pytest.raises(StudyAppError, match="pg_dump"):
        services.backups.create()
