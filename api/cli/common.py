"""What every command shares: the Typer app and its groups, the console, opening the services (with the
data-folder lock for writers), the read-only catalog, the juridiction-scoped key and the CLI's audit entries."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from core.errors import AppError
from core.settings import Settings

app = typer.Typer(add_completion=False, help="Mon assistant parquet — outils en ligne de commande.")


def group(name: str, help_text: str) -> typer.Typer:
    sub = typer.Typer(help=help_text)
    app.add_typer(sub, name=name)
    return sub


config_app = group("config", "Configuration.")
datasets_app = group("datasets", "Jeux de données synthétiques (fictifs).")
dossiers_app = group("dossiers", "Dossiers.")
eval_app = group("eval", "Évaluation (jeux synthétiques avec gold).")
users_app = group("users", "Comptes (jetons d'API).")
audit_app = group("audit", "Journal d'audit.")
db_app = group("db", "Base d'état (catalogue, tâches, comptes, projets, décisions, audit) : migrations.")
console = Console()
JURIDICTION = typer.Option("TJ Paris", help="Juridiction du dossier (les identifiants sont propres à chacune)")


def open_services(command: str = "", write: bool = True, settings: Settings | None = None):
    """Services for one command. A command that writes takes the data-folder lock first (one owner per data
    folder); a reader takes it only when the embedded store (single process) must be opened."""
    from api.datalock import DataLock
    from api.services import Services

    settings = settings or Settings()
    if write or settings.vector_store.backend == "edge":
        lock = DataLock(settings.paths.data_dir, command or "cli").acquire()
        return Services(settings, data_lock=lock)
    return Services(settings)


def read_catalog():
    """The catalog opened read-only: browsing never needs the lock and never writes."""
    from ingestion.catalog import Catalog
    from storage.locations import location

    where = location(Settings(), "catalog")
    if isinstance(where, Path) and not where.exists():
        raise AppError("Aucun dossier ingéré dans ce dossier de données.", code="introuvable")
    return Catalog(where, read_only=True)


def open_tokens():
    from api.auth import TokenStore
    from storage.locations import location

    settings = Settings()
    return TokenStore(location(settings, "accounts"), migrate=settings.state.migrate)


def key_of(dossier: str, juridiction: str) -> str:
    from core.ids import dossier_key

    return dossier_key(juridiction, dossier)


def audit_access(settings: Settings, action: str, dossier: str | None = None, **details) -> None:
    """The CLI logs every access to case content, like the API (actor: the operating-system account)."""
    import getpass

    from api.audit import AuditLog

    log = AuditLog.from_settings(settings)
    try:
        log.record(f"cli:{getpass.getuser()}", action, dossier, role="operateur", source="cli", **details)
    finally:
        log.close()


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
