"""Migration 0010 renumbers cases that share a number once, keeping the old number as a former one (SQLite and PG)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import command

from central.database import Database, _alembic_config, upgrade_to_head
from tests.central.test_migrations import db  # noqa: F401  (the SQLite / PostgreSQL database fixture)

AT = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
_RECORD = sa.table("record", sa.column("entity", sa.String()), sa.column("row_id", sa.String()),
                   sa.column("rev", sa.Integer()), sa.column("data", sa.JSON()), sa.column("case_id", sa.String()),
                   sa.column("parent_id", sa.String()), sa.column("deleted", sa.Boolean()),
                   sa.column("created_by", sa.String()), sa.column("updated_at", sa.DateTime(timezone=True)))
_LOG = sa.table("change_log", sa.column("seq", sa.Integer()), sa.column("entity", sa.String()),
                sa.column("row_id", sa.String()), sa.column("rev", sa.Integer()), sa.column("fields", sa.JSON()),
                sa.column("case_id", sa.String()), sa.column("parent_id", sa.String()),
                sa.column("deleted", sa.Boolean()), sa.column("origin_change_id", sa.String()),
                sa.column("created_at", sa.DateTime(timezone=True)))


def test_duplicate_numbers_are_renumbered_once_and_the_first_case_keeps_its_number(db: Database) -> None:  # noqa: F811
    cfg = _alembic_config()
    with db.write() as session:
        cfg.attributes["connection"] = session.connection()
        command.upgrade(cfg, "0007")
    first, second, third, lone = (str(uuid.uuid4()) for _ in range(4))
    cases = [(second, "UHT-2021-000002", 2), (first, "UHT-2021-000002", 1), (third, "UHT-2021-000002", 3),
             (lone, "UHT-2026-000007", 4)]
    with db.write() as session:
        for case_id, reference, _seq in sorted(cases, key=lambda case: case[2]):  # the log numbers them 1..4
            data = {"reference": reference, "parent_id": "p-" + case_id[:8], "phase": "aangemeld",
                    "deleted_at": None}
            session.execute(sa.insert(_RECORD).values(entity="case", row_id=case_id, rev=1, data=data,
                                                      case_id=case_id, parent_id=data["parent_id"], deleted=False,
                                                      created_by=None, updated_at=AT))
            session.execute(sa.insert(_LOG).values(entity="case", row_id=case_id, rev=1, fields=data,
                                                   case_id=case_id, parent_id=data["parent_id"], deleted=False,
                                                   origin_change_id=None, created_at=AT))
    assert upgrade_to_head(db) is True
    with db.read() as session:
        rows = {row_id: (rev, data) for row_id, rev, data in session.execute(
            sa.select(_RECORD.c.row_id, _RECORD.c.rev, _RECORD.c.data))}
        log = list(session.execute(sa.select(_LOG.c.seq, _LOG.c.row_id, _LOG.c.rev, _LOG.c.fields)
                                   .where(_LOG.c.seq > 4).order_by(_LOG.c.seq)))
        numbers = dict(session.execute(sa.text("SELECT reference, case_id FROM case_number")).all())
    assert rows[first][1]["reference"] == "UHT-2021-000002" and rows[first][0] == 1
    assert rows[lone][1]["reference"] == "UHT-2026-000007" and rows[lone][0] == 1
    renumbered = {rows[c][1]["reference"] for c in (second, third)}
    assert renumbered == {"UHT-2021-000008", "UHT-2021-000009"}  # above every number in use
    for case_id in (second, third):
        rev, data = rows[case_id]
        assert rev == 2 and data["former_references"] == "UHT-2021-000002" and data["phase"] == "aangemeld"
    # Every device pulls the new numbers as ordinary row versions.
    assert [(row_id, rev, fields["reference"]) for _seq, row_id, rev, fields in log] == [
        (second, 2, rows[second][1]["reference"]), (third, 2, rows[third][1]["reference"])]
    assert numbers == {"UHT-2021-000002": first, "UHT-2026-000007": lone, rows[second][1]["reference"]: second,
                       rows[third][1]["reference"]: third}
