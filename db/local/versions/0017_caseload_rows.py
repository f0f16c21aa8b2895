"""caseload rows: what each team figure counts, with the holder and state of its case, kept by triggers

The team figures joined every track, action and commitment to its case (one index descent per row) and
sorted the result by handler: at 20,000 cases most of their time. The tables made here hold those rows with
the case's handler (and whether the case is open) beside them, each read in handler order from one index.
Triggers on the source tables and on case_file keep them in step whichever path writes (the app, sync's bulk
insert and adopt, import, purge); the upgrade fills them from the rows already there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

OPEN = "c.closed_on IS NULL AND c.deleted_at IS NULL"
RUNNING = "NEW.ended_on IS NULL AND NEW.deleted_at IS NULL"


def _case(cases: str) -> str:
    """caseload_case for the cases `cases` (a list of SQL expressions): refilled from case_file and case_contact."""
    return (f"DELETE FROM caseload_case WHERE case_id IN ({cases}); "
            "INSERT INTO caseload_case (case_id, handler_id, opened_on, last_contact_at) "
            "SELECT c.id, c.handler_id, c.opened_on, k.last_contact_at FROM case_file AS c "
            f"LEFT JOIN case_contact AS k ON k.case_id = c.id WHERE c.id IN ({cases}) AND {OPEN};")


def _tracks(cases: str) -> str:
    return (f"DELETE FROM caseload_track WHERE case_id IN ({cases}); "
            "INSERT INTO caseload_track (case_id, track, handler_id) "
            "SELECT DISTINCT t.case_id, t.track, c.handler_id FROM case_track AS t JOIN case_file AS c "
            f"ON c.id = t.case_id WHERE t.case_id IN ({cases}) AND t.ended_on IS NULL AND t.deleted_at IS NULL "
            f"AND {OPEN};")


def _actions(cases: str) -> str:
    return (f"DELETE FROM caseload_action WHERE case_id IN ({cases}); "
            "INSERT INTO caseload_action (action_id, case_id, handler_id, status, due_on) "
            "SELECT a.id, a.case_id, c.handler_id, a.status, a.due_on FROM action AS a JOIN case_file AS c "
            f"ON c.id = a.case_id WHERE a.case_id IN ({cases}) AND a.deleted_at IS NULL AND {OPEN};")


def _commitments(cases: str) -> str:
    return (f"DELETE FROM caseload_commitment WHERE case_id IN ({cases}); "
            "INSERT INTO caseload_commitment (commitment_id, case_id, handler_id, case_open, status, due_on, "
            "first_due_on, resolved_on) SELECT m.id, m.case_id, c.handler_id, c.closed_on IS NULL, m.status, "
            "m.due_on, coalesce(m.first_due_on, m.due_on), m.resolved_on "
            "FROM commitment AS m JOIN case_file AS c ON c.id = m.case_id "
            f"WHERE m.case_id IN ({cases}) AND m.deleted_at IS NULL AND c.deleted_at IS NULL;")


def _action_row(old: str | None) -> str:
    """One action's row, by its id: the old one removed after a change, then the row (re)placed when the action
    and its case count."""
    return ((f"DELETE FROM caseload_action WHERE action_id = {old}.id; " if old else "")
            + "INSERT OR REPLACE INTO caseload_action (action_id, case_id, handler_id, status, due_on) "
            "SELECT NEW.id, NEW.case_id, c.handler_id, NEW.status, NEW.due_on FROM case_file AS c "
            f"WHERE c.id = NEW.case_id AND NEW.deleted_at IS NULL AND {OPEN};")


def _commitment_row(old: str | None) -> str:
    return ((f"DELETE FROM caseload_commitment WHERE commitment_id = {old}.id; " if old else "")
            + "INSERT OR REPLACE INTO caseload_commitment (commitment_id, case_id, handler_id, case_open, status, "
            "due_on, first_due_on, resolved_on) SELECT NEW.id, NEW.case_id, c.handler_id, c.closed_on IS NULL, "
            "NEW.status, NEW.due_on, coalesce(NEW.first_due_on, NEW.due_on), NEW.resolved_on FROM case_file AS c "
            "WHERE c.id = NEW.case_id AND NEW.deleted_at IS NULL AND c.deleted_at IS NULL;")


def _changed(*columns: str) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _all(cases: str) -> str:
    return " ".join((_case(cases), _tracks(cases), _actions(cases), _commitments(cases)))


CASE_COLUMNS = ("id", "handler_id", "opened_on", "closed_on", "deleted_at")
TRACK_COLUMNS = ("id", "case_id", "track", "ended_on", "deleted_at")
ACTION_COLUMNS = ("id", "case_id", "status", "due_on", "deleted_at")
COMMITMENT_COLUMNS = ("id", "case_id", "status", "due_on", "first_due_on", "resolved_on", "deleted_at")
CONTACT = ("UPDATE caseload_case SET last_contact_at = (SELECT k.last_contact_at FROM case_contact AS k "
           "WHERE k.case_id = caseload_case.case_id) WHERE case_id IN ({cases});")

TRIGGERS = {
    "caseload_case_insert": f"AFTER INSERT ON case_file BEGIN {_all('NEW.id')} END",
    "caseload_case_update": (f"AFTER UPDATE OF {', '.join(CASE_COLUMNS)} ON case_file "
                             f"WHEN {_changed(*CASE_COLUMNS)} BEGIN {_all('OLD.id, NEW.id')} END"),
    "caseload_case_delete": f"AFTER DELETE ON case_file BEGIN {_all('OLD.id')} END",
    "caseload_contact_insert": f"AFTER INSERT ON case_contact BEGIN {CONTACT.format(cases='NEW.case_id')} END",
    "caseload_contact_update": (f"AFTER UPDATE ON case_contact BEGIN "
                                f"{CONTACT.format(cases='OLD.case_id, NEW.case_id')} END"),
    "caseload_contact_delete": f"AFTER DELETE ON case_contact BEGIN {CONTACT.format(cases='OLD.case_id')} END",
    "caseload_track_insert": (f"AFTER INSERT ON case_track WHEN {RUNNING} BEGIN "
                              "INSERT OR IGNORE INTO caseload_track (case_id, track, handler_id) "
                              f"SELECT NEW.case_id, NEW.track, c.handler_id FROM case_file AS c "
                              f"WHERE c.id = NEW.case_id AND {OPEN}; END"),
    "caseload_track_update": (f"AFTER UPDATE OF {', '.join(TRACK_COLUMNS)} ON case_track "
                              f"WHEN {_changed(*TRACK_COLUMNS)} BEGIN {_tracks('OLD.case_id, NEW.case_id')} END"),
    "caseload_track_delete": f"AFTER DELETE ON case_track BEGIN {_tracks('OLD.case_id')} END",
    "caseload_action_insert": f"AFTER INSERT ON action BEGIN {_action_row(None)} END",
    "caseload_action_update": (f"AFTER UPDATE OF {', '.join(ACTION_COLUMNS)} ON action "
                               f"WHEN {_changed(*ACTION_COLUMNS)} BEGIN {_action_row('OLD')} END"),
    "caseload_action_delete": "AFTER DELETE ON action BEGIN DELETE FROM caseload_action WHERE action_id = OLD.id; END",
    "caseload_commitment_insert": f"AFTER INSERT ON commitment BEGIN {_commitment_row(None)} END",
    "caseload_commitment_update": (f"AFTER UPDATE OF {', '.join(COMMITMENT_COLUMNS)} ON commitment "
                                   f"WHEN {_changed(*COMMITMENT_COLUMNS)} BEGIN {_commitment_row('OLD')} END"),
    "caseload_commitment_delete": ("AFTER DELETE ON commitment BEGIN "
                                   "DELETE FROM caseload_commitment WHERE commitment_id = OLD.id; END"),
}


def upgrade() -> None:
    # Covers the figures' pass over the cases (and the bezwaar terms) in handler and phase order: no table
    # look-up and no sort.
    op.create_index("ix_case_file_figures", "case_file",
                    ["handler_id", "deleted_at", "phase", "closed_on", "urgent_eviction", "urgent_energy",
                     "urgent_garnishment", "decision_due_on", "objection_due_on", "phase_since"])
    op.create_table(
        "caseload_case",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("handler_id", sa.String(length=36), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("last_contact_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_caseload_case")),
    )
    op.create_index("ix_caseload_case_handler", "caseload_case", ["handler_id", "last_contact_at", "opened_on"])
    op.create_table(
        "caseload_track",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("track", sa.String(length=40), nullable=False),
        sa.Column("handler_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "track", name=op.f("pk_caseload_track")),
    )
    op.create_index("ix_caseload_track_handler", "caseload_track", ["handler_id", "track"])
    op.create_table(
        "caseload_action",
        sa.Column("action_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("handler_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_caseload_action")),
    )
    op.create_index(op.f("ix_caseload_action_case_id"), "caseload_action", ["case_id"])
    op.create_index("ix_caseload_action_handler", "caseload_action", ["handler_id", "status", "due_on"])
    op.create_table(
        "caseload_commitment",
        sa.Column("commitment_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("handler_id", sa.String(length=36), nullable=False),
        sa.Column("case_open", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("first_due_on", sa.Date(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("commitment_id", name=op.f("pk_caseload_commitment")),
    )
    op.create_index(op.f("ix_caseload_commitment_case_id"), "caseload_commitment", ["case_id"])
    for name, columns in (("live", ["case_open", "status", "due_on"]), ("due", ["due_on", "status", "resolved_on"]),
                          ("first", ["first_due_on", "status", "resolved_on"])):
        op.create_index(f"ix_caseload_commitment_{name}", "caseload_commitment", ["handler_id", *columns])
    for statement in _all("SELECT id FROM case_file").split(";"):  # the rows already there
        if statement.strip():
            op.execute(statement)
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("caseload_commitment", "caseload_action", "caseload_track", "caseload_case"):
        op.drop_table(table)
    op.drop_index("ix_case_file_figures", "case_file")
