"""`make bench`: speed figures on generated collections, printed as one table.

Generated collections are cached in bench-cache/ (git-ignored) and copied before each measurement,
so every run starts from the same data.  Never collected by pytest.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from studyapp.app import open_collection
from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.storage.database import sqlite_url
from tests.benchmarks import anki_side
from tests.benchmarks.bench_collection import (
    CACHE,
    CARDS,
    REVIEWS,
    START,
    fresh_copy,
    rebase_to_now,
)
from tests.benchmarks.exam import exam_rows
from tests.benchmarks.fitting import fitting_rows
from tests.benchmarks.generation import generation_rows
from tests.benchmarks.gui_study import study_figures
from tests.benchmarks.imports import import_rows
from tests.benchmarks.search import search_rows
from tests.benchmarks.statistics import statistics_rows


def review_step_ms(workdir: Path, steps: int = 300) -> list[float]:
    """Answer a card and fetch and render the next one, at service level."""
    path = fresh_copy(workdir / "review")
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
    path = fresh_copy(workdir / "decks")
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
# The app's own module first, as when it is launched: it imports Qt only to open the window.
from studyapp.app import main
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
sys.exit(main(sys.argv[1:]))
"""


def launch_ms(workdir: Path, runs: int = 5) -> list[float]:
    """Process start to a visible main window with the generated collection's deck list,
    offscreen.  A first command-line run installs the built-in decks (and brings back the
    day's buried cards) beforehand; a warm-up launch writes the compiled modules."""
    data = workdir / "launch"
    path = fresh_copy(data)
    rebase_to_now(path)
    collection = ["--data-dir", str(data), "--database", str(path)]
    subprocess.run(
        [sys.executable, "-m", "studyapp", *collection, "decks"], check=True, capture_output=True
    )
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # Python caches compiled modules as an installed app does (a sandbox may turn that off).
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    _launch_once(collection, environment)  # the warm-up
    return [_launch_once(collection, environment) for _ in range(runs)]


def _launch_once(collection: list[str], environment: dict[str, str]) -> float:
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH_PROBE, *collection],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # Qt's offscreen plugin notes
        text=True,
        env=environment,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    elapsed = (time.perf_counter() - began) * 1000
    process.wait(timeout=60)
    if line != "ready":
        raise RuntimeError("the app did not show its window")
    os.sync()  # the backup made on close is on disk before the next launch starts
    return elapsed


@dataclass(frozen=True)
class Row:
    measure: str
    ours: float
    unit: str
    goal: str
    anki: float | None = None
    higher_is_better: bool = False
    anki_reference: str = ""
    """Anki's figure from the issue's reference machine, when this run cannot measure it."""

    def anki_text(self) -> str:
        if self.anki is not None:
            return f"{self.anki:,.2f}" if self.anki < 10 else f"{self.anki:,.0f}"
        return f"{self.anki_reference} (ref.)" if self.anki_reference else ""

    def ratio(self) -> str:
        """How many times better (>1) or worse (<1) than Anki."""
        if self.anki is None or not self.ours:
            return ""
        times = self.ours / self.anki if self.higher_is_better else self.anki / self.ours
        return f"{times:.2f}x"


def main() -> None:
    workdir = CACHE / "work"
    shutil.rmtree(workdir, ignore_errors=True)
    anki = anki_side.measure(CACHE, workdir / "anki")
    studying = study_figures(workdir)
    size = f"{CARDS // 1000}k cards, {REVIEWS // 1_000_000}M reviews"
    rows = [
        Row(
            f"launch to a usable deck list ({size}, median of 5)",
            median(launch_ms(workdir)),
            "ms",
            "<= 500 ms",
            anki_reference=anki_side.DESKTOP_LAUNCH_REFERENCE,
        ),
        Row(
            f"review step, service level ({size}, median)",
            median(review_step_ms(workdir)),
            "ms",
            "<= 0.4 ms",
            anki.get("review_step_ms"),
        ),
        Row("review step, GUI: key to next card painted", studying["step_ms"], "ms", "<= 16 ms"),
        Row(
            f"deck list counts ({size}, median)",
            median(deck_list_ms(workdir)),
            "ms",
            "<= 2 ms",
            anki.get("deck_list_ms"),
        ),
        Row(
            "peak memory of the GUI, studying (max RSS)",
            studying["peak_mb"],
            "MB",
            "<= 200 MB",
            anki_reference="~340",
        ),
    ]
    for measure, ours, anki_rate, peak in import_rows(CACHE, workdir / "imports"):
        goal = ">= 30,000/s" if "CSV" in measure else ">= 80,000/s"
        rows.append(Row(measure, ours, "notes/s", goal, anki_rate, higher_is_better=True))
        rows.append(Row(f"  peak memory ({measure.split(' from ')[-1]})", peak, "MB", "< 400 MB"))
    rows += [Row(name, ours, "ms", "<= 400 ms", anki) for name, ours, anki in statistics_rows()]
    rows += [Row(name, value, unit, "") for name, value, unit in fitting_rows()]
    rows += [Row(name, seconds, "s", goal) for name, seconds, goal in generation_rows()]
    rows += [Row(name, ms, "ms", goal) for name, ms, goal in search_rows()]
    rows += [Row(name, ms, "ms", goal) for name, ms, goal in exam_rows()]
    width = max(len(row.measure) for row in rows)
    print(f"{'measure':<{width}} {'ours':>18}  {'goal':<12} {'Anki':>16} {'ratio':>7}")
    for row in rows:
        print(
            f"{row.measure:<{width}} {row.ours:>10,.2f} {row.unit:<7} {row.goal:<12} "
            f"{row.anki_text():>16} {row.ratio():>7}"
        )
    print("ratio: how many times faster than Anki (times: Anki's / ours; rates: ours / Anki's).")
    print("(ref.): Anki's figure on the issue's reference machine, not measured in this run.")
    if not anki:
        print("Anki's figures need the `anki` package: pip install -e '.[bench]'.")


def median(values: list[float]) -> float:
    return statistics.median(values)


if __name__ == "__main__":
    main()
