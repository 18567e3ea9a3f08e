"""The first screen's reads of a SQLite collection, with sqlite3 alone.

The window is drawn from these while SQLAlchemy and the rest load (services.first_screen makes
the first screen of them).  The
statements are the repositories' own (storage.deck_list_sql), run in one read transaction, so
what they return is one snapshot.  Nothing is written.  A collection whose schema is not the
newest, or that cannot be read, has no first screen: the usual start-up upgrades it, or says
what is wrong.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from studyapp.domain.decks import Deck, Preset
from studyapp.storage.deck_list_sql import (
    DECK_COUNTS_SQL,
    DECKS_SQL,
    HELD_SQL,
    PRESETS_SQL,
    SETTINGS_SQL,
    STUDIED_SINCE_SQL,
    StateCounts,
    StudiedCards,
    count_decks,
    deck_of,
    held_counts,
    preset_of,
    settings_of,
    studied_cards,
)
from studyapp.storage.migrations import HEAD_REVISION

log = logging.getLogger(__name__)
_T = TypeVar("_T")

_SCHEMA_REVISION = "SELECT version_num FROM alembic_version"
_ANY_BURIED = "SELECT EXISTS (SELECT 1 FROM cards WHERE buried != 0)"


class SqliteFirstScreenReads:
    """services.first_screen.FirstScreenReads on a sqlite3 connection in a read transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def settings(self) -> dict[str, Any]:
        return settings_of(self._connection.execute(SETTINGS_SQL), decode_json=True)

    def decks(self) -> list[Deck]:
        return [deck_of(row) for row in self._connection.execute(DECKS_SQL)]

    def presets(self) -> list[Preset]:
        return [preset_of(row, decode_json=True) for row in self._connection.execute(PRESETS_SQL)]

    def any_buried(self) -> bool:
        (found,) = self._connection.execute(_ANY_BURIED).fetchone()
        return bool(found)

    def studied_since(self, since_ms: int) -> StudiedCards:
        return studied_cards(self._connection.execute(STUDIED_SINCE_SQL, {"since": since_ms}))

    def queue_counts(
        self,
        learn_before: int,
        today: int,
        new_caps: Mapping[int, int],
        review_caps: Mapping[int, int],
    ) -> StateCounts:
        def run(bound: dict[str, int]) -> Any:
            return self._connection.execute(DECK_COUNTS_SQL, bound).fetchone()

        return count_decks(run, learn_before, today, new_caps, review_caps)

    def held(self, deck_id: int) -> tuple[int, int]:
        return held_counts(self._connection.execute(HELD_SQL, {"deck": deck_id}))


def read_snapshot(path: Path, read: Callable[[SqliteFirstScreenReads], _T]) -> _T | None:
    """What `read` makes of the collection file `path`, in one read transaction; None when
    there is no such file, its schema is not the newest, or it cannot be read."""
    if not path.is_file():
        return None
    try:
        # mode=rw: an existing file only, never a new one; nothing but reads is run.
        uri = f"file:{quote(str(path))}?mode=rw"
        with closing(sqlite3.connect(uri, uri=True, isolation_level=None)) as connection:
            connection.execute("BEGIN")
            row = connection.execute(_SCHEMA_REVISION).fetchone()
            if row is None or row[0] != HEAD_REVISION:
                return None
            return read(SqliteFirstScreenReads(connection))
    except sqlite3.Error as error:
        log.info("No first screen (%s): the collection opens the usual way", error)
        return None
