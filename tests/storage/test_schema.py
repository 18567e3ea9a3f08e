"""The migrated schema, the SQLite connection settings, and the hot queries' plans."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from studyapp.domain.cards import CardState
from studyapp.services.container import Services
from studyapp.storage.database import Database, sqlite_url
from studyapp.storage.migrations import HEAD_REVISION
from studyapp.storage.schema import Base


def test_migrations_build_exactly_the_declared_schema(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    database = Database(sqlite_url(tmp_path / "c.sqlite3"))
    assert database.upgrade() is True
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    database.close()
    assert differences == []


def test_head_revision_constant_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import studyapp.storage.migrations as migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_second_open_needs_no_migration_and_does_not_import_alembic(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "c.sqlite3")
    first = Database(url)
    first.upgrade()
    first.close()
    script = (
        "import sys\n"
        "from studyapp.storage.database import Database\n"
        f"db = Database({url!r})\n"
        "print(db.upgrade(), 'alembic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_and_foreign_keys(database: Database) -> None:
    assert database.sqlite_pragma("PRAGMA journal_mode") == [("wal",)]
    assert database.sqlite_pragma("PRAGMA foreign_keys") == [(1,)]
    assert database.sqlite_pragma("PRAGMA synchronous") == [(1,)]  # NORMAL


def _captured_plans(database: Database, action: Any) -> list[str]:
    """Run `action(repos)` and return EXPLAIN QUERY PLAN details of every SELECT it issued,
    through SQLAlchemy or on the driver (as SQLite traces them: with their values filled in)."""
    statements: list[str] = []

    def capture(statement: str) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    with database.transaction() as repos:
        traced = repos.link.driver.dbapi
        traced.set_trace_callback(capture)
        try:
            action(repos)
        finally:
            traced.set_trace_callback(None)
    plans = []
    with database.engine.connect() as connection:
        for statement in statements:
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement)
            plans.append(" | ".join(str(row[-1]) for row in rows))
    return plans


@pytest.mark.sqlite_only
def test_next_card_queries_use_the_queue_index(services: Services, database: Database) -> None:
    deck = services.decks.deck_list()[0]
    plans = _captured_plans(
        database,
        lambda repos: (
            repos.cards.first_learning_due([deck.deck_id], 10**10),
            repos.cards.first_review_due([deck.deck_id], 800_000),
            repos.cards.first_new([deck.deck_id]),
        ),
    )
    assert len(plans) == 3  # learning and relearning in one statement, one lookup each
    assert plans[0].count("ix_cards_queue") == 2, plans[0]
    for plan in plans:
        assert "USING COVERING INDEX ix_cards_queue" in plan or "USING INDEX ix_cards_queue" in plan
        assert "SCAN cards" not in plan.replace("SCAN cards USING", "")
        assert "TEMP B-TREE" not in plan


@pytest.mark.sqlite_only
def test_deck_count_queries_use_the_queue_index(services: Services, database: Database) -> None:
    deck = services.decks.deck_list()[0]
    plans = _captured_plans(
        database,
        lambda repos: repos.cards.queue_counts(
            10**10, 800_000, {deck.deck_id: 20}, {deck.deck_id: 200}
        ),
    )
    assert len(plans) == 1  # one statement: (re)learning, new and review counted together
    for plan in plans:
        assert "INDEX ix_cards_queue" in plan, plan
        assert "SCAN cards" not in plan, plan


@pytest.mark.sqlite_only
def test_studied_today_reads_the_review_log_by_time(services: Services, database: Database) -> None:
    """Today's answers come from the review log's time index, never from a scan of the cards,
    even with the planner statistics of a big collection (which made a join scan every card)."""
    with database.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 VALUES ('cards', 'ix_cards_deck_id', '100000 50000'),"
            " ('review_log', 'ix_review_log_stats_card', '1000000 15 1 1 1 1 1'),"
            " ('review_log', 'ix_review_log_stats_time', '1000000 1 1 1 1 1 1')"
        )
    database.engine.dispose()  # new connections read the statistics
    plans = _captured_plans(database, lambda repos: repos.reviews.studied_since(10**12))
    assert len(plans) == 1
    assert "SEARCH review_log USING COVERING INDEX" in plans[0], plans[0]
    assert "(reviewed_at>?)" in plans[0], plans[0]
    assert "SCAN cards" not in plans[0], plans[0]


def test_deleting_a_note_deletes_its_cards_and_log(services: Services, database: Database) -> None:
    step = services.study.next_step(services.decks.deck_list()[0].deck_id)
    assert step.card is not None
    from studyapp.domain.cards import Rating

    services.study.answer(step.card.card_id, Rating.GOOD, 3000)
    with database.transaction() as repos:
        card = repos.cards.get(step.card.card_id)
        assert card is not None
        assert card.state == CardState.LEARNING
        note_id = card.note_id
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM notes WHERE id = :id"), {"id": note_id})
    with database.transaction() as repos:
        assert repos.cards.get(step.card.card_id) is None
        assert repos.reviews.for_card(step.card.card_id) == []


def test_every_earlier_schema_upgrades_with_its_data(tmp_path: Path) -> None:
    """A database left at each earlier revision, holding a note, upgrades to the head."""
    from alembic import command
    from alembic.config import Config

    import studyapp.storage.migrations as migrations

    for revision in ["0001", "0002"]:
        url = sqlite_url(tmp_path / f"at-{revision}.sqlite3")
        database = Database(url)
        with database.engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(Path(migrations.__file__).parent))
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.exec_driver_sql(
                "INSERT INTO note_types (id, name, kind, fields, templates, css)"
                " VALUES (1, 'Basic', 0, '[\"Front\", \"Back\"]', '[]', '')"
            )
            connection.exec_driver_sql(
                "INSERT INTO notes (guid, note_type_id, fields, tags, created_at, modified_at)"
                " VALUES ('kept', 1, '[\"q\", \"a\"]', '', 0, 0)"
            )
            connection.exec_driver_sql(
                "INSERT INTO presets VALUES (1, 'Default', 20, 200,"
                " '[60]', '[600]', 0.9, 36500, '[]')"
            )
            connection.exec_driver_sql("INSERT INTO decks VALUES (1, 'Deck', 1)")
            connection.exec_driver_sql(
                "INSERT INTO cards (id, note_id, deck_id, ordinal, state, due, interval, step,"
                " reps, lapses, flag, suspended, buried, modified_at)"
                " SELECT 1, id, 1, 0, 2, 100, 5, 0, 3, 0, 0, 0, 0, 0 FROM notes"
            )
            connection.exec_driver_sql(
                "INSERT INTO review_log (card_id, reviewed_at, kind, rating, state_before,"
                " last_interval, interval, time_taken_ms) VALUES (1, 5, 1, 3, 2, 2, 5, 1000)"
            )
        assert database.schema_revision() == revision
        assert database.upgrade() is True
        assert database.schema_revision() == HEAD_REVISION
        with database.transaction() as repos:
            notes = repos.notes.by_guids(["kept"])
            cards = repos.cards.for_note(notes["kept"].id)
            reviews = repos.reviews.for_card(1)
        database.close()
        assert notes["kept"].fields == ("q", "a")
        # Rebuilding a table during the upgrade must not cascade into cards or the review log.
        assert [(c.id, c.due, c.reps) for c in cards] == [(1, 100, 3)]
        assert len(reviews) == 1
