"""devices and people: revocation reasons, token lifetime and rotation, disabled users, the admin-action log"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Tokens issued before lifetimes existed get the default lifetime from now (central.security).
LEGACY_LIFETIME = dt.timedelta(days=30)


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("disabled_reason", sa.String(length=500), server_default="", nullable=False))
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("revoke_reason", sa.String(length=500), server_default="", nullable=False))
        batch.add_column(sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("previous_token_sha256", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_device_previous_token_sha256"), ["previous_token_sha256"], unique=False)
    device = sa.table("device", sa.column("token_expires_at", sa.DateTime(timezone=True)))
    expires = dt.datetime.now(dt.UTC) + LEGACY_LIFETIME
    if op.get_bind().dialect.name == "sqlite":
        expires = expires.replace(tzinfo=None)  # central.models.Stamp stores UTC naive on SQLite
    op.execute(device.update().values(token_expires_at=expires))
    op.create_table(
        "admin_action",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_action")),
    )
    op.create_index(op.f("ix_admin_action_target"), "admin_action", ["target"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_admin_action_target"), table_name="admin_action")
    op.drop_table("admin_action")
    with op.batch_alter_table("device") as batch:
        batch.drop_index(batch.f("ix_device_previous_token_sha256"))
        batch.drop_column("previous_token_sha256")
        batch.drop_column("token_expires_at")
        batch.drop_column("revoke_reason")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("disabled_reason")
        batch.drop_column("disabled_at")
