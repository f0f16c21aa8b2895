"""audit trail: every device's hash-chained audit events on central, and how many are still on the device"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trail_event",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("event_device_id", sa.String(length=64), nullable=False),
        sa.Column("verb", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=True),
        sa.Column("result", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=2000), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.device_id"], name=op.f("fk_trail_event_device_id_device")),
        sa.PrimaryKeyConstraint("device_id", "seq", name=op.f("pk_trail_event")),
    )
    op.create_index(op.f("ix_trail_event_case_id"), "trail_event", ["case_id"], unique=False)
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("audit_pending", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.drop_column("audit_pending")
    op.drop_index(op.f("ix_trail_event_case_id"), table_name="trail_event")
    op.drop_table("trail_event")
