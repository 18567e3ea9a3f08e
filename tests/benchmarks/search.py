"""Browser search speed for `make bench`: a search over 100,000 cards sorted by due, at service
level: its first screen of rows (ids sorted and cut in SQL, then their values), and apart from
that the whole sorted id list the table fetches afterwards.

The collection (10 decks, tags on every note, 70% review cards with a memory state) is generated
with sqlite3 executemany and cached in bench-cache/.  Never collected by pytest.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from studyapp.app import open_collection
from studyapp.domain.browser_columns import BrowserMode, Column
from studyapp.domain.clock import ManualClock, study_day
from studyapp.storage.database import sqlite_url

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench-cache"
START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
CARDS = 100_000
SCREEN = 50
"""Rows a browser screen shows."""
QUERIES = (
    "",
    "tag:topic3",
    "heart",
    "is:due",
    "prop:r<0.9",
    '"deck:Search::Topic 3" is:review',
    "tag:topic* -is:new prop:ivl>30",
)
WORDS = ("heart", "lung", "airway", "shock", "trauma", "cardiac", "breathing", "bleeding")


def _build(path: Path) -> None:
    database, _ = open_collection(sqlite_url(path), ManualClock(START), path.parent / "media")
    database.close()
    today = study_day(START, 4, UTC)
    now = int(START.timestamp())
    chooser = random.Random(11)
    connection = sqlite3.connect(path)
    with connection:
        basic = connection.execute("SELECT id FROM note_types WHERE name='Basic'").fetchone()[0]
        connection.execute("INSERT INTO decks (name, preset_id) VALUES ('Search', 1)")
        decks = []
        for topic in range(10):
            name = f"Search::Topic {topic}"
            connection.execute("INSERT INTO decks (name, preset_id) VALUES (?, 1)", (name,))
            decks.append(
                connection.execute("SELECT id FROM decks WHERE name=?", (name,)).fetchone()[0]
            )
        notes = []
        for i in range(CARDS):
            word = WORDS[i % len(WORDS)]
            front = f"Question {i} about the {word} in <b>patient</b> care"
            tags = f" topic{i % 10} topic{i % 10}::part{i % 7} "
            notes.append(
                (f"search-{i}", basic, json.dumps([front, f"Answer {i}", ""]), tags, now, now)
            )
        connection.executemany(
            "INSERT INTO notes (guid, note_type_id, fields, tags, created_at, modified_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            notes,
        )
        base = connection.execute(
            "SELECT min(id) FROM notes WHERE guid LIKE 'search-%'"
        ).fetchone()[0]
        rows: list[tuple[object, ...]] = []
        for i in range(CARDS):
            deck = decks[i % 10]
            kind = chooser.random()
            if kind < 0.70:
                interval = chooser.randint(1, 400)
                last = today - chooser.randint(0, interval + 30)
                stability = interval * chooser.uniform(0.5, 1.5)
                due = last + interval
                rows.append((base + i, deck, 2, due, interval, stability, 5.0, 5, 1, last))
            elif kind < 0.75:
                rows.append(
                    (base + i, deck, 1, now + chooser.randint(-600, 3600), 0, 1.0, 5.0, 1, 0, today)
                )
            else:
                rows.append((base + i, deck, 0, i, 0, None, None, 0, 0, None))
        connection.executemany(
            "INSERT INTO cards (note_id, deck_id, ordinal, state, due, interval, step, stability,"
            " difficulty, reps, lapses, last_review_day, flag, suspended, buried, modified_at)"
            f" VALUES (?, ?, 0, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0, 0, 0, {now})",
            rows,
        )
    connection.execute("PRAGMA optimize")
    connection.close()


def _collection(workdir: Path) -> Path:
    CACHE.mkdir(exist_ok=True)
    cached = CACHE / f"search-{CARDS}.sqlite3"
    if not cached.exists():
        print(f"building a browser collection of {CARDS:,} cards…", file=sys.stderr)
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _build(partial)
        partial.rename(cached)
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "collection.sqlite3"
    shutil.copyfile(cached, copy)
    return copy


def search_rows(repeats: int = 7) -> list[tuple[str, float, str]]:
    """(measure, median ms, goal): each query sorted by due, its first screen of rows (what the
    browser shows before anything else), then every matching id (fetched after that screen)."""
    path = _collection(CACHE / "work" / "search")
    database, services = open_collection(
        sqlite_url(path), ManualClock(START), path.parent / "media"
    )
    results = []
    try:
        for query in QUERIES:
            first: list[float] = []
            rest: list[float] = []
            found = 0
            for _ in range(repeats):
                began = time.perf_counter()
                page = services.browser.first_page(
                    query, BrowserMode.CARDS, Column.DUE, size=SCREEN
                )
                first.append((time.perf_counter() - began) * 1000)
                assert len(page.rows) == SCREEN
                began = time.perf_counter()
                found = len(services.browser.search(query, BrowserMode.CARDS, Column.DUE))
                rest.append((time.perf_counter() - began) * 1000)
            shown = query or "(everything)"
            measure = f"browser: {shown} by due, first screen"
            results.append((measure, statistics.median(first), "< 100 ms"))
            measure = f"browser: {shown}, all {found:,} ids (afterwards)"
            results.append((measure, statistics.median(rest), "off the first screen"))
    finally:
        database.close()
    return results


if __name__ == "__main__":
    for name, ms, goal in search_rows():
        print(f"{name:<70} {ms:8.1f} ms  {goal}")
