"""The per-day loads StudyService keeps between answers give what a fresh read gives."""

from __future__ import annotations

from collections.abc import Callable

from studyapp.domain.cards import Rating
from studyapp.domain.clock import ManualClock
from studyapp.domain.scheduler import SECONDS_PER_DAY, format_interval
from studyapp.services.container import Services
from studyapp.services.study import StudyService
from studyapp.services.undo import UndoStack
from studyapp.storage.database import Database
from tests.services.scheduling_cards import card_ids, make_review, today_of

DeckMaker = Callable[..., int]


def test_cached_loads_give_the_labels_and_days_a_fresh_read_gives(
    services: Services, make_deck: DeckMaker, database: Database, clock: ManualClock
) -> None:
    deck_id = make_deck("Balanced", 40)
    today = today_of(clock)
    for number, card_id in enumerate(card_ids(database, deck_id)):
        # A third due today; the rest due on the days their answers may land on.
        interval = 8 + number % 5
        make_review(
            database, card_id, due=today + (number % 3) * 9, interval=interval, stability=12.0
        )
    answered = 0
    while (step := services.study.next_step(deck_id)).card is not None:
        card = step.card
        fresh = StudyService(database, clock, UndoStack()).next_step(deck_id).card  # reads anew
        assert fresh is not None
        assert card.labels == fresh.labels
        services.study.answer(card.card_id, Rating.GOOD, 1000)
        with database.transaction() as repos:
            stored = repos.cards.get(card.card_id)
        assert stored is not None
        assert card.labels[Rating.GOOD] == format_interval((stored.due - today) * SECONDS_PER_DAY)
        answered += 1
        if answered == 6:  # undo empties the cache: the next card reads the loads again
            services.undo.undo()
            services.study.answer(card.card_id, Rating.GOOD, 1000)
    assert answered >= 14
