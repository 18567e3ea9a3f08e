"""Preset options (orders, leeches, sibling burying, pass/fail, easy days), exam dates and filtered
decks, note type editing options, and each card's home deck while it is in a filtered deck.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)


def _number(name: str, default: int) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), server_default=str(default), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("presets") as batch:
        batch.add_column(_number("new_card_order", 0))
        batch.add_column(_number("review_order", 0))
        batch.add_column(_number("leech_threshold", 8))
        batch.add_column(_number("leech_action", 0))
        batch.add_column(_flag("bury_new_siblings"))
        batch.add_column(_flag("bury_review_siblings"))
        batch.add_column(_flag("pass_fail"))
        batch.add_column(_flag("reschedule_on_change"))
        batch.add_column(
            sa.Column("easy_days", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch.add_column(sa.Column("optimized_at", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("decks") as batch:
        batch.add_column(sa.Column("exam_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("exam_target", sa.Float(), nullable=True))
        batch.add_column(sa.Column("filter_query", sa.Text(), nullable=True))
        batch.add_column(sa.Column("filter_limit", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("filter_order", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("filter_reschedule", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(_flag("collapsed"))
    with op.batch_alter_table("note_types") as batch:
        batch.add_column(_flag("markdown"))
        batch.add_column(_number("sort_field", 0))
    # A plain ADD COLUMN with its reference inline: no need to rebuild the cards table, which
    # SQLite would otherwise need to add a foreign key.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE cards ADD COLUMN home_deck_id INTEGER"
            " CONSTRAINT fk_cards_home_deck_id_decks REFERENCES decks (id)"
        )
    else:
        op.add_column("cards", sa.Column("home_deck_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_cards_home_deck_id_decks", "cards", "decks", ["home_deck_id"], ["id"]
        )
    op.create_index("ix_cards_home_deck_id", "cards", ["home_deck_id"])


def downgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.drop_index("ix_cards_home_deck_id")
        batch.drop_constraint("fk_cards_home_deck_id_decks", type_="foreignkey")
        batch.drop_column("home_deck_id")
    with op.batch_alter_table("note_types") as batch:
        batch.drop_column("sort_field")
        batch.drop_column("markdown")
    with op.batch_alter_table("decks") as batch:
        for column in (
            "collapsed",
            "filter_reschedule",
            "filter_order",
            "filter_limit",
            "filter_query",
            "exam_target",
            "exam_date",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("presets") as batch:
        for column in (
            "optimized_at",
            "easy_days",
            "reschedule_on_change",
            "pass_fail",
            "bury_review_siblings",
            "bury_new_siblings",
            "leech_action",
            "leech_threshold",
            "review_order",
            "new_card_order",
        ):
            batch.drop_column(column)
