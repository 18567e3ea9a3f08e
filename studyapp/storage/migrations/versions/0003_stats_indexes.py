"""Indexes for the statistics aggregates: the review log by time and by card, cards by due day,
notes by creation time.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_STATS_COLUMNS = ["rating", "state_before", "last_interval", "time_taken_ms"]


def upgrade() -> None:
    op.create_index(
        "ix_review_log_stats_time",
        "review_log",
        ["reviewed_at", *_STATS_COLUMNS, "card_id"],
    )
    op.create_index(
        "ix_review_log_stats_card",
        "review_log",
        ["card_id", "reviewed_at", *_STATS_COLUMNS],
    )
    op.create_index("ix_cards_stats_due", "cards", ["state", "due", "suspended", "buried"])
    op.create_index("ix_notes_created_at", "notes", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_notes_created_at", "notes")
    op.drop_index("ix_cards_stats_due", "cards")
    op.drop_index("ix_review_log_stats_card", "review_log")
    op.drop_index("ix_review_log_stats_time", "review_log")
