"""Anki's card and review-log column values in StudyApp's terms (see anki_collection for the
columns): the schedule a card's type, queue and due stand for, its FSRS memory state, a review's
kind, rating and the state before it, and numbers from untyped columns."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from studyapp.domain.cards import BuryKind, CardState, Rating, ReviewKind
from studyapp.errors import InvalidInputError
from studyapp.importers.drafts import DueKind

EPOCH_THRESHOLD = 1_000_000_000
"""A learning card's `due` above this is an epoch second; below, a collection day."""


def schedule(kind: int, queue: int, due: int) -> tuple[CardState, DueKind, int]:
    if kind == 0 or kind not in (1, 2, 3):
        return CardState.NEW, DueKind.POSITION, due
    if kind == 2 and queue not in (1, 3, 4):
        return CardState.REVIEW, DueKind.COLLECTION_DAY, due
    # Learning; the old v1 scheduler kept lapsed cards as type 2 with a learning queue.
    state = CardState.LEARNING if kind == 1 else CardState.RELEARNING
    if due > EPOCH_THRESHOLD:
        return state, DueKind.EPOCH_SECONDS, due
    return state, DueKind.COLLECTION_DAY, due


def memory_state(raw: object) -> dict[str, float]:
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


def card_memory(data: object) -> tuple[float | None, float | None, int | None]:
    """FSRS stability, difficulty and last review time (epoch seconds) from a card's `data`."""
    memory = memory_state(data)
    last_review = memory.get("lrt")
    return memory.get("s"), memory.get("d"), int(last_review) if last_review else None


_MEMORY_CHECKS: tuple[tuple[str, Callable[[float], bool]], ...] = (
    ("s", lambda v: 0 < v < 1e6),
    ("d", lambda v: 1 <= v <= 10),
    ("dr", lambda v: 0 < v < 1),
    ("lrt", lambda v: v > 0),
)
REVIEW_KINDS = {kind.value: kind for kind in ReviewKind}
RATINGS = (None, Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
BURIED = {-2: BuryKind.SIBLING, -3: BuryKind.MANUAL}


def state_before(kind: ReviewKind, last_interval: int, first: bool) -> CardState:
    if kind == ReviewKind.REVIEW:
        return CardState.REVIEW
    if kind == ReviewKind.RELEARN:
        return CardState.RELEARNING
    if kind == ReviewKind.LEARN:
        return CardState.NEW if first else CardState.LEARNING
    if last_interval > 0:
        return CardState.REVIEW
    return CardState.NEW if first else CardState.LEARNING


def number(value: object) -> int:
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
