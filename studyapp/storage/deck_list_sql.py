"""The deck list's reads as SQL text, and the conversion of what they return.

The repositories run these statements through SQLAlchemy on SQLite and PostgreSQL alike
(`driver_statements.Prepared(text(...))`); the first screen runs them with sqlite3 alone, before
SQLAlchemy is loaded (storage.first_screen).  So this module imports no SQLAlchemy, and every
statement is written in the SQL both databases speak, with `:name` parameters.

A row comes back as the driver gives it: a JSON column is text to decode on SQLite and decoded
already on PostgreSQL (`decode_json`), a boolean is 0 or 1 on SQLite, a date ISO text on SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from studyapp.domain.cards import CardState
from studyapp.domain.decks import (
    Deck,
    DeckFilter,
    ExamPlan,
    LeechAction,
    NewCardOrder,
    Preset,
    ReviewOrder,
)

ACTIVE_CARDS_SQL = "suspended = false AND buried = 0"
"""The cards a study queue can show: neither suspended nor buried (the queue index's condition,
spelled the same wherever the index is to be used)."""

_NEW, _REVIEW = int(CardState.NEW), int(CardState.REVIEW)
_LEARNING = f"{int(CardState.LEARNING)}, {int(CardState.RELEARNING)}"

DECKS_SQL = (
    "SELECT id, name, preset_id, exam_date, exam_target, filter_query, filter_limit,"
    " filter_order, filter_reschedule, collapsed FROM decks ORDER BY name"
)
PRESETS_SQL = (
    "SELECT id, name, new_per_day, reviews_per_day, learning_steps, relearning_steps,"
    " desired_retention, maximum_interval, parameters, new_card_order, review_order,"
    " leech_threshold, leech_action, bury_new_siblings, bury_review_siblings, pass_fail,"
    " reschedule_on_change, easy_days, optimized_at FROM presets ORDER BY id"
)
SETTINGS_SQL = 'SELECT "key", value FROM settings'

STUDIED_SINCE_SQL = (
    "SELECT DISTINCT (SELECT cards.deck_id FROM cards WHERE cards.id = review_log.card_id),"
    " review_log.state_before, review_log.card_id FROM review_log"
    " WHERE review_log.reviewed_at >= :since"
    f" AND review_log.state_before IN ({_NEW}, {_REVIEW}) AND review_log.rating IS NOT NULL"
)
"""(deck, state before, card) of the cards answered since `:since`, each once.  The review log's
time index drives it and each card's deck is a primary-key lookup, so the cost follows the
reviews since `:since`, not the size of the collection (a join lets SQLite scan every card)."""


def _capped_count(condition: str, cap: str | None) -> str:
    limit = f" LIMIT :{cap}" if cap else ""
    return (
        "(SELECT count(*) FROM (SELECT 1 FROM cards WHERE"
        f" {ACTIVE_CARDS_SQL} AND deck_id = :deck AND {condition}{limit}) AS counted)"
    )


DECK_COUNTS_SQL = (
    "SELECT "
    + _capped_count(f"state = {_NEW}", "new_cap")
    + ", "
    + _capped_count(f"state IN ({_LEARNING}) AND due < :before", None)
    + ", "
    + _capped_count(f"state = {_REVIEW} AND due <= :today", "review_cap")
)
"""One deck's new, (re)learning and review counts, new and review ones counted only up to their
caps, so the cost is bounded by the daily limits: three lookups of the queue index."""

HELD_SQL = (
    f"SELECT state, count(*) FROM cards WHERE {ACTIVE_CARDS_SQL} AND deck_id = :deck"
    f" AND state IN ({_NEW}, {_REVIEW}) GROUP BY state"
)
"""The new and review cards a filtered deck `:deck` holds (learning ones are counted as due)."""


@dataclass(frozen=True, slots=True)
class StateCounts:
    """Cards a queue could show, per deck: new, (re)learning due today, reviews due today."""

    new: dict[int, int]
    learning: dict[int, int]
    review: dict[int, int]


@dataclass(frozen=True, slots=True)
class StudiedCards:
    """What was studied since a moment, per deck: the new cards introduced and the review
    cards answered (by id)."""

    new: dict[int, set[int]]
    review: dict[int, set[int]]


def count_decks(
    run: Callable[[dict[str, int]], Sequence[Any]],
    learn_before: int,
    today: int,
    new_caps: Mapping[int, int],
    review_caps: Mapping[int, int],
) -> StateCounts:
    """Today's counts of each deck of `new_caps`, `run` returning the DECK_COUNTS_SQL row for
    the parameters it is given (zeros are left out)."""
    counts = StateCounts({}, {}, {})
    for deck_id, new_cap in new_caps.items():
        row = run(
            {
                "deck": deck_id,
                "new_cap": max(new_cap, 0),
                "review_cap": max(review_caps.get(deck_id, 0), 0),
                "before": learn_before,
                "today": today,
            }
        )
        for found, count in zip((counts.new, counts.learning, counts.review), row, strict=True):
            if count:
                found[deck_id] = int(count)
    return counts


def studied_cards(rows: Iterable[Sequence[Any]]) -> StudiedCards:
    """The rows of STUDIED_SINCE_SQL, by state and deck."""
    new: dict[int, set[int]] = {}
    review: dict[int, set[int]] = {}
    for deck_id, state_before, card_id in rows:
        target = new if state_before == _NEW else review
        target.setdefault(deck_id, set()).add(card_id)
    return StudiedCards(new, review)


def held_counts(rows: Iterable[Sequence[Any]]) -> tuple[int, int]:
    """(new, review) from the rows of HELD_SQL."""
    by_state = {int(state): int(count) for state, count in rows}
    return by_state.get(_NEW, 0), by_state.get(_REVIEW, 0)


def _json(value: Any, decode_json: bool) -> Any:
    return json.loads(value) if decode_json and isinstance(value, str) else value


def _date(value: Any) -> date:
    """A date column's value: ISO text on SQLite, a date on PostgreSQL."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    assert isinstance(value, date)
    return value


def deck_of(row: Sequence[Any]) -> Deck:
    """A row of DECKS_SQL's columns as a Deck."""
    (
        deck_id,
        name,
        preset_id,
        exam_date,
        exam_target,
        filter_query,
        filter_limit,
        filter_order,
        filter_reschedule,
        collapsed,
    ) = row
    exam = (
        ExamPlan(_date(exam_date), exam_target)
        if exam_date is not None and exam_target is not None
        else None
    )
    deck_filter = (
        DeckFilter(filter_query, filter_limit or 0, filter_order or 0, bool(filter_reschedule))
        if filter_query is not None
        else None
    )
    return Deck(deck_id, name, preset_id, exam, deck_filter, bool(collapsed))


def preset_of(row: Sequence[Any], decode_json: bool) -> Preset:
    """A row of PRESETS_SQL's columns as a Preset."""
    (
        preset_id,
        name,
        new_per_day,
        reviews_per_day,
        learning_steps,
        relearning_steps,
        desired_retention,
        maximum_interval,
        parameters,
        new_card_order,
        review_order,
        leech_threshold,
        leech_action,
        bury_new_siblings,
        bury_review_siblings,
        pass_fail,
        reschedule_on_change,
        easy_days,
        optimized_at,
    ) = row
    return Preset(
        id=preset_id,
        name=name,
        new_per_day=new_per_day,
        reviews_per_day=reviews_per_day,
        learning_steps=tuple(_json(learning_steps, decode_json)),
        relearning_steps=tuple(_json(relearning_steps, decode_json)),
        desired_retention=desired_retention,
        maximum_interval=maximum_interval,
        parameters=tuple(_json(parameters, decode_json)),
        new_card_order=NewCardOrder(new_card_order),
        review_order=ReviewOrder(review_order),
        leech_threshold=leech_threshold,
        leech_action=LeechAction(leech_action),
        bury_new_siblings=bool(bury_new_siblings),
        bury_review_siblings=bool(bury_review_siblings),
        pass_fail=bool(pass_fail),
        reschedule_on_change=bool(reschedule_on_change),
        easy_days=tuple(_json(easy_days, decode_json)),
        optimized_at=optimized_at,
    )


def settings_of(rows: Iterable[Sequence[Any]], decode_json: bool) -> dict[str, Any]:
    """The rows of SETTINGS_SQL as {key: value}."""
    return {key: _json(value, decode_json) for key, value in rows}
