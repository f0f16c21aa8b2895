"""device audit pending: how many audit events each device of the team still holds that central does not"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device_status") as batch_op:
        batch_op.add_column(sa.Column("audit_pending", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("device_status") as batch_op:
        batch_op.drop_column("audit_pending")
