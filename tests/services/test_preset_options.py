"""Each preset option's effect on the study queue and on answers, over a real collection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from studyapp.domain.cards import BuryKind, CardState, Rating, ReviewKind
from studyapp.domain.clock import ManualClock
from studyapp.domain.decks import ExamPlan, LeechAction, NewCardOrder, Preset, ReviewOrder
from studyapp.errors import InvalidInputError
from studyapp.services.container import Services
from studyapp.services.presets import DeckOptions
from studyapp.storage.database import Database
from tests.services.scheduling_cards import (
    add_two_card_note,
    card_ids,
    make_review,
    today_of,
)

DeckMaker = Callable[..., int]


def preset_with(services: Services, name: str, **options: object) -> Preset:
    preset = services.presets.add(name)
    changed = replace(preset, **options)  # type: ignore[arg-type]
    services.presets.save(changed)
    return changed


def shown(services: Services, deck_id: int) -> int:
    step = services.study.next_step(deck_id)
    assert step.card is not None
    return step.card.card_id


def new_cards_in_order(services: Services, deck_id: int, count: int) -> list[int]:
    """The first `count` new cards introduced (each answered Easy, so it leaves the new queue)."""
    order = []
    for _ in range(count):
        card_id = shown(services, deck_id)
        order.append(card_id)
        services.study.answer(card_id, Rating.EASY, 1000)
    return order


def test_new_cards_come_in_the_order_added_by_default(
    services: Services, make_deck: DeckMaker, database: Database
) -> None:
    deck_id = make_deck("Added", 8)
    assert new_cards_in_order(services, deck_id, 5) == card_ids(database, deck_id)[:5]


def test_random_new_order_is_a_fixed_shuffle_of_the_deck(
    services: Services, make_deck: DeckMaker, database: Database
) -> None:
    preset = preset_with(services, "Shuffled", new_card_order=NewCardOrder.RANDOM)
    deck_id = make_deck("Shuffled", 30, preset.id)
    ids = card_ids(database, deck_id)
    # Asking again without answering shows the same card: the order is not reshuffled.
    assert shown(services, deck_id) == shown(services, deck_id)
    order = new_cards_in_order(services, deck_id, 10)
    assert order != ids[:10]
    assert len(set(order)) == 10
    assert order == sorted(ids, key=lambda i: (i * 2_654_435_761) % 2**32)[:10]


def three_reviews(database: Database, deck_id: int, today: int) -> dict[str, int]:
    """Three due reviews that the three sort orders put first in turn."""
    oldest, weakest, most_overdue = card_ids(database, deck_id)[:3]
    # Due longest ago, but a long interval: little overdue, recall still fair.
    make_review(database, oldest, due=today - 10, interval=100, stability=100.0)
    # Weak memory: 10 days since review on a stability of 2 days.
    make_review(database, weakest, due=today - 5, interval=5, stability=2.0)
    # Short interval far exceeded (1.5 intervals overdue), yet a strong memory.
    make_review(database, most_overdue, due=today - 3, interval=2, stability=10.0)
    return {"due": oldest, "retrievability": weakest, "overdueness": most_overdue}


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (ReviewOrder.DUE, "due"),
        (ReviewOrder.RETRIEVABILITY, "retrievability"),
        (ReviewOrder.OVERDUENESS, "overdueness"),
    ],
)
def test_review_sort_order_decides_the_first_review(
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
    order: ReviewOrder,
    expected: str,
) -> None:
    preset = preset_with(services, "Sorted", review_order=order, new_per_day=0)
    deck_id = make_deck("Sorted", 3, preset.id)
    cards = three_reviews(database, deck_id, today_of(clock))
    assert shown(services, deck_id) == cards[expected]


def test_daily_limits_cap_new_cards_and_reviews(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    preset = preset_with(services, "Small days", new_per_day=3, reviews_per_day=2)
    deck_id = make_deck("Limited", 10, preset.id)
    for card_id in card_ids(database, deck_id)[:5]:
        make_review(database, card_id, due=today_of(clock), interval=4, stability=4.0)
    step = services.study.next_step(deck_id)
    assert (step.counts.new, step.counts.review) == (3, 2)


def test_learning_steps_and_empty_relearning_steps(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    preset = preset_with(
        services, "Steps", learning_steps=(60, 600, 3600), relearning_steps=(), new_per_day=1
    )
    deck_id = make_deck("Steps", 2, preset.id)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    assert step.card.labels[Rating.GOOD] == "<10m"
    services.study.answer(step.card.card_id, Rating.GOOD, 1000)
    clock.advance(timedelta(minutes=11))
    again = services.study.next_step(deck_id)
    assert again.card is not None
    assert again.card.card_id == step.card.card_id
    assert again.card.labels[Rating.GOOD] == "<1h"
    # No relearning steps: a lapse goes straight back to review.
    lapsed = card_ids(database, deck_id)[1]
    make_review(database, lapsed, due=today_of(clock), interval=10, stability=10.0)
    services.study.answer(lapsed, Rating.AGAIN, 1000)
    with database.transaction() as repos:
        card = repos.cards.get(lapsed)
    assert card is not None
    assert (card.state, card.lapses) == (CardState.REVIEW, 1)


def test_maximum_interval_caps_every_answer(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    preset = preset_with(services, "Short", maximum_interval=4)
    deck_id = make_deck("Short", 1, preset.id)
    card_id = card_ids(database, deck_id)[0]
    make_review(database, card_id, due=today_of(clock), interval=30, stability=60.0)
    services.study.answer(card_id, Rating.EASY, 1000)
    with database.transaction() as repos:
        card = repos.cards.get(card_id)
    assert card is not None
    assert card.interval <= 4
    assert card.due <= today_of(clock) + 4


def test_higher_desired_retention_gives_shorter_intervals(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    intervals = []
    for retention in (0.80, 0.95):
        preset = preset_with(services, f"Retention {retention}", desired_retention=retention)
        deck_id = make_deck(f"Retention {retention}", 1, preset.id)
        card_id = card_ids(database, deck_id)[0]
        make_review(database, card_id, due=today_of(clock), interval=20, stability=20.0)
        services.study.answer(card_id, Rating.GOOD, 1000)
        with database.transaction() as repos:
            card = repos.cards.get(card_id)
        assert card is not None
        intervals.append(card.interval)
    assert intervals[0] > 2 * intervals[1]


@pytest.mark.parametrize("action", [LeechAction.TAG, LeechAction.SUSPEND])
def test_the_lapse_that_reaches_the_threshold_makes_a_leech(
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
    action: LeechAction,
) -> None:
    preset = preset_with(services, "Leeches", leech_threshold=3, leech_action=action)
    deck_id = make_deck("Leeches", 2, preset.id)
    first, second = card_ids(database, deck_id)
    make_review(database, first, due=today_of(clock), interval=3, stability=3.0, lapses=1)
    make_review(database, second, due=today_of(clock), interval=3, stability=3.0, lapses=2)
    assert not services.study.answer(first, Rating.AGAIN, 1000).leech  # 2 lapses: not yet
    result = services.study.answer(second, Rating.AGAIN, 1000)  # 3 lapses: a leech
    assert result.leech
    assert result.suspended is (action is LeechAction.SUSPEND)
    with database.transaction() as repos:
        card = repos.cards.get(second)
        assert card is not None
        note = repos.notes.get(card.note_id)
    assert note is not None
    assert "leech" in note.tags
    assert card.suspended is (action is LeechAction.SUSPEND)
    # Undo takes the tag and the suspension back with the answer.
    services.undo.undo()
    with database.transaction() as repos:
        card = repos.cards.get(second)
        assert card is not None
        note = repos.notes.get(card.note_id)
    assert note is not None
    assert "leech" not in note.tags
    assert (card.suspended, card.lapses) == (False, 2)


def test_leeches_can_be_turned_off(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    preset = preset_with(services, "No leeches", leech_threshold=0)
    deck_id = make_deck("No leeches", 1, preset.id)
    card_id = card_ids(database, deck_id)[0]
    make_review(database, card_id, due=today_of(clock), interval=3, stability=3.0, lapses=20)
    assert not services.study.answer(card_id, Rating.AGAIN, 1000).leech


def test_bury_new_siblings_until_the_next_study_day(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    preset = preset_with(services, "Bury", bury_new_siblings=True)
    deck_id = make_deck("Bury", 0, preset.id)
    front, back = add_two_card_note(database, clock, deck_id, "heart")
    assert services.study.next_step(deck_id).counts.new == 2
    result = services.study.answer(shown(services, deck_id), Rating.GOOD, 1000)
    assert result.buried_siblings == 1
    with database.transaction() as repos:
        buried = repos.cards.get(back)
    assert buried is not None
    assert buried.buried is BuryKind.SIBLING
    assert services.study.next_step(deck_id).counts.new == 0
    # Undo brings the sibling back with the answer; redo buries it again.
    services.undo.undo()
    assert services.study.next_step(deck_id).counts.new == 2
    services.undo.redo()
    assert services.study.next_step(deck_id).counts.new == 0
    clock.advance(timedelta(days=1))
    step = services.study.next_step(deck_id)
    assert step.counts.new == 1
    assert front != back


def test_review_siblings_are_buried_only_with_that_option(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    for bury_review in (False, True):
        preset = preset_with(
            services, f"Review bury {bury_review}", bury_review_siblings=bury_review
        )
        deck_id = make_deck(f"Review bury {bury_review}", 0, preset.id)
        front, back = add_two_card_note(database, clock, deck_id, f"lung {bury_review}")
        for card_id in (front, back):
            make_review(database, card_id, due=today_of(clock), interval=5, stability=5.0)
        services.study.answer(front, Rating.GOOD, 1000)
        assert services.study.next_step(deck_id).counts.review == (0 if bury_review else 1)


def test_pass_fail_grading_offers_two_answers(
    services: Services, make_deck: DeckMaker, database: Database
) -> None:
    preset = preset_with(services, "Pass fail", pass_fail=True)
    deck_id = make_deck("Pass fail", 2, preset.id)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    assert step.card.pass_fail
    assert set(step.card.labels) == {Rating.AGAIN, Rating.GOOD}
    with pytest.raises(InvalidInputError, match="Again or Good"):
        services.study.answer(step.card.card_id, Rating.EASY, 1000)
    services.study.answer(step.card.card_id, Rating.GOOD, 1000)
    with database.transaction() as repos:
        card = repos.cards.get(step.card.card_id)
    assert card is not None
    assert card.state is CardState.LEARNING


def test_four_buttons_without_pass_fail(services: Services, make_deck: DeckMaker) -> None:
    deck_id = make_deck("Four", 1)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    assert not step.card.pass_fail
    assert set(step.card.labels) == set(Rating)


@pytest.mark.parametrize("reschedule", [False, True])
def test_reschedule_on_change_moves_reviews_when_retention_changes(
    services: Services,
    make_deck: DeckMaker,
    database: Database,
    clock: ManualClock,
    reschedule: bool,
) -> None:
    preset = preset_with(services, "Moving", reschedule_on_change=reschedule)
    deck_id = make_deck("Moving", 4, preset.id)
    today = today_of(clock)
    ids = card_ids(database, deck_id)
    for card_id in ids:
        make_review(
            database,
            card_id,
            due=today + 20,
            interval=30,
            stability=30.0,
            last_review_day=today - 10,
        )
    outcome = services.presets.save(replace(preset, desired_retention=0.80))
    with database.transaction() as repos:
        cards = [repos.cards.get(i) for i in ids]
        logs = [repos.reviews.for_card(i) for i in ids]
    assert outcome.rescheduled == (4 if reschedule else 0)
    for card, log in zip(cards, logs, strict=True):
        assert card is not None
        if reschedule:
            # Lower retention: longer intervals, counted from the last review.
            assert card.interval > 30
            assert card.due == today - 10 + card.interval
            assert [r.kind for r in log] == [ReviewKind.RESCHEDULED]
            assert (log[0].last_interval, log[0].interval) == (30, card.interval)
        else:
            assert (card.due, card.interval, log) == (today + 20, 30, [])


def test_changing_other_options_does_not_reschedule(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    preset = preset_with(services, "Still", reschedule_on_change=True)
    deck_id = make_deck("Still", 1, preset.id)
    card_id = card_ids(database, deck_id)[0]
    make_review(database, card_id, due=today_of(clock) + 5, interval=30, stability=30.0)
    assert services.presets.save(replace(preset, new_per_day=5)).rescheduled == 0


def test_preset_management(services: Services, make_deck: DeckMaker) -> None:
    custom = services.presets.add("Anatomy")
    deck_id = make_deck("Anatomy", 1, custom.id)
    clone = services.presets.clone(custom.id, "Anatomy copy")
    assert replace(clone, id=custom.id, name=custom.name) == custom
    services.presets.rename(clone.id, "Cardiology")
    usage = {u.preset.name: u.deck_names for u in services.presets.usage()}
    assert usage["Anatomy"] == ("Anatomy",)
    assert usage["Cardiology"] == ()
    with pytest.raises(InvalidInputError, match="already a preset"):
        services.presets.rename(clone.id, "anatomy")
    services.presets.use(deck_id, clone.id)
    services.presets.delete(clone.id)
    assert services.presets.for_deck(deck_id).name == "Default"
    with pytest.raises(InvalidInputError, match="cannot be deleted"):
        services.presets.delete(services.presets.for_deck(deck_id).id)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"desired_retention": 0.6}, "Desired retention"),
        ({"desired_retention": 0.995}, "Desired retention"),
        ({"maximum_interval": 0}, "maximum interval"),
        ({"new_per_day": -1}, "negative"),
        ({"easy_days": (7,)}, "weekdays"),
    ],
)
def test_options_out_of_range_are_refused(
    services: Services, options: dict[str, object], message: str
) -> None:
    preset = services.presets.add("Checked")
    with pytest.raises(InvalidInputError, match=message):
        services.presets.save(replace(preset, **options))  # type: ignore[arg-type]


def card_schedules(database: Database, ids: list[int]) -> list[tuple[int, int, int]]:
    """(due, interval, RESCHEDULED log rows) of each card."""
    found = []
    with database.transaction() as repos:
        for card_id in ids:
            card = repos.cards.get(card_id)
            assert card is not None
            rows = sum(r.kind is ReviewKind.RESCHEDULED for r in repos.reviews.for_card(card_id))
            found.append((card.due, card.interval, rows))
    return found


def test_saving_the_options_is_one_action_that_undo_and_redo_replay(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Shock", 3)
    other = services.presets.add("Other")
    today = today_of(clock)
    ids = card_ids(database, deck_id)
    for card_id in ids:
        make_review(
            database,
            card_id,
            due=today + 40,
            interval=50,
            stability=20.0,
            last_review_day=today - 10,
        )
    original = card_schedules(database, ids)
    preset = services.presets.add("Exam prep")
    edited = replace(preset, desired_retention=0.85, reschedule_on_change=True, new_per_day=9)
    plan = ExamPlan(date.fromordinal(today + 20), 0.9)
    outcome = services.presets.save_options(
        DeckOptions(deck_id, edited, plan, (replace(other, new_per_day=3),))
    )
    assert (outcome.rescheduled, outcome.brought_forward) == (3, 3)
    saved = card_schedules(database, ids)
    # Rescheduled for the new retention, then brought before the exam: two rows each.
    assert [(due, rows) for due, _, rows in saved] == [(today + 19, 2)] * 3
    assert services.undo.label() == "Deck options"

    def stored() -> tuple[object, ...]:
        usage = {u.preset.name: u.preset for u in services.presets.usage()}
        deck = services.decks.get(deck_id)
        return (
            deck.preset_id,
            deck.exam,
            usage["Exam prep"].desired_retention,
            usage["Exam prep"].new_per_day,
            usage["Other"].new_per_day,
        )

    after = stored()
    assert after == (preset.id, plan, 0.85, 9, 3)
    services.undo.undo()
    assert stored() == (1, None, 0.9, 20, 20)
    assert card_schedules(database, ids) == original
    services.undo.redo()
    assert stored() == after
    assert card_schedules(database, ids) == saved


def test_a_refused_exam_leaves_the_preset_as_it_was(
    services: Services, make_deck: DeckMaker, clock: ManualClock
) -> None:
    deck_id = make_deck("Atomic", 1)
    preset = services.presets.for_deck(deck_id)
    past = ExamPlan(date.fromordinal(today_of(clock)), 0.9)
    with pytest.raises(InvalidInputError, match="after today"):
        services.presets.save_options(DeckOptions(deck_id, replace(preset, new_per_day=2), past))
    assert services.presets.for_deck(deck_id).new_per_day == preset.new_per_day
    assert services.decks.get(deck_id).exam is None
    assert services.undo.label() is None
