"""Statistics speed for `make bench`: compute() on 100,000 cards and 1,000,000 review-log rows.

The same history goes into a StudyApp collection and an Anki collection (both generated with
sqlite3 executemany and cached in bench-cache/), and Anki's own statistics (the graphs backend
that its Statistics window calls) are timed on it in a subprocess, when `anki` is installed.
Anki counts days back from the wall clock, so its copy of the history is shifted to end on the
day it was built.  Never collected by pytest.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.app import open_collection
from studyapp.domain.clock import ManualClock, study_day, study_day_start
from studyapp.services.statistics_period import Period
from studyapp.storage.database import sqlite_url

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench-cache"
START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
CARDS = 100_000
REVIEWS = 1_000_000
DECKS = 10
HISTORY_DAYS = 730
DECK = "Stats::Topic 3"
"""The deck measured alone: a tenth of the cards."""

Row = tuple[int, int, int, int, int, int, int, int, float, float]
"""card index, reviewed_at ms, kind, rating, state_before, last_interval, interval, time ms,
stability, difficulty."""


def _spent(chooser: random.Random) -> int:
    return chooser.randint(2000, 12000)


def _history(chooser: random.Random, today: int) -> tuple[list[Row], list[tuple[object, ...]]]:
    """Review rows and final card states (state, due, interval, stability, difficulty, reps,
    lapses, last review day) for every card, with exactly REVIEWS rows."""
    rows: list[Row] = []
    cards: list[tuple[object, ...]] = []
    taken: set[int] = set()
    day_zero = study_day_start(today, 4, UTC)

    def moment(card: int, day: int, second: int) -> int:
        at = int((day_zero + timedelta(days=day - today)).timestamp()) * 1000 + second * 1000
        at += card % 997
        while at in taken:
            at += 1
        taken.add(at)
        return at

    for card in range(CARDS):
        if len(rows) >= REVIEWS or chooser.random() < 0.15:
            cards.append((0, card, 0, None, None, 0, 0, None))
            continue
        day = today - chooser.randint(1, HISTORY_DAYS)
        second = chooser.randint(0, 20 * 3600)
        difficulty = chooser.uniform(3, 8)
        stability = 2.3
        rows.append(
            (
                card,
                moment(card, day, second),
                0,
                3,
                0,
                0,
                -600,
                _spent(chooser),
                1.3,
                difficulty,
            )
        )
        rows.append(
            (
                card,
                moment(card, day, second + 600),
                0,
                3,
                1,
                0,
                1,
                _spent(chooser),
                2.3,
                difficulty,
            )
        )
        interval, reps, lapses, last = 1, 2, 0, day
        while True:
            if day + interval >= today:
                break
            day += interval
            last = day
            second = chooser.randint(0, 20 * 3600)
            reps += 1
            if chooser.random() < 0.1:
                lapses += 1
                stability = max(0.5, stability * 0.4)
                new_interval = max(1, round(stability))
                rows.append(
                    (card, moment(card, day, second), 1, 1, 2, interval, -600, _spent(chooser),
                     stability, difficulty)
                )  # fmt: skip
                rows.append(
                    (card, moment(card, day, second + 600), 2, 3, 3, new_interval, new_interval,
                     _spent(chooser), stability, difficulty)
                )  # fmt: skip
                reps += 1
                interval = new_interval
            else:
                rating = chooser.choices((2, 3, 4), (15, 75, 10))[0]
                stability *= {2: 1.2, 3: 1.8, 4: 2.6}[rating]
                new_interval = max(1, min(36500, round(stability)))
                rows.append(
                    (card, moment(card, day, second), 1, rating, 2, interval, new_interval,
                     _spent(chooser), stability, difficulty)
                )  # fmt: skip
                interval = new_interval
        cards.append((2, day + interval, interval, stability, difficulty, reps, lapses, last))
    del rows[REVIEWS:]
    if len(rows) < REVIEWS:
        raise RuntimeError(f"the generator made only {len(rows)} reviews")
    return rows, cards


def build_collections(ours: Path, anki: Path | None) -> None:
    """Our collection at `ours` and, if asked, the same history in an Anki collection."""
    database, _ = open_collection(sqlite_url(ours), ManualClock(START), ours.parent / "media")
    database.close()
    today = study_day(START, 4, UTC)
    now = int(START.timestamp())
    rows, cards = _history(random.Random(11), today)
    connection = sqlite3.connect(ours)
    with connection:
        connection.executemany(
            "INSERT INTO decks (name, preset_id) VALUES (?, 1)",
            [("Stats",), *((f"Stats::Topic {d}",) for d in range(DECKS))],
        )
        decks = [
            connection.execute(
                "SELECT id FROM decks WHERE name = ?", (f"Stats::Topic {d}",)
            ).fetchone()[0]
            for d in range(DECKS)
        ]
        basic = connection.execute("SELECT id FROM note_types WHERE name='Basic'").fetchone()[0]
        base = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM notes").fetchone()[0]
        connection.executemany(
            "INSERT INTO notes (id, guid, note_type_id, fields, tags, created_at, modified_at)"
            " VALUES (?, ?, ?, ?, '', ?, ?)",
            (
                (base + i, f"stats-{i}", basic, json.dumps([f"Q {i}", f"A {i}", ""]),
                 now - 86400 * (i % HISTORY_DAYS), now)
                for i in range(CARDS)
            ),
        )  # fmt: skip
        first_card = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM cards").fetchone()[0]
        connection.executemany(
            "INSERT INTO cards (id, note_id, deck_id, ordinal, state, due, interval, step,"
            " stability, difficulty, reps, lapses, last_review_day, flag, suspended, buried,"
            " modified_at) VALUES (?, ?, ?, 0, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0, 0, 0, ?)",
            ((first_card + i, base + i, decks[i % DECKS], *c, now) for i, c in enumerate(cards)),
        )
        connection.executemany(
            "INSERT INTO review_log (card_id, reviewed_at, kind, rating, state_before,"
            " last_interval, interval, time_taken_ms, stability, difficulty)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((first_card + r[0], *r[1:]) for r in rows),
        )
    connection.execute("ANALYZE")
    connection.close()
    if anki is not None:
        _build_anki(anki, rows, cards, today)


ANKI_BUILD = """
import json, sys
from anki.collection import Collection
path, decks = sys.argv[1], int(sys.argv[2])
col = Collection(path)
ids = [col.decks.id(f"Stats::Topic {d}") for d in range(decks)]
print(json.dumps({"decks": ids, "basic": col.models.by_name("Basic")["id"],
                  "crt": col.crt}))
col.close()
"""

ANKI_STATS = """
import json, sys, time
from anki.collection import Collection
col = Collection(sys.argv[1])
timings = {}
for name, search in (("collection", ""), ("deck", 'deck:"Stats::Topic 3"')):
    runs = []
    for _ in range(3):
        began = time.perf_counter()
        col._backend.graphs(search=search, days=365)
        runs.append((time.perf_counter() - began) * 1000)
    timings[name] = sorted(runs)[1]
col.close()
print(json.dumps(timings))
"""


def _build_anki(path: Path, rows: list[Row], cards: list[tuple[object, ...]], today: int) -> None:
    made = subprocess.run(
        [sys.executable, "-c", ANKI_BUILD, str(path), str(DECKS)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    info = json.loads(made.stdout)
    shift_days = (datetime.now(UTC).date() - START.date()).days
    shift_ms = shift_days * 86_400_000
    anki_today = (int(time.time()) - info["crt"] - 4 * 3600) // 86400
    now = int(time.time())
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)"
            " VALUES (?, ?, ?, ?, -1, '', ?, ?, ?, 0, '')",
            (
                (i + 1, f"stats-{i}", info["basic"], now, f"Q {i}\x1fA {i}", f"Q {i}", i)
                for i in range(CARDS)
            ),
        )
        cards_rows = []
        for i, (state, due, interval, stability, difficulty, reps, lapses, _last) in enumerate(
            cards
        ):
            memory = "" if stability is None else json.dumps({"s": stability, "d": difficulty})
            due_value = int(due) - today + anki_today if state == 2 else int(due)  # type: ignore[call-overload]
            cards_rows.append(
                (i + 1, i + 1, info["decks"][i % DECKS], now, state, state, due_value, interval,
                 reps, lapses, memory)
            )  # fmt: skip
        connection.executemany(
            "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor,"
            " reps, lapses, left, odue, odid, flags, data)"
            " VALUES (?, ?, ?, 0, ?, -1, ?, ?, ?, ?, 2500, ?, ?, 0, 0, 0, 0, ?)",
            cards_rows,
        )
        connection.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, -1, ?, ?, ?, 2500, ?, ?)",
            ((r[1] + shift_ms, r[0] + 1, r[3], r[6], r[5], r[7], r[2]) for r in rows),
        )
    connection.close()


def _cached() -> tuple[Path, Path | None]:
    CACHE.mkdir(exist_ok=True)
    ours = CACHE / f"stats-{CARDS}-{REVIEWS}.sqlite3"
    anki = CACHE / f"stats-{CARDS}-{REVIEWS}.anki2"
    has_anki = _anki_installed()
    if not ours.exists() or (has_anki and not anki.exists()):
        print("building the statistics collections (cached in bench-cache/)…", file=sys.stderr)
        for stale in (ours, anki):
            stale.unlink(missing_ok=True)
        partial = ours.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        anki_partial = anki.with_name("partial-" + anki.name) if has_anki else None
        if anki_partial is not None:
            anki_partial.unlink(missing_ok=True)
        build_collections(partial, anki_partial)
        partial.rename(ours)
        if anki_partial is not None:
            anki_partial.rename(anki)
    return ours, anki if has_anki else None


def _anki_installed() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import anki"], capture_output=True)
    return probe.returncode == 0


def _ours_ms(source: Path, workdir: Path, repeats: int = 5) -> dict[str, float]:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "stats.sqlite3"
    shutil.copyfile(source, path)
    database, services = open_collection(sqlite_url(path), ManualClock(START), workdir / "media")
    deck_id = services.decks.by_name(DECK).id
    timings: dict[str, float] = {}
    for name, scope in (("collection", None), ("deck", deck_id)):
        services.statistics.compute(scope, Period.YEAR)  # warm the page cache
        runs = []
        for _ in range(repeats):
            began = time.perf_counter()
            services.statistics.compute(scope, Period.YEAR)
            runs.append((time.perf_counter() - began) * 1000)
        timings[name] = statistics.median(runs)
    database.close()
    return timings


def _anki_ms(source: Path, workdir: Path) -> dict[str, float]:
    path = workdir / "stats.anki2"
    shutil.copyfile(source, path)
    result = subprocess.run(
        [sys.executable, "-c", ANKI_STATS, str(path)], capture_output=True, text=True, check=True
    )
    timings: dict[str, float] = json.loads(result.stdout)
    return timings


def statistics_rows() -> list[tuple[str, float, float | None]]:
    """(measure, our median ms, Anki's ms or None) for the whole collection and one deck."""
    ours_source, anki_source = _cached()
    workdir = CACHE / "work" / "statistics"
    shutil.rmtree(workdir, ignore_errors=True)
    ours = _ours_ms(ours_source, workdir)
    anki = _anki_ms(anki_source, workdir) if anki_source is not None else {}
    label = f"{CARDS:,} cards, {REVIEWS:,} reviews, 1 year"
    return [
        (f"statistics, whole collection ({label})", ours["collection"], anki.get("collection")),
        (f"statistics, one deck of {CARDS // DECKS:,} cards (1 year)", ours["deck"],
         anki.get("deck")),
    ]  # fmt: skip


if __name__ == "__main__":
    for measure, ours_ms, anki_ms in statistics_rows():
        anki_text = "" if anki_ms is None else f"{anki_ms:,.1f} ms"
        print(f"{measure:<70} {ours_ms:>9,.1f} ms  Anki {anki_text}")
