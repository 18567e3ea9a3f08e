"""How a deck will stand on its exam day: projected recall, the work needed, and feasibility.

Each card is projected twice.  If the user stopped now, its recall on the exam day is read off its
forgetting curve from its last review (0 for a card never studied).  If the plan is followed, every
review until the exam is answered Good on the day it falls due, with intervals from the preset and
capped for the exam as the scheduler caps them (domain.exam: a review that would leave the card
below the target on the exam day moves to the day before it); new cards are introduced at the
preset's daily limit, each through its learning steps.  Fuzz and load balancing move reviews by a
few days and are left out.

The projection is vectorized: every card of a deck takes its next review in the same numpy pass,
and a pass per review round runs until no card has a review left before the exam.  numpy is
imported inside the function that needs it, so importing this module stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyapp.domain.cards import CardState, Rating
from studyapp.domain.decks import Preset
from studyapp.domain.exam import ExamTarget
from studyapp.domain.memory import (
    MAX_DIFFICULTY,
    MIN_DIFFICULTY,
    MIN_STABILITY,
    MemoryState,
    initial_state,
    next_state,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class CardColumns:
    """The cards to project as parallel columns, in the order new cards are introduced (by id).

    `stability`, `difficulty` and `last_review_day` are None for a card never studied; `due` is a
    study day for a review card and unused otherwise.
    """

    deck_id: Sequence[int]
    state: Sequence[int]
    due: Sequence[int]
    stability: Sequence[float | None]
    difficulty: Sequence[float | None]
    last_review_day: Sequence[int | None]


@dataclass(frozen=True, slots=True)
class ExamProjection:
    cards: int
    days_left: int
    """Study days from today until the exam day (the exam day itself not included)."""
    new_cards: int
    """Cards never studied, still to be introduced before the exam."""
    reviews: int
    """Answers of review cards the plan needs before the exam."""
    learning_steps: int
    """Answers of new cards in their learning steps."""
    planned_average: float
    planned_on_target: int
    """Cards projected at or above the target if the plan is followed."""
    stopped_average: float
    stopped_on_target: int
    """Cards projected at or above the target if the user stopped studying now."""
    feasible: bool

    @property
    def reviews_per_day(self) -> int:
        """Review answers a day, on average, until the exam (rounded up)."""
        return math.ceil(self.reviews / self.days_left) if self.days_left > 0 else self.reviews


@dataclass(slots=True)
class _Cards:
    """The projected cards' running state (one entry per card), updated in place."""

    stability: FloatArray
    difficulty: FloatArray
    last: IntArray
    """The study day of the card's latest (projected) review."""
    day: IntArray
    """The study day of its next review."""
    reviews: IntArray


class _Curve:
    """One preset's forgetting curve and intervals, over arrays."""

    def __init__(self, preset: Preset, exam: ExamTarget) -> None:
        w = [float(v) for v in preset.parameters]
        self.w = w
        self.decay = -w[20]
        self.factor = math.pow(0.9, 1 / self.decay) - 1
        self.interval_scale = (math.pow(preset.desired_retention, 1 / self.decay) - 1) / (
            self.factor
        )
        self.maximum_interval = preset.maximum_interval
        self.exam = exam
        easy_difficulty = w[4] - math.exp(w[5] * 3) + 1
        self.difficulty_anchor = w[7] * easy_difficulty

    def recall(self, elapsed: IntArray, stability: FloatArray) -> FloatArray:
        import numpy as np

        days = np.maximum(elapsed, 0).astype(np.float64)
        return np.power(1 + self.factor * days / stability, self.decay)

    def capped_interval(self, stability: FloatArray, day: IntArray) -> IntArray:
        """The interval after a review on `day` that left `stability`: the preset's, or the day
        before the exam when the preset's would leave recall there below the target."""
        import numpy as np

        interval = np.clip(np.round(stability * self.interval_scale), 1, self.maximum_interval)
        interval = interval.astype(np.int64)
        left = self.exam.day - day
        late = (interval >= left) & (self.recall(left, stability) < self.exam.target_recall)
        return np.where(late, np.maximum(1, left - 1), interval)

    def answer_good(self, cards: _Cards, index: IntArray) -> None:
        """Answer Good the cards at `index` on their review day, and schedule the next review."""
        import numpy as np

        w = self.w
        stability = cards.stability[index]
        difficulty = cards.difficulty[index]
        day = cards.day[index]
        elapsed = np.maximum(day - cards.last[index], 0)
        recall = self.recall(elapsed, stability)
        growth = (
            math.exp(w[8])
            * (11 - difficulty)
            * np.power(stability, -w[9])
            * (np.exp((1 - recall) * w[10]) - 1)
        )
        same_day = np.maximum(math.exp(w[17] * w[18]) * np.power(stability, -w[19]), 1.0)
        stability = np.where(elapsed == 0, stability * same_day, stability * (1 + growth))
        stability = np.maximum(stability, MIN_STABILITY)
        cards.stability[index] = stability
        cards.difficulty[index] = np.clip(
            self.difficulty_anchor + (1 - w[7]) * difficulty, MIN_DIFFICULTY, MAX_DIFFICULTY
        )
        cards.last[index] = day
        cards.day[index] = day + self.capped_interval(stability, day)
        cards.reviews[index] += 1


def _learned(preset: Preset) -> tuple[MemoryState, int]:
    """A new card's memory after its learning steps, each answered Good, and how many answers
    that takes."""
    answers = max(1, len(preset.learning_steps))
    memory = initial_state(Rating.GOOD, preset.parameters)
    for _ in range(answers - 1):
        memory = next_state(memory, 0, Rating.GOOD, preset.parameters)
    return memory, answers


def project_exam(
    cards: CardColumns,
    presets: Mapping[int, Preset],
    today: int,
    exam: ExamTarget,
    deck_preset: Preset,
) -> ExamProjection:
    """Project `cards` to the exam; `presets` maps each deck id to the preset its cards study
    with, and `deck_preset` holds the limits that decide feasibility (the exam deck's own).
    Today's reviews count as still to do."""
    import numpy as np

    days_left = exam.day - today
    deck_ids = np.asarray(cards.deck_id, dtype=np.int64)
    total = int(deck_ids.size)
    stability = np.asarray(cards.stability, dtype=np.float64).reshape(total)
    difficulty = np.asarray(cards.difficulty, dtype=np.float64).reshape(total)
    last_day = np.asarray(cards.last_review_day, dtype=np.float64).reshape(total)
    new = np.isnan(stability) | np.isnan(difficulty) | np.isnan(last_day)
    last = np.where(new, today, np.nan_to_num(last_day)).astype(np.int64)
    due = np.asarray(cards.due, dtype=np.int64).reshape(total)
    review = np.asarray(cards.state, dtype=np.int64).reshape(total) == int(CardState.REVIEW)
    # A review card is next answered on its due day (today when overdue); others today.
    first = np.where(review, np.maximum(due, today), today)
    # New cards come in at the exam deck's daily limit, in order; those too late stay unknown.
    slot = (np.cumsum(new) - 1) // max(1, deck_preset.new_per_day)
    learned = new & (slot < days_left)
    last = np.where(learned, today + slot, last)

    state = _Cards(
        stability=stability.copy(),
        difficulty=difficulty.copy(),
        last=last.copy(),
        day=first.astype(np.int64),
        reviews=np.zeros(total, dtype=np.int64),
    )
    stopped = np.zeros(total, dtype=np.float64)
    planned = np.zeros(total, dtype=np.float64)
    learning = 0
    for deck_id in sorted(set(cards.deck_id)):
        preset = presets[deck_id]
        curve = _Curve(preset, exam)
        in_deck = deck_ids == deck_id
        known = np.flatnonzero(in_deck & ~new)
        stopped[known] = curve.recall(exam.day - last[known], stability[known])
        arriving = np.flatnonzero(in_deck & learned)
        if arriving.size:
            memory, answers = _learned(preset)
            learning += answers * int(arriving.size)
            state.stability[arriving] = memory.stability
            state.difficulty[arriving] = memory.difficulty
            start = state.last[arriving]
            state.day[arriving] = start + curve.capped_interval(state.stability[arriving], start)
        followed = np.flatnonzero(in_deck & (~new | learned))
        active = followed
        while active.size:
            active = active[state.day[active] < exam.day]
            if active.size:
                curve.answer_good(state, active)
        planned[followed] = curve.recall(exam.day - state.last[followed], state.stability[followed])

    reviews = int(state.reviews.sum())
    new_cards = int(new.sum())
    planned_on = int(np.count_nonzero(planned >= exam.target_recall))
    per_day = math.ceil(reviews / days_left) if days_left > 0 else reviews
    feasible = (
        days_left > 0
        and new_cards <= deck_preset.new_per_day * days_left
        and per_day <= deck_preset.reviews_per_day
        and planned_on == total
    )
    return ExamProjection(
        cards=total,
        days_left=days_left,
        new_cards=new_cards,
        reviews=reviews,
        learning_steps=learning,
        planned_average=float(planned.mean()) if total else 1.0,
        planned_on_target=planned_on,
        stopped_average=float(stopped.mean()) if total else 1.0,
        stopped_on_target=int(np.count_nonzero(stopped >= exam.target_recall)),
        feasible=feasible,
    )
