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
and review count, so that cards learned together spread out.  Nothing here reads the wall clock:
the caller passes `now` and its study day `today`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from studyapp.domain.cards import Card, CardState, Rating, Review, ReviewKind
from studyapp.domain.decks import Preset
from studyapp.domain.memory import MemoryState, initial_state, next_interval, next_state

SECONDS_PER_DAY = 86_400

_FUZZ_RANGES: tuple[tuple[float, float, float], ...] = (
    # (from days, to days, fraction of the interval in that range added to the fuzz delta)
    (2.5, 7.0, 0.15),
    (7.0, 20.0, 0.1),
    (20.0, math.inf, 0.05),
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Answer:
    """The result of answering a card: the card to store and the review-log row to write."""

    card: Card
    review: Review


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


def _fuzz_fraction(card: Card) -> float:
    """A fraction in [0, 1) fixed by the card's id and review count: same answer, same fuzz."""
    return random.Random(f"studyapp-fuzz:{card.id}:{card.reps}").random()


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


def _outcomes(card: Card, today: int, preset: Preset) -> dict[Rating, _Outcome]:
    """Where each of the four ratings would send `card` today."""
    fraction = _fuzz_fraction(card)
    memories = {rating: _memory_after(card, rating, today, preset) for rating in Rating}

    def review(rating: Rating, days: int | None = None) -> _Outcome:
        if days is None:
            days = fuzz_interval(
                _interval(memories[rating], preset), fraction, preset.maximum_interval
            )
        return _Outcome(CardState.REVIEW, 0, memories[rating], days, 0)

    if card.state is CardState.REVIEW:
        outcomes: dict[Rating, _Outcome] = {}
        if preset.relearning_steps:
            outcomes[Rating.AGAIN] = _Outcome(
                CardState.RELEARNING,
                0,
                memories[Rating.AGAIN],
                _interval(memories[Rating.AGAIN], preset),
                preset.relearning_steps[0],
            )
        else:
            outcomes[Rating.AGAIN] = review(Rating.AGAIN)
        # Keep Hard <= Good < Easy, as FSRS schedulers do.
        hard, good, easy = (
            review(rating).days for rating in (Rating.HARD, Rating.GOOD, Rating.EASY)
        )
        hard = min(hard, good)
        easy = min(max(easy, good + 1), preset.maximum_interval)
        outcomes[Rating.HARD] = review(Rating.HARD, hard)
        outcomes[Rating.GOOD] = review(Rating.GOOD, good)
        outcomes[Rating.EASY] = review(Rating.EASY, easy)
        return outcomes

    steps = preset.relearning_steps if card.state is CardState.RELEARNING else preset.learning_steps
    result: dict[Rating, _Outcome] = {}
    for rating in Rating:
        outcome = _step_outcome(card, rating, steps, memories[rating], preset)
        result[rating] = outcome if outcome is not None else review(rating)
    return result


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
    card: Card, rating: Rating, *, now: datetime, today: int, preset: Preset, time_taken_ms: int
) -> Answer:
    """Answer `card` with `rating` at `now` (an aware datetime) on study day `today`.

    Returns the updated card and the review-log row to write (id 0).  A card in (re)learning is due
    at the UTC epoch second `now` + step; a review card on study day `today` + interval.
    """
    rating = Rating(rating)
    outcome = _outcomes(card, today, preset)[rating]
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
    return Answer(updated, review)


def interval_labels(card: Card, *, now: datetime, today: int, preset: Preset) -> dict[Rating, str]:
    """What each answer button shows: "<1m", "<10m", "3d", "1.2mo", "2.5y".

    The labels are exactly the delays `answer_card` would give, fuzz included.
    """
    _epoch_ms(now)
    labels: dict[Rating, str] = {}
    for rating, outcome in _outcomes(card, today, preset).items():
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
