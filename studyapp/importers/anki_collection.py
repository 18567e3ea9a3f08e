"""An Anki collection database (SQLite bytes) -> note types, decks, notes, cards and review log.

Card columns as Anki stores them: `type` 0 new, 1 learning, 2 review, 3 relearning; `queue` -1
suspended, -2 buried with a sibling, -3 buried by hand (otherwise 0 new, 1/4 intraday learning,
2 review, 3 interday learning); `due` is a new-queue position, an epoch second (intraday learning)
or a day number counted from the collection's creation `crt`. A card in a filtered deck keeps its
home deck in `odid` and its own due in `odue`. FSRS memory state lives in `data` JSON
(`s` stability, `d` difficulty, `dr` desired retention, `lrt` last review time).
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from studyapp.domain.cards import BuryKind, CardState, Rating, ReviewKind
from studyapp.domain.decks import parent_names
from studyapp.errors import InvalidInputError
from studyapp.importers.anki_models import (
    DEFAULT_DECK_ID,
    AnkiDeck,
    read_decks,
    read_note_types,
    uses_schema_18,
)
from studyapp.importers.drafts import (
    DueKind,
    ImportedCard,
    ImportedDeck,
    ImportedNote,
    ImportedReview,
    NoteTypeDraft,
)

_SQLITE_MAGIC = b"SQLite format 3\x00"
_REQUIRED_TABLES = ("col", "notes", "cards")
_EPOCH_THRESHOLD = 1_000_000_000
"""A learning card's due above this is an epoch second, below it a day number."""
_MILLISECOND_IDS = 10**11
"""Note ids from this on are creation times in epoch milliseconds, as Anki makes them."""
_FIELD_SEPARATOR = "\x1f"
_DUMMY_TEXT = "please update to the latest anki version"


@dataclass(slots=True)
class CollectionContent:
    note_types: list[NoteTypeDraft]
    decks: list[ImportedDeck]
    notes: list[ImportedNote]
    cards: list[ImportedCard]
    reviews: list[ImportedReview]
    created_at: int
    warnings: list[str] = field(default_factory=list)


def read_collection(data: bytes, time_limit: float) -> CollectionContent:
    """Read everything StudyApp imports from the collection file's bytes."""
    connection = _open(data, time_limit)
    try:
        return _read(connection)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise InvalidInputError(
                "Reading the package's collection took too long; it was stopped."
            ) from exc
        raise _corrupt(exc) from exc
    except sqlite3.Error as exc:
        raise _corrupt(exc) from exc
    finally:
        connection.close()


def is_placeholder(content: CollectionContent) -> bool:
    """The one-note collection.anki2 that modern packages carry for old Anki versions."""
    return len(content.notes) == 1 and any(
        _DUMMY_TEXT in value.casefold() for value in content.notes[0].fields
    )


def _open(data: bytes, time_limit: float) -> sqlite3.Connection:
    if not data.startswith(_SQLITE_MAGIC):
        raise InvalidInputError("The package's collection is not an SQLite database.")
    if data[18:20] == b"\x02\x02":  # WAL mode cannot be read from memory; rollback mode can
        data = data[:18] + b"\x01\x01" + data[20:]
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA trusted_schema = OFF")
        deadline = time.monotonic() + time_limit
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 100_000)
        kinds = dict(connection.execute("SELECT name, type FROM sqlite_master").fetchall())
    except sqlite3.Error as exc:
        connection.close()
        raise _corrupt(exc) from exc
    missing = [name for name in _REQUIRED_TABLES if kinds.get(name) != "table"]
    if missing:
        connection.close()
        raise InvalidInputError(
            "The package's collection is not an Anki collection (no table "
            + ", ".join(missing)
            + ")."
        )
    return connection


def _corrupt(exc: sqlite3.Error) -> InvalidInputError:
    return InvalidInputError(f"The package's collection is a damaged database ({exc}).")


def _read(connection: sqlite3.Connection) -> CollectionContent:
    schema_18 = uses_schema_18(connection)
    note_types = read_note_types(connection, schema_18)
    anki_decks = read_decks(connection, schema_18)
    row = connection.execute("SELECT crt FROM col").fetchone()
    content = CollectionContent(note_types, [], [], [], [], _number(row[0] if row else 0))
    field_counts = {int(t.key): len(t.fields) for t in note_types}
    note_keys = _read_notes(connection, field_counts, content)
    used_decks = _read_cards(
        connection, anki_decks, note_keys, _latest_reviews(connection), content
    )
    _read_reviews(connection, content)
    content.decks = _deck_list(anki_decks, used_decks)
    return content


def _read_notes(
    connection: sqlite3.Connection, field_counts: dict[int, int], content: CollectionContent
) -> set[int]:
    keys: set[int] = set()
    unknown_type = mismatched = 0
    type_keys = {mid: str(mid) for mid in field_counts}
    notes = content.notes
    query = (
        "SELECT CAST(id AS INTEGER), CAST(guid AS TEXT), CAST(mid AS INTEGER), "
        "CAST(mod AS INTEGER), CAST(tags AS TEXT), CAST(flds AS TEXT) FROM notes ORDER BY id"
    )
    for note_id, guid, mid, mod, tags, flds in connection.execute(query):
        count = field_counts.get(mid)
        if count is None:
            unknown_type += 1
            continue
        values = (flds or "").split(_FIELD_SEPARATOR)
        if len(values) != count:
            mismatched += 1
            values = (values + [""] * count)[:count]
        keys.add(note_id)
        key = str(note_id)
        notes.append(
            ImportedNote(
                key,
                guid or key,
                type_keys[mid],
                tuple(values),
                tuple(tags.split()) if tags else (),
                None,
                note_id // 1000 if note_id >= _MILLISECOND_IDS else None,
                mod,
            )
        )
    if unknown_type:
        content.warnings.append(f"{unknown_type} note(s) with an unknown note type were left out.")
    if mismatched:
        content.warnings.append(
            f"{mismatched} note(s) had a different number of fields than their note type; "
            "missing fields were left empty and extra ones dropped."
        )
    return keys


def _read_cards(
    connection: sqlite3.Connection,
    decks: dict[int, AnkiDeck],
    note_keys: set[int],
    latest_reviews: dict[int, int],
    content: CollectionContent,
) -> set[int]:
    orphans = homeless = 0
    columns = _CARD_COLUMNS.split(", ")
    query = (
        "SELECT "
        + ", ".join(f"CAST({column} AS INTEGER)" for column in columns)
        + ", data FROM cards ORDER BY id"
    )
    homes: dict[int, tuple[int, str, bool]] = {}
    """The card's home deck id -> the deck its cards go to, its name, and whether they had to
    be moved there (the home deck is missing or filtered)."""
    cards = content.cards
    new, position, no_burial = CardState.NEW, DueKind.POSITION, BuryKind.NONE
    for row in connection.execute(query):
        card_id, nid, did, ordinal, kind, queue, due, ivl, factor = row[:9]
        reps, lapses, left, odue, odid, flags, data = row[9:]
        if nid not in note_keys:
            orphans += 1
            continue
        home = homes.get(odid or did)
        if home is None:
            home = _home_deck(decks, odid or did)
            homes[odid or did] = home
        if home[2]:
            homeless += 1
        if kind == 0 and not odid:
            state, due_kind, due_value = new, position, due
        else:
            state, due_kind, due_value = _schedule(kind, queue, odue if odid else due)
        if data and data != "{}":
            memory = _memory_state(data)
            last_review = memory.get("lrt")
        else:
            memory, last_review = _NO_MEMORY, None
        cards.append(
            ImportedCard(
                str(card_id),
                str(nid),
                home[1],
                ordinal if ordinal > 0 else 0,
                state,
                due_value,
                due_kind,
                ivl if ivl > 0 else 0,
                factor if factor > 0 else 0,
                left % 1000 if left > 0 else 0,
                reps if reps > 0 else 0,
                lapses if lapses > 0 else 0,
                flags & 7,
                queue == -1,
                _BURIED.get(queue, no_burial),
                memory.get("s"),
                memory.get("d"),
                memory.get("dr"),
                int(last_review) if last_review else latest_reviews.get(card_id),
            )
        )
    if orphans:
        content.warnings.append(f"{orphans} card(s) without a note were left out.")
    if homeless:
        content.warnings.append(
            f"{homeless} card(s) in a missing or filtered deck without a home deck were put in "
            "the Default deck."
        )
    return {deck_id for deck_id, _, _ in homes.values()}


def _home_deck(decks: dict[int, AnkiDeck], home: int) -> tuple[int, str, bool]:
    """The deck that cards with this home deck go to: it, or Default if it is missing or
    filtered (then Default is added to `decks` if the collection lacks it)."""
    deck = decks.get(home)
    if deck is not None and not deck.filtered:
        return home, deck.name, False
    deck = decks.get(DEFAULT_DECK_ID) or AnkiDeck(DEFAULT_DECK_ID, "Default", False, "")
    decks[DEFAULT_DECK_ID] = deck
    return DEFAULT_DECK_ID, deck.name, True


def _schedule(kind: int, queue: int, due: int) -> tuple[CardState, DueKind, int]:
    if kind == 0 or kind not in (1, 2, 3):
        return CardState.NEW, DueKind.POSITION, due
    if kind == 2 and queue not in (1, 3, 4):
        return CardState.REVIEW, DueKind.COLLECTION_DAY, due
    # Learning; the old v1 scheduler kept lapsed cards as type 2 with a learning queue.
    state = CardState.LEARNING if kind == 1 else CardState.RELEARNING
    if due > _EPOCH_THRESHOLD:
        return state, DueKind.EPOCH_SECONDS, due
    return state, DueKind.COLLECTION_DAY, due


def _memory_state(raw: object) -> dict[str, float]:
    """FSRS values from the card's `data` JSON; anything implausible is dropped."""
    if not isinstance(raw, str) or not raw.startswith("{"):
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    memory: dict[str, float] = {}
    for key, check in _MEMORY_CHECKS:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if math.isfinite(value) and check(value):
            memory[key] = float(value)
    if ("s" in memory) != ("d" in memory):
        memory.pop("s", None)
        memory.pop("d", None)
    return memory


_MEMORY_CHECKS: tuple[tuple[str, Callable[[float], bool]], ...] = (
    ("s", lambda v: 0 < v < 1e6),
    ("d", lambda v: 1 <= v <= 10),
    ("dr", lambda v: 0 < v < 1),
    ("lrt", lambda v: v > 0),
)
_KINDS = {kind.value: kind for kind in ReviewKind}
_RATINGS = (None, Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
_BURIED = {-2: BuryKind.SIBLING, -3: BuryKind.MANUAL}
_NO_MEMORY: dict[str, float] = {}
_CARD_COLUMNS = (
    "id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags"
)
_GRADED = (ReviewKind.LEARN, ReviewKind.REVIEW, ReviewKind.RELEARN, ReviewKind.FILTERED)


def _has_revlog(connection: sqlite3.Connection) -> bool:
    row = connection.execute("SELECT type FROM sqlite_master WHERE name = 'revlog'").fetchone()
    return row is not None and row[0] == "table"


def _latest_reviews(connection: sqlite3.Connection) -> dict[int, int]:
    """Card id -> epoch second of its latest graded review."""
    if not _has_revlog(connection):
        return {}
    query = (
        "SELECT CAST(cid AS INTEGER), CAST(max(id) AS INTEGER) / 1000 FROM revlog "
        "WHERE ease BETWEEN 1 AND 4 GROUP BY cid"
    )
    return dict(connection.execute(query).fetchall())


def _read_reviews(connection: sqlite3.Connection, content: CollectionContent) -> None:
    if not _has_revlog(connection):
        return
    cards = {card.source_id for card in content.cards}
    foreign = malformed = 0
    previous_card = ""
    columns = ["id", "cid", "ease", "ivl", "lastIvl", "factor", "time", "type"]
    query = (
        "SELECT "
        + ", ".join(f"CAST({column} AS INTEGER)" for column in columns)
        + " FROM revlog ORDER BY cid, id"
    )
    for review_id, cid, ease, ivl, last_ivl, factor, taken, kind_number in connection.execute(
        query
    ):
        card_key = str(cid)
        if card_key not in cards:
            foreign += 1
            continue
        kind = _KINDS.get(kind_number)
        if kind is None or not 0 <= ease <= 4:
            malformed += 1
            continue
        if ease == 0 and kind in _GRADED:
            kind = ReviewKind.MANUAL
        first = card_key != previous_card
        previous_card = card_key
        content.reviews.append(
            ImportedReview(
                source_id=str(review_id),
                card_source_id=card_key,
                reviewed_at=review_id,
                kind=kind,
                rating=_RATINGS[ease],
                state_before=_state_before(kind, last_ivl, first),
                last_interval=last_ivl,
                interval=ivl,
                ease_factor=max(factor, 0),
                time_taken_ms=max(taken, 0),
            )
        )
    if foreign:
        content.warnings.append(f"{foreign} review(s) of cards not in the package were left out.")
    if malformed:
        content.warnings.append(f"{malformed} malformed review(s) were left out.")


def _state_before(kind: ReviewKind, last_interval: int, first: bool) -> CardState:
    if kind == ReviewKind.REVIEW:
        return CardState.REVIEW
    if kind == ReviewKind.RELEARN:
        return CardState.RELEARNING
    if kind == ReviewKind.LEARN:
        return CardState.NEW if first else CardState.LEARNING
    if last_interval > 0:
        return CardState.REVIEW
    return CardState.NEW if first else CardState.LEARNING


def _deck_list(decks: dict[int, AnkiDeck], used: set[int]) -> list[ImportedDeck]:
    """Every normal deck (Default only when it holds cards), parents first."""
    chosen = {
        deck.name: deck
        for deck in decks.values()
        if not deck.filtered and (deck.id != DEFAULT_DECK_ID or deck.id in used)
    }
    names = set(chosen)
    for name in list(names):
        names.update(parent_names(name))
    ordered = sorted(names, key=lambda name: name.split("::"))
    return [ImportedDeck(n, chosen[n].description if n in chosen else "") for n in ordered]


def _number(value: object) -> int:
    if isinstance(value, int):
        return value
    if not isinstance(value, str | float | bytes):
        value = repr(value)
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInputError(
            f"The package's collection holds {value!r} where a number belongs."
        ) from exc
