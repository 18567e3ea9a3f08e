"""The generated collection most benchmarks run on: 100,000 cards, 1,000,000 review-log rows.

One deck ("Bench") of Basic cards: 70% reviews, 5% in learning, 25% new, and a review history
spread over the review cards.  Its preset allows 20 new cards and 9,999 reviews a day, the most
Anki accepts, so both apps have the same limits.  Built with sqlite3 executemany, cached in
bench-cache/ and copied before each measurement, so every run starts from the same data.
Never collected by pytest.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from studyapp.app import open_collection
from studyapp.domain.clock import ManualClock, SystemClock, study_day
from studyapp.storage.database import sqlite_url

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench-cache"
START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
CARDS = 100_000
REVIEWS = 1_000_000
SEED = 7


def _card_rows(deck_id: int, base: int, today: int, now: int) -> list[tuple[object, ...]]:
    chooser = random.Random(SEED)
    rows: list[tuple[object, ...]] = []
    for i in range(CARDS):
        kind = chooser.random()
        if kind < 0.70:
            interval = chooser.randint(1, 400)
            due = today + chooser.randint(-30, interval)
            stability, difficulty = interval * 1.2, chooser.uniform(2, 9)
            rows.append(
                (base + i, deck_id, 2, due, interval, 0, stability, difficulty, 5, 1, today - 1)
            )
        elif kind < 0.75:
            due = now + chooser.randint(-600, 3600)
            rows.append((base + i, deck_id, 1, due, 0, 1, 1.0, 5.0, 1, 0, today))
        else:
            rows.append((base + i, deck_id, 0, i, 0, 0, None, None, 0, 0, None))
    return rows


def build_collection(path: Path) -> None:
    database, _ = open_collection(sqlite_url(path), ManualClock(START), path.parent / "media")
    database.close()
    today = study_day(START, 4, UTC)
    now = int(START.timestamp())
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO presets (name, new_per_day, reviews_per_day, learning_steps,"
            " relearning_steps, desired_retention, maximum_interval, parameters)"
            " SELECT 'Bench', 20, 9999, learning_steps, relearning_steps, desired_retention,"
            " maximum_interval, parameters FROM presets WHERE id = 1"
        )
        preset_id = connection.execute("SELECT id FROM presets WHERE name='Bench'").fetchone()[0]
        connection.execute("INSERT INTO decks (name, preset_id) VALUES ('Bench', ?)", (preset_id,))
        deck_id = connection.execute("SELECT id FROM decks WHERE name='Bench'").fetchone()[0]
        basic = connection.execute("SELECT id FROM note_types WHERE name='Basic'").fetchone()[0]
        connection.executemany(
            "INSERT INTO notes (guid, note_type_id, fields, tags, created_at, modified_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    f"bench-{i}",
                    basic,
                    json.dumps([f"Question {i}", f"Answer {i}", ""]),
                    "",
                    now,
                    now,
                )
                for i in range(CARDS)
            ),
        )
        first_note = connection.execute("SELECT min(id) FROM notes WHERE guid LIKE 'bench-%'")
        base = first_note.fetchone()[0]
        connection.executemany(
            "INSERT INTO cards (note_id, deck_id, ordinal, state, due, interval, step, stability,"
            " difficulty, reps, lapses, last_review_day, flag, suspended, buried, modified_at)"
            f" VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, {now})",
            _card_rows(deck_id, base, today, now),
        )
        reviewed = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM cards WHERE deck_id = ? AND state = 2 ORDER BY id", (deck_id,)
            )
        ]
        first = (now - 86400) * 1000  # one review every 10 s, going back from yesterday
        connection.executemany(
            "INSERT INTO review_log (card_id, reviewed_at, kind, rating, state_before,"
            " last_interval, interval, time_taken_ms, stability, difficulty)"
            " VALUES (?, ?, 1, 3, 2, 5, 10, 6000, 12.0, 5.0)",
            ((reviewed[r % len(reviewed)], first - r * 10_000) for r in range(REVIEWS)),
        )
    connection.execute("PRAGMA optimize")
    connection.close()


def cached_collection() -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"collection-{CARDS}-{REVIEWS}.sqlite3"
    if not path.exists():
        print(
            f"building a collection of {CARDS:,} cards (cached in {CACHE.name}/)…", file=sys.stderr
        )
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build_collection(partial)
        partial.rename(path)
    return path


def fresh_copy(folder: Path) -> Path:
    """A copy of the cached collection in `folder`, to measure on."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "collection.sqlite3"
    shutil.copyfile(cached_collection(), target)
    return target


def rebase_to_now(path: Path) -> None:
    """Move the due dates of the collection at `path` by the time since START.

    The app itself runs on the real clock; rebased, it finds the queue as the service benchmarks
    find it at START (instead of months of overdue reviews, and the backlog offer they bring).
    """
    clock = SystemClock()
    now = clock.now()
    days = study_day(now, 4, clock.zone) - study_day(START, 4, UTC)
    seconds = int((now - START).total_seconds())
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE cards SET due = due + ?, last_review_day = last_review_day + ? WHERE state = 2",
            (days, days),
        )
        connection.execute(
            "UPDATE cards SET due = due + ?, last_review_day = last_review_day + ?"
            " WHERE state IN (1, 3)",
            (seconds, days),
        )
    connection.close()
