"""Migration 0006 ends the review of a letter issued before it, at the change that issued it (SQLite and PG)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import command

from central.database import Database, _alembic_config, upgrade_to_head
from tests.central.test_migrations import db  # noqa: F401  (the SQLite / PostgreSQL database fixture)

AT = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
_LOG = sa.table("change_log", sa.column("seq", sa.Integer()), sa.column("entity", sa.String()),
                sa.column("row_id", sa.String()), sa.column("rev", sa.Integer()), sa.column("fields", sa.JSON()),
                sa.column("case_id", sa.String()), sa.column("parent_id", sa.String()),
                sa.column("deleted", sa.Boolean()), sa.column("origin_change_id", sa.String()),
                sa.column("created_at", sa.DateTime(timezone=True)))
_REVIEW = sa.table("review_access", sa.column("letter_id", sa.String()), sa.column("case_id", sa.String()),
                   sa.column("parent_id", sa.String()), sa.column("from_seq", sa.Integer()))


def test_a_letter_issued_before_the_migration_ends_its_review_there(db: Database) -> None:  # noqa: F811
    cfg = _alembic_config()
    with db.write() as session:
        cfg.attributes["connection"] = session.connection()
        command.upgrade(cfg, "0002")
    issued, pending, case_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    steps = [(issued, {"status": "in_review"}), (pending, {"status": "in_review"}),
             (issued, {"status": "approved", "reviewer_id": "r"}), (issued, {"status": "issued", "pdf_sha256": "ab"}),
             (issued, {"review_comment": "na verzending"})]
    with db.write() as session:
        for seq, (letter_id, fields) in enumerate(steps, start=1):
            session.execute(sa.insert(_LOG).values(seq=seq, entity="letter", row_id=letter_id, rev=seq,
                                                   fields=fields, case_id=case_id, parent_id=None, deleted=False,
                                                   origin_change_id=None, created_at=AT))
        session.execute(sa.insert(_REVIEW), [{"letter_id": issued, "case_id": case_id, "parent_id": "", "from_seq": 1},
                                             {"letter_id": pending, "case_id": case_id, "parent_id": "",
                                              "from_seq": 2}])
    assert upgrade_to_head(db) is True
    with db.read() as session:
        ends = dict(session.execute(sa.text("SELECT letter_id, to_seq FROM review_access")).all())
    assert ends == {issued: 4, pending: None}
