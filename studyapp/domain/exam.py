"""Exam dates: which review days keep a card at or above a target recall on the exam day.

An exam is on study day `day` (a date's ordinal, see domain.clock).  A review that would land on or
after the exam day is too late when the card's predicted recall on the exam day is below the target.
Such a review is moved into the exam window: the days before the exam from which, after a Good
answer there, recall on the exam day is predicted at or above the target.  A later review leaves
less time to forget, so the window always ends on the day before the exam.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from studyapp.domain.cards import Rating
from studyapp.domain.decks import Deck, parent_names
from studyapp.domain.memory import MemoryState, next_state, retrievability


@dataclass(frozen=True, slots=True)
class ExamTarget:
    """An exam on study day `day`; every card should be at or above `target_recall` that day."""

    day: int
    target_recall: float


def exam_window(
    memory: MemoryState,
    today: int,
    interval: int,
    exam: ExamTarget,
    parameters: Sequence[float],
) -> tuple[int, int] | None:
    """The shortest and longest interval (days from `today`) that keep a card on target for
    `exam`, or None when `interval` needs no change.

    `memory` is the card's state after today's answer and `interval` the one the scheduler chose.
    No change is needed when the review lands before the exam day, when the exam is past or today,
    or when recall on the exam day is predicted at or above the target anyway.  Otherwise the
    window ends on the day before the exam (on the exam day itself when that is tomorrow) and
    starts on the earliest day from which a Good answer keeps recall on target; when no day does,
    the window is the last day alone.
    """
    days_left = exam.day - today
    if days_left <= 0 or interval < days_left:
        return None
    if retrievability(days_left, memory.stability, parameters) >= exam.target_recall:
        return None
    latest = max(1, days_left - 1)

    def on_target(candidate: int) -> bool:
        after = next_state(memory, candidate, Rating.GOOD, parameters)
        recall = retrievability(days_left - candidate, after.stability, parameters)
        return recall >= exam.target_recall

    if not on_target(latest):
        return latest, latest
    # Recall on the exam day only grows as the review moves later: bisect for the earliest day.
    low, high = 1, latest
    while low < high:
        middle = (low + high) // 2
        if on_target(middle):
            high = middle
        else:
            low = middle + 1
    return low, latest


def deck_exam(decks: Iterable[Deck], deck: Deck, today: int) -> ExamTarget | None:
    """The exam `deck`'s cards prepare for: its own or an ancestor's, the soonest one after
    `today`; None when there is none."""
    names = {deck.name, *parent_names(deck.name)}
    upcoming = [
        ExamTarget(d.exam.exam_date.toordinal(), d.exam.target_recall)
        for d in decks
        if d.name in names and d.exam is not None and d.exam.exam_date.toordinal() > today
    ]
    return min(upcoming, key=lambda exam: exam.day, default=None)
