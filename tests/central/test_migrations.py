"""Central's schema: empty to head matches the models (SQLite and PostgreSQL); a newer schema is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from central.database import Database, current_revision, head_revision, upgrade_to_head
from central.models import Base
from tests.helpers.central import PG_ENV, REPO, PostgresDatabase


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'central.db'}")
        yield database
        database.dispose()
        return
    admin = os.environ.get(PG_ENV)
    if not admin:
        pytest.skip(f"{PG_ENV} is not set")
    pg = PostgresDatabase(admin)
    database = Database(pg.url)
    try:
        yield database
    finally:
        database.dispose()
        pg.drop()


def test_an_empty_database_upgraded_to_head_matches_the_models(db: Database) -> None:
    assert current_revision(db) is None
    assert upgrade_to_head(db) is True
    assert current_revision(db) == head_revision()
    with db.read() as session:
        ctx = MigrationContext.configure(session.connection(), opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
    assert upgrade_to_head(db) is False


def test_a_database_from_a_newer_central_is_refused_with_a_clear_message(db: Database) -> None:
    upgrade_to_head(db)
    with db.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999_toekomst'"))
    for command in (["stats"], ["serve", "--port", "1"]):
        done = subprocess.run([sys.executable, "-m", "central", *command, "--db", db.url], cwd=REPO,
                              capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
        assert done.returncode == 1
        assert "nieuwer dan deze central" in done.stderr
        assert "Traceback" not in done.stderr
