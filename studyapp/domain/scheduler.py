"""The card state machine: what an answer does to a card, as Anki does it with FSRS.

New and learning cards walk through the preset's learning steps (seconds, 1m 10m by default):
Again goes back to the first step, Hard repeats the current step (on the first step it waits the
average of the first two steps, or 1.5 times the only step), Good moves to the next step or
graduates, Easy graduates at once.  A graduated card is a review card whose interval, in study
days, is the FSRS interval at which recall falls to the preset's desired retention.  Again on a
review card is a lapse: the card enters the relearning steps (10m by default), or goes straight
back to review when there are none.  Every answer updates the FSRS memory state; an answer on the
same study day as the previous review uses the short-term formula.

Review intervals get a small deterministic fuzz (as FSRS and Anki apply it) seeded by the card's id
and review count, so that cards learned together spread out.  A `Placement` refines that: with the
reviews due per day it picks the least loaded day of the fuzz range (easy days count as fuller, see
domain.load_balance), and with an exam date it pulls a review that would come too late for the exam
into the days just before it (see domain.exam).  With pass/fail grading only Again and Good are
answers.  Nothing here reads the wall clock: the caller passes `now` and its study day `today`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from studyapp.domain.cards import Card, CardState, Rating, Review, ReviewKind
from studyapp.domain.decks import Preset
from studyapp.domain.exam import ExamTarget, exam_window
from studyapp.domain.load_balance import balanced_interval
from studyapp.domain.memory import MemoryState, initial_state, next_interval, next_state

SECONDS_PER_DAY = 86_400

_FUZZ_RANGES: tuple[tuple[float, float, float], ...] = (
    # (from days, to days, fraction of the interval in that range added to the fuzz delta)
    (2.5, 7.0, 0.15),
    (7.0, 20.0, 0.1),
    (20.0, math.inf, 0.05),
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

PASS_FAIL_RATINGS = (Rating.AGAIN, Rating.GOOD)
"""The answers of pass/fail grading: Again is a fail, Good a pass."""
_RATINGS = tuple(Rating)

DueLoads = Callable[[int, int], Mapping[int, int]]
"""Review cards due per study day from the first to the last day given (both included)."""


@dataclass(frozen=True, slots=True)
class Placement:
    """What besides the card and its preset decides the day a review lands on."""

    loads: DueLoads | None = None
    """Where the reviews already due are, for load balancing; None: fuzz alone decides."""
    exam: ExamTarget | None = None
    """The exam the card's deck prepares for, if any."""


NO_PLACEMENT = Placement()


@dataclass(frozen=True, slots=True)
class Answer:
    """The result of answering a card: the card to store and the review-log row to write."""

    card: Card
    review: Review
    leech: bool = False
    """This answer was a lapse that made the card a leech (the preset's leech action applies)."""


def is_leech(lapses: int, threshold: int) -> bool:
    """Whether a card that just lapsed for the `lapses`-th time becomes a leech: at the threshold,
    then again every half threshold (as in Anki), so a leech kept in study is flagged again.
    A threshold of 0 turns leeches off."""
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


@dataclass(frozen=True, slots=True)
class _Outcome:
    """Where one rating would send a card."""

    state: CardState
    step: int
    memory: MemoryState
    days: int
    """The interval in study days: the review interval (fuzzed) or, while relearning, the interval
    the lapse left; 0 while learning."""
    seconds: int
    """The delay of the (re)learning step; 0 for a review card."""


def fuzz_bounds(interval: int, maximum_interval: int) -> tuple[int, int]:
    """The smallest and largest interval that fuzzing may turn `interval` (days >= 2.5) into."""
    delta = 1.0
    for start, end, factor in _FUZZ_RANGES:
        delta += factor * max(min(float(interval), end) - start, 0.0)
    upper = min(round(interval + delta), maximum_interval)
    lower = min(max(2, round(interval - delta)), upper)
    return lower, upper


def fuzz_interval(interval: int, fraction: float, maximum_interval: int) -> int:
    """`interval` moved within its fuzz range by `fraction` in [0, 1); no fuzz below 2.5 days.

    The result is always within [1, maximum_interval].
    """
    if interval < 2.5:
        return max(1, min(interval, maximum_interval))
    lower, upper = fuzz_bounds(interval, maximum_interval)
    fuzzed = math.floor(lower + fraction * (upper - lower + 1))
    return max(1, min(fuzzed, upper, maximum_interval))


@lru_cache(maxsize=1024)
def _fuzz_fraction(card_id: int, reps: int) -> float:
    """A fraction in [0, 1) fixed by the card's id and review count: same answer, same fuzz.

    Kept for the latest cards: the card shown is asked for its labels, then answered."""
    return random.Random(f"studyapp-fuzz:{card_id}:{reps}").random()


def _memory_after(card: Card, rating: Rating, today: int, preset: Preset) -> MemoryState:
    if card.stability is None or card.difficulty is None or card.last_review_day is None:
        return initial_state(rating, preset.parameters)
    elapsed = max(0, today - card.last_review_day)
    return next_state(
        MemoryState(card.stability, card.difficulty), elapsed, rating, preset.parameters
    )


def _interval(memory: MemoryState, preset: Preset) -> int:
    return next_interval(
        memory.stability, preset.desired_retention, preset.parameters, preset.maximum_interval
    )


def _step_outcome(
    card: Card, rating: Rating, steps: tuple[int, ...], memory: MemoryState, preset: Preset
) -> _Outcome | None:
    """The outcome of an answer in (re)learning, or None when the answer graduates the card."""
    step = 0 if card.state is CardState.NEW else card.step
    state = CardState.RELEARNING if card.state is CardState.RELEARNING else CardState.LEARNING
    days = _interval(memory, preset) if state is CardState.RELEARNING else 0
    if not steps or (step >= len(steps) and rating is not Rating.AGAIN):
        return None
    if rating is Rating.AGAIN:
        return _Outcome(state, 0, memory, days, steps[0])
    if rating is Rating.HARD:
        if step == 0:
            delay = (steps[0] + steps[1]) / 2 if len(steps) >= 2 else steps[0] * 1.5
        else:
            delay = steps[step]
        return _Outcome(state, step, memory, days, math.floor(delay + 0.5))
    if rating is Rating.GOOD and step + 1 < len(steps):
        return _Outcome(state, step + 1, memory, days, steps[step + 1])
    return None


def _review_days(
    memory: MemoryState, fraction: float, today: int, preset: Preset, placement: Placement
) -> int:
    """A review card's interval for `memory`: fuzzed, load balanced, kept ready for the exam."""
    interval = _interval(memory, preset)
    preferred = fuzz_interval(interval, fraction, preset.maximum_interval)
    if interval < 2.5:
        lower = upper = preferred
    else:
        lower, upper = fuzz_bounds(interval, preset.maximum_interval)
    if placement.exam is not None:
        window = exam_window(memory, today, upper, placement.exam, preset.parameters)
        if window is not None and lower > window[1]:
            lower, upper = window
            preferred = upper
        elif window is not None:
            upper = min(upper, window[1])
            preferred = min(preferred, upper)
    if placement.loads is None or lower == upper:
        return preferred
    return balanced_interval(
        lower,
        upper,
        today=today,
        loads=placement.loads(today + lower, today + upper),
        easy_days=preset.easy_days,
        preferred=preferred,
    )


def _outcomes(
    card: Card, today: int, preset: Preset, placement: Placement, ratings: tuple[Rating, ...]
) -> dict[Rating, _Outcome]:
    """Where each of `ratings` would send `card` today, in that order.

    Each outcome is worked out alone, so asking for fewer ratings changes none of them: only
    a review card's Hard and Easy depend on another rating (Good's interval bounds them).
    """
    fraction = _fuzz_fraction(card.id, card.reps)
    memories: dict[Rating, MemoryState] = {}

    def memory(rating: Rating) -> MemoryState:
        found = memories.get(rating)
        if found is None:
            found = memories[rating] = _memory_after(card, rating, today, preset)
        return found

    def review(rating: Rating, days: int | None = None) -> _Outcome:
        if days is None:
            days = _review_days(memory(rating), fraction, today, preset, placement)
        return _Outcome(CardState.REVIEW, 0, memory(rating), days, 0)

    if card.state is CardState.REVIEW:
        outcomes: dict[Rating, _Outcome] = {}
        good = review(Rating.GOOD).days if ratings != (Rating.AGAIN,) else 0
        for rating in ratings:
            if rating is Rating.AGAIN and preset.relearning_steps:
                outcomes[rating] = _Outcome(
                    CardState.RELEARNING,
                    0,
                    memory(rating),
                    _interval(memory(rating), preset),
                    preset.relearning_steps[0],
                )
            elif rating is Rating.AGAIN:
                outcomes[rating] = review(rating)
            elif rating is Rating.HARD:  # Keep Hard <= Good < Easy, as FSRS schedulers do.
                outcomes[rating] = review(rating, min(review(rating).days, good))
            elif rating is Rating.GOOD:
                outcomes[rating] = review(rating, good)
            else:
                easy = min(max(review(rating).days, good + 1), preset.maximum_interval)
                if placement.exam is not None and today + easy >= placement.exam.day > today + good:
                    easy = good  # Easy must not push the review past the exam Good lands before.
                outcomes[rating] = review(rating, easy)
        return outcomes

    steps = preset.relearning_steps if card.state is CardState.RELEARNING else preset.learning_steps
    result: dict[Rating, _Outcome] = {}
    for rating in ratings:
        outcome = _step_outcome(card, rating, steps, memory(rating), preset)
        result[rating] = outcome if outcome is not None else review(rating)
    return result


def rescheduled_interval(card: Card, preset: Preset, placement: Placement = NO_PLACEMENT) -> int:
    """The interval, counted from its last review, that a review card's memory state gives under
    `preset`: what answering would have chosen had the preset's desired retention and parameters
    been in force then (fuzz, load and exam as in an answer).  Raises ValueError for a card
    without a memory state."""
    if card.stability is None or card.difficulty is None or card.last_review_day is None:
        raise ValueError(f"card {card.id} has no memory state to reschedule from")
    memory = MemoryState(card.stability, card.difficulty)
    # The fuzz of the answer that set the current interval, before it counted in `reps`.
    fraction = _fuzz_fraction(card.id, card.reps - 1)
    return _review_days(memory, fraction, card.last_review_day, preset, placement)


_KIND_BY_STATE = {
    CardState.NEW: ReviewKind.LEARN,
    CardState.LEARNING: ReviewKind.LEARN,
    CardState.REVIEW: ReviewKind.REVIEW,
    CardState.RELEARNING: ReviewKind.RELEARN,
}


def _epoch_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def answer_card(
    card: Card,
    rating: Rating,
    *,
    now: datetime,
    today: int,
    preset: Preset,
    time_taken_ms: int,
    placement: Placement = NO_PLACEMENT,
) -> Answer:
    """Answer `card` with `rating` at `now` (an aware datetime) on study day `today`.

    Returns the updated card and the review-log row to write (id 0), and whether the card became
    a leech.  A card in (re)learning is due at the UTC epoch second `now` + step; a review card on
    study day `today` + interval.  Raises ValueError for Hard or Easy under pass/fail grading.
    """
    rating = Rating(rating)
    if preset.pass_fail and rating not in PASS_FAIL_RATINGS:
        raise ValueError(f"pass/fail grading has no {rating.name.title()} answer")
    outcome = _outcomes(card, today, preset, placement, (rating,))[rating]
    now_ms = _epoch_ms(now)
    if outcome.state is CardState.REVIEW:
        due = today + outcome.days
        logged_interval = outcome.days
    else:
        due = now_ms // 1000 + outcome.seconds
        logged_interval = -outcome.seconds
    lapsed = card.state is CardState.REVIEW and rating is Rating.AGAIN
    updated = replace(
        card,
        state=outcome.state,
        due=due,
        interval=outcome.days,
        step=outcome.step,
        stability=outcome.memory.stability,
        difficulty=outcome.memory.difficulty,
        reps=card.reps + 1,
        lapses=card.lapses + 1 if lapsed else card.lapses,
        last_review_day=today,
    )
    review = Review(
        card_id=card.id,
        reviewed_at=now_ms,
        kind=_KIND_BY_STATE[card.state],
        rating=rating,
        state_before=card.state,
        last_interval=card.interval,
        interval=logged_interval,
        time_taken_ms=time_taken_ms,
        stability=outcome.memory.stability,
        difficulty=outcome.memory.difficulty,
    )
    return Answer(updated, review, lapsed and is_leech(updated.lapses, preset.leech_threshold))


def interval_labels(
    card: Card,
    *,
    now: datetime,
    today: int,
    preset: Preset,
    placement: Placement = NO_PLACEMENT,
) -> dict[Rating, str]:
    """What each answer button shows: "<1m", "<10m", "3d", "1.2mo", "2.5y".

    The labels are exactly the delays `answer_card` would give with the same `placement`, fuzz
    included; under pass/fail grading only Again and Good have one.
    """
    _epoch_ms(now)
    labels: dict[Rating, str] = {}
    ratings = PASS_FAIL_RATINGS if preset.pass_fail else _RATINGS
    for rating, outcome in _outcomes(card, today, preset, placement, ratings).items():
        if outcome.state is CardState.REVIEW:
            labels[rating] = format_interval(outcome.days * SECONDS_PER_DAY)
        else:
            labels[rating] = format_interval(outcome.seconds)
    return labels


_MINUTE = 60.0
_HOUR = 3_600.0
_DAY = float(SECONDS_PER_DAY)
_MONTH = _DAY * 365 / 12
_YEAR = _DAY * 365


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def format_interval(seconds: float) -> str:
    """A delay as Anki's answer buttons show it.

    Under a day (a learning step) it gets a "<" prefix: "<1m", "<10m", "<1.5h"; then whole days
    "2d", months "1.2mo" and years "3.4y", with a trailing ".0" dropped.
    """
    if seconds < 0:
        raise ValueError(f"an interval cannot be negative: {seconds}")
    if seconds < _MINUTE:
        return f"<{math.floor(seconds + 0.5)}s"
    if seconds < _HOUR:
        return f"<{math.floor(seconds / _MINUTE + 0.5)}m"
    if seconds < _DAY:
        return f"<{_one_decimal(seconds / _HOUR)}h"
    if seconds < _MONTH:
        return f"{math.floor(seconds / _DAY + 0.5)}d"
    if seconds < _YEAR:
        return f"{_one_decimal(seconds / _MONTH)}mo"
    return f"{_one_decimal(seconds / _YEAR)}y"
