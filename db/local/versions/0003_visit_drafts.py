"""visit drafts: autosaved home visits, device-local"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visit_draft",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("saved_at", sa.String(length=32), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("present", sa.String(length=500), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("saves", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_visit_draft_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_draft")),
    )
    with op.batch_alter_table("visit_draft") as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_draft_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit_draft") as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_draft_case_id"))
    op.drop_table("visit_draft")
