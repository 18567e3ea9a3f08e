"""The collection's tables, in SQLAlchemy 2.x declarative style.

Migrations under `migrations/versions/` create and change these tables; a test checks that the
upgraded database and this module agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from studyapp.storage.deck_list_sql import ACTIVE_CARDS_SQL

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The cards a study queue can show: neither suspended nor buried (ACTIVE_CARDS_SQL).
ACTIVE_CARDS = text(ACTIVE_CARDS_SQL)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PresetRow(Base):
    __tablename__ = "presets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    new_per_day: Mapped[int] = mapped_column(Integer)
    reviews_per_day: Mapped[int] = mapped_column(Integer)
    learning_steps: Mapped[list[int]] = mapped_column(JSON)
    relearning_steps: Mapped[list[int]] = mapped_column(JSON)
    desired_retention: Mapped[float] = mapped_column(Float)
    maximum_interval: Mapped[int] = mapped_column(Integer)
    parameters: Mapped[list[float]] = mapped_column(JSON)
    new_card_order: Mapped[int] = mapped_column(Integer, server_default="0")
    review_order: Mapped[int] = mapped_column(Integer, server_default="0")
    leech_threshold: Mapped[int] = mapped_column(Integer, server_default="8")
    leech_action: Mapped[int] = mapped_column(Integer, server_default="0")
    bury_new_siblings: Mapped[bool] = mapped_column(Boolean, server_default=false())
    bury_review_siblings: Mapped[bool] = mapped_column(Boolean, server_default=false())
    pass_fail: Mapped[bool] = mapped_column(Boolean, server_default=false())
    reschedule_on_change: Mapped[bool] = mapped_column(Boolean, server_default=false())
    easy_days: Mapped[list[int]] = mapped_column(JSON, server_default=text("'[]'"))
    optimized_at: Mapped[int | None] = mapped_column(BigInteger)


class DeckRow(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    preset_id: Mapped[int] = mapped_column(ForeignKey("presets.id"))
    exam_date: Mapped[date | None] = mapped_column(Date)
    exam_target: Mapped[float | None] = mapped_column(Float)
    filter_query: Mapped[str | None] = mapped_column(Text)
    """Set for a filtered deck: the search that gathers its cards."""
    filter_limit: Mapped[int | None] = mapped_column(Integer)
    filter_order: Mapped[int | None] = mapped_column(Integer)
    filter_reschedule: Mapped[bool] = mapped_column(Boolean, server_default=true())
    """Whether answers in the filtered deck change the cards' schedules (off when cramming)."""
    collapsed: Mapped[bool] = mapped_column(Boolean, server_default=false())


class NoteTypeRow(Base):
    __tablename__ = "note_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[int] = mapped_column(Integer)
    fields: Mapped[list[str]] = mapped_column(JSON)
    templates: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    css: Mapped[str] = mapped_column(Text)
    markdown: Mapped[bool] = mapped_column(Boolean, server_default=false())
    sort_field: Mapped[int] = mapped_column(Integer, server_default="0")


class DocumentRow(Base):
    """A source document cards were generated from: a stored copy and its extracted text."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    added_at: Mapped[int] = mapped_column(BigInteger)


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(100), unique=True)
    note_type_id: Mapped[int] = mapped_column(ForeignKey("note_types.id"), index=True)
    fields: Mapped[list[str]] = mapped_column(JSON)
    tags: Mapped[str] = mapped_column(Text, default="")
    """Space-separated, with a space at each end, so that a tag matches as ' tag '."""
    created_at: Mapped[int] = mapped_column(BigInteger, index=True)
    modified_at: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    source_changed: Mapped[bool] = mapped_column(Boolean, server_default=false())
    """Set when the document was generated again and this note's sentence is no longer in it."""


class CardRow(Base):
    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("note_id", "ordinal"),
        # The next-card query and the deck counts: by state, then deck, then due.  Migration 0001
        # gives the PostgreSQL index the same condition; naming `postgresql_where` here would
        # load the PostgreSQL dialect (and asyncio) at every start, and Alembic's schema compare
        # ignores index conditions anyway.
        Index("ix_cards_queue", "state", "deck_id", "due", "id", sqlite_where=ACTIVE_CARDS),
        # The statistics forecast: review cards by due day, without reading the table.
        Index("ix_cards_stats_due", "state", "due", "suspended", "buried"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    state: Mapped[int] = mapped_column(Integer)
    due: Mapped[int] = mapped_column(BigInteger)
    interval: Mapped[int] = mapped_column(Integer)
    step: Mapped[int] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    reps: Mapped[int] = mapped_column(Integer)
    lapses: Mapped[int] = mapped_column(Integer)
    last_review_day: Mapped[int | None] = mapped_column(Integer)
    flag: Mapped[int] = mapped_column(Integer)
    suspended: Mapped[bool] = mapped_column(Boolean)
    buried: Mapped[int] = mapped_column(Integer)
    modified_at: Mapped[int] = mapped_column(BigInteger)
    home_deck_id: Mapped[int | None] = mapped_column(ForeignKey("decks.id"), index=True)
    """For a card in a filtered deck: the deck it returns to."""


class ReviewRow(Base):
    __tablename__ = "review_log"
    __table_args__ = (
        UniqueConstraint("card_id", "source_id"),
        Index("ix_review_log_card_id_reviewed_at", "card_id", "reviewed_at"),
        # Statistics aggregates read only the index: by time for the whole collection, by card
        # (then time) for a deck's cards.
        Index(
            "ix_review_log_stats_time",
            "reviewed_at",
            "rating",
            "state_before",
            "last_interval",
            "time_taken_ms",
            "card_id",
        ),
        Index(
            "ix_review_log_stats_card",
            "card_id",
            "reviewed_at",
            "rating",
            "state_before",
            "last_interval",
            "time_taken_ms",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    reviewed_at: Mapped[int] = mapped_column(BigInteger, index=True)
    """UTC epoch milliseconds."""
    kind: Mapped[int] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    state_before: Mapped[int] = mapped_column(Integer)
    last_interval: Mapped[int] = mapped_column(Integer)
    interval: Mapped[int] = mapped_column(Integer)
    time_taken_ms: Mapped[int] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    source_id: Mapped[str | None] = mapped_column(String(100))


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
