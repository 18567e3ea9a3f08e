"""Cards: the study queue's lookups and counts, and bulk writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Select,
    Table,
    bindparam,
    func,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from studyapp.domain.cards import (
    BuryKind,
    Card,
    CardState,
)
from studyapp.storage.deck_list_sql import (
    DECK_COUNTS_SQL,
    HELD_SQL,
    StateCounts,
    count_decks,
    held_counts,
)
from studyapp.storage.driver_statements import Prepared
from studyapp.storage.rows import (
    card_columns,
    card_value,
    insert_rows,
)
from studyapp.storage.schema import (
    ACTIVE_CARDS,
    CardRow,
)
from studyapp.storage.transaction_link import TransactionLink

_CARDS = cast(Table, CardRow.__table__)


_DECK_COUNTS = Prepared(text(DECK_COUNTS_SQL))
_HELD = Prepared(text(HELD_SQL))
_LATEST = 2**62
"""A due bound past every card's due (new cards' positions included)."""


_CARD_COLUMNS = (
    _CARDS.c.id,
    _CARDS.c.note_id,
    _CARDS.c.deck_id,
    _CARDS.c.ordinal,
    _CARDS.c.state,
    _CARDS.c.due,
    _CARDS.c.interval,
    _CARDS.c.step,
    _CARDS.c.stability,
    _CARDS.c.difficulty,
    _CARDS.c.reps,
    _CARDS.c.lapses,
    _CARDS.c.last_review_day,
    _CARDS.c.flag,
    _CARDS.c.suspended,
    _CARDS.c.buried,
    _CARDS.c.home_deck_id,
)
"""A card's columns in `Card`'s field order: the hot paths read plain rows, not ORM objects."""
_ID, _DUE = (tuple(c.key for c in _CARD_COLUMNS).index(key) for key in ("id", "due"))


def _card(row: Sequence[Any]) -> Card:
    """The card of a row of `_CARD_COLUMNS`."""
    (
        card_id,
        note_id,
        deck_id,
        ordinal,
        state,
        due,
        interval,
        step,
        stability,
        difficulty,
        reps,
        lapses,
        last_review_day,
        flag,
        suspended,
        buried,
        home_deck_id,
    ) = row
    return Card(
        card_id,
        note_id,
        deck_id,
        ordinal,
        CardState(state),
        due,
        interval,
        step,
        stability,
        difficulty,
        reps,
        lapses,
        last_review_day,
        flag,
        bool(suspended),
        BuryKind(buried),
        home_deck_id,
    )


def _first_statement(in_decks: Any, state: Any) -> Select[Any]:
    """The active card in state `state` due soonest by `:due_by`, in the decks of `in_decks`."""
    return (
        select(*_CARD_COLUMNS)
        .where(ACTIVE_CARDS, _CARDS.c.state == state, in_decks)
        .where(_CARDS.c.due <= bindparam("due_by"))
        .order_by(_CARDS.c.due, _CARDS.c.id)
        .limit(1)
    )


def _first_learning_statement(in_decks: Any) -> CompoundSelect[Any]:
    """The first learning and the first relearning card due by `:due_by` in the decks of
    `in_decks`: one statement, one index lookup per state (neither needs a sort)."""
    return union_all(
        *(
            select(_first_statement(in_decks, int(state)).subquery())
            for state in (CardState.LEARNING, CardState.RELEARNING)
        )
    )


@lru_cache(maxsize=64)
def _first_in(deck_count: int, learning: bool) -> Prepared:
    """`_first_learning_statement` (`learning`) or `_first_statement` in state `:state`, for
    `deck_count` decks `:deck_0`, `:deck_1`...: plain equality for one deck, so that the queue
    index also gives the order."""
    decks: list[BindParameter[int]] = [bindparam(f"deck_{i}") for i in range(deck_count)]
    in_decks = _CARDS.c.deck_id == decks[0] if deck_count == 1 else _CARDS.c.deck_id.in_(decks)
    if learning:
        return Prepared(_first_learning_statement(in_decks))
    return Prepared(_first_statement(in_decks, bindparam("state")))


def _deck_parameters(deck_ids: Sequence[int]) -> dict[str, Any]:
    """The parameters of `_first_in(len(deck_ids), ...)` naming the decks."""
    return {f"deck_{index}": deck_id for index, deck_id in enumerate(deck_ids)}


_GET_STATEMENT = select(*_CARD_COLUMNS).where(_CARDS.c.id == bindparam("card_id"))
_GET = Prepared(_GET_STATEMENT)
_GET_FOR_UPDATE = Prepared(_GET_STATEMENT.with_for_update())
_FOR_NOTE = Prepared(
    select(*_CARD_COLUMNS)
    .where(_CARDS.c.note_id == bindparam("note_id"))
    .order_by(_CARDS.c.ordinal)
)
_SAVE = Prepared(update(_CARDS).where(_CARDS.c.id == bindparam("card_id")))
"""Sets the columns named in its parameters (from `card_columns`)."""


def in_decks(deck_ids: Sequence[int]) -> Any:
    """`deck_id IN (...)`; plain equality for one deck, so the queue index also gives the order."""
    if len(deck_ids) == 1:
        return CardRow.deck_id == deck_ids[0]
    return CardRow.deck_id.in_(deck_ids)


class CardRepository:
    def __init__(self, link: TransactionLink) -> None:
        self._link = link

    @property
    def _session(self) -> Session:
        return self._link.session

    def get(self, card_id: int, for_update: bool = False) -> Card | None:
        """The card; `for_update` locks its row until the transaction ends (SELECT … FOR UPDATE).

        Two app instances answering the same card on one PostgreSQL collection then take turns,
        each updating the card as the other left it.  SQLite locks the whole database instead.
        """
        statement = _GET_FOR_UPDATE if for_update else _GET
        row = self._link.driver.first(statement, {"card_id": card_id})
        return None if row is None else _card(row)

    def for_note(self, note_id: int) -> list[Card]:
        return [_card(row) for row in self._link.driver.rows(_FOR_NOTE, {"note_id": note_id})]

    def add(self, card: Card, modified_at: int) -> Card:
        row = CardRow(**card_columns(card), modified_at=modified_at)
        self._session.add(row)
        self._session.flush()
        return card_value(row)

    def add_many(self, cards: Sequence[Card], modified_at: int) -> list[int]:
        """Insert cards in bulk; returns their new ids in order."""
        if not cards:
            return []
        rows = [{**card_columns(card), "modified_at": modified_at} for card in cards]
        return insert_rows(self._session, CardRow.__table__, rows)  # type: ignore[arg-type]

    def ids_by_note_and_ordinal(self, note_ids: Sequence[int]) -> dict[tuple[int, int], int]:
        found: dict[tuple[int, int], int] = {}
        for start in range(0, len(note_ids), 500):
            query = select(CardRow.note_id, CardRow.ordinal, CardRow.id).where(
                CardRow.note_id.in_(note_ids[start : start + 500])
            )
            for note_id, ordinal, card_id in self._session.execute(query):
                found[(note_id, ordinal)] = card_id
        return found

    def save(self, card: Card, modified_at: int, stored: Card | None = None) -> None:
        """Write `card` (after answering, and to restore a snapshot): every column, or, given
        `stored`, the card as its row holds it now (read in this transaction), only those that
        differ from it, so that the database leaves the indexes of the others alone."""
        columns = card_columns(card)
        if stored is not None:
            before = card_columns(stored)
            columns = {name: value for name, value in columns.items() if before[name] != value}
        self._link.driver.write(_SAVE, {**columns, "modified_at": modified_at, "card_id": card.id})

    def next_new_position(self) -> int:
        latest = self._session.scalar(
            select(func.max(CardRow.due)).where(CardRow.state == int(CardState.NEW))
        )
        return 0 if latest is None else int(latest) + 1

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(CardRow)) or 0)

    def queue_counts(
        self,
        learn_before: int,
        today: int,
        new_caps: Mapping[int, int],
        review_caps: Mapping[int, int],
    ) -> StateCounts:
        """Active cards per deck of `new_caps`: (re)learning due before `learn_before`, and new
        cards and reviews due today, each counted only up to the deck's cap (so the cost is
        bounded by the daily limits, not by the size of the deck).

        One statement per deck, of equality lookups: the queue index answers each count.
        """
        self._link.flush()
        driver = self._link.driver

        def run(bound: dict[str, int]) -> Any:
            return driver.first(_DECK_COUNTS, bound)

        return count_decks(run, learn_before, today, new_caps, review_caps)

    def held(self, deck_id: int) -> tuple[int, int]:
        """The (new, review) active cards that filtered deck `deck_id` holds."""
        self._link.flush()
        return held_counts(self._link.driver.rows(_HELD, {"deck": deck_id}))

    def first_learning_due(self, deck_ids: Sequence[int], due_by: int | None) -> Card | None:
        """The (re)learning card due soonest, if it is due by `due_by` (None: whenever).

        One statement of an indexed lookup per state, so neither needs a sort; the sooner of
        the two is picked here.
        """
        parameters = _deck_parameters(deck_ids)
        parameters["due_by"] = _LATEST if due_by is None else due_by
        rows = self._link.driver.rows(_first_in(len(deck_ids), True), parameters)
        first = min(rows, key=lambda row: (row[_DUE], row[_ID]), default=None)
        return None if first is None else _card(first)

    def first_review_due(self, deck_ids: Sequence[int], today: int) -> Card | None:
        return self._first(CardState.REVIEW, deck_ids, today)

    def first_new(self, deck_ids: Sequence[int]) -> Card | None:
        return self._first(CardState.NEW, deck_ids, _LATEST)

    def _first(self, state: CardState, deck_ids: Sequence[int], due_by: int) -> Card | None:
        """The active card in `state` due soonest by `due_by`: one indexed lookup, no sort
        for a single deck."""
        parameters = _deck_parameters(deck_ids)
        parameters["state"], parameters["due_by"] = int(state), due_by
        row = self._link.driver.first(_first_in(len(deck_ids), False), parameters)
        return None if row is None else _card(row)

    def earliest_review_day(self, deck_ids: Sequence[int], after_day: int) -> int | None:
        day = self._session.scalar(
            select(func.min(CardRow.due)).where(
                ACTIVE_CARDS,
                CardRow.state == int(CardState.REVIEW),
                in_decks(deck_ids),
                CardRow.due > after_day,
            )
        )
        return None if day is None else int(day)

    def state_counts(self) -> dict[str, int]:
        """Counts over every card: by state, and how many are suspended or buried."""
        query = select(CardRow.state, func.count()).group_by(CardRow.state)
        by_state = {int(state): int(n) for state, n in self._session.execute(query)}
        suspended = self._session.scalar(select(func.count()).where(CardRow.suspended.is_(True)))
        buried = self._session.scalar(select(func.count()).where(CardRow.buried != 0))
        counts = {state.name.lower(): by_state.get(int(state), 0) for state in CardState}
        counts["suspended"] = int(suspended or 0)
        counts["buried"] = int(buried or 0)
        return counts

    def unbury_all(self) -> int:
        result = self._session.execute(
            update(CardRow).where(CardRow.buried != int(BuryKind.NONE)).values(buried=0)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def placed_in(self, deck_ids: Sequence[int]) -> list[tuple[int, int, int, int | None]]:
        """(card id, note id, deck id, home deck id) of every card whose deck or home deck is
        one of `deck_ids`."""
        found: dict[int, tuple[int, int, int, int | None]] = {}
        for start in range(0, len(deck_ids), 500):
            chunk = deck_ids[start : start + 500]
            query = select(
                CardRow.id, CardRow.note_id, CardRow.deck_id, CardRow.home_deck_id
            ).where(CardRow.deck_id.in_(chunk) | CardRow.home_deck_id.in_(chunk))
            for card_id, note_id, deck_id, home in self._session.execute(query):
                found[card_id] = (card_id, note_id, deck_id, home)
        return [found[card_id] for card_id in sorted(found)]
