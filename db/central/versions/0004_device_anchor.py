"""device anchors: the newest audit-chain tip each device proved at sync, and a flag when one did not extend it"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_anchor",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.Column("anchored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flag_reason", sa.String(length=500), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.device_id"], name=op.f("fk_device_anchor_device_id_device")),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_anchor")),
    )


def downgrade() -> None:
    op.drop_table("device_anchor")
