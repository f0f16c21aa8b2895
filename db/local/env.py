"""Alembic environment for the local store; the workbench hands it an open (encrypted) connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from workbench.models import Base

config = context.config
target_metadata = Base.metadata


def _include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # FTS5 virtual tables and their shadow tables are made by hand in migrations, not by the models.
    return not (type_ == "table" and name is not None and name.endswith(("_fts", "_fts_data", "_fts_idx",
                                                                         "_fts_docsize", "_fts_config",
                                                                         "_fts_content")))


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.connect() as conn:
            _configure_and_run(conn)
        return
    _configure_and_run(connection)


def _configure_and_run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=_include,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
