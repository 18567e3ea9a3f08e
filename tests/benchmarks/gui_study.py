"""Studying in the GUI for `make bench`: key press to the next card painted, and peak memory.

A subprocess starts the real app (offscreen) on a copy of the generated collection, opens the
Bench deck and studies it with the keyboard: Space shows the answer, then the timed part, a
grade key (1 or 3) up to the moment the card view has painted the next question.  Its peak
resident memory (max RSS) over the whole session is the memory figure.
Never collected by pytest.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.bench_collection import fresh_copy, rebase_to_now

STUDY = """
import json, os, resource, statistics, sys, time

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

deck_id, steps = int(sys.argv[1]), int(sys.argv[2])
app = QApplication(sys.argv[:1])


class Painted(QObject):
    # Notes when the card view paints, and ends the wait for it.
    def __init__(self) -> None:
        super().__init__()
        self.at = 0.0
        self.wait = QEventLoop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.at:
            self.at = time.perf_counter()
            self.wait.quit()
        return False


def decline() -> None:
    # Say no to a question the app asks on opening the deck (such as spreading a backlog).
    dialog = app.activeModalWidget()
    if dialog is not None:
        dialog.close()


def study() -> None:
    windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if not windows:
        QTimer.singleShot(1, study)
        return
    window = windows[0]
    QTimer.singleShot(100, decline)
    window.study(deck_id)
    window.activateWindow()  # back from the question: shortcuts work in the active window
    reviewer = window.reviewer
    reviewer.focus_card()
    painted = Painted()
    reviewer.browser.viewport().installEventFilter(painted)

    def press(key: Qt.Key) -> float:
        began = time.perf_counter()
        painted.at = 0.0
        QTest.keyClick(reviewer, key)
        if not painted.at:
            QTimer.singleShot(10_000, painted.wait.quit)
            painted.wait.exec()
        if not painted.at:
            page = reviewer.pages.currentIndex()
            raise RuntimeError(f"no card painted; the reviewer shows page {page}")
        return (painted.at - began) * 1000

    for _ in range(5):
        app.processEvents()
    timings = []
    for i in range(steps):
        press(Qt.Key.Key_Space)
        timings.append(press(Qt.Key.Key_3 if i % 5 else Qt.Key.Key_1))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"step_ms": statistics.median(timings[10:]), "peak_mb": peak}), flush=True)
    os._exit(0)  # the figures are out; skip closing (and the backup made on close)


QTimer.singleShot(0, study)
from studyapp.app import main
sys.exit(main(sys.argv[3:]))
"""


def study_figures(workdir: Path, steps: int = 200) -> dict[str, float]:
    """Median ms from a grade key to the next card painted, and peak MB of the GUI process."""
    data = workdir / "gui"
    path = fresh_copy(data)
    rebase_to_now(path)
    with sqlite3.connect(path) as connection:
        deck_id = connection.execute("SELECT id FROM decks WHERE name = 'Bench'").fetchone()[0]
    collection = ["--data-dir", str(data), "--database", str(path)]
    result = subprocess.run(
        [sys.executable, "-c", STUDY, str(deck_id), str(steps), *collection],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    if result.returncode != 0:
        raise RuntimeError(f"studying in the GUI failed:\n{result.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures
