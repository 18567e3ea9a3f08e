"""The card state machine: learning steps, graduation, lapses, study days, fuzz, and FSRS parity."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import fsrs
import pytest

from studyapp.domain.cards import Card, CardState, Rating, ReviewKind
from studyapp.domain.clock import study_day, to_epoch
from studyapp.domain.decks import Preset
from studyapp.domain.memory import (
    DEFAULT_PARAMETERS,
    MemoryState,
    initial_state,
    next_interval,
    next_state,
)
from studyapp.domain.scheduler import (
    answer_card,
    format_interval,
    fuzz_bounds,
    fuzz_interval,
    interval_labels,
)

W = DEFAULT_PARAMETERS
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TODAY = study_day(NOW, 4, UTC)
PRESET = Preset(id=1, name="Default")
NEW = Card(id=42, note_id=7, deck_id=1, ordinal=0)


def unfuzzed(stability: float, preset: Preset = PRESET) -> int:
    return next_interval(stability, preset.desired_retention, W, preset.maximum_interval)


def assert_fuzzed(interval: int, base: int, preset: Preset = PRESET) -> None:
    if base < 3:
        assert interval == base
    else:
        lower, upper = fuzz_bounds(base, preset.maximum_interval)
        assert lower <= interval <= upper


def review_card(stability: float = 20.0, difficulty: float = 5.0, interval: int = 20) -> Card:
    """A review card last seen `interval` study days ago and due today."""
    return replace(
        NEW,
        state=CardState.REVIEW,
        due=TODAY,
        interval=interval,
        stability=stability,
        difficulty=difficulty,
        reps=5,
        last_review_day=TODAY - interval,
    )


def answer(card: Card, rating: Rating, now: datetime = NOW, today: int = TODAY,
           preset: Preset = PRESET) -> Card:  # fmt: skip
    return answer_card(card, rating, now=now, today=today, preset=preset, time_taken_ms=1500).card


# --- new cards and learning steps -------------------------------------------------------------


def test_new_card_labels() -> None:
    labels = interval_labels(NEW, now=NOW, today=TODAY, preset=PRESET)
    assert labels[Rating.AGAIN] == "<1m"
    assert labels[Rating.HARD] == "<6m"  # average of 1m and 10m
    assert labels[Rating.GOOD] == "<10m"
    easy = answer(NEW, Rating.EASY)
    assert labels[Rating.EASY] == f"{easy.interval}d"


def test_new_card_each_grade() -> None:
    now_s = to_epoch(NOW)
    again = answer(NEW, Rating.AGAIN)
    assert (again.state, again.step, again.due) == (CardState.LEARNING, 0, now_s + 60)
    hard = answer(NEW, Rating.HARD)
    assert (hard.state, hard.step, hard.due) == (CardState.LEARNING, 0, now_s + 330)
    good = answer(NEW, Rating.GOOD)
    assert (good.state, good.step, good.due) == (CardState.LEARNING, 1, now_s + 600)
    easy = answer(NEW, Rating.EASY)
    assert easy.state is CardState.REVIEW
    assert easy.interval >= 1
    assert_fuzzed(easy.interval, unfuzzed(W[3]))
    assert easy.due == TODAY + easy.interval
    for card, rating in ((again, 1), (hard, 2), (good, 3), (easy, 4)):
        assert card.reps == 1
        assert card.lapses == 0
        assert card.last_review_day == TODAY
        assert card.stability == initial_state(rating, W).stability
        assert card.difficulty == pytest.approx(initial_state(rating, W).difficulty)
    assert again.interval == hard.interval == good.interval == 0


def test_learning_steps_to_graduation() -> None:
    card = answer(NEW, Rating.GOOD)
    later = NOW + timedelta(minutes=10)
    # Hard on a later step repeats that step.
    hard = answer(card, Rating.HARD, later)
    assert (hard.state, hard.step, hard.due) == (CardState.LEARNING, 1, to_epoch(later) + 600)
    # Again goes back to the first step.
    again = answer(card, Rating.AGAIN, later)
    assert (again.state, again.step, again.due) == (CardState.LEARNING, 0, to_epoch(later) + 60)
    # Good on the last step graduates with the FSRS interval of the same-day memory state.
    graduated = answer(card, Rating.GOOD, later)
    memory = next_state(initial_state(3, W), 0, 3, W)
    assert graduated.state is CardState.REVIEW
    assert graduated.stability == pytest.approx(memory.stability)
    assert graduated.difficulty == pytest.approx(memory.difficulty)
    assert_fuzzed(graduated.interval, unfuzzed(memory.stability))
    assert graduated.due == TODAY + graduated.interval
    assert graduated.reps == 2


def test_one_learning_step_and_no_learning_steps() -> None:
    one = replace(PRESET, learning_steps=(120,))
    hard = answer(NEW, Rating.HARD, preset=one)
    assert hard.due == to_epoch(NOW) + 180
    assert answer(NEW, Rating.GOOD, preset=one).state is CardState.REVIEW
    none = replace(PRESET, learning_steps=())
    for rating in Rating:
        assert answer(NEW, rating, preset=none).state is CardState.REVIEW


def test_learning_review_log() -> None:
    result = answer_card(NEW, Rating.HARD, now=NOW, today=TODAY, preset=PRESET, time_taken_ms=4321)
    log = result.review
    assert log.id == 0
    assert log.card_id == NEW.id
    assert log.reviewed_at == to_epoch(NOW) * 1000
    assert log.kind is ReviewKind.LEARN
    assert log.rating is Rating.HARD
    assert log.state_before is CardState.NEW
    assert log.last_interval == 0
    assert log.interval == -330
    assert log.time_taken_ms == 4321
    assert log.stability == result.card.stability
    assert log.difficulty == result.card.difficulty
    graduated = answer_card(NEW, Rating.EASY, now=NOW, today=TODAY, preset=PRESET, time_taken_ms=1)
    assert graduated.review.interval == graduated.card.interval > 0


# --- review cards, lapses and relearning ------------------------------------------------------


def test_review_card_each_grade() -> None:
    card = review_card()
    memory = MemoryState(20.0, 5.0)
    results = {rating: answer(card, rating) for rating in Rating}
    for rating in (Rating.HARD, Rating.GOOD, Rating.EASY):
        result = results[rating]
        expected = next_state(memory, 20, rating, W)
        assert result.state is CardState.REVIEW
        assert result.stability == pytest.approx(expected.stability)
        assert result.difficulty == pytest.approx(expected.difficulty)
        assert_fuzzed(result.interval, unfuzzed(expected.stability))
        assert result.due == TODAY + result.interval
        assert result.lapses == 0
        assert result.reps == 6
    assert results[Rating.HARD].interval <= results[Rating.GOOD].interval
    assert results[Rating.GOOD].interval < results[Rating.EASY].interval
    labels = interval_labels(card, now=NOW, today=TODAY, preset=PRESET)
    assert labels[Rating.AGAIN] == "<10m"
    for rating in (Rating.HARD, Rating.GOOD, Rating.EASY):
        assert labels[rating] == format_interval(results[rating].interval * 86_400)


def test_hard_good_easy_ordering_for_tiny_stability() -> None:
    # With a very low stability every FSRS interval rounds to 1 day; Easy must still be longer.
    card = review_card(stability=0.3, difficulty=9.0, interval=1)
    results = {rating: answer(card, rating) for rating in (Rating.HARD, Rating.GOOD, Rating.EASY)}
    assert results[Rating.HARD].interval <= results[Rating.GOOD].interval
    assert results[Rating.GOOD].interval < results[Rating.EASY].interval


def test_lapse_enters_relearning() -> None:
    card = review_card()
    result = answer_card(card, Rating.AGAIN, now=NOW, today=TODAY, preset=PRESET, time_taken_ms=9)
    lapsed = result.card
    expected = next_state(MemoryState(20.0, 5.0), 20, 1, W)
    assert lapsed.state is CardState.RELEARNING
    assert (lapsed.step, lapsed.due) == (0, to_epoch(NOW) + 600)
    assert lapsed.lapses == 1
    assert lapsed.stability == pytest.approx(expected.stability)
    assert expected.stability < 20.0
    assert result.review.kind is ReviewKind.REVIEW
    assert result.review.state_before is CardState.REVIEW
    assert result.review.last_interval == 20
    assert result.review.interval == -600

    later = NOW + timedelta(minutes=10)
    relearned = answer_card(lapsed, Rating.GOOD, now=later, today=TODAY, preset=PRESET,
                            time_taken_ms=9)  # fmt: skip
    memory = next_state(expected, 0, 3, W)
    assert relearned.card.state is CardState.REVIEW
    assert relearned.card.lapses == 1
    assert relearned.card.stability == pytest.approx(memory.stability)
    assert_fuzzed(relearned.card.interval, unfuzzed(memory.stability))
    assert relearned.review.kind is ReviewKind.RELEARN
    # Again while relearning goes back to the first relearning step without another lapse.
    again = answer(lapsed, Rating.AGAIN, later)
    assert (again.state, again.lapses, again.due) == (
        CardState.RELEARNING,
        1,
        to_epoch(later) + 600,
    )
    # Hard on the only relearning step waits 1.5 times that step.
    assert answer(lapsed, Rating.HARD, later).due == to_epoch(later) + 900


def test_lapse_without_relearning_steps_stays_in_review() -> None:
    preset = replace(PRESET, relearning_steps=())
    lapsed = answer(review_card(), Rating.AGAIN, preset=preset)
    expected = next_state(MemoryState(20.0, 5.0), 20, 1, W)
    assert lapsed.state is CardState.REVIEW
    assert lapsed.lapses == 1
    assert_fuzzed(lapsed.interval, unfuzzed(expected.stability))
    assert lapsed.due == TODAY + lapsed.interval


def test_maximum_interval_caps_every_grade() -> None:
    preset = replace(PRESET, maximum_interval=30)
    card = review_card(stability=400.0, interval=300)
    for rating in (Rating.HARD, Rating.GOOD, Rating.EASY):
        assert 1 <= answer(card, rating, preset=preset).interval <= 30


# --- study days -------------------------------------------------------------------------------

ZONE = timezone(timedelta(hours=-5))


def test_rollover_hour_splits_study_days() -> None:
    before = datetime(2026, 3, 11, 3, 59, tzinfo=ZONE)
    after = datetime(2026, 3, 11, 4, 1, tzinfo=ZONE)
    day_before, day_after = study_day(before, 4, ZONE), study_day(after, 4, ZONE)
    assert day_after == day_before + 1
    first = answer(NEW, Rating.EASY, before, day_before)
    second = answer(NEW, Rating.EASY, after, day_after)
    assert first.interval == second.interval
    assert second.due == first.due + 1
    assert (first.last_review_day, second.last_review_day) == (day_before, day_after)


def test_evening_then_next_morning_is_one_day_later() -> None:
    evening = datetime(2026, 3, 10, 22, 0, tzinfo=ZONE)
    morning = datetime(2026, 3, 11, 8, 0, tzinfo=ZONE)
    night = datetime(2026, 3, 11, 3, 0, tzinfo=ZONE)
    card = answer(NEW, Rating.EASY, evening, study_day(evening, 4, ZONE))
    start = initial_state(4, W)
    next_morning = answer(card, Rating.GOOD, morning, study_day(morning, 4, ZONE))
    assert next_morning.stability == pytest.approx(next_state(start, 1, 3, W).stability)
    # At 3 am the study day has not rolled over yet: a same-day review.
    same_night = answer(card, Rating.GOOD, night, study_day(night, 4, ZONE))
    assert same_night.stability == pytest.approx(next_state(start, 0, 3, W).stability)
    assert same_night.stability != pytest.approx(next_morning.stability)


# --- fuzz -------------------------------------------------------------------------------------


def test_fuzz_bounds_and_clamping() -> None:
    assert fuzz_interval(1, 0.99, 36500) == 1
    assert fuzz_interval(2, 0.99, 36500) == 2
    assert fuzz_bounds(3, 36500) == (2, 4)
    assert fuzz_bounds(10, 36500) == (8, 12)
    assert fuzz_bounds(100, 36500) == (93, 107)
    assert fuzz_bounds(100, 101) == (93, 101)
    for fraction in (0.0, 0.3, 0.999999):
        assert 93 <= fuzz_interval(100, fraction, 36500) <= 107
        assert fuzz_interval(100, fraction, 95) <= 95
    assert fuzz_interval(100, 0.0, 36500) == 93
    assert fuzz_interval(100, 0.999999, 36500) == 107


def test_fuzz_is_deterministic_and_spreads_cards() -> None:
    card = review_card(stability=60.0, interval=60)
    first = answer(card, Rating.GOOD)
    assert answer(card, Rating.GOOD, NOW + timedelta(hours=3)).interval == first.interval
    base = unfuzzed(next_state(MemoryState(60.0, 5.0), 60, 3, W).stability)
    intervals = [
        answer(replace(card, id=card_id), Rating.GOOD).interval for card_id in range(1, 60)
    ]
    lower, upper = fuzz_bounds(base, 36500)
    assert all(lower <= interval <= upper for interval in intervals)
    assert len(set(intervals)) >= 4
    # The next review count gives a different draw for the same card.
    counts = {answer(replace(card, reps=reps), Rating.GOOD).interval for reps in range(1, 30)}
    assert len(counts) >= 4


# --- parity with the fsrs package -------------------------------------------------------------

FSRS_STATE = {
    fsrs.State.Learning: CardState.LEARNING,
    fsrs.State.Review: CardState.REVIEW,
    fsrs.State.Relearning: CardState.RELEARNING,
}

# (study day, rating); review number i happens at noon UTC + 10 i minutes, so days stay whole.
SESSIONS: list[list[tuple[int, Rating]]] = [
    [(0, Rating.GOOD), (0, Rating.GOOD), (3, Rating.GOOD), (10, Rating.GOOD), (35, Rating.HARD),
     (90, Rating.EASY)],
    [(0, Rating.AGAIN), (0, Rating.HARD), (0, Rating.GOOD), (0, Rating.GOOD), (2, Rating.AGAIN),
     (2, Rating.GOOD), (4, Rating.GOOD), (12, Rating.EASY)],
    [(0, Rating.EASY), (9, Rating.AGAIN), (9, Rating.AGAIN), (9, Rating.HARD), (9, Rating.GOOD),
     (11, Rating.GOOD), (30, Rating.GOOD)],
    [(0, Rating.GOOD), (1, Rating.GOOD), (1, Rating.EASY), (9, Rating.HARD), (20, Rating.HARD),
     (45, Rating.GOOD), (400, Rating.AGAIN), (400, Rating.GOOD)],
]  # fmt: skip


@pytest.mark.parametrize("session", SESSIONS)
def test_matches_the_fsrs_package(session: list[tuple[int, Rating]]) -> None:
    start = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    theirs_scheduler = fsrs.Scheduler(enable_fuzzing=False)
    theirs = fsrs.Card(card_id=1, due=start)
    ours = NEW
    for index, (day, rating) in enumerate(session):
        now = start + timedelta(days=day, minutes=10 * index)
        today = study_day(now, 4, UTC)
        ours = answer(ours, rating, now, today)
        theirs, _ = theirs_scheduler.review_card(theirs, fsrs.Rating(int(rating)), now)
        assert ours.state is FSRS_STATE[theirs.state]
        assert ours.stability == pytest.approx(theirs.stability, rel=1e-4, abs=1e-4)
        assert ours.difficulty == pytest.approx(theirs.difficulty, rel=1e-4, abs=1e-4)
        delay = theirs.due - now
        assert ours.stability is not None
        if ours.state is CardState.REVIEW:
            assert ours.step == 0
            assert unfuzzed(ours.stability) == delay.days
            assert_fuzzed(ours.interval, delay.days)
            assert ours.due == today + ours.interval
        else:
            assert ours.step == theirs.step
            assert ours.due == to_epoch(now) + int(delay.total_seconds())


# --- labels -----------------------------------------------------------------------------------


def test_format_interval() -> None:
    assert format_interval(30) == "<30s"
    assert format_interval(60) == "<1m"
    assert format_interval(330) == "<6m"
    assert format_interval(600) == "<10m"
    assert format_interval(5400) == "<1.5h"
    assert format_interval(86_400) == "1d"
    assert format_interval(2 * 86_400) == "2d"
    assert format_interval(30 * 86_400) == "30d"
    assert format_interval(36 * 86_400) == "1.2mo"
    assert format_interval(365 * 86_400) == "1y"
    assert format_interval(round(3.4 * 365) * 86_400) == "3.4y"
    with pytest.raises(ValueError, match="negative"):
        format_interval(-1)
