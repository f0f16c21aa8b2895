"""letter immutability: an issued letter can be neither changed nor deleted in the store

Only the sync bookkeeping (rev, updated_at, updated_by) may still change on an issued letter, so the
server revision can be recorded after upload; any other column change, or a DELETE, aborts.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_DATA_COLUMNS = ("id", "case_id", "template_id", "template_version", "kind", "field_values", "policy_version",
                 "status", "author_id", "reviewer_id", "review_comment", "pdf", "pdf_sha256", "issued_at",
                 "corrects_letter_id", "deleted_at")


def upgrade() -> None:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _DATA_COLUMNS)
    op.execute(
        "CREATE TRIGGER letter_issued_no_update BEFORE UPDATE ON letter "
        f"WHEN OLD.status = 'issued' AND ({changed}) "
        "BEGIN SELECT RAISE(ABORT, 'issued letter is immutable'); END"
    )
    op.execute(
        "CREATE TRIGGER letter_issued_no_delete BEFORE DELETE ON letter WHEN OLD.status = 'issued' "
        "BEGIN SELECT RAISE(ABORT, 'issued letter is immutable'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS letter_issued_no_delete")
    op.execute("DROP TRIGGER IF EXISTS letter_issued_no_update")
