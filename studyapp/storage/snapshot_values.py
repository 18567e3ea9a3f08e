"""A snapshot of rows as a plain value; `row_snapshots` takes and restores them.

No SQLAlchemy here: the services that hold snapshots load without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RowSnapshot:
    """Rows of decks, notes, cards and review-log entries, column by column."""

    decks: tuple[Row, ...] = ()
    notes: tuple[Row, ...] = ()
    cards: tuple[Row, ...] = ()
    reviews: tuple[Row, ...] = ()

    @property
    def card_ids(self) -> list[int]:
        return [int(row["id"]) for row in self.cards]
