"""sync client: why a change was refused, and purging a reassigned case may remove its issued letters

A case reassigned to another handler is purged from the old device once its outbox is empty; its issued
letters live on at central and on the new handler's device. The delete trigger therefore allows a DELETE
only inside a purge, which the sync client marks with a ``sync_state`` row for the length of its transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conflict") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
    op.execute("DROP TRIGGER IF EXISTS letter_issued_no_delete")
    op.execute(
        "CREATE TRIGGER letter_issued_no_delete BEFORE DELETE ON letter WHEN OLD.status = 'issued' "
        "AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'purge_in_progress') "
        "BEGIN SELECT RAISE(ABORT, 'issued letter is immutable'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS letter_issued_no_delete")
    op.execute(
        "CREATE TRIGGER letter_issued_no_delete BEFORE DELETE ON letter WHEN OLD.status = 'issued' "
        "BEGIN SELECT RAISE(ABORT, 'issued letter is immutable'); END"
    )
    with op.batch_alter_table("conflict") as batch:
        batch.drop_column("reason")
