"""Where each store lives for a given configuration: one database (state.url) or one SQLite file per store."""
from __future__ import annotations

from pathlib import Path

from core.settings import Settings

# The SQLite file of each store in <data_dir>/db/ (the names earlier versions used, so old folders are adopted).
FILES = {"catalog": "catalog.sqlite", "jobs": "jobs.sqlite", "accounts": "users.sqlite", "drafts": "drafts.sqlite",
         "decisions": "decisions.sqlite", "audit": "audit.sqlite"}


def location(settings: Settings, branch: str) -> Path | str:
    """The SQLAlchemy URL (or SQLite file) of `branch`'s store."""
    if branch == "audit" and settings.audit.url:
        return settings.audit.url
    if settings.state.url:
        return settings.state.url
    return settings.paths.data_dir / "db" / FILES[branch]


def locations(settings: Settings) -> dict[str, Path | str]:
    return {branch: location(settings, branch) for branch in FILES}


def upgrade_all(settings: Settings) -> dict[str, str]:
    """Apply every store's migrations where it lives; returns the revision each store is at."""
    from storage.engine import engines, sqlite_url, upgrade

    out = {}
    for branch, where in locations(settings).items():
        url = sqlite_url(where) if isinstance(where, Path) else where
        engine = engines.acquire(url)
        try:
            upgrade(engine, branch)
            out[branch] = _revision(engine, branch)
        finally:
            engines.release(url)
    return out


def status(settings: Settings) -> list[dict]:
    """Per store: where it lives (password masked), whether its tables exist, its revision in the database (None
    for a file written before migrations existed) and the one this code ships."""
    from sqlalchemy import inspect

    from storage.engine import current, engines, heads, sqlite_url
    from storage.tables import BRANCHES as TABLES

    rows = []
    for branch, where in locations(settings).items():
        if isinstance(where, Path) and not where.exists():
            rows.append({"store": branch, "location": str(where), "exists": False, "revision": None,
                         "head": heads()[branch]})
            continue
        url = sqlite_url(where, read_only=True) if isinstance(where, Path) else where
        engine = engines.acquire(url, read_only=True)
        try:
            rev = current(engine).get(branch)
            exists = rev is not None or bool({t.name for t in TABLES[branch]} & set(inspect(engine).get_table_names()))
        finally:
            engines.release(url)
        shown = str(where) if isinstance(where, Path) else Settings(state={"url": where}).masked()["state"]["url"]
        rows.append({"store": branch, "location": shown, "exists": exists, "revision": rev, "head": heads()[branch]})
    return rows


def _revision(engine, branch: str) -> str:
    from storage.engine import current

    return current(engine).get(branch) or ""


def import_sqlite(settings: Settings, source_dir: Path) -> dict[str, int]:
    """Copy the SQLite files of a data folder (<source_dir>/db/*.sqlite, any version this code adopts) into the
    configured state database, once: rows keep their keys, decision and audit numbers (so the audit chain and
    its signed checkpoints still verify). Refuses a target that already holds rows of a store. Returns the rows
    copied per table."""
    from sqlalchemy import func, inspect, select, text

    from core.errors import AppError
    from storage.engine import engines, sqlite_url, upgrade
    from storage.tables import BRANCHES as TABLES

    targets = locations(settings)
    if any(isinstance(where, Path) for where in targets.values()):
        raise AppError("Indiquez la base de destination (state.url) : l'import copie les fichiers SQLite vers "
                       "elle.", code="destination_manquante")
    copied: dict[str, int] = {}
    for branch, target_url in targets.items():
        source = source_dir / "db" / FILES[branch]
        if not source.is_file():
            continue
        src = engines.acquire(sqlite_url(source, read_only=True), read_only=True)
        dst = engines.acquire(str(target_url))
        try:
            upgrade(dst, branch)
            have = {t: {c["name"] for c in inspect(src).get_columns(t)} for t in inspect(src).get_table_names()}
            with src.connect() as read, dst.begin() as write:
                for table in TABLES[branch]:
                    if table.name not in have:
                        continue
                    if write.execute(select(func.count()).select_from(table)).scalar():
                        raise AppError(f"La base de destination contient déjà des lignes de « {table.name} » : "
                                       "import refusé (rien n'a été copié pour ce magasin).", code="destination_non_vide")
                    cols = [c for c in table.columns if c.name in have[table.name]]
                    rows = [dict(r._mapping) for r in read.execute(select(*cols))]
                    if rows:
                        write.execute(table.insert(), rows)
                    copied[table.name] = len(rows)
                    serial = [c.name for c in table.primary_key.columns if c.autoincrement is True]
                    if serial and rows and write.dialect.name == "postgresql":
                        write.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{serial[0]}'), "
                                           f"(SELECT max({serial[0]}) FROM {table.name}))"))
        finally:
            engines.release(sqlite_url(source, read_only=True))
            engines.release(str(target_url))
    return copied
