"""`make bench`: speed figures on generated collections, printed as one table.

Generated collections are cached in bench-cache/ (git-ignored) and copied before each measurement,
so every run starts from the same data.  Never collected by pytest.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.app import open_collection
from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock, study_day
from studyapp.storage.database import sqlite_url
from tests.benchmarks.fitting import fitting_rows
from tests.benchmarks.generation import generation_rows
from tests.benchmarks.imports import import_rows
from tests.benchmarks.statistics import statistics_rows

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench-cache"
START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
CARDS = 100_000


def build_collection(path: Path, cards: int) -> None:
    """A collection with one deck of `cards` Basic cards: 70% review, 5% learning, 25% new."""
    database, _ = open_collection(sqlite_url(path), ManualClock(START), path.parent / "media")
    database.close()
    today = study_day(START, 4, UTC)
    now = int(START.timestamp())
    chooser = random.Random(7)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO presets (name, new_per_day, reviews_per_day, learning_steps,"
            " relearning_steps, desired_retention, maximum_interval, parameters)"
            " SELECT 'Bench', 20, 100000, learning_steps, relearning_steps, desired_retention,"
            " maximum_interval, parameters FROM presets WHERE id = 1"
        )
        preset_id = connection.execute("SELECT id FROM presets WHERE name='Bench'").fetchone()[0]
        connection.execute("INSERT INTO decks (name, preset_id) VALUES ('Bench', ?)", (preset_id,))
        deck_id = connection.execute("SELECT id FROM decks WHERE name='Bench'").fetchone()[0]
        basic = connection.execute("SELECT id FROM note_types WHERE name='Basic'").fetchone()[0]
        notes = [
            (f"bench-{i}", basic, json.dumps([f"Question {i}", f"Answer {i}", ""]), "", now, now)
            for i in range(cards)
        ]
        connection.executemany(
            "INSERT INTO notes (guid, note_type_id, fields, tags, created_at, modified_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            notes,
        )
        first_note = connection.execute("SELECT min(id) FROM notes WHERE guid LIKE 'bench-%'")
        base = first_note.fetchone()[0]
        rows: list[tuple[object, ...]] = []
        for i in range(cards):
            kind = chooser.random()
            if kind < 0.70:
                interval = chooser.randint(1, 400)
                rows.append(
                    (
                        base + i,
                        deck_id,
                        2,
                        today + chooser.randint(-30, interval),
                        interval,
                        0,
                        interval * 1.2,
                        chooser.uniform(2, 9),
                        5,
                        1,
                        today - 1,
                    )
                )
            elif kind < 0.75:
                rows.append(
                    (
                        base + i,
                        deck_id,
                        1,
                        now + chooser.randint(-600, 3600),
                        0,
                        1,
                        1.0,
                        5.0,
                        1,
                        0,
                        today,
                    )
                )
            else:
                rows.append((base + i, deck_id, 0, i, 0, 0, None, None, 0, 0, None))
        connection.executemany(
            "INSERT INTO cards (note_id, deck_id, ordinal, state, due, interval, step, stability,"
            " difficulty, reps, lapses, last_review_day, flag, suspended, buried, modified_at)"
            f" VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, {now})",
            rows,
        )
    connection.execute("PRAGMA optimize")
    connection.close()


def cached_collection(cards: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"collection-{cards}.sqlite3"
    if not path.exists():
        print(
            f"building a collection of {cards:,} cards (cached in {CACHE.name}/)…", file=sys.stderr
        )
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build_collection(partial, cards)
        partial.rename(path)
    return path


def fresh_copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "collection.sqlite3"
    shutil.copyfile(source, target)
    return target


def review_step_ms(workdir: Path, steps: int = 300) -> list[float]:
    """Answer a card and fetch and render the next one, at service level."""
    path = fresh_copy(cached_collection(CARDS), workdir / "review")
    clock = ManualClock(START)
    database, services = open_collection(sqlite_url(path), clock, path.parent / "media")
    deck_id = services.decks.by_name("Bench").id
    step = services.study.next_step(deck_id)
    timings = []
    for i in range(steps):
        assert step.card is not None
        began = time.perf_counter()
        services.study.answer(step.card.card_id, Rating.GOOD if i % 5 else Rating.AGAIN, 3000)
        step = services.study.next_step(deck_id)
        timings.append((time.perf_counter() - began) * 1000)
        clock.advance(timedelta(seconds=5))
    database.close()
    return timings


def deck_list_ms(workdir: Path, repeats: int = 20) -> list[float]:
    path = fresh_copy(cached_collection(CARDS), workdir / "decks")
    database, services = open_collection(
        sqlite_url(path), ManualClock(START), path.parent / "media"
    )
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        services.decks.deck_list()
        timings.append((time.perf_counter() - began) * 1000)
    database.close()
    return timings


LAUNCH_PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])

def ready() -> None:
    if any(w.isVisible() for w in QApplication.topLevelWidgets()):
        print("ready", flush=True)
        app.quit()
    else:
        QTimer.singleShot(1, ready)

QTimer.singleShot(0, ready)
from studyapp.app import main
sys.exit(main(sys.argv[1:]))
"""


def launch_ms(workdir: Path, runs: int = 5) -> list[float]:
    """Process start to a visible main window with its deck list, offscreen."""
    data = workdir / "launch"
    subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data), "decks"],
        check=True,
        capture_output=True,
    )
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH_PROBE, "--data-dir", str(data)],
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        timings.append((time.perf_counter() - began) * 1000)
        process.wait(timeout=60)
        if line != "ready":
            raise RuntimeError("the app did not show its window")
    return timings


@dataclass(frozen=True)
class Row:
    measure: str
    ours: float
    unit: str
    goal: str
    anki: float | None = None
    higher_is_better: bool = False

    def ratio(self) -> str:
        if self.anki is None or not self.ours:
            return ""
        times = self.ours / self.anki if self.higher_is_better else self.anki / self.ours
        return f"{times:.2f}x"


def main() -> None:
    workdir = CACHE / "work"
    shutil.rmtree(workdir, ignore_errors=True)
    rows = [
        Row(
            "launch to a usable deck list (median of 5)",
            median(launch_ms(workdir)),
            "ms",
            "<= 500 ms",
        ),
        Row(
            f"review step, service level ({CARDS:,} cards, median)",
            median(review_step_ms(workdir)),
            "ms",
            "<= 0.4 ms",
        ),
        Row(
            f"deck list counts ({CARDS:,} cards, median)",
            median(deck_list_ms(workdir)),
            "ms",
            "<= 2 ms",
        ),
    ]
    for measure, ours, anki_rate, peak in import_rows(CACHE, workdir / "imports"):
        goal = ">= 30,000/s" if "CSV" in measure else ">= 80,000/s"
        rows.append(Row(measure, ours, "notes/s", goal, anki_rate, higher_is_better=True))
        rows.append(Row(f"  peak memory ({measure.split(' from ')[-1]})", peak, "MB", "< 400 MB"))
    rows += [Row(name, ours, "ms", "<= 400 ms", anki) for name, ours, anki in statistics_rows()]
    rows += [Row(name, value, unit, "") for name, value, unit in fitting_rows()]
    rows += [Row(name, seconds, "s", goal) for name, seconds, goal in generation_rows()]
    print(f"{'measure':<58} {'ours':>14}  {'goal':<12} {'Anki':>12} {'ratio':>7}")
    for row in rows:
        anki_text = "" if row.anki is None else f"{row.anki:,.1f}"
        print(
            f"{row.measure:<58} {row.ours:>10,.2f} {row.unit:<4} {row.goal:<12} {anki_text:>12} "
            f"{row.ratio():>7}"
        )


def median(values: list[float]) -> float:
    return statistics.median(values)


if __name__ == "__main__":
    main()
