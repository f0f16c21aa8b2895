"""device status: how fresh each device of the team is, as central reported it (team lead figures)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_status",
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("device_name", sa.String(200), nullable=False),
        sa.Column("last_sync_at", sa.String(32), nullable=True),
        sa.Column("pending_changes", sa.Integer(), nullable=False),
        sa.Column("open_conflicts", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("device_id", name="pk_device_status"),
    )
    op.create_index("ix_device_status_user_id", "device_status", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_device_status_user_id", table_name="device_status")
    op.drop_table("device_status")
