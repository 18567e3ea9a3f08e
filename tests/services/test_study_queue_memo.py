"""The study service keeps the studied deck's queue between calls and updates it after its own
answers: whatever happens, what it shows equals what a service building everything afresh from
the same database shows."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from studyapp.domain.browser_columns import BrowserMode
from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.domain.decks import LeechAction
from studyapp.services.browser import Selection
from studyapp.services.container import Services
from studyapp.services.study import StudyService, StudyStep
from studyapp.services.undo import UndoStack
from studyapp.storage.database import Database
from studyapp.storage.deck_list_sql import StudiedCards
from studyapp.storage.review_repository import ReviewRepository
from tests.services.scheduling_cards import add_two_card_note, card_ids, make_review, today_of

DeckMaker = Callable[..., int]


@pytest.fixture
def second(collection_url: str, database: Database) -> Iterator[Database]:
    """The same collection opened again: its own engine and connections, as another process."""
    other = Database(collection_url)
    yield other
    other.close()


def fresh_step(other: Database, clock: ManualClock, deck_id: int) -> StudyStep:
    """What a study service that has kept nothing shows for `deck_id`."""
    return StudyService(other, clock, UndoStack()).next_step(deck_id)


class Recounts:
    """Counts the reads of today's answers from the review log (each queue build makes one)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads = 0
        studied_since = ReviewRepository.studied_since

        def counted(repository: ReviewRepository, since_ms: int) -> StudiedCards:
            self.reads += 1
            return studied_since(repository, since_ms)

        monkeypatch.setattr(ReviewRepository, "studied_since", counted)


def build_collection(
    services: Services, database: Database, clock: ManualClock, make_deck: DeckMaker
) -> dict[str, int]:
    """Main (a few cards) with subdecks A, B and C: new cards, reviews due (some about to become
    leeches), reviews due later, and in C two-card notes whose siblings get buried; tight
    limits, and a learning step that may end after the study day does."""
    preset = services.presets.add("Memo")
    services.presets.save(
        replace(
            preset,
            new_per_day=6,
            learning_steps=(60, 12 * 3600),
            reviews_per_day=7,
            leech_threshold=2,
            leech_action=LeechAction.SUSPEND,
            bury_new_siblings=True,
            bury_review_siblings=True,
        )
    )
    decks = {
        "Main": make_deck("Main", 3, preset.id),
        "Main::A": make_deck("Main::A", 10, preset.id),
        "Main::B": make_deck("Main::B", 6, preset.id),
        "Main::C": make_deck("Main::C", 0, preset.id),
    }
    today = today_of(clock)
    siblings = [
        card
        for key in ("pair-1", "pair-2", "pair-3", "pair-4", "pair-5", "pair-6")
        for card in add_two_card_note(database, clock, decks["Main::C"], key)
    ]
    chooser = random.Random(3)
    for index, card_id in enumerate(card_ids(database, decks["Main::A"]) + siblings[::2]):
        if index % 4 == 3:
            continue  # stays new
        due = today + (2 if index % 5 == 0 else -chooser.randint(0, 3))
        make_review(
            database,
            card_id,
            due=due,
            interval=chooser.randint(1, 6),
            stability=chooser.uniform(0.5, 4.0),
            lapses=1 if index % 3 == 0 else 0,
        )
    return decks


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_queue_always_matches_a_fresh_build(
    services: Services,
    database: Database,
    second: Database,
    clock: ManualClock,
    make_deck: DeckMaker,
    backend: str,
    seed: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decks = build_collection(services, database, clock, make_deck)
    filtered: int | None = None
    chooser = random.Random(seed)
    recounts = Recounts(monkeypatch)
    studied = fast = 0
    rolled_over = False
    deck_id = decks["Main"]
    answered: list[int] = []
    for turn in range(140):
        roll = chooser.random()
        if roll < 0.04 and services.undo.label() == "Answer":
            services.undo.undo()
        elif roll < 0.07 and services.undo.redo_label() == "Answer":
            services.undo.redo()
        elif roll < 0.09 and filtered is None:
            filtered = services.custom_study.study_ahead(decks["Main::A"], 3).deck_id
        elif roll < 0.1 and filtered is not None:
            elsewhere = fresh_step(second, clock, filtered).card  # shown in another window
            if elsewhere is not None:
                services.study.answer(elsewhere.card_id, Rating.AGAIN, 3000)
        elif roll < 0.11 and answered:
            chosen = Selection(BrowserMode.CARDS, (chooser.choice(answered),))
            if chooser.random() < 0.5:
                services.browser.set_due(chosen, "0")  # its answer today stays in the log
            else:
                services.browser.reset(chosen)  # new again, after an answer as new today
        elif roll < 0.13:
            step = services.study.next_step(decks["Main"])
            if step.card is not None:
                services.card_actions.bury_card(step.card.card_id)
        elif roll < 0.17:
            clock.advance(timedelta(seconds=chooser.randint(30, 900)))
        elif turn > 100 and not rolled_over:
            clock.advance(timedelta(days=1))
            rolled_over = True
        if chooser.random() < 0.1:  # now and then the user studies another deck
            deck_id = decks[chooser.choice(["Main", "Main::B", "Main::C"])]
            if filtered is not None and chooser.random() < 0.3:
                deck_id = filtered
        before = recounts.reads
        step = services.study.next_step(deck_id)
        studied += 1
        fast += recounts.reads == before
        assert step == fresh_step(second, clock, deck_id), f"turn {turn}"
        if step.card is not None:
            rating = chooser.choice([Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD])
            services.study.answer(step.card.card_id, rating, 4000)
            answered.append(step.card.card_id)
        else:
            clock.advance(timedelta(minutes=5))
    assert rolled_over
    if backend == "sqlite":
        assert fast > studied // 2  # most steps came right after the service's own answer
    else:
        assert fast == 0  # a shared PostgreSQL collection is read afresh every time


def test_kept_queue_counts_down_as_cards_are_answered(
    services: Services, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Counted", 4)
    shown = []
    for _ in range(4):
        step = services.study.next_step(deck_id)
        assert step.card is not None
        shown.append(step.counts)
        services.study.answer(step.card.card_id, Rating.EASY, 2000)
    assert [counts.new for counts in shown] == [4, 3, 2, 1]
    assert services.study.next_step(deck_id).counts.total == 0


def test_a_write_by_another_connection_is_seen_at_once(
    services: Services, second: Database, clock: ManualClock, make_deck: DeckMaker
) -> None:
    deck_id = make_deck("Shared", 3)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    StudyService(second, clock, UndoStack()).answer(step.card.card_id, Rating.EASY, 2000)

    after = services.study.next_step(deck_id)

    assert after.counts.new == 2
    assert after.card is not None
    assert after.card.card_id != step.card.card_id


def test_undoing_an_answer_brings_its_count_back(services: Services, make_deck: DeckMaker) -> None:
    deck_id = make_deck("Undone", 2)
    step = services.study.next_step(deck_id)
    assert step.card is not None
    services.study.answer(step.card.card_id, Rating.EASY, 2000)
    assert services.study.next_step(deck_id).counts.new == 1

    services.undo.undo()
    assert services.study.next_step(deck_id).counts.new == 2
    services.undo.redo()
    assert services.study.next_step(deck_id).counts.new == 1


def studied_step(
    services: Services, second: Database, clock: ManualClock, deck_id: int
) -> StudyStep:
    """The service's next step for `deck_id`, checked against a fresh build."""
    step = services.study.next_step(deck_id)
    assert step == fresh_step(second, clock, deck_id)
    return step


def test_a_card_answered_twice_as_a_review_today_counts_once(
    services: Services,
    database: Database,
    second: Database,
    clock: ManualClock,
    make_deck: DeckMaker,
) -> None:
    preset = services.presets.add("Two reviews")
    services.presets.save(replace(preset, reviews_per_day=2))
    deck_id = make_deck("Twice", 3, preset.id)
    today = today_of(clock)
    for card_id in card_ids(database, deck_id):
        make_review(database, card_id, due=today, interval=3, stability=3.0)
    first = card_ids(database, deck_id)[0]
    assert studied_step(services, second, clock, deck_id).counts.review == 2
    services.study.answer(first, Rating.GOOD, 3000)
    assert studied_step(services, second, clock, deck_id).counts.review == 1
    services.browser.set_due(Selection(BrowserMode.CARDS, (first,)), "0")
    step = studied_step(services, second, clock, deck_id)
    assert step.card is not None
    assert step.card.card_id == first
    services.study.answer(first, Rating.GOOD, 3000)

    assert studied_step(services, second, clock, deck_id).counts.review == 1


def test_a_card_studied_ahead_and_forgotten_leaves_the_review_count(
    services: Services,
    database: Database,
    second: Database,
    clock: ManualClock,
    make_deck: DeckMaker,
) -> None:
    deck_id = make_deck("Ahead", 3)
    today = today_of(clock)
    for card_id in card_ids(database, deck_id):
        make_review(database, card_id, due=today + 2, interval=4, stability=4.0)
    ahead = services.custom_study.study_ahead(deck_id, 3).deck_id
    step = studied_step(services, second, clock, ahead)
    assert step.card is not None
    assert (step.counts.learning, step.counts.review) == (0, 3)
    services.study.answer(step.card.card_id, Rating.AGAIN, 3000)

    after = studied_step(services, second, clock, ahead)

    assert (after.counts.learning, after.counts.review) == (1, 2)
