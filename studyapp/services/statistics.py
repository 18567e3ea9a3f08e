"""Statistics: every figure of the statistics window, the streak, card info and deck progress.

Each public method runs in one transaction, except compute(), which reads in two at once (one
for the review log, one for the cards) to use two cores; it writes nothing.  The figures are
worked out in statistics_compute, imported by the methods that need it: the GUI builds this
service at launch, and the deck list shows before any of it loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.deck_progress import DeckProgress
from studyapp.services.statistics_period import Period

if TYPE_CHECKING:
    from studyapp.domain.clock import Clock
    from studyapp.services.statistics_values import CardInfo, Statistics, Streak
    from studyapp.storage.database import Database

DAILY_GOAL_KEY = "daily_goal"
MAX_DAILY_GOAL = 10_000


class StatisticsService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def compute(self, deck_id: int | None, period: Period) -> Statistics:
        """Every figure for `deck_id` with its subdecks (None: the whole collection).

        Read-only, in two transactions at once: the review-log aggregates go on a second
        connection in a worker thread while this one reads the cards (the database works
        without Python's global lock), so both cores are used."""
        from studyapp.services.statistics_compute import Computation

        with self._database.transaction() as repos:
            computation = Computation(repos, self._clock, deck_id, Period(period))
            if self._database.is_sqlite and self._database.sqlite_file is None:
                return computation.run(None)  # in memory: each connection is its own database
            with self._database.transaction() as log:
                return computation.run(log)

    def set_daily_goal(self, reviews: int) -> None:
        if not 0 <= reviews <= MAX_DAILY_GOAL:
            raise InvalidInputError(f"The daily goal must be from 0 to {MAX_DAILY_GOAL} reviews.")
        with self._database.transaction() as repos:
            repos.settings.set(DAILY_GOAL_KEY, int(reviews))

    def streak(self) -> Streak:
        from studyapp.services.queue import StudyDay
        from studyapp.services.settings import read_settings
        from studyapp.services.statistics_compute import study_streak

        with self._database.transaction() as repos:
            day = StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour)
            return study_streak(repos, self._clock, day)

    def card_info(self, card_id: int) -> CardInfo:
        from studyapp.services.queue import StudyDay
        from studyapp.services.settings import read_settings
        from studyapp.services.statistics_compute import card_info

        with self._database.transaction() as repos:
            card = repos.cards.get(card_id)
            if card is None:
                raise NotFoundError(f"There is no card with id {card_id}.")
            note = repos.notes.get(card.note_id)
            deck = repos.decks.get(card.deck_id)
            assert note is not None
            assert deck is not None
            note_type = repos.note_types.get(note.note_type_id)
            preset = repos.presets.get(deck.preset_id)
            assert note_type is not None
            assert preset is not None
            rollover = read_settings(repos.settings).rollover_hour
            day = StudyDay.at(self._clock, rollover)
            reviews = repos.reviews.for_card(card_id)
        return card_info(card, note, deck, note_type, preset, day.today, reviews, self._clock.zone)

    def deck_progress(self) -> dict[int, DeckProgress]:
        """New, learning, young and mature cards of every deck, subdecks included."""
        from studyapp.services.queue import subtree

        with self._database.transaction() as repos:
            decks = repos.decks.all()
            rows = repos.stats.deck_states()
        own: dict[int, dict[str, int]] = {d.id: {} for d in decks}
        for deck_id, category, cards in rows:
            own.setdefault(deck_id, {})[category] = cards
        progress = {}
        for deck in decks:
            totals = dict.fromkeys(("new", "learning", "young", "mature"), 0)
            for member in subtree(decks, deck):
                for category, cards in own.get(member.id, {}).items():
                    totals[category] += cards
            progress[deck.id] = DeckProgress(**totals)
        return progress
