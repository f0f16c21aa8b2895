"""editor drafts: what was typed in a free-text editor and not yet saved, device-local"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "editor_draft",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=80), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("saved_at", sa.String(length=32), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("saves", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_draft")),
        sa.UniqueConstraint("user_id", "kind", "target_id", name="uq_editor_draft_user_kind_target"),
    )
    with op.batch_alter_table("editor_draft") as batch_op:
        batch_op.create_index(batch_op.f("ix_editor_draft_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("editor_draft") as batch_op:
        batch_op.drop_index(batch_op.f("ix_editor_draft_case_id"))
    op.drop_table("editor_draft")
