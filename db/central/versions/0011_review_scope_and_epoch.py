"""review scope and epoch: the team of a letter in review, reviewers' review pools, and central's epoch"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review_access") as batch:
        batch.add_column(sa.Column("team_id", sa.String(36), nullable=True))
        batch.create_index(batch.f("ix_review_access_team_id"), ["team_id"], unique=False)
    # A letter already in review belongs to the team of its case's current assignment.
    bind = op.get_bind()
    reviews = sa.table("review_access", sa.column("case_id", sa.String()), sa.column("team_id", sa.String()))
    periods = sa.table("case_access", sa.column("case_id", sa.String()), sa.column("team_id", sa.String()),
                       sa.column("to_seq", sa.BigInteger()))
    current = (sa.select(periods.c.team_id).where(periods.c.case_id == reviews.c.case_id, periods.c.to_seq.is_(None))
               .limit(1).scalar_subquery())
    bind.execute(reviews.update().values(team_id=current))
    op.create_table(
        "review_pool",
        sa.Column("reviewer_id", sa.String(36), nullable=False),
        sa.Column("team_id", sa.String(36), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["reviewer_id"], ["user_account.id"],
                                name=op.f("fk_review_pool_reviewer_id_user_account")),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_review_pool_team_id_team")),
        sa.PrimaryKeyConstraint("reviewer_id", "team_id", name=op.f("pk_review_pool")),
    )
    epochs = op.create_table(
        "central_epoch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(500), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_epoch")),
    )
    # The epoch is made with the database: random, so a copy restored from a backup can be told apart once
    # `central new-epoch` (or a device that is ahead of it) replaces it.
    op.bulk_insert(epochs, [{"id": 1, "epoch": str(uuid.uuid4()), "started_at": dt.datetime.now(dt.UTC),
                             "reason": "nieuwe database"}])


def downgrade() -> None:
    op.drop_table("central_epoch")
    op.drop_table("review_pool")
    with op.batch_alter_table("review_access") as batch:
        batch.drop_index(batch.f("ix_review_access_team_id"))
        batch.drop_column("team_id")
