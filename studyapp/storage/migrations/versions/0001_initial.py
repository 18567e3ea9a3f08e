"""The first schema: presets, decks, note types, notes, cards, review log and settings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ACTIVE_CARDS = sa.text("suspended = false AND buried = 0")


def upgrade() -> None:
    op.create_table(
        "presets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("new_per_day", sa.Integer(), nullable=False),
        sa.Column("reviews_per_day", sa.Integer(), nullable=False),
        sa.Column("learning_steps", sa.JSON(), nullable=False),
        sa.Column("relearning_steps", sa.JSON(), nullable=False),
        sa.Column("desired_retention", sa.Float(), nullable=False),
        sa.Column("maximum_interval", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_presets"),
        sa.UniqueConstraint("name", name="uq_presets_name"),
    )
    op.create_table(
        "decks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("preset_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["preset_id"], ["presets.id"], name="fk_decks_preset_id_presets"),
        sa.PrimaryKeyConstraint("id", name="pk_decks"),
        sa.UniqueConstraint("name", name="uq_decks_name"),
    )
    op.create_table(
        "note_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("templates", sa.JSON(), nullable=False),
        sa.Column("css", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_note_types"),
        sa.UniqueConstraint("name", name="uq_note_types_name"),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(100), nullable=False),
        sa.Column("note_type_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("modified_at", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["note_type_id"], ["note_types.id"], name="fk_notes_note_type_id_note_types"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
        sa.UniqueConstraint("guid", name="uq_notes_guid"),
    )
    op.create_index("ix_notes_note_type_id", "notes", ["note_type_id"])
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("deck_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("due", sa.BigInteger(), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("last_review_day", sa.Integer(), nullable=True),
        sa.Column("flag", sa.Integer(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("buried", sa.Integer(), nullable=False),
        sa.Column("modified_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["deck_id"], ["decks.id"], name="fk_cards_deck_id_decks"),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name="fk_cards_note_id_notes", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_cards"),
        sa.UniqueConstraint("note_id", "ordinal", name="uq_cards_note_id_ordinal"),
    )
    op.create_index("ix_cards_deck_id", "cards", ["deck_id"])
    op.create_index(
        "ix_cards_queue",
        "cards",
        ["state", "deck_id", "due", "id"],
        sqlite_where=ACTIVE_CARDS,
        postgresql_where=ACTIVE_CARDS,
    )
    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("state_before", sa.Integer(), nullable=False),
        sa.Column("last_interval", sa.Integer(), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("time_taken_ms", sa.Integer(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("source_id", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name="fk_review_log_card_id_cards", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_review_log"),
        sa.UniqueConstraint("card_id", "source_id", name="uq_review_log_card_id_source_id"),
    )
    op.create_index("ix_review_log_reviewed_at", "review_log", ["reviewed_at"])
    op.create_index("ix_review_log_card_id_reviewed_at", "review_log", ["card_id", "reviewed_at"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )


def downgrade() -> None:
    for table in ("settings", "review_log", "cards", "notes", "note_types", "decks", "presets"):
        op.drop_table(table)
