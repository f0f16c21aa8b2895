"""review access ends: the sequence of the change that issued the letter, after which reviewers see no more"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review_access") as batch:
        batch.add_column(sa.Column("to_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
        batch.create_index(batch.f("ix_review_access_to_seq"), ["to_seq"], unique=False)
    # A letter issued before this migration ended its review at the change that issued it.
    bind = op.get_bind()
    reviews = sa.table("review_access", sa.column("letter_id", sa.String()), sa.column("from_seq", sa.BigInteger()),
                       sa.column("to_seq", sa.BigInteger()))
    log = sa.table("change_log", sa.column("seq", sa.BigInteger()), sa.column("entity", sa.String()),
                   sa.column("row_id", sa.String()), sa.column("fields", sa.JSON()))
    for letter_id, from_seq in list(bind.execute(sa.select(reviews.c.letter_id, reviews.c.from_seq))):
        for seq, fields in bind.execute(sa.select(log.c.seq, log.c.fields).where(
                log.c.entity == "letter", log.c.row_id == letter_id, log.c.seq > from_seq).order_by(log.c.seq)):
            if isinstance(fields, dict) and fields.get("status") == "issued":
                bind.execute(reviews.update().where(reviews.c.letter_id == letter_id).values(to_seq=seq))
                break


def downgrade() -> None:
    with op.batch_alter_table("review_access") as batch:
        batch.drop_index(batch.f("ix_review_access_to_seq"))
        batch.drop_column("to_seq")
