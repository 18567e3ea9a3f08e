"""Conversions between ORM rows and domain values; rows never leave the storage package."""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select
from sqlalchemy.orm import Session

from studyapp.domain.cards import (
    BuryKind,
    Card,
    CardState,
    CardTemplate,
    Note,
    NoteKind,
    NoteType,
)
from studyapp.domain.decks import Deck, Preset
from studyapp.storage.deck_list_sql import deck_of, preset_of
from studyapp.storage.schema import (
    CardRow,
    DeckRow,
    NoteRow,
    NoteTypeRow,
    PresetRow,
)


def preset_value(row: PresetRow) -> Preset:
    return preset_of(
        (
            row.id,
            row.name,
            row.new_per_day,
            row.reviews_per_day,
            row.learning_steps,
            row.relearning_steps,
            row.desired_retention,
            row.maximum_interval,
            row.parameters,
            row.new_card_order,
            row.review_order,
            row.leech_threshold,
            row.leech_action,
            row.bury_new_siblings,
            row.bury_review_siblings,
            row.pass_fail,
            row.reschedule_on_change,
            row.easy_days,
            row.optimized_at,
        ),
        decode_json=False,
    )


def preset_columns(preset: Preset) -> dict[str, Any]:
    """Every column of a preset row but its id."""
    return {
        "name": preset.name,
        "new_per_day": preset.new_per_day,
        "reviews_per_day": preset.reviews_per_day,
        "learning_steps": list(preset.learning_steps),
        "relearning_steps": list(preset.relearning_steps),
        "desired_retention": preset.desired_retention,
        "maximum_interval": preset.maximum_interval,
        "parameters": list(preset.parameters),
        "new_card_order": int(preset.new_card_order),
        "review_order": int(preset.review_order),
        "leech_threshold": preset.leech_threshold,
        "leech_action": int(preset.leech_action),
        "bury_new_siblings": preset.bury_new_siblings,
        "bury_review_siblings": preset.bury_review_siblings,
        "pass_fail": preset.pass_fail,
        "reschedule_on_change": preset.reschedule_on_change,
        "easy_days": list(preset.easy_days),
        "optimized_at": preset.optimized_at,
    }


def deck_value(row: DeckRow) -> Deck:
    return deck_of(
        (
            row.id,
            row.name,
            row.preset_id,
            row.exam_date,
            row.exam_target,
            row.filter_query,
            row.filter_limit,
            row.filter_order,
            row.filter_reschedule,
            row.collapsed,
        )
    )


def deck_columns(deck: Deck) -> dict[str, Any]:
    """Every column of a deck row but its id."""
    return {
        "name": deck.name,
        "preset_id": deck.preset_id,
        "exam_date": None if deck.exam is None else deck.exam.exam_date,
        "exam_target": None if deck.exam is None else deck.exam.target_recall,
        "filter_query": None if deck.filter is None else deck.filter.query,
        "filter_limit": None if deck.filter is None else deck.filter.limit,
        "filter_order": None if deck.filter is None else deck.filter.order,
        "filter_reschedule": True if deck.filter is None else deck.filter.reschedule,
        "collapsed": deck.collapsed,
    }


def note_type_value(row: NoteTypeRow) -> NoteType:
    return NoteType(
        id=row.id,
        name=row.name,
        kind=NoteKind(row.kind),
        fields=tuple(row.fields),
        templates=tuple(CardTemplate(t["name"], t["front"], t["back"]) for t in row.templates),
        css=row.css,
        markdown=row.markdown,
        sort_field=row.sort_field,
    )


def note_type_columns(note_type: NoteType) -> dict[str, Any]:
    """Every column of a note-type row but its id."""
    return {
        "name": note_type.name,
        "kind": int(note_type.kind),
        "fields": list(note_type.fields),
        "templates": [
            {"name": t.name, "front": t.front, "back": t.back} for t in note_type.templates
        ],
        "css": note_type.css,
        "markdown": note_type.markdown,
        "sort_field": note_type.sort_field,
    }


def note_value(row: NoteRow) -> Note:
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


def card_value(row: CardRow) -> Card:
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
        home_deck_id=row.home_deck_id,
    )


def card_columns(card: Card) -> dict[str, Any]:
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
        "home_deck_id": card.home_deck_id,
    }


def tag_text(tags: Sequence[str]) -> str:
    return f" {' '.join(tags)} " if tags else ""


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert many rows in one executemany and return their new ids, in order.

    On SQLite the ids are assigned here, after the current largest (the write transaction holds
    the database), and the rows go straight to the driver's executemany: SQLAlchemy's per-row
    parameter processing and an ordered RETURNING would each cost more than the insert itself.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [int(i) for i in session.execute(statement, rows).scalars()]
    largest = session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    first = int(largest or 0) + 1
    names = list(rows[0])
    as_json = {name for name in names if isinstance(table.c[name].type, JSON)}
    values = [
        (
            first + offset,
            *(json.dumps(row[name]) if name in as_json else row[name] for name in names),
        )
        for offset, row in enumerate(rows)
    ]
    columns = ", ".join(["id", *names])
    marks = ", ".join("?" * (len(names) + 1))
    session.connection().exec_driver_sql(
        f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", values
    )
    return list(range(first, first + len(rows)))


def json_strings(values: Sequence[str]) -> str:
    """`json.dumps(list(values))` for a list of strings (the JSON column's text), made faster.

    The same text byte for byte: json.dumps escapes each string with this very function and
    joins the items with ", " (tested).
    """
    return "[" + ", ".join(map(encode_basestring_ascii, values)) + "]"


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
