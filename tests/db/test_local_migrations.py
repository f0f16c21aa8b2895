"""Local store migrations: empty to head matches the models; an older store upgrades in place; newer is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from workbench.errors import StoreUnavailable
from workbench.models import Base
from workbench.store.engine import open_engine, random_key
from workbench.store.migrations import LOCAL_MIGRATIONS, current_revision, head_revision, upgrade_to_head


def _include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name is not None and "_fts" in name)


def test_empty_store_upgraded_to_head_matches_the_models(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "s.db", random_key())
    assert upgrade_to_head(engine) is True
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": _include, "compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    assert upgrade_to_head(engine) is False  # nothing to do the second time
    engine.dispose()


def test_store_at_first_revision_upgrades_in_place_and_indexes_old_rows(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "s.db", random_key())
    cfg = Config()
    cfg.set_main_option("script_location", str(LOCAL_MIGRATIONS))
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        common = {"rev": 0, "at": now, "by": "u"}
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
    assert current_revision(engine) == "0001"
    assert upgrade_to_head(engine) is True
    with engine.connect() as conn:
        found = conn.execute(text("SELECT case_id FROM case_fts WHERE case_fts MATCH 'oudenaarde'")).scalars().all()
    assert found == ["c"]
    engine.dispose()


def test_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    key = random_key()
    engine = open_engine(path, key)
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StoreUnavailable, match="nieuwere versie"):
        upgrade_to_head(engine)
    assert current_revision(engine) == "9999_future"
    engine.dispose()
