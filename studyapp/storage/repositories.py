"""Repositories: domain values in, domain values out; ORM rows never leave this package.

Repositories never commit: `Database.transaction()` owns the session and its one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from studyapp.domain.cards import (
    BuryKind,
    Card,
    CardState,
    CardTemplate,
    Note,
    NoteKind,
    NoteType,
    Rating,
    Review,
    ReviewKind,
)
from studyapp.domain.decks import Deck, Preset
from studyapp.storage.schema import (
    ACTIVE_CARDS,
    CardRow,
    DeckRow,
    NoteRow,
    NoteTypeRow,
    PresetRow,
    ReviewRow,
    SettingRow,
)


def _preset(row: PresetRow) -> Preset:
    return Preset(
        id=row.id,
        name=row.name,
        new_per_day=row.new_per_day,
        reviews_per_day=row.reviews_per_day,
        learning_steps=tuple(row.learning_steps),
        relearning_steps=tuple(row.relearning_steps),
        desired_retention=row.desired_retention,
        maximum_interval=row.maximum_interval,
        parameters=tuple(row.parameters),
    )


def _note_type(row: NoteTypeRow) -> NoteType:
    return NoteType(
        id=row.id,
        name=row.name,
        kind=NoteKind(row.kind),
        fields=tuple(row.fields),
        templates=tuple(CardTemplate(t["name"], t["front"], t["back"]) for t in row.templates),
        css=row.css,
    )


def _note(row: NoteRow) -> Note:
    return Note(
        id=row.id,
        guid=row.guid,
        note_type_id=row.note_type_id,
        fields=tuple(row.fields),
        tags=tuple(row.tags.split()),
        created_at=row.created_at,
        modified_at=row.modified_at,
        source=row.source,
    )


def _card(row: CardRow) -> Card:
    return Card(
        id=row.id,
        note_id=row.note_id,
        deck_id=row.deck_id,
        ordinal=row.ordinal,
        state=CardState(row.state),
        due=row.due,
        interval=row.interval,
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        reps=row.reps,
        lapses=row.lapses,
        last_review_day=row.last_review_day,
        flag=row.flag,
        suspended=row.suspended,
        buried=BuryKind(row.buried),
    )


def _card_columns(card: Card) -> dict[str, Any]:
    return {
        "note_id": card.note_id,
        "deck_id": card.deck_id,
        "ordinal": card.ordinal,
        "state": int(card.state),
        "due": card.due,
        "interval": card.interval,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "reps": card.reps,
        "lapses": card.lapses,
        "last_review_day": card.last_review_day,
        "flag": card.flag,
        "suspended": card.suspended,
        "buried": int(card.buried),
    }


class PresetRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, preset_id: int) -> Preset | None:
        row = self._session.get(PresetRow, preset_id)
        return None if row is None else _preset(row)

    def all(self) -> list[Preset]:
        return [_preset(r) for r in self._session.scalars(select(PresetRow).order_by(PresetRow.id))]

    def add(self, preset: Preset) -> Preset:
        row = PresetRow(
            name=preset.name,
            new_per_day=preset.new_per_day,
            reviews_per_day=preset.reviews_per_day,
            learning_steps=list(preset.learning_steps),
            relearning_steps=list(preset.relearning_steps),
            desired_retention=preset.desired_retention,
            maximum_interval=preset.maximum_interval,
            parameters=list(preset.parameters),
        )
        self._session.add(row)
        self._session.flush()
        return _preset(row)


class DeckRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> list[Deck]:
        rows = self._session.scalars(select(DeckRow).order_by(DeckRow.name))
        return [Deck(r.id, r.name, r.preset_id) for r in rows]

    def get(self, deck_id: int) -> Deck | None:
        row = self._session.get(DeckRow, deck_id)
        return None if row is None else Deck(row.id, row.name, row.preset_id)

    def by_name(self, name: str) -> Deck | None:
        row = self._session.scalars(select(DeckRow).where(DeckRow.name == name)).first()
        return None if row is None else Deck(row.id, row.name, row.preset_id)

    def add(self, name: str, preset_id: int) -> Deck:
        row = DeckRow(name=name, preset_id=preset_id)
        self._session.add(row)
        self._session.flush()
        return Deck(row.id, row.name, row.preset_id)


class NoteTypeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> list[NoteType]:
        rows = self._session.scalars(select(NoteTypeRow).order_by(NoteTypeRow.id))
        return [_note_type(r) for r in rows]

    def get(self, note_type_id: int) -> NoteType | None:
        row = self._session.get(NoteTypeRow, note_type_id)
        return None if row is None else _note_type(row)

    def by_name(self, name: str) -> NoteType | None:
        row = self._session.scalars(select(NoteTypeRow).where(NoteTypeRow.name == name)).first()
        return None if row is None else _note_type(row)

    def add(self, note_type: NoteType) -> NoteType:
        row = NoteTypeRow(
            name=note_type.name,
            kind=int(note_type.kind),
            fields=list(note_type.fields),
            templates=[
                {"name": t.name, "front": t.front, "back": t.back} for t in note_type.templates
            ],
            css=note_type.css,
        )
        self._session.add(row)
        self._session.flush()
        return _note_type(row)


class NoteRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, note_id: int) -> Note | None:
        row = self._session.get(NoteRow, note_id)
        return None if row is None else _note(row)

    def by_guids(self, guids: Iterable[str]) -> dict[str, Note]:
        rows = self._session.scalars(select(NoteRow).where(NoteRow.guid.in_(list(guids))))
        return {r.guid: _note(r) for r in rows}

    def add(self, note: Note) -> Note:
        row = NoteRow(
            guid=note.guid,
            note_type_id=note.note_type_id,
            fields=list(note.fields),
            tags=_tag_text(note.tags),
            created_at=note.created_at,
            modified_at=note.modified_at,
            source=note.source,
        )
        self._session.add(row)
        self._session.flush()
        return _note(row)

    def update(self, note: Note) -> None:
        self._session.execute(
            update(NoteRow)
            .where(NoteRow.id == note.id)
            .values(
                fields=list(note.fields),
                tags=_tag_text(note.tags),
                modified_at=note.modified_at,
                source=note.source,
            )
        )


def _in_decks(deck_ids: Sequence[int]) -> Any:
    """`deck_id IN (...)`; plain equality for one deck, so the queue index also gives the order."""
    if len(deck_ids) == 1:
        return CardRow.deck_id == deck_ids[0]
    return CardRow.deck_id.in_(deck_ids)


def _tag_text(tags: Sequence[str]) -> str:
    return f" {' '.join(tags)} " if tags else ""


@dataclass(frozen=True, slots=True)
class StateCounts:
    """Cards a queue could show, per deck: new, (re)learning due today, reviews due today."""

    new: dict[int, int]
    learning: dict[int, int]
    review: dict[int, int]


class CardRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, card_id: int) -> Card | None:
        row = self._session.get(CardRow, card_id)
        return None if row is None else _card(row)

    def for_note(self, note_id: int) -> list[Card]:
        rows = self._session.scalars(
            select(CardRow).where(CardRow.note_id == note_id).order_by(CardRow.ordinal)
        )
        return [_card(r) for r in rows]

    def add(self, card: Card, modified_at: int) -> Card:
        row = CardRow(**_card_columns(card), modified_at=modified_at)
        self._session.add(row)
        self._session.flush()
        return _card(row)

    def save(self, card: Card, modified_at: int) -> None:
        """Write every column of `card` (used after answering and to restore a snapshot)."""
        self._session.execute(
            update(CardRow)
            .where(CardRow.id == card.id)
            .values(**_card_columns(card), modified_at=modified_at)
        )

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
        """Active cards per deck: (re)learning due before `learn_before`, and new cards and
        reviews due today, each counted only up to the deck's cap (so the cost is bounded by
        the daily limits, not by the size of the deck)."""
        learning: dict[int, int] = {}
        for state in (CardState.LEARNING, CardState.RELEARNING):
            for deck_id, n in self._counts(
                new_caps, None, CardRow.state == int(state), CardRow.due < learn_before
            ).items():
                learning[deck_id] = learning.get(deck_id, 0) + n
        return StateCounts(
            new=self._counts(new_caps, new_caps, CardRow.state == int(CardState.NEW)),
            learning=learning,
            review=self._counts(
                review_caps,
                review_caps,
                CardRow.state == int(CardState.REVIEW),
                CardRow.due <= today,
            ),
        )

    def _counts(
        self, deck_ids: Iterable[int], caps: Mapping[int, int] | None, *conditions: Any
    ) -> dict[int, int]:
        """Matching active cards per deck, each count stopping at the deck's cap if given.

        One equality lookup per deck: the queue index then answers each count by itself.
        """
        counts: dict[int, int] = {}
        for deck_id in deck_ids:
            cap = None if caps is None else caps[deck_id]
            if cap is not None and cap <= 0:
                continue
            matching = select(CardRow.id).where(
                ACTIVE_CARDS, CardRow.deck_id == deck_id, *conditions
            )
            if cap is not None:
                matching = matching.limit(cap)
            count = self._session.scalar(select(func.count()).select_from(matching.subquery()))
            if count:
                counts[deck_id] = int(count)
        return counts

    def first_learning_due(self, deck_ids: Sequence[int], due_by: int | None) -> Card | None:
        """The (re)learning card due soonest, if it is due by `due_by` (None: whenever).

        One indexed lookup per state, so neither needs a sort.
        """
        found = []
        for state in (CardState.LEARNING, CardState.RELEARNING):
            query = (
                select(CardRow)
                .where(ACTIVE_CARDS, CardRow.state == int(state), _in_decks(deck_ids))
                .order_by(CardRow.due, CardRow.id)
                .limit(1)
            )
            if due_by is not None:
                query = query.where(CardRow.due <= due_by)
            row = self._session.scalars(query).first()
            if row is not None:
                found.append(row)
        first = min(found, key=lambda row: (row.due, row.id), default=None)
        return None if first is None else _card(first)

    def first_review_due(self, deck_ids: Sequence[int], today: int) -> Card | None:
        query = (
            select(CardRow)
            .where(
                ACTIVE_CARDS,
                CardRow.state == int(CardState.REVIEW),
                _in_decks(deck_ids),
                CardRow.due <= today,
            )
            .order_by(CardRow.due, CardRow.id)
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else _card(row)

    def first_new(self, deck_ids: Sequence[int]) -> Card | None:
        query = (
            select(CardRow)
            .where(ACTIVE_CARDS, CardRow.state == int(CardState.NEW), _in_decks(deck_ids))
            .order_by(CardRow.due, CardRow.id)
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else _card(row)

    def earliest_review_day(self, deck_ids: Sequence[int], after_day: int) -> int | None:
        day = self._session.scalar(
            select(func.min(CardRow.due)).where(
                ACTIVE_CARDS,
                CardRow.state == int(CardState.REVIEW),
                _in_decks(deck_ids),
                CardRow.due > after_day,
            )
        )
        return None if day is None else int(day)

    def unbury_all(self) -> int:
        result = self._session.execute(
            update(CardRow).where(CardRow.buried != int(BuryKind.NONE)).values(buried=0)
        )
        return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class StudiedCounts:
    """What was studied since a moment, per deck: new cards introduced and reviews answered."""

    new: dict[int, int]
    review: dict[int, int]


class ReviewRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, review: Review) -> int:
        row = ReviewRow(
            card_id=review.card_id,
            reviewed_at=review.reviewed_at,
            kind=int(review.kind),
            rating=None if review.rating is None else int(review.rating),
            state_before=int(review.state_before),
            last_interval=review.last_interval,
            interval=review.interval,
            time_taken_ms=review.time_taken_ms,
            stability=review.stability,
            difficulty=review.difficulty,
            source_id=review.source_id,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def delete(self, review_id: int) -> None:
        self._session.execute(delete(ReviewRow).where(ReviewRow.id == review_id))

    def for_card(self, card_id: int) -> list[Review]:
        rows = self._session.scalars(
            select(ReviewRow)
            .where(ReviewRow.card_id == card_id)
            .order_by(ReviewRow.reviewed_at, ReviewRow.id)
        )
        return [
            Review(
                id=r.id,
                card_id=r.card_id,
                reviewed_at=r.reviewed_at,
                kind=ReviewKind(r.kind),
                rating=None if r.rating is None else Rating(r.rating),
                state_before=CardState(r.state_before),
                last_interval=r.last_interval,
                interval=r.interval,
                time_taken_ms=r.time_taken_ms,
                stability=r.stability,
                difficulty=r.difficulty,
                source_id=r.source_id,
            )
            for r in rows
        ]

    def studied_since(self, since_ms: int) -> StudiedCounts:
        """New cards introduced and review cards answered since `since_ms`, per card's deck."""
        query = (
            select(
                CardRow.deck_id,
                ReviewRow.state_before,
                func.count(func.distinct(ReviewRow.card_id)),
            )
            .join(CardRow, CardRow.id == ReviewRow.card_id)
            .where(
                ReviewRow.reviewed_at >= since_ms,
                ReviewRow.state_before.in_([int(CardState.NEW), int(CardState.REVIEW)]),
                ReviewRow.rating.is_not(None),
            )
            .group_by(CardRow.deck_id, ReviewRow.state_before)
        )
        new: dict[int, int] = {}
        review: dict[int, int] = {}
        for deck_id, state_before, n in self._session.execute(query):
            target = new if state_before == int(CardState.NEW) else review
            target[deck_id] = int(n)
        return StudiedCounts(new, review)

    def totals_since(self, deck_ids: Sequence[int], since_ms: int) -> tuple[int, int]:
        """(answers, milliseconds spent) in the given decks since `since_ms`."""
        query = (
            select(func.count(), func.coalesce(func.sum(ReviewRow.time_taken_ms), 0))
            .join(CardRow, CardRow.id == ReviewRow.card_id)
            .where(
                ReviewRow.reviewed_at >= since_ms,
                _in_decks(deck_ids),
                ReviewRow.rating.is_not(None),
            )
        )
        count, spent = self._session.execute(query).one()
        return int(count), int(spent)


class SettingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str) -> Any:
        row = self._session.get(SettingRow, key)
        return None if row is None else row.value

    def all(self) -> dict[str, Any]:
        return {r.key: r.value for r in self._session.scalars(select(SettingRow))}

    def set(self, key: str, value: Any) -> None:
        row = self._session.get(SettingRow, key)
        if row is None:
            self._session.add(SettingRow(key=key, value=value))
        else:
            row.value = value


class Repositories:
    """Every repository, bound to the one session of a transaction."""

    def __init__(self, session: Session) -> None:
        self.presets = PresetRepository(session)
        self.decks = DeckRepository(session)
        self.note_types = NoteTypeRepository(session)
        self.notes = NoteRepository(session)
        self.cards = CardRepository(session)
        self.reviews = ReviewRepository(session)
        self.settings = SettingRepository(session)
