"""Engines and migrations: one engine per database URL per process, Alembic applied on open.

SQLite (the embedded default) waits on a busy timeout and starts every write transaction with BEGIN IMMEDIATE, so
two processes on the same file queue up instead of failing or interleaving a read-then-write. Stores that write a
lot with concurrent readers (the catalog) switch their file to WAL; the others keep the rollback journal, so that
copying their one file is a complete backup (the audit log's, notably).
PostgreSQL gives the same guarantees through its transactions (row locks where a store reads then writes)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from core.errors import AppError
from storage.migrations import BRANCHES, file_heads

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_HEADS = file_heads()
_MIGRATION_LOCK = 727_170_017  # PostgreSQL advisory lock taken while migrating (any fixed number)
BUSY_TIMEOUT_S = 30.0


def sqlite_url(path: Path, read_only: bool = False) -> str:
    if read_only:
        return f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
    return f"sqlite:///{path.resolve()}"


def _sqlite_setup(engine: Engine, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (the sqlite3 module's implicit one is too late)
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        if not read_only and dbapi_conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            dbapi_conn.execute("PRAGMA synchronous=NORMAL")  # durable enough in WAL mode, much faster

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


class _Registry:
    """Engines shared by every store of the process on the same URL; disposed when the last store closes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engines: dict[str, tuple[Engine, int]] = {}

    def acquire(self, url: str, read_only: bool = False) -> Engine:
        with self._lock:
            if url in self._engines:
                engine, n = self._engines[url]
                self._engines[url] = (engine, n + 1)
                return engine
            if url.startswith("sqlite"):
                if not read_only and not url.startswith("sqlite:///file:") and url != "sqlite://":
                    Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
                _sqlite_setup(engine, read_only)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            self._engines[url] = (engine, 1)
            return engine

    def release(self, url: str) -> None:
        with self._lock:
            if url not in self._engines:
                return
            engine, n = self._engines[url]
            if n > 1:
                self._engines[url] = (engine, n - 1)
                return
            del self._engines[url]
        engine.dispose()


engines = _Registry()


def _config(connection: Connection | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_heads() -> dict[str, str]:
    """The newest revision of each branch according to the revision files (Alembic's view)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    return {branch: script.get_revision(f"{branch}@head").revision for branch in BRANCHES}


def heads() -> dict[str, str]:
    """The newest revision of each branch, as shipped with this code."""
    return dict(_HEADS)


def current(engine: Engine) -> dict[str, str | None]:
    """The revision each branch is at in this database (None = not created)."""
    found: dict[str, str | None] = dict.fromkeys(BRANCHES)
    try:
        with engine.connect() as conn:
            rows = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
    except (OperationalError, ProgrammingError):
        return found
    for rev in rows:
        branch = rev.rsplit("_", 1)[0]
        if branch in found:
            found[branch] = rev
    return found


def upgrade(engine: Engine, branch: str | None = None) -> None:
    """Bring `branch` (or every branch) to its head; cheap when already there; safe when two processes race
    (PostgreSQL advisory lock, SQLite write lock, both held for the whole migration)."""
    wanted = [branch] if branch else list(BRANCHES)
    if all(current(engine).get(b) == heads()[b] for b in wanted):
        return
    from alembic import command

    with engine.connect() as conn:
        conn = conn.execution_options(write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            for b in wanted:
                command.upgrade(_config(conn), f"{b}@head")


def check_current(engine: Engine, branch: str) -> None:
    """For read-only opening: refuse a database older than this code, with the command that fixes it. A file
    written before migrations existed is read as it is when it already has every column this code reads."""
    rev = current(engine).get(branch)
    if rev == heads()[branch]:
        return
    if rev is None and _has_every_column(engine, branch):
        return
    raise AppError("La base d'état n'est pas à jour pour cette version : lancez « assistant-parquet db "
                   "upgrade ».", code="base_non_migree")


def _has_every_column(engine: Engine, branch: str) -> bool:
    from sqlalchemy import inspect

    from storage.tables import BRANCHES as TABLES
    from storage.tables import NOT_READ_BEFORE

    insp = inspect(engine)
    names = set(insp.get_table_names())
    for table in TABLES[branch]:
        if table.name in NOT_READ_BEFORE:
            continue
        if table.name not in names:
            return False
        have = {c["name"] for c in insp.get_columns(table.name)}
        if any(c.name not in have and f"{table.name}.{c.name}" not in NOT_READ_BEFORE for c in table.columns):
            return False
    return True


class SqlStore:
    """The one shape of every store: an engine (shared per URL), its Alembic branch applied on open, read and
    write transactions. `location` is a SQLite file path or a SQLAlchemy URL."""

    branch: str = ""
    sqlite_wal = False  # switch a SQLite file to WAL (readers never wait for a writer; the file alone is not a backup)

    def __init__(self, location: Path | str, read_only: bool = False, migrate: bool = True) -> None:
        if isinstance(location, Path) or "://" not in str(location):
            location = sqlite_url(Path(location), read_only)
        self.url = str(location)
        self.read_only = read_only
        self.engine = engines.acquire(self.url, read_only)
        try:
            if read_only:
                check_current(self.engine, self.branch)
            else:
                if self.sqlite_wal and self.engine.dialect.name == "sqlite":
                    raw = self.engine.raw_connection()  # outside any transaction, where the switch is allowed
                    try:
                        raw.cursor().execute("PRAGMA journal_mode=WAL")
                        raw.cursor().execute("PRAGMA synchronous=NORMAL")
                    finally:
                        raw.close()
                if migrate:
                    upgrade(self.engine, self.branch)
                else:  # migrations left to `db upgrade`: refuse a schema older than this code
                    check_current(self.engine, self.branch)
        except Exception:
            SqlStore.close(self)  # the subclass is not built yet: release the engine only
            raise
        self._closed = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed at the end, rolled back on error; on SQLite it holds the write lock
        from its first statement (BEGIN IMMEDIATE), so a read inside it is still true when it writes."""
        if self.read_only:
            raise RuntimeError(f"{type(self).__name__} opened read-only")
        with self.engine.connect() as conn:
            conn = conn.execution_options(write=True)
            with conn.begin():
                yield conn

    def close(self) -> None:
        if not getattr(self, "_closed", False):
            self._closed = True
            engines.release(self.url)


def upsert(conn: Connection, table, values: dict, keys: tuple[str, ...], update: dict | None = None,
           ignore: bool = False) -> None:
    """INSERT, or on a duplicate key update the given columns (`update`: column -> value or expression taking
    `excluded`), or keep the existing row (`ignore`); one statement, atomic on SQLite and PostgreSQL."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(table).values(**values)
    if ignore:
        conn.execute(stmt.on_conflict_do_nothing(index_elements=list(keys)))
        return
    cols = update if update is not None else {c: getattr(stmt.excluded, c) for c in values if c not in keys}
    resolved = {c: (v(stmt.excluded) if callable(v) else v) for c, v in cols.items()}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=resolved))
