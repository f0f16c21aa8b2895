"""story contact index: the newest contact per case from the index alone (caseload figures)

The team figures ask, for every open case, the newest story entry of a contact kind that is not
tombstoned. With (case_id, occurred_at) alone each step read the story row itself (with its text) to check
kind and deleted_at; this index holds all four columns, so the answer comes from the index pages.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_story_entry_contact", "story_entry", ["case_id", "occurred_at", "kind", "deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_story_entry_contact", table_name="story_entry")
