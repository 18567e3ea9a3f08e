"""Filtered decks: build one from a search, rebuild it, empty it, delete it.

The search is the browser's (domain.search).  Building moves matching cards in (Card.home_deck_id
remembers where they came from); emptying or deleting sends every card home with its schedule as
it is.  Cards that are suspended, buried or already in a filtered deck are never gathered.  Each
action is one transaction and one undo step: undoing puts back the very rows it changed (the
cards' deck_id and home_deck_id, the deck itself when it was made or deleted).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import tzinfo
from typing import TYPE_CHECKING

from studyapp.domain.browser_columns import BrowserMode, Column
from studyapp.domain.cards import Card
from studyapp.domain.clock import Clock, study_day_start, to_epoch
from studyapp.domain.decks import DeckFilter, normalize_deck_name
from studyapp.domain.filtered import MAX_FILTER_LIMIT, FilterOrder
from studyapp.domain.search import parse_search
from studyapp.errors import InvalidInputError, NotAFilteredDeckError, NotFoundError
from studyapp.services.custom_queue import sorted_for_filter
from studyapp.services.queue import LEARN_AHEAD_SECONDS, StudyDay
from studyapp.services.settings import read_settings
from studyapp.services.undo import UndoEntry, restoring
from studyapp.storage.search_moment import SearchMoment
from studyapp.storage.snapshot_values import RowSnapshot

if TYPE_CHECKING:
    from studyapp.services.undo import UndoStack
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories


@dataclass(frozen=True, slots=True)
class FilteredDeck:
    """A filtered deck and how many cards it holds."""

    deck_id: int
    name: str
    filter: DeckFilter
    cards: int


def matching_cards(repos: Repositories, query: str, day: StudyDay, zone: tzinfo) -> list[Card]:
    """The cards a search finds that could be gathered: active, and in no filtered deck.

    Raises SearchError (an InvalidInputError) for a search that cannot be read.
    """
    moment = SearchMoment(
        today=day.today,
        learn_cutoff=day.now_epoch + LEARN_AHEAD_SECONDS,
        day_start=lambda d: to_epoch(study_day_start(d, day.rollover_hour, zone)),
    )
    ids = repos.search.ids(parse_search(query), moment, BrowserMode.CARDS, Column.DUE, False)
    return repos.planning.gatherable_among(ids)


def choose(
    repos: Repositories, deck_id: int, deck_filter: DeckFilter, day: StudyDay, zone: tzinfo
) -> list[int]:
    """The ids of the cards `deck_filter` gathers into deck `deck_id` now, in its order."""
    cards = matching_cards(repos, deck_filter.query, day, zone)
    order = FilterOrder(deck_filter.order)
    chosen = sorted_for_filter(repos, cards, order, deck_id, day.today)[: deck_filter.limit]
    return [c.id for c in chosen]


def check_filter(deck_filter: DeckFilter) -> None:
    if not 1 <= deck_filter.limit <= MAX_FILTER_LIMIT:
        raise InvalidInputError(f"The card limit must be from 1 to {MAX_FILTER_LIMIT}.")
    if deck_filter.order not in set(FilterOrder):
        raise InvalidInputError(f"Unknown order {deck_filter.order}.")


class FilteredDeckService:
    def __init__(self, database: Database, clock: Clock, undo_stack: UndoStack) -> None:
        self._database = database
        self._clock = clock
        self._undo = undo_stack

    def _day(self, repos: Repositories) -> StudyDay:
        return StudyDay.at(self._clock, read_settings(repos.settings).rollover_hour)

    def create(
        self, name: str, deck_filter: DeckFilter, replace_existing: bool = False
    ) -> FilteredDeck:
        """A new filtered deck called `name`, filled from its search; undoable.

        With `replace_existing`, a filtered deck of that name is emptied and rebuilt with the
        new search (custom study reuses one deck).  Raises InvalidInputError when the name is
        taken or nothing matches; then nothing is changed.
        """
        check_filter(deck_filter)
        try:
            name = normalize_deck_name(name)
        except ValueError as error:
            raise InvalidInputError("Give the filtered deck a name.") from error
        with self._database.transaction() as repos:
            existing = repos.decks.by_name(name)
            if existing is not None and not (replace_existing and existing.filter is not None):
                raise InvalidInputError(f"There is already a deck called “{name}”.")
            if existing is not None:
                held = repos.planning.ids_in(existing.id)
                before = repos.snapshots.capture(deck_ids=[existing.id], card_ids=held)
                repos.planning.send_home(existing.id)
                deck = replace(existing, filter=deck_filter)
            else:
                held, before = [], RowSnapshot()
                default_preset = repos.presets.all()[0]
                deck = replace(repos.decks.add(name, default_preset.id), filter=deck_filter)
            repos.decks.update(deck)
            before, after = self._gather(repos, deck.id, deck_filter, held, before)
            if self._held(after, deck.id) == 0:
                raise InvalidInputError("No cards match this search; no filtered deck was made.")
            after = replace(after, decks=repos.snapshots.capture(deck_ids=[deck.id]).decks)
        made = RowSnapshot(decks=after.decks) if existing is None else RowSnapshot()

        def revert(repos: Repositories) -> None:
            repos.snapshots.restore(before)
            repos.snapshots.remove(made)

        def reapply(repos: Repositories) -> None:
            repos.snapshots.restore(after)

        self._undo.push(UndoEntry("Build filtered deck", None, revert, reapply))
        return FilteredDeck(deck.id, deck.name, deck_filter, self._held(after, deck.id))

    def _gather(
        self,
        repos: Repositories,
        deck_id: int,
        deck_filter: DeckFilter,
        held: list[int],
        before: RowSnapshot,
    ) -> tuple[RowSnapshot, RowSnapshot]:
        """Gather into `deck_id`, whose cards `held` have just been sent home (`before` holds
        their rows from before that).  Returns the rows of every card concerned, before and
        after: those sent home and those gathered."""
        chosen = choose(repos, deck_id, deck_filter, self._day(repos), self._clock.zone)
        known = set(held)
        joining = [card_id for card_id in chosen if card_id not in known]
        before = replace(
            before, cards=before.cards + repos.snapshots.capture(card_ids=joining).cards
        )
        repos.planning.move_into(chosen, deck_id)
        return before, repos.snapshots.capture(card_ids=[*held, *joining])

    @staticmethod
    def _held(snapshot: RowSnapshot, deck_id: int) -> int:
        """How many of the snapshot's cards sit in `deck_id`."""
        return sum(1 for row in snapshot.cards if row["deck_id"] == deck_id)

    def get(self, deck_id: int) -> FilteredDeck:
        with self._database.transaction() as repos:
            deck_id, name, deck_filter = self._filtered(repos, deck_id)
            return FilteredDeck(deck_id, name, deck_filter, len(repos.planning.in_deck(deck_id)))

    def _filtered(self, repos: Repositories, deck_id: int) -> tuple[int, str, DeckFilter]:
        deck = repos.decks.get(deck_id)
        if deck is None:
            raise NotFoundError(f"There is no deck with id {deck_id}.")
        if deck.filter is None:
            raise NotAFilteredDeckError(f"“{deck.name}” is not a filtered deck.")
        return deck.id, deck.name, deck.filter

    def _send_home(self, repos: Repositories, deck_id: int) -> tuple[list[int], RowSnapshot]:
        """Send every card of `deck_id` home; their ids, and their rows from before."""
        held = repos.planning.ids_in(deck_id)
        before = repos.snapshots.capture(card_ids=held)
        repos.planning.send_home(deck_id)
        return held, before

    def _push(self, label: str, before: RowSnapshot, after: RowSnapshot) -> None:
        self._undo.push(restoring(label, None, before, after))

    def rebuild(self, deck_id: int) -> FilteredDeck:
        """Send the deck's cards home and gather again with its search; undoable."""
        with self._database.transaction() as repos:
            deck_id, name, deck_filter = self._filtered(repos, deck_id)
            held, before = self._send_home(repos, deck_id)
            before, after = self._gather(repos, deck_id, deck_filter, held, before)
        self._push("Rebuild filtered deck", before, after)
        return FilteredDeck(deck_id, name, deck_filter, self._held(after, deck_id))

    def empty(self, deck_id: int) -> int:
        """Send every card of the filtered deck home; returns how many went.  Undoable."""
        with self._database.transaction() as repos:
            deck_id, _, _ = self._filtered(repos, deck_id)
            held, before = self._send_home(repos, deck_id)
            after = repos.snapshots.capture(card_ids=held)
        self._push("Empty filtered deck", before, after)
        return len(held)

    def delete(self, deck_id: int) -> int:
        """Send the filtered deck's cards home and delete it; returns how many cards went home.
        Undoable."""
        with self._database.transaction() as repos:
            deck_id, _, _ = self._filtered(repos, deck_id)
            deck_row = repos.snapshots.capture(deck_ids=[deck_id])
            held, before = self._send_home(repos, deck_id)
            after = repos.snapshots.capture(card_ids=held)
            repos.decks.delete(deck_id)

        def revert(repos: Repositories) -> None:
            repos.snapshots.restore(replace(before, decks=deck_row.decks))

        def reapply(repos: Repositories) -> None:
            repos.snapshots.restore(after)
            repos.snapshots.remove(deck_row)

        self._undo.push(UndoEntry("Delete filtered deck", None, revert, reapply))
        return len(held)
