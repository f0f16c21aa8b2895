"""Bringing a store to the current schema on open; a store from a newer version is refused."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from workbench.errors import StoreUnavailable

LOCAL_MIGRATIONS = Path(__file__).resolve().parents[2] / "db" / "local"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(LOCAL_MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> bool:
    """Upgrade in place inside one transaction; returns True if anything ran."""
    cfg = _config()
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.begin() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None and current not in known:
            raise StoreUnavailable(
                "Deze gegevensopslag is gemaakt door een nieuwere versie van de Zaakwerkbank. "
                "Werk de Zaakwerkbank bij voordat u verder werkt."
            )
        if current == script.get_current_head():
            return False
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
