"""case numbers: one case per number, blocks reserved per device; duplicates renumbered once (old number kept)"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

REFERENCE = re.compile(r"^UHT-(\d{4})-(\d{6})$")

record = sa.table("record", sa.column("entity", sa.String), sa.column("row_id", sa.String),
                  sa.column("rev", sa.Integer), sa.column("data", sa.JSON), sa.column("case_id", sa.String),
                  sa.column("parent_id", sa.String), sa.column("deleted", sa.Boolean),
                  sa.column("updated_at", sa.DateTime(timezone=True)))
change_log = sa.table("change_log", sa.column("seq", sa.BigInteger), sa.column("entity", sa.String),
                      sa.column("row_id", sa.String), sa.column("rev", sa.Integer), sa.column("fields", sa.JSON),
                      sa.column("case_id", sa.String), sa.column("parent_id", sa.String),
                      sa.column("deleted", sa.Boolean), sa.column("origin_change_id", sa.String),
                      sa.column("created_at", sa.DateTime(timezone=True)))


def upgrade() -> None:
    case_number = op.create_table(
        "case_number",
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("reference", name=op.f("pk_case_number")),
    )
    op.create_index(op.f("ix_case_number_case_id"), "case_number", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_number_number"), "case_number", ["number"], unique=False)
    op.create_table(
        "number_block",
        sa.Column("first", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.device_id"], name=op.f("fk_number_block_device_id_device")),
        sa.PrimaryKeyConstraint("first", name=op.f("pk_number_block")),
    )
    op.create_index(op.f("ix_number_block_device_id"), "number_block", ["device_id"], unique=False)
    _renumber_duplicates(case_number)


def _renumber_duplicates(case_number: sa.Table) -> None:
    """Register every case's number; a number held by an earlier case goes to the later one as a former
    number, and that case gets a fresh number (a new row version every device pulls)."""
    conn = op.get_bind()
    first_seq = dict(conn.execute(sa.select(change_log.c.row_id, sa.func.min(change_log.c.seq))
                                  .where(change_log.c.entity == "case").group_by(change_log.c.row_id)).all())
    cases = conn.execute(sa.select(record.c.row_id, record.c.rev, record.c.data, record.c.case_id,
                                   record.c.parent_id, record.c.deleted)
                         .where(record.c.entity == "case")).all()
    cases.sort(key=lambda row: (first_seq.get(row.row_id, 0), row.row_id))
    numbers = [int(m.group(2)) for m in (REFERENCE.match(str(row.data.get("reference", ""))) for row in cases) if m]
    highest = max(numbers, default=0)
    taken: set[str] = set()
    now = dt.datetime.now(dt.UTC)
    for row in cases:
        sent = str(row.data.get("reference", ""))
        match = REFERENCE.match(sent)
        if match and sent not in taken:
            taken.add(sent)
            conn.execute(case_number.insert().values(reference=sent, case_id=row.row_id, number=int(match.group(2))))
            continue
        highest += 1
        year = match.group(1) if match else str(row.data.get("opened_on", "") or now.year)[:4]
        fresh = f"UHT-{year}-{highest:06d}"
        taken.add(fresh)
        conn.execute(case_number.insert().values(reference=fresh, case_id=row.row_id, number=highest))
        former = " ".join(part for part in (str(row.data.get("former_references", "") or ""), sent) if part)[:200]
        fields = {"reference": fresh, "former_references": former}
        conn.execute(record.update().where(record.c.entity == "case", record.c.row_id == row.row_id)
                     .values(rev=row.rev + 1, data={**row.data, **fields}, updated_at=now))
        conn.execute(change_log.insert().values(entity="case", row_id=row.row_id, rev=row.rev + 1, fields=fields,
                                                case_id=row.case_id, parent_id=row.parent_id, deleted=row.deleted,
                                                origin_change_id=None, created_at=now))


def downgrade() -> None:
    op.drop_index(op.f("ix_number_block_device_id"), table_name="number_block")
    op.drop_table("number_block")
    op.drop_index(op.f("ix_case_number_number"), table_name="case_number")
    op.drop_index(op.f("ix_case_number_case_id"), table_name="case_number")
    op.drop_table("case_number")
