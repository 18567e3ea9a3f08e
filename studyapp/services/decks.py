"""The deck list and its counts."""

from __future__ import annotations

from studyapp.domain.clock import Clock
from studyapp.domain.decks import DECK_SEPARATOR, Deck, DeckCounts
from studyapp.errors import NotFoundError
from studyapp.services.queue import DailyQueue, StudyDay
from studyapp.services.settings import read_settings
from studyapp.storage.database import Database


def tree_order(name: str) -> tuple[str, ...]:
    """Sort key that puts parents before children and siblings in alphabetical order."""
    return tuple(part.casefold() for part in name.split(DECK_SEPARATOR))


class DeckService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def deck_list(self) -> list[DeckCounts]:
        """Every deck with what Study would show today, its subdecks included."""
        with self._database.transaction() as repos:
            day = StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour)
            decks = repos.decks.all()
            queue = DailyQueue(repos, day, decks)
            rows = []
            for deck in sorted(decks, key=lambda d: tree_order(d.name)):
                counts = queue.counts(deck.id)
                rows.append(
                    DeckCounts(deck.id, deck.name, counts.new, counts.learning, counts.review)
                )
            return rows

    def get(self, deck_id: int) -> Deck:
        with self._database.transaction() as repos:
            deck = repos.decks.get(deck_id)
        if deck is None:
            raise NotFoundError(f"There is no deck with id {deck_id}.")
        return deck

    def by_name(self, name: str) -> Deck:
        with self._database.transaction() as repos:
            deck = repos.decks.by_name(name)
        if deck is None:
            raise NotFoundError(f"There is no deck called “{name}”.")
        return deck
