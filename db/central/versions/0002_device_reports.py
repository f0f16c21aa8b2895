"""device reports: each device's last sync, pending changes and open conflicts, for the team lead"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("pending_changes", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("open_conflicts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        for name in ("reported_at", "open_conflicts", "pending_changes", "last_sync_at"):
            batch.drop_column(name)
