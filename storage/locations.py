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
    """Per store: where it lives (password masked), whether it exists, its revision in the database (None for a
    file written before migrations existed) and the one this code ships."""
    from storage.engine import current, engines, heads, sqlite_url

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
        finally:
            engines.release(url)
        shown = str(where) if isinstance(where, Path) else Settings(state={"url": where}).masked()["state"]["url"]
        rows.append({"store": branch, "location": shown, "exists": True, "revision": rev, "head": heads()[branch]})
    return rows


def _revision(engine, branch: str) -> str:
    from storage.engine import current

    return current(engine).get(branch) or ""
