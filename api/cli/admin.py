"""Configuration, the server, accounts, the audit log's verification and the state stores' migrations."""
from __future__ import annotations

import sys
from pathlib import Path

import typer

from api.cli.common import app, audit_app, config_app, console, db_app, open_tokens, print_json, users_app
from core.settings import Settings


@config_app.command("show")
def config_show() -> None:
    """Print the effective configuration (secrets masked)."""
    print_json(Settings().masked())


@app.command()
def serve(host: str | None = None, port: int | None = None) -> None:
    """Run the API and the web page (uvicorn); the server's own log goes to stderr as JSON lines."""
    import uvicorn

    from api.app import create_app
    from api.datalock import DataLock
    from core.log import configure_logging

    settings = Settings()
    configure_logging("INFO")  # JSON lines on stderr, request id on each, no case content at INFO
    if settings.vector_store.backend != "edge":  # a shared store: any number of replicas on the same state
        uvicorn.run(create_app(settings), host=host or settings.api.host, port=port or settings.api.port)
        return
    with DataLock(settings.paths.data_dir, "serve"):  # the server owns the data folder while it runs
        uvicorn.run(create_app(settings), host=host or settings.api.host, port=port or settings.api.port)


@app.command()
def worker(threads: int = typer.Option(0, help="Tâches en parallèle dans ce processus (0 = réglage "
                                                "queue.worker_threads)")) -> None:
    """Run ingestion tasks from the shared queue (queue.backend=redis) until stopped (Ctrl-C, SIGTERM)."""
    import signal
    import threading

    from api.audit import AuditLog
    from api.jobs import JobStore
    from api.services import Services
    from api.worker import IngestionRuntime, StoreOwnedElsewhere
    from storage.locations import location

    settings = Settings()
    edge = settings.vector_store.backend == "edge"
    # Beside the embedded store (owned by the server) a worker reads, OCRs, chunks and embeds; the server indexes.
    sv = Services(settings, store=StoreOwnedElsewhere()) if edge else Services(settings)
    jobs = JobStore(location(settings, "jobs"), settings.paths.sub("uploads"), migrate=settings.state.migrate)
    audit = AuditLog.from_settings(settings)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        jobs.runtime = IngestionRuntime(settings, sv, jobs, audit, "worker", threads=threads or None)
        console.print(f"worker prêt : files {', '.join(sorted(jobs.runtime.queues))} sur {settings.queue.url}")
        stop.wait()
    finally:
        jobs.close()
        audit.close()
        sv.close()


@users_app.command("add")
def users_add(name: str, role: str = typer.Option(...), juridiction: str = typer.Option(...)) -> None:
    """Create (or reset) an account; the token is printed once and stored hashed."""
    token = open_tokens().add(name, role, juridiction)
    console.print(f"Jeton de {name} ({role}, {juridiction}) — affiché une seule fois :")
    sys.stdout.write(token + "\n")


@users_app.command("list")
def users_list() -> None:
    print_json(open_tokens().list())


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; exit 1 if any entry was altered, inserted or deleted."""
    from api.audit import AuditLog

    log = AuditLog.from_settings(Settings(), readonly=True)  # verify never writes to what it checks
    result = log.verify()
    print_json(result)
    if not result["ok"]:
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the bundled migrations to every store (done automatically at start-up unless state.migrate=false)."""
    from storage.locations import upgrade_all

    settings = Settings()
    lock = None
    if settings.state.url is None:  # SQLite files in the data folder: its owner only
        from api.datalock import DataLock

        lock = DataLock(settings.paths.data_dir, "db upgrade").acquire()
    try:
        revisions = upgrade_all(settings)
    finally:
        if lock is not None:
            lock.close()
    for store, rev in revisions.items():
        console.print(f"{store}\t{rev}")


@db_app.command("import")
def db_import(source: Path = typer.Option(..., "--from", help="Dossier de données dont les fichiers SQLite "
                                          "(db/*.sqlite) sont copiés vers state.url")) -> None:
    """Move an embedded installation to PostgreSQL: copy every store's SQLite file into the state database,
    once (refused if the destination already holds rows)."""
    from storage.locations import import_sqlite

    for table, n in import_sqlite(Settings(), source).items():
        console.print(f"{table}\t{n} ligne(s)")


@db_app.command("current")
def db_current(as_json: bool = typer.Option(False, "--json")) -> None:
    """Where each store lives, its schema revision and the one this version ships; exit 1 if one is behind."""
    from storage.locations import status

    rows = status(Settings())
    if as_json:
        print_json(rows)
    else:
        for r in rows:
            state = "à jour" if r["revision"] == r["head"] else ("à migrer" if r["exists"] else "absente")
            console.print(f"{r['store']}\t{r['revision'] or '-'}\t{state}\t{r['location']}")
    if any(r["exists"] and r["revision"] != r["head"] for r in rows):
        raise typer.Exit(1)
