"""The deck list and its counts; adding, renaming, moving and deleting decks.

Renaming a deck renames its subdecks with it ("A::B" renamed "C" makes "A::B::X" "C::X"); moving
is renaming under another parent.  Deleting a deck deletes its subdecks and their cards, and notes
left with no card; cards that a deleted filtered deck had gathered go back to their home decks.
Every change but folding is one transaction and one undo entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from studyapp.domain.clock import Clock, to_epoch
from studyapp.domain.decks import DECK_SEPARATOR, Deck, DeckCounts, normalize_deck_name
from studyapp.errors import InvalidInputError, NotFoundError
from studyapp.services.collection_cache import CollectionCache
from studyapp.services.queue import DailyQueue, StudyDay, subtree
from studyapp.services.undo import UndoEntry, UndoStack

if TYPE_CHECKING:
    from studyapp.storage.database import Database
    from studyapp.storage.repositories import Repositories

MAX_NAME_LENGTH = 500
"""Characters in a deck's full name (the column's size)."""

Namer = Callable[[Deck, list[Deck]], str]
"""The new full name of a deck, given the deck and every deck (a rename or a move)."""


def tree_order(name: str) -> tuple[str, ...]:
    """Sort key that puts parents before children and siblings in alphabetical order."""
    return tuple(part.casefold() for part in name.split(DECK_SEPARATOR))


def deck_counts(decks: list[Deck], queue: DailyQueue) -> list[DeckCounts]:
    """The deck list's rows: every deck in tree order, with what Study would show today."""
    rows = []
    for deck in sorted(decks, key=lambda d: tree_order(d.name)):
        counts = queue.counts(deck.id)
        rows.append(
            DeckCounts(
                deck.id,
                deck.name,
                counts.new,
                counts.learning,
                counts.review,
                deck.collapsed,
                deck.filter is not None,
            )
        )
    return rows


def valid_deck_name(name: str) -> str:
    """`name` with blanks around each level removed; InvalidInputError when it cannot be a name."""
    if not name.strip():
        raise InvalidInputError("A deck needs a name.")
    try:
        normalized = normalize_deck_name(name)
    except ValueError:
        raise InvalidInputError(
            f"“{name.strip()}” has an empty level: every part between “::” needs a name."
        ) from None
    if len(normalized) > MAX_NAME_LENGTH:
        raise InvalidInputError(f"A deck name can have at most {MAX_NAME_LENGTH} characters.")
    return normalized


@dataclass(frozen=True, slots=True)
class DeckDeletion:
    """What deleting a deck would take with it."""

    deck_id: int
    name: str
    decks: int
    """The deck and its subdecks."""
    cards: int
    """Cards deleted (cards a filtered deck had gathered go home instead, and are not counted)."""


@dataclass(frozen=True, slots=True)
class _Plan:
    deletion: DeckDeletion
    deck_ids: list[int]
    going: list[int]
    """Cards deleted."""
    returning: dict[int, int]
    """Cards of a deleted filtered deck whose home deck stays: card id -> home deck id."""
    notes: list[int]
    """Notes all of whose cards are deleted."""


class DeckService:
    def __init__(
        self, database: Database, clock: Clock, undo_stack: UndoStack, cache: CollectionCache
    ) -> None:
        """`cache`: the collection cache the app's services share."""
        self._database = database
        self._clock = clock
        self._undo = undo_stack
        self._cache = cache

    def deck_list(self) -> list[DeckCounts]:
        """Every deck with what Study would show today, its subdecks included."""
        with self._database.transaction() as repos:
            cached = self._cache.reads(repos)
            day = StudyDay.at(self._clock, cached.settings().rollover_hour)
            decks = cached.decks()
            rows = deck_counts(decks, DailyQueue.stored(repos, cached, day, decks))
        self._cache.kept(cached)  # at most buried cards came back: nothing cached changed
        return rows

    def get(self, deck_id: int) -> Deck:
        with self._database.transaction() as repos:
            return _deck(repos, deck_id)

    def by_name(self, name: str) -> Deck:
        with self._database.transaction() as repos:
            deck = repos.decks.by_name(name)
        if deck is None:
            raise NotFoundError(f"There is no deck called “{name}”.")
        return deck

    # Changes.

    def create(self, name: str) -> Deck:
        """Add a deck called `name` ("A::B" makes B under A, adding A if missing)."""
        name = valid_deck_name(name)
        with self._database.transaction() as repos:
            decks = repos.decks.all()
            name = _spelled_as_existing(decks, name)
            _check_free(decks, [name])
            created = _add_with_parents(repos, decks, name)
            after = repos.snapshots.capture(deck_ids=[d.id for d in created])
            deck = created[-1]

        def revert(repos: Repositories) -> None:
            _check_empty(repos, [d.id for d in created])
            repos.snapshots.remove(after)

        def reapply(repos: Repositories) -> None:
            repos.snapshots.restore(after)

        self._undo.push(UndoEntry("Add deck", None, revert, reapply))
        return deck

    def rename(self, deck_id: int, new_name: str) -> Deck:
        """Give the deck the full name `new_name`; its subdecks follow it."""
        name = valid_deck_name(new_name)
        return self._rename(deck_id, lambda _deck, _decks: name, "Rename deck")

    def move(self, deck_id: int, parent_id: int | None) -> Deck:
        """Put the deck (with its subdecks) under `parent_id`, or at the top level for None."""

        def moved_name(deck: Deck, decks: list[Deck]) -> str:
            if parent_id is None:
                return deck.short_name
            parent = next((d for d in decks if d.id == parent_id), None)
            if parent is None:
                raise NotFoundError(f"There is no deck with id {parent_id}.")
            return parent.name + DECK_SEPARATOR + deck.short_name

        return self._rename(deck_id, moved_name, "Move deck")

    def _rename(self, deck_id: int, new_name: Namer, label: str) -> Deck:
        with self._database.transaction() as repos:
            deck = _deck(repos, deck_id)
            decks = repos.decks.all()
            moving = subtree(decks, deck)
            staying = [d for d in decks if d not in moving]
            name = _spelled_as_existing(staying, new_name(deck, decks))
            if name == deck.name:
                return deck
            if name.startswith(deck.name + DECK_SEPARATOR):
                raise InvalidInputError(
                    f"“{deck.name}” cannot go inside itself or one of its own subdecks."
                )
            renamed = {d.id: name + d.name[len(deck.name) :] for d in moving}
            _check_free(staying, list(renamed.values()))
            before = repos.snapshots.capture(deck_ids=renamed)
            for moved in moving:
                repos.decks.update(replace(moved, name=renamed[moved.id]))
            parent_name = name.rpartition(DECK_SEPARATOR)[0]
            created = _add_with_parents(repos, staying, parent_name) if parent_name else []
            added = repos.snapshots.capture(deck_ids=[d.id for d in created])
            after = repos.snapshots.capture(deck_ids=[*renamed, *(d.id for d in created)])
            result = replace(deck, name=name)

        def revert(repos: Repositories) -> None:
            _check_empty(repos, [d.id for d in created])
            repos.snapshots.remove(added)
            repos.snapshots.restore(before)

        def reapply(repos: Repositories) -> None:
            repos.snapshots.restore(after)

        self._undo.push(UndoEntry(label, None, revert, reapply))
        return result

    def deletion(self, deck_id: int) -> DeckDeletion:
        """What deleting `deck_id` would delete, to show before asking; nothing changes."""
        with self._database.transaction() as repos:
            return _plan_deletion(repos, _deck(repos, deck_id)).deletion

    def delete(self, deck_id: int) -> DeckDeletion:
        """Delete the deck, its subdecks, their cards (with review history) and the notes left
        without cards; returns what went."""
        with self._database.transaction() as repos:
            plan = _plan_deletion(repos, _deck(repos, deck_id))
            before = repos.snapshots.capture(
                deck_ids=plan.deck_ids,
                note_ids=plan.notes,
                card_ids=[*plan.going, *plan.returning],
                reviews_of=plan.going,
            )
            now = to_epoch(self._clock.now())
            for card_id, home in plan.returning.items():
                card = repos.cards.get(card_id)
                assert card is not None
                repos.cards.save(replace(card, deck_id=home, home_deck_id=None), now)
            returned = repos.snapshots.capture(card_ids=plan.returning)
            doomed = replace(
                before, cards=tuple(r for r in before.cards if r["id"] not in plan.returning)
            )
            repos.snapshots.remove(doomed)

        def revert(repos: Repositories) -> None:
            repos.snapshots.restore(before)

        def reapply(repos: Repositories) -> None:
            repos.snapshots.restore(returned)
            repos.snapshots.remove(doomed)

        self._undo.push(UndoEntry("Delete deck", None, revert, reapply))
        return plan.deletion

    def set_collapsed(self, deck_id: int, collapsed: bool) -> None:
        """Remember whether the deck list folds this deck's subdecks away (not undoable)."""
        with self._database.transaction() as repos:
            deck = _deck(repos, deck_id)
            if deck.collapsed != collapsed:
                repos.decks.update(replace(deck, collapsed=collapsed))


def _deck(repos: Repositories, deck_id: int) -> Deck:
    deck = repos.decks.get(deck_id)
    if deck is None:
        raise NotFoundError(f"There is no deck with id {deck_id}.")
    return deck


def _spelled_as_existing(decks: list[Deck], name: str) -> str:
    """`name` with each parent level spelled as the existing deck spells it ("bio::x" under
    "Bio" becomes "Bio::x")."""
    existing = {d.name.casefold(): d.name for d in decks}
    parts = name.split(DECK_SEPARATOR)
    for depth in range(1, len(parts)):
        found = existing.get(DECK_SEPARATOR.join(parts[:depth]).casefold())
        if found is not None:
            parts[:depth] = found.split(DECK_SEPARATOR)
    return DECK_SEPARATOR.join(parts)


def _check_free(decks: list[Deck], names: list[str]) -> None:
    """InvalidInputError if a deck in `decks` already has one of `names` (ignoring case), or if
    a name would go under a filtered deck."""
    taken = {d.name.casefold(): d for d in decks}
    for name in names:
        clash = taken.get(name.casefold())
        if clash is not None:
            raise InvalidInputError(f"There is already a deck called “{clash.name}”.")
        parts = name.split(DECK_SEPARATOR)
        for depth in range(1, len(parts)):
            ancestor = taken.get(DECK_SEPARATOR.join(parts[:depth]).casefold())
            if ancestor is not None and ancestor.filter is not None:
                raise InvalidInputError(
                    f"“{ancestor.name}” is a filtered deck, and a filtered deck has no subdecks."
                )


def _add_with_parents(repos: Repositories, decks: list[Deck], name: str) -> list[Deck]:
    """Add `name` and whichever of its parents are missing; returns the added decks, outermost
    first.  New decks use the options of their nearest existing parent (else the first preset)."""
    existing = {d.name.casefold(): d for d in decks}
    preset_id = min(p.id for p in repos.presets.all())
    parts = name.split(DECK_SEPARATOR)
    added: list[Deck] = []
    for depth in range(1, len(parts) + 1):
        level = DECK_SEPARATOR.join(parts[:depth])
        found = existing.get(level.casefold())
        if found is not None:
            preset_id = found.preset_id
            continue
        added.append(repos.decks.add(level, preset_id))
    return added


def _check_empty(repos: Repositories, deck_ids: list[int]) -> None:
    """Undoing the addition of decks removes them, which needs them to hold no cards."""
    if repos.cards.placed_in(deck_ids):
        raise InvalidInputError(
            "Cards have been added to that deck since; delete the deck instead of undoing."
        )


def _plan_deletion(repos: Repositories, deck: Deck) -> _Plan:
    decks = repos.decks.all()
    doomed = subtree(decks, deck)
    ids = {d.id for d in doomed}
    if not any(d.id not in ids and d.filter is None for d in decks):
        raise InvalidInputError(
            f"“{deck.name}” cannot be deleted: a collection keeps at least one deck. "
            "Add another deck first."
        )
    going: list[int] = []
    returning: dict[int, int] = {}
    placed = repos.cards.placed_in(sorted(ids))
    for card_id, _note_id, deck_id, home in placed:
        if deck_id in ids and home is not None and home not in ids:
            returning[card_id] = home
        else:
            going.append(card_id)
    gone = set(going)
    note_ids = sorted({note for card_id, note, _d, _h in placed if card_id in gone})
    kept_notes = {
        note
        for (note, _ordinal), card_id in repos.cards.ids_by_note_and_ordinal(note_ids).items()
        if card_id not in gone
    }
    return _Plan(
        deletion=DeckDeletion(deck.id, deck.name, len(doomed), len(going)),
        deck_ids=sorted(ids),
        going=going,
        returning=returning,
        notes=[note for note in note_ids if note not in kept_notes],
    )
