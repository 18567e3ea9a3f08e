"""The migrations on PostgreSQL: a new database, every earlier revision, and instances starting
together.  Runs only with $STUDYAPP_TEST_POSTGRES_URL (see tests/postgres_server.py)."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import text

import studyapp.storage.migrations as migrations
from studyapp.app import open_collection
from studyapp.domain.clock import ManualClock
from studyapp.storage.database import Database
from studyapp.storage.migrations import HEAD_REVISION
from studyapp.storage.schema import Base
from tests.postgres_server import PostgresServer

MIGRATIONS_DIR = str(Path(migrations.__file__).parent)
START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def _earlier_revisions() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    revisions = [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]
    return [revision for revision in reversed(revisions) if revision != HEAD_REVISION]


def test_migrations_build_exactly_the_declared_schema(postgres_server: PostgresServer) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with postgres_server.fresh_database(migrated=False) as url:
        database = Database(url)
        try:
            assert database.upgrade() is True
            assert database.upgrade() is False
            with database.engine.connect() as connection:
                context = MigrationContext.configure(connection)
                differences = compare_metadata(context, Base.metadata)
        finally:
            database.close()
    assert differences == []


@pytest.mark.parametrize("revision", _earlier_revisions())
def test_an_earlier_schema_upgrades_with_its_data(
    postgres_server: PostgresServer, revision: str
) -> None:
    from alembic import command
    from alembic.config import Config

    with postgres_server.fresh_database(migrated=False) as url:
        database = Database(url)
        try:
            with database.engine.begin() as connection:
                config = Config()
                config.set_main_option("script_location", MIGRATIONS_DIR)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                for statement in _ONE_STUDIED_CARD:
                    connection.execute(text(statement))
            assert database.schema_revision() == revision
            assert database.upgrade() is True
            assert database.schema_revision() == HEAD_REVISION
            with database.transaction() as repos:
                note = repos.notes.by_guids(["kept"])["kept"]
                (card,) = repos.cards.for_note(note.id)
                reviews = repos.reviews.for_card(card.id)
                # Ids the database hands out after the upgrade follow the existing rows.
                added = repos.decks.add("Added after the upgrade", card.deck_id)
        finally:
            database.close()
    assert note.fields == ("q", "a")
    assert (card.due, card.reps, card.suspended) == (100, 3, False)
    assert [review.time_taken_ms for review in reviews] == [1000]
    assert added.id > card.deck_id


# Valid at every revision: only the first schema's columns, no explicit ids.
_ONE_STUDIED_CARD = [
    "INSERT INTO presets (name, new_per_day, reviews_per_day, learning_steps, relearning_steps,"
    " desired_retention, maximum_interval, parameters)"
    " VALUES ('Default', 20, 200, '[60]', '[600]', 0.9, 36500, '[]')",
    "INSERT INTO decks (name, preset_id) SELECT 'Deck', id FROM presets",
    "INSERT INTO note_types (name, kind, fields, templates, css)"
    " VALUES ('Basic', 0, '[\"Front\", \"Back\"]', '[]', '')",
    "INSERT INTO notes (guid, note_type_id, fields, tags, created_at, modified_at)"
    " SELECT 'kept', id, '[\"q\", \"a\"]', '', 0, 0 FROM note_types",
    "INSERT INTO cards (note_id, deck_id, ordinal, state, due, interval, step, reps, lapses, flag,"
    " suspended, buried, modified_at)"
    " SELECT notes.id, decks.id, 0, 2, 100, 5, 0, 3, 0, 0, false, 0, 0 FROM notes, decks",
    "INSERT INTO review_log (card_id, reviewed_at, kind, rating, state_before, last_interval,"
    " interval, time_taken_ms) SELECT id, 5, 1, 3, 2, 2, 5, 1000 FROM cards",
]


def _open(url: str, start: Barrier, media_dir: str) -> None:
    """Open the collection as the app does: migrate it, then install what every one has."""
    start.wait(timeout=60)
    database, _ = open_collection(url, ManualClock(START), Path(media_dir))
    database.close()


@pytest.mark.timeout(300)
def test_instances_starting_together_on_a_new_database_set_it_up_once(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    spawn = multiprocessing.get_context("spawn")
    with postgres_server.fresh_database(migrated=False) as url:
        start = spawn.Barrier(3)
        instances = [
            spawn.Process(target=_open, args=(url, start, str(tmp_path / f"media-{i}")))
            for i in range(3)
        ]
        for instance in instances:
            instance.start()
        for instance in instances:
            instance.join(timeout=240)
        database = Database(url)
        try:
            revision = database.schema_revision()
            with database.transaction() as repos:
                presets = [p.name for p in repos.presets.all()]
                decks = [d.name for d in repos.decks.all()]
        finally:
            database.close()
    assert [instance.exitcode for instance in instances] == [0, 0, 0]
    assert revision == HEAD_REVISION
    assert presets == ["Default"]
    assert decks == ["EMT vs EMS"]
