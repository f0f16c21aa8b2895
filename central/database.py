"""Opening central's database (SQLite file or PostgreSQL), serialized write transactions and migrations."""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import Session

from central.errors import SetupError

log = logging.getLogger(__name__)

CENTRAL_MIGRATIONS = Path(__file__).resolve().parents[1] / "db" / "central"
DEFAULT_DB = "sqlite:///central.db"
# Any constant works; it only has to be the same in every central process on one database.
WRITE_LOCK_KEY = 0x5A41414B  # "ZAAK"
DEVICE_LOCK_CLASS = 0x5A41  # "ZA": with a hash of the device id, one device's own writes
_WRITE_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
# The two-key form: a lock space of its own, apart from WRITE_LOCK_KEY.
_DEVICE_LOCK = text("SELECT pg_advisory_xact_lock(:c, hashtext(:d))")
# psycopg prepares a statement on a connection from its second execution there (its default is the sixth): the
# same few statements run every sync, and a prepared one skips PostgreSQL's parse and analysis (with reads that
# keep them, see `read`, a round of 50 devices' syncs sent 52 parse messages instead of 757).
PREPARE_AFTER = 1
IDLE_PING_S = 10.0  # a pooled PostgreSQL connection idle this long is checked before use


def normalize_url(raw: str) -> str:
    """A SQLAlchemy URL from what an operator typed: a URL, or a plain path meaning a SQLite file."""
    raw = raw.strip()
    if not raw:
        raise SetupError("De database-URL (--db) is leeg.")
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    if raw.startswith(("postgresql://", "postgres://")):
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise SetupError(f"Ongeldige database-URL (--db): {exc}") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise SetupError("De database (--db) moet een SQLite-bestand of PostgreSQL zijn.")
    return raw


class Database:
    """Engines for one central database.

    Writes are serialized: SQLite takes the write lock up front (BEGIN IMMEDIATE); PostgreSQL takes a
    transaction-level advisory lock. A change's sequence number is drawn while holding that lock, so
    sequence order equals commit order and a pull cursor never skips a row that committed late.
    Reads run in one snapshot (REPEATABLE READ on PostgreSQL, a deferred BEGIN on SQLite in WAL mode).

    Attributes:
        url: the SQLAlchemy URL (may contain a password; never log it).
        is_sqlite: which engine this is.
    """

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = make_url(self.url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            self._write = _sqlite_engine(self.url, begin="BEGIN IMMEDIATE")
            self._read = _sqlite_engine(self.url, begin="BEGIN")
            self._single = _sqlite_engine(self.url, begin=None)
            database = make_url(self.url).database
            self._lock_path = f"{database}.writer-lock" if database and database != ":memory:" else None
        else:
            base = create_engine(self.url, pool_size=5, max_overflow=10, hide_parameters=True,
                                 connect_args={"prepare_threshold": PREPARE_AFTER})
            event.listen(base, "checkout", _ping_when_idle)
            self._write = base
            self._read = base.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            self._single = base.execution_options(isolation_level="AUTOCOMMIT")
            self._lock_path = None

    @contextmanager
    def write(self, *, device_only: str | None = None) -> Iterator[Session]:
        """A session in a serialized write transaction; commits when the block ends without error.

        `device_only`: the transaction touches only that device's own rows (its audit trail, its anchor, its
        report) and draws no change sequence number. On PostgreSQL it then waits only for that device's other
        such transactions, not for every writer; SQLite has one writer at a time whatever is asked.
        """
        with self._writer_turn(), Session(self._write, expire_on_commit=False) as session, session.begin():
            if not self.is_sqlite and device_only is None:
                session.connection().execute(_WRITE_LOCK, {"k": WRITE_LOCK_KEY})
            elif not self.is_sqlite:
                session.connection().execute(_DEVICE_LOCK, {"c": DEVICE_LOCK_CLASS, "d": device_only})
            yield session

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        """On SQLite, writers queue on a lock file before BEGIN IMMEDIATE: the kernel wakes the next one as the
        lock frees, where SQLite's busy handler would sleep and poll (idle cores while writers wait)."""
        try:
            handle = open(self._lock_path, "a+b") if self._lock_path is not None else None  # noqa: SIM115
        except OSError:  # a folder that is not there or not writable: SQLite itself will say so, in Dutch
            handle = None
        if handle is None:
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session whose reads all see one snapshot; nothing is written."""
        with Session(self._read, expire_on_commit=False) as session:
            yield session
            if not self.is_sqlite:
                # Ended by a commit, not a rollback: psycopg forgets every statement it prepared on a connection
                # at a rollback. The transaction is READ ONLY, so nothing can have been written.
                session.commit()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection for one short read of a few columns (no ORM session); nothing is written."""
        with self._single.connect() as conn:
            yield conn  # closing the connection rolls the read back

    def dispose(self) -> None:
        self._write.dispose()
        if self.is_sqlite:
            self._read.dispose()
            self._single.dispose()


def _ping_when_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    """Before handing out a PostgreSQL connection that sat idle, check it still works (a restarted server or a
    firewall may have dropped it); a dead one is replaced (the pool retries on DisconnectionError).

    A connection in use moments ago is not pinged: under load, pinging every checkout (``pool_pre_ping``) cost
    a round trip on each of the two or three checkouts of every request.
    """
    now = time.monotonic()
    last, record.info["used"] = record.info.get("used"), now
    if last is None or now - last < IDLE_PING_S:
        return
    try:
        with dbapi_conn.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_conn.rollback()
    except Exception:
        raise DisconnectionError() from None


def _sqlite_engine(url: str, *, begin: str | None) -> Engine:
    """An engine whose transactions start with ``begin``; None: each statement on its own (autocommit)."""
    # hide_parameters: an error message must never carry field values into a log.
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (pysqlite's own transaction handling would defer it to the first write).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    if begin is not None:
        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql(begin)

    return engine


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(CENTRAL_MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.read() as session:
        return MigrationContext.configure(session.connection()).get_current_revision()


def upgrade_to_head(db: Database) -> bool:
    """Bring the schema to head under the write lock (several processes may start at once)."""
    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    with db.write() as session:
        conn = session.connection()
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None and current not in known:
            raise SetupError(
                f"De database heeft schemaversie {current}, nieuwer dan deze central kent. "
                "Werk central bij voordat u deze database gebruikt."
            )
        if current == script.get_current_head():
            return False
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("central schema upgraded from %s to %s", current, script.get_current_head())
    return True
