"""Source documents, and each note's provenance: document, character range, changed flag.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("added_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_name", "documents", ["name"])
    with op.batch_alter_table("notes") as batch:
        batch.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("source_start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("source_end", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("source_changed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_foreign_key(
            "fk_notes_document_id_documents",
            "documents",
            ["document_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_notes_document_id", ["document_id"])


def downgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.drop_index("ix_notes_document_id")
        batch.drop_constraint("fk_notes_document_id_documents", type_="foreignkey")
        for column in ("source_changed", "source_end", "source_start", "document_id"):
            batch.drop_column(column)
    op.drop_index("ix_documents_name", "documents")
    op.drop_table("documents")
