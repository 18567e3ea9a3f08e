"""Exam date mode: reviews are kept before the exam, and the deck's exam panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from studyapp.domain.cards import Rating, ReviewKind
from studyapp.domain.clock import ManualClock
from studyapp.domain.decks import ExamPlan
from studyapp.domain.memory import DEFAULT_PARAMETERS, MemoryState, next_state, retrievability
from studyapp.errors import InvalidInputError
from studyapp.services.container import Services
from studyapp.storage.database import Database
from tests.services.scheduling_cards import card_ids, make_review, today_of

DeckMaker = Callable[..., int]
TARGET = 0.93


def exam_in(clock: ManualClock, days: int) -> ExamPlan:
    return ExamPlan(date.fromordinal(today_of(clock) + days), TARGET)


def recall_on(database: Database, deck_ids: list[int], day: int) -> list[float]:
    """Every card's predicted recall on study day `day` (0 for a card never studied)."""
    found = []
    with database.transaction() as repos:
        for row in repos.schedule.memory_rows(deck_ids):
            if row.stability is None or row.last_review_day is None:
                found.append(0.0)
            else:
                elapsed = day - row.last_review_day
                found.append(retrievability(elapsed, row.stability, DEFAULT_PARAMETERS))
    return found


def study_until(services: Services, clock: ManualClock, deck_id: int, last_day: int) -> int:
    """Answer every card Good, day by day, through `last_day`; returns the answers given."""
    answers = 0
    while today_of(clock) <= last_day:
        while True:
            step = services.study.next_step(deck_id)
            if step.card is not None:
                services.study.answer(step.card.card_id, Rating.GOOD, 1000)
                answers += 1
            elif step.next_due is not None:
                clock.current = step.next_due + timedelta(seconds=1)
            else:
                break
        clock.current = clock.current.replace(hour=10) + timedelta(days=1)
    return answers


@pytest.mark.sqlite_only
def test_a_run_that_follows_the_plan_has_every_card_on_target_on_the_exam_day(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    # Desired retention below the target: without exam mode, many cards would be below it.
    preset = services.presets.add("Exam prep")
    services.presets.save(replace(preset, desired_retention=0.85, new_per_day=10))
    parent = make_deck("EMT", 20, preset.id)
    child = make_deck("EMT::Airway", 20, preset.id)
    today = today_of(clock)
    for number, card_id in enumerate(card_ids(database, child)[:15]):
        # Strong and weak memories, some due long after the exam.
        stability = 2.0 + 7 * number
        make_review(
            database, card_id, due=today + number * 3, interval=number + 2, stability=stability
        )
    plan = exam_in(clock, 21)
    services.exams.set_exam(parent, plan)
    panel = services.exams.panel(parent)
    assert panel is not None
    assert panel.projection.feasible
    assert panel.projection.planned_on_target == panel.projection.cards == 40

    exam_day = plan.exam_date.toordinal()
    study_until(services, clock, parent, exam_day - 1)

    recalls = recall_on(database, [parent, child], exam_day)
    assert len(recalls) == 40
    assert min(recalls) >= TARGET


def test_without_an_exam_the_same_cards_fall_below_the_target(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    preset = services.presets.add("No exam")
    services.presets.save(replace(preset, desired_retention=0.85))
    deck_id = make_deck("No exam", 1, preset.id)
    card_id = card_ids(database, deck_id)[0]
    today = today_of(clock)
    make_review(database, card_id, due=today, interval=10, stability=10.0)
    services.study.answer(card_id, Rating.GOOD, 1000)
    exam_day = today + 21
    with database.transaction() as repos:
        card = repos.cards.get(card_id)
    assert card is not None
    assert card.due >= exam_day
    assert recall_on(database, [deck_id], exam_day)[0] < TARGET


def test_an_answer_that_would_land_after_the_exam_lands_before_it(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Cardiology", 1)
    card_id = card_ids(database, deck_id)[0]
    today = today_of(clock)
    make_review(database, card_id, due=today, interval=10, stability=10.0)
    plan = exam_in(clock, 21)
    services.exams.set_exam(deck_id, plan)
    services.study.answer(card_id, Rating.GOOD, 1000)
    exam_day = plan.exam_date.toordinal()
    with database.transaction() as repos:
        card = repos.cards.get(card_id)
    assert card is not None
    assert today < card.due < exam_day
    # Answering Good on that day keeps recall on target on the exam day.
    assert card.stability is not None
    assert card.difficulty is not None
    memory = MemoryState(card.stability, card.difficulty)
    after = next_state(memory, card.due - today, Rating.GOOD, DEFAULT_PARAMETERS)
    assert retrievability(exam_day - card.due, after.stability, DEFAULT_PARAMETERS) >= TARGET


def test_setting_an_exam_brings_late_reviews_forward(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Trauma", 3)
    late, early, strong = card_ids(database, deck_id)
    today = today_of(clock)
    make_review(database, late, due=today + 30, interval=30, stability=12.0)
    make_review(database, early, due=today + 5, interval=10, stability=10.0)
    make_review(database, strong, due=today + 400, interval=400, stability=5000.0)
    plan = exam_in(clock, 14)
    assert services.exams.set_exam(deck_id, plan) == 1
    with database.transaction() as repos:
        cards = {i: repos.cards.get(i) for i in (late, early, strong)}
        log = repos.reviews.for_card(late)
    moved = cards[late]
    assert moved is not None
    assert moved.due == plan.exam_date.toordinal() - 1
    assert [r.kind for r in log] == [ReviewKind.RESCHEDULED]
    assert {i: c.due for i, c in cards.items() if c is not None and i != late} == {
        early: today + 5,
        strong: today + 400,
    }
    assert services.decks.get(deck_id).exam == plan


def test_panel_projects_recall_and_the_work_needed(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Pharmacology", 10)
    today = today_of(clock)
    for number, card_id in enumerate(card_ids(database, deck_id)[:6]):
        make_review(database, card_id, due=today + number, interval=5, stability=5.0 + number)
    assert services.exams.panel(deck_id) is None
    services.exams.set_exam(deck_id, exam_in(clock, 30))
    panel = services.exams.panel(deck_id)
    assert panel is not None
    projection = panel.projection
    assert (projection.cards, projection.new_cards, projection.days_left) == (10, 4, 30)
    assert projection.feasible
    assert projection.reviews > 6
    assert projection.reviews_per_day == -(-projection.reviews // 30)
    assert projection.planned_on_target == 10
    # Stopping now: the new cards are not known, and the reviewed ones fade by then.
    assert projection.stopped_on_target == 0
    assert projection.stopped_average < projection.planned_average


def test_too_many_new_cards_for_the_days_left_is_not_feasible(
    services: Services, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Cram", 130)  # 20 new cards a day: 7 days are needed
    services.exams.set_exam(deck_id, exam_in(clock, 5))
    panel = services.exams.panel(deck_id)
    assert panel is not None
    assert not panel.projection.feasible
    assert panel.projection.planned_on_target == 100  # five days of new cards


def test_exam_dates_are_checked_and_can_be_cleared(
    services: Services, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Checked", 1)
    with pytest.raises(InvalidInputError, match="after today"):
        services.exams.set_exam(deck_id, exam_in(clock, 0))
    with pytest.raises(InvalidInputError, match="target recall"):
        services.exams.set_exam(deck_id, replace(exam_in(clock, 9), target_recall=0.3))
    services.exams.set_exam(deck_id, exam_in(clock, 9))
    services.exams.set_exam(deck_id, None)
    assert services.exams.panel(deck_id) is None
