"""Migration 0008 backfills a commitment's first promised date and owner, so old promises count in the figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from workbench.store.engine import open_engine, random_key
from workbench.store.migrations import LOCAL_MIGRATIONS, upgrade_to_head


def test_an_old_commitment_gets_its_due_date_as_first_date_and_pzb_as_owner(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "s.db", random_key())
    cfg = Config()
    cfg.set_main_option("script_location", str(LOCAL_MIGRATIONS))
    common = {"rev": 0, "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat(), "by": "u"}
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        conn.execute(text("INSERT INTO team (id, name, rev, updated_at, updated_by) "
                          "VALUES ('t', 'T', :rev, :at, :by)"), common)
        conn.execute(text("INSERT INTO user_account (id, username, display_name, role, team_id, rev, updated_at, "
                          "updated_by) VALUES ('u', 'u', 'U', 'handler', 't', :rev, :at, :by)"), common)
        conn.execute(text(
            "INSERT INTO parent (id, bsn, achternaam, voorletters, voornamen, tussenvoegsel, street, house_number, "
            "postcode, city, phone, email, preferred_channel, language_need, safety_notes, rev, updated_at, "
            "updated_by) VALUES ('p', '999990019', 'Oudenaarde', '', '', '', '', '', '', '', '', '', 'post', '', '', "
            ":rev, :at, :by)"), common)
        conn.execute(text(
            "INSERT INTO case_file (id, reference, parent_id, handler_id, phase, phase_since, urgent_eviction, "
            "urgent_energy, urgent_garnishment, opened_on, rev, updated_at, updated_by) VALUES ('c', "
            "'UHT-2025-000001', 'p', 'u', 'aangemeld', '2025-01-01', 0, 0, 0, '2025-01-01', :rev, :at, :by)"), common)
        conn.execute(text(
            "INSERT INTO commitment (id, case_id, description, promised_by, promised_on, due_on, status, rev, "
            "updated_at, updated_by) VALUES ('m', 'c', 'Terugbellen', 'Anna', '2025-11-01', '2025-11-20', 'open', "
            ":rev, :at, :by)"), common)
    assert upgrade_to_head(engine) is True
    with engine.connect() as conn:
        row = conn.execute(text("SELECT first_due_on, owner, source_letter_id FROM commitment")).one()
    assert tuple(row) == ("2025-11-20", "pzb", None)
    engine.dispose()
