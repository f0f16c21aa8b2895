"""case numbers: blocks central reserved for this device, and the former numbers of a renumbered case"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NAMES = "p.voornamen || ' ' || p.voorletters || ' ' || p.tussenvoegsel || ' ' || p.achternaam"


def _case_triggers(reference: str, columns: str) -> list[str]:
    """The case_fts triggers of 0002, indexing `reference` (an SQL expression over new.*)."""
    return [
        "DROP TRIGGER case_fts_insert",
        "DROP TRIGGER case_fts_update",
        f"""CREATE TRIGGER case_fts_insert AFTER INSERT ON case_file BEGIN
             INSERT INTO case_fts (case_id, reference, names)
             SELECT new.id, {reference}, {NAMES} FROM parent AS p WHERE p.id = new.parent_id;
           END""",
        f"""CREATE TRIGGER case_fts_update AFTER UPDATE OF {columns} ON case_file BEGIN
             DELETE FROM case_fts WHERE case_id = old.id;
             INSERT INTO case_fts (case_id, reference, names)
             SELECT new.id, {reference}, {NAMES} FROM parent AS p WHERE p.id = new.parent_id;
           END""",
    ]


# The search index holds a case's former numbers beside its number, so search finds it by either.
WITH_FORMER = _case_triggers("new.reference || ' ' || new.former_references",
                             "reference, former_references, parent_id")
WITHOUT_FORMER = _case_triggers("new.reference", "reference, parent_id")


def upgrade() -> None:
    op.create_table(
        "case_number_block",
        sa.Column("first", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("next", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("first", name=op.f("pk_case_number_block")),
    )
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.add_column(sa.Column("former_references", sa.String(length=200), server_default="",
                                      nullable=False))
    for sql in WITH_FORMER:
        op.execute(sql)


def downgrade() -> None:
    for sql in WITHOUT_FORMER:
        op.execute(sql)
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.drop_column("former_references")
    op.drop_table("case_number_block")
