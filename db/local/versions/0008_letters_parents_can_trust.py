"""letters parents can trust: dates fixed at issue, stored policy versions and facts, payments, promise history

Letters keep every policy version used, the facts a beschikking was computed from, the dagtekening, the child a
kindregeling beschikking is about and the story entries they tell. Commitments keep their first promised date,
their owner and the letter that promised them; a renegotiation keeps the dates before and after. Story entries
record when they were sent for the parent's confirmation. Parents have an aanspreekvorm; children an address.
Payments are a new append-only entity. The issued-letter trigger is rebuilt to cover the new columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_OLD_COLUMNS = ("id", "case_id", "template_id", "template_version", "kind", "field_values", "policy_version",
                "status", "author_id", "reviewer_id", "review_comment", "pdf", "pdf_sha256", "issued_at",
                "corrects_letter_id", "deleted_at")
_NEW_COLUMNS = ("policy_versions", "facts", "dated_on", "child_id", "story_entry_ids")


def _issued_trigger(columns: tuple[str, ...]) -> None:
    # A batch alter rebuilds the letter table, which drops its triggers: both are made again here.
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    op.execute("DROP TRIGGER IF EXISTS letter_issued_no_update")
    op.execute("DROP TRIGGER IF EXISTS letter_issued_no_delete")
    op.execute(
        "CREATE TRIGGER letter_issued_no_delete BEFORE DELETE ON letter WHEN OLD.status = 'issued' "
        "BEGIN SELECT RAISE(ABORT, 'issued letter is immutable'); END"
    )
    op.execute(
        "CREATE TRIGGER letter_issued_no_update BEFORE UPDATE ON letter "
        f"WHEN OLD.status = 'issued' AND ({changed}) "
        "BEGIN SELECT RAISE(ABORT, 'issued letter is immutable'); END"
    )


def upgrade() -> None:
    with op.batch_alter_table("letter") as batch:
        batch.add_column(sa.Column("policy_versions", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("facts", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("dated_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("child_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("story_entry_ids", sa.JSON(), nullable=True))
        batch.create_foreign_key("fk_letter_child_id_child", "child", ["child_id"], ["id"])
    with op.batch_alter_table("commitment") as batch:
        batch.add_column(sa.Column("first_due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("owner", sa.String(20), nullable=False, server_default="pzb"))
        batch.add_column(sa.Column("source_letter_id", sa.String(36), nullable=True))
        batch.create_foreign_key("fk_commitment_source_letter_id_letter", "letter", ["source_letter_id"], ["id"])
    op.execute("UPDATE commitment SET first_due_on = due_on WHERE first_due_on IS NULL")
    with op.batch_alter_table("commitment_status_change") as batch:
        batch.add_column(sa.Column("previous_due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("due_on", sa.Date(), nullable=True))
    with op.batch_alter_table("story_entry") as batch:
        batch.add_column(sa.Column("sent_for_confirmation_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("confirmation_letter_id", sa.String(36), nullable=True))
    with op.batch_alter_table("parent") as batch:
        batch.add_column(sa.Column("aanspreekvorm", sa.String(10), nullable=False, server_default="neutraal"))
    with op.batch_alter_table("child") as batch:
        for name, size in (("street", 200), ("house_number", 20), ("postcode", 7), ("city", 100)):
            batch.add_column(sa.Column(name, sa.String(size), nullable=False, server_default=""))
    op.create_table(
        "payment",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(36), nullable=False),
        sa.Column("deleted_at", sa.String(32), nullable=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(40), nullable=False, server_default="ouder"),
        sa.Column("letter_id", sa.String(36), nullable=True),
        sa.Column("note", sa.String(500), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name="fk_payment_case_id_case_file"),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"], name="fk_payment_letter_id_letter"),
        sa.PrimaryKeyConstraint("id", name="pk_payment"),
    )
    op.create_index("ix_payment_case_id", "payment", ["case_id"])
    _issued_trigger(_OLD_COLUMNS + _NEW_COLUMNS)


def downgrade() -> None:
    _issued_trigger(_OLD_COLUMNS)
    op.drop_index("ix_payment_case_id", table_name="payment")
    op.drop_table("payment")
    with op.batch_alter_table("child") as batch:
        for name in ("city", "postcode", "house_number", "street"):
            batch.drop_column(name)
    with op.batch_alter_table("parent") as batch:
        batch.drop_column("aanspreekvorm")
    with op.batch_alter_table("story_entry") as batch:
        batch.drop_column("confirmation_letter_id")
        batch.drop_column("sent_for_confirmation_on")
    with op.batch_alter_table("commitment_status_change") as batch:
        batch.drop_column("due_on")
        batch.drop_column("previous_due_on")
    with op.batch_alter_table("commitment") as batch:
        batch.drop_constraint("fk_commitment_source_letter_id_letter", type_="foreignkey")
        batch.drop_column("source_letter_id")
        batch.drop_column("owner")
        batch.drop_column("first_due_on")
    with op.batch_alter_table("letter") as batch:
        batch.drop_constraint("fk_letter_child_id_child", type_="foreignkey")
        for name in reversed(_NEW_COLUMNS):
            batch.drop_column(name)
