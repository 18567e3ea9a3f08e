"""Custom study, as students use it before an exam: the deck list's Custom study… options.

Reviewing today's forgotten cards, studying ahead and cramming are done as Anki does them, through
one filtered deck, CUSTOM_STUDY_DECK, rebuilt for each new choice.  Raising today's limits needs no
deck: the extra is stored for the current study day (services.custom_queue).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyapp.domain.clock import Clock
from studyapp.domain.decks import Deck, DeckFilter
from studyapp.domain.filtered import FilterOrder, GatherQuery
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.custom_queue import add_extra_limits, read_extra_limits
from studyapp.services.filtered_decks import matching_cards
from studyapp.services.queue import StudyDay, subtree
from studyapp.services.settings import read_settings

if TYPE_CHECKING:
    from studyapp.services.filtered_decks import FilteredDeck, FilteredDeckService
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

CUSTOM_STUDY_DECK = "Custom study session"
MAX_AHEAD_DAYS = 365
MAX_EXTRA = 9999
CRAM_LIMIT = 9999


@dataclass(frozen=True, slots=True)
class CustomStudyInfo:
    """What the Custom study… dialog shows for a deck."""

    deck_id: int
    deck_name: str
    forgotten_today: int
    new_per_day: int
    reviews_per_day: int
    extra_new: int
    extra_review: int
    tags: tuple[str, ...]
    """Tags on the deck's cards, for cramming by tag."""


class CustomStudyService:
    def __init__(self, database: Database, clock: Clock, filtered: FilteredDeckService) -> None:
        self._database = database
        self._clock = clock
        self._filtered = filtered

    def _deck(self, repos: Repositories, deck_id: int) -> Deck:
        deck = repos.decks.get(deck_id)
        if deck is None:
            raise NotFoundError(f"There is no deck with id {deck_id}.")
        if deck.filter is not None:
            raise InvalidInputError("Custom study works on regular decks, not filtered ones.")
        return deck

    def _day(self, repos: Repositories) -> StudyDay:
        return StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour)

    def info(self, deck_id: int) -> CustomStudyInfo:
        with self._database.transaction() as repos:
            deck = self._deck(repos, deck_id)
            preset = repos.presets.get(deck.preset_id)
            assert preset is not None
            day = self._day(repos)
            ids = [d.id for d in subtree(repos.decks.all(), deck) if d.filter is None]
            search = GatherQuery(deck=deck.name, forgotten_days=1).text()
            forgotten = matching_cards(repos, search, day, self._clock.zone)
            extra_new, extra_review = read_extra_limits(repos.settings, day.today).get(
                deck.id, (0, 0)
            )
            tags = repos.planning.tags_in(ids)
            return CustomStudyInfo(
                deck_id=deck.id,
                deck_name=deck.name,
                forgotten_today=len(forgotten),
                new_per_day=preset.new_per_day,
                reviews_per_day=preset.reviews_per_day,
                extra_new=extra_new,
                extra_review=extra_review,
                tags=tuple(tags),
            )

    def _name(self, deck_id: int) -> str:
        with self._database.transaction() as repos:
            return self._deck(repos, deck_id).name

    def review_forgotten(self, deck_id: int) -> FilteredDeck:
        """The cards of the deck answered Again today, to go over once more (rescheduled)."""
        query = GatherQuery(deck=self._name(deck_id), forgotten_days=1)
        return self._build(DeckFilter(query.text(), CRAM_LIMIT, FilterOrder.DUE, True))

    def study_ahead(self, deck_id: int, days: int) -> FilteredDeck:
        """The deck's review cards due within `days` days, earliest first (rescheduled)."""
        if not 1 <= days <= MAX_AHEAD_DAYS:
            raise InvalidInputError(f"Study ahead by 1 to {MAX_AHEAD_DAYS} days.")
        query = GatherQuery(deck=self._name(deck_id), due_within=days)
        return self._build(DeckFilter(query.text(), CRAM_LIMIT, FilterOrder.DUE, True))

    def cram(self, deck_id: int | None, tag: str | None, limit: int = CRAM_LIMIT) -> FilteredDeck:
        """A deck's cards (or a tag's, or both) in random order, without changing schedules."""
        if deck_id is None and not tag:
            raise InvalidInputError("Choose a deck or a tag to cram.")
        if tag is not None and (not tag.strip() or any(c.isspace() for c in tag.strip())):
            raise InvalidInputError("A tag is one word, without spaces.")
        query = GatherQuery(
            deck=None if deck_id is None else self._name(deck_id),
            tag=None if tag is None else tag.strip(),
        )
        return self._build(DeckFilter(query.text(), limit, FilterOrder.RANDOM, False))

    def _build(self, deck_filter: DeckFilter) -> FilteredDeck:
        return self._filtered.create(CUSTOM_STUDY_DECK, deck_filter, replace_existing=True)

    def raise_limits(self, deck_id: int, new: int = 0, review: int = 0) -> tuple[int, int]:
        """Raise today's new and review limits of the deck; returns today's extra in total."""
        if not (0 <= new <= MAX_EXTRA and 0 <= review <= MAX_EXTRA) or new + review == 0:
            raise InvalidInputError(f"Raise a limit by 1 to {MAX_EXTRA} cards.")
        with self._database.transaction() as repos:
            deck = self._deck(repos, deck_id)
            return add_extra_limits(repos.settings, self._day(repos).today, deck.id, new, review)
