"""The values a browser row shows: a card (or, in notes mode, a note's cards combined) turned
into its deck, due, question text and memory state."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from studyapp.domain.browser_columns import BrowserMode
from studyapp.domain.cards import Card, CardState, Note, NoteType
from studyapp.domain.clock import from_epoch
from studyapp.domain.decks import Deck
from studyapp.domain.memory import retrievability
from studyapp.domain.templates import render_question, strip_html
from studyapp.services.decks import tree_order

if TYPE_CHECKING:
    from studyapp.storage.repositories import Repositories

QUESTION_LENGTH = 200
"""Characters of question text a row shows."""


class DueKind(Enum):
    NEW = "new"
    """`position` in the new-card queue."""
    LEARNING = "learning"
    """Due at `moment`."""
    REVIEW = "review"
    """Due on `day`."""


@dataclass(frozen=True, slots=True)
class Due:
    kind: DueKind
    position: int = 0
    moment: datetime | None = None
    day: date | None = None


@dataclass(frozen=True, slots=True)
class BrowserRow:
    """What one row of the browser shows; in notes mode, a note's cards combined."""

    id: int
    """The card id in cards mode, the note id in notes mode."""
    note_id: int
    card_id: int
    """The row's card (in notes mode, the note's first card)."""
    sort_field: str
    question: str
    deck: str
    note_type: str
    tags: str
    due: Due | None
    interval: float | None
    """Days; None for cards that have never been reviewed."""
    stability: float | None
    difficulty: float | None
    retrievability: float | None
    reviews: int
    lapses: int
    created: datetime
    modified: datetime
    source: str | None
    flag: int
    suspended: bool
    buried: bool
    cards: int


def _strip_question(html: str) -> str:
    text = strip_html(re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", html))
    text = " ".join(re.sub(r"\[sound:[^\]]*\]", " ", text).split())
    return text if len(text) <= QUESTION_LENGTH else text[: QUESTION_LENGTH - 1] + "…"


def build_rows(
    repos: Repositories, today: int, mode: BrowserMode, ids: Sequence[int]
) -> list[BrowserRow]:
    context = _RowContext(repos, today)
    if mode is BrowserMode.CARDS:
        return [context.card_row(card, note) for card, note in repos.search.cards_with_notes(ids)]
    return [
        context.note_row(note, cards) for note, cards in repos.search.notes_with_cards(ids) if cards
    ]


class _RowContext:
    """Decks, note types and presets of one transaction, for turning cards into rows."""

    def __init__(self, repos: Repositories, today: int) -> None:
        self._today = today
        self._decks: dict[int, Deck] = {d.id: d for d in repos.decks.all()}
        self._note_types: dict[int, NoteType] = {t.id: t for t in repos.note_types.all()}
        presets = {p.id: p for p in repos.presets.all()}
        self._parameters = {d.id: presets[d.preset_id].parameters for d in self._decks.values()}

    def _deck(self, deck_id: int) -> str:
        deck = self._decks.get(deck_id)
        return "" if deck is None else deck.name

    def _due(self, card: Card) -> Due:
        if card.state is CardState.NEW:
            return Due(DueKind.NEW, position=card.due)
        if card.state is CardState.REVIEW:
            return Due(DueKind.REVIEW, day=date.fromordinal(card.due))
        return Due(DueKind.LEARNING, moment=from_epoch(card.due))

    def _recall(self, card: Card) -> float | None:
        if card.stability is None or card.last_review_day is None:
            return None
        return retrievability(
            self._today - card.last_review_day, card.stability, self._parameters[card.deck_id]
        )

    def _note_values(self, note: Note) -> dict[str, Any]:
        note_type = self._note_types[note.note_type_id]
        index = note_type.sort_field if note_type.sort_field < len(note.fields) else 0
        return {
            "note_id": note.id,
            "sort_field": " ".join(strip_html(note.fields[index]).split()) if note.fields else "",
            "note_type": note_type.name,
            "tags": " ".join(note.tags),
            "created": from_epoch(note.created_at),
            "modified": from_epoch(note.modified_at),
            "source": note.source,
        }

    def _question(self, note: Note, card: Card) -> str:
        note_type = self._note_types[note.note_type_id]
        return _strip_question(render_question(note_type, note.fields, card.ordinal, note.tags))

    def card_row(self, card: Card, note: Note) -> BrowserRow:
        return BrowserRow(
            id=card.id,
            card_id=card.id,
            question=self._question(note, card),
            deck=self._deck(card.deck_id),
            due=self._due(card),
            interval=float(card.interval) if card.state is CardState.REVIEW else None,
            stability=card.stability,
            difficulty=card.difficulty,
            retrievability=self._recall(card),
            reviews=card.reps,
            lapses=card.lapses,
            flag=card.flag,
            suspended=card.suspended,
            buried=bool(card.buried),
            cards=1,
            **self._note_values(note),
        )

    def note_row(self, note: Note, cards: list[Card]) -> BrowserRow:
        first = cards[0]
        reviewed = [c for c in cards if c.state is CardState.REVIEW]
        recalls = [r for r in (self._recall(c) for c in cards) if r is not None]
        decks = sorted({self._deck(c.deck_id) for c in cards}, key=tree_order)
        return BrowserRow(
            id=note.id,
            card_id=first.id,
            question=self._question(note, first),
            deck=", ".join(decks),
            due=min((self._due(c) for c in cards), key=_due_order),
            interval=_mean([float(c.interval) for c in reviewed]),
            stability=_mean([c.stability for c in cards if c.stability is not None]),
            difficulty=_mean([c.difficulty for c in cards if c.difficulty is not None]),
            retrievability=_mean(recalls),
            reviews=sum(c.reps for c in cards),
            lapses=sum(c.lapses for c in cards),
            flag=first.flag,
            suspended=all(c.suspended for c in cards),
            buried=all(c.buried for c in cards),
            cards=len(cards),
            **self._note_values(note),
        )


def _due_order(due: Due) -> tuple[int, float]:
    if due.kind is DueKind.NEW:
        return (2, float(due.position))
    if due.kind is DueKind.REVIEW:
        assert due.day is not None
        return (1, float(due.day.toordinal()))
    assert due.moment is not None
    return (0, due.moment.timestamp())


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None
