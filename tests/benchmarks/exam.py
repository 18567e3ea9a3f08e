"""Exam mode speed for `make bench`, on a 100,000-card deck with an exam 30 days ahead.

Runs on the generated collection of bench_collection (70% review cards with a memory state, 25%
new, 5% learning), at service level:
- the exam panel: the one query for the cards' memory columns and the vectorized projection;
- a review step on review cards (learning cards suspended), where every answer button's interval
  is load balanced over the fuzz range and capped for the exam.
Never collected by pytest.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from studyapp.app import open_collection
from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.domain.decks import ExamPlan
from studyapp.storage.database import sqlite_url
from tests.benchmarks.bench_collection import CACHE, CARDS, START, fresh_copy

EXAM_IN_DAYS = 30
TARGET_RECALL = 0.9


def exam_rows(repeats: int = 5, steps: int = 300) -> list[tuple[str, float, str]]:
    """(measure, median ms, goal): the exam panel of the generated deck, and a review step."""
    path = fresh_copy(Path(CACHE) / "work" / "exam")
    with sqlite3.connect(path) as connection:  # only review cards come up
        connection.execute("UPDATE cards SET suspended = 1 WHERE state IN (1, 3)")
    connection.close()
    database, services = open_collection(
        sqlite_url(path), ManualClock(START), path.parent / "media"
    )
    try:
        deck_id = services.decks.by_name("Bench").id
        exam_day = date.fromordinal(START.date().toordinal()) + timedelta(days=EXAM_IN_DAYS)
        services.exams.set_exam(deck_id, ExamPlan(exam_day, TARGET_RECALL))
        timings = []
        for _ in range(repeats):
            began = time.perf_counter()
            panel = services.exams.panel(deck_id)
            timings.append((time.perf_counter() - began) * 1000)
            assert panel is not None
            assert panel.projection.cards > CARDS // 2  # all but the suspended learning cards
        step = services.study.next_step(deck_id)
        answers = []
        for i in range(steps):
            assert step.card is not None
            began = time.perf_counter()
            services.study.answer(step.card.card_id, Rating.GOOD if i % 5 else Rating.AGAIN, 3000)
            step = services.study.next_step(deck_id)
            answers.append((time.perf_counter() - began) * 1000)
    finally:
        database.close()
    size = f"{CARDS // 1000}k cards"
    return [
        (f"exam panel: project {size} to the exam day (median)", statistics.median(timings),
         "<= 300 ms"),
        (f"review step, review cards, exam set ({size}, median)", statistics.median(answers),
         "<= 0.4 ms"),
    ]  # fmt: skip


if __name__ == "__main__":
    for name, ms, goal in exam_rows():
        print(f"{name:<64} {ms:>10,.1f} ms  {goal}")
