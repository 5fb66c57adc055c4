"""Road-traffic orientation: proposal with its sources, and the magistrate's decision."""
from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from api.cli.common import JURIDICTION, app, audit_access, console, key_of, open_services, print_json
from core.errors import AppError
from core.settings import Settings

err_console = Console(stderr=True, soft_wrap=True)


@app.command()
def orient(paths: list[Path] = typer.Argument(None), dossier: str | None = None, grid: Path | None = None,
           as_json: bool = typer.Option(False, "--json"), juridiction: str = JURIDICTION) -> None:
    """Propose an orientation for a road-traffic file (ingesting the given files first)."""
    settings = Settings()
    if grid:
        settings.orientation.grid_path = grid
    sv = open_services("orient", settings=settings)
    if not dossier:
        if not paths:
            raise AppError("Indiquez des fichiers ou --dossier.", code="entree_invalide")
        dossier = paths[0].resolve().name if paths[0].is_dir() else paths[0].resolve().parent.name
    key = key_of(dossier, juridiction)
    from api.orienting import orient_files

    def show(proposal: dict, report) -> None:
        """Audited and printed as soon as it exists; the dense vectors are computed after it."""
        if report is not None:
            audit_access(settings, "ingest", key, juridiction=juridiction,
                         documents=[{"file": d.file, "sha256_doc": d.document_id, "status": d.status}
                                    for d in report.documents])
        audit_access(settings, "orientation.propose", key, juridiction=juridiction, proposal=proposal["id"],
                     grid=proposal["grid"], documents=proposal["documents"],
                     orientation=proposal["orientation"]["code"])
        if as_json:
            keys = ("facts", "derived", "orientation", "trace", "missing", "warnings", "constraints", "grid",
                    "display")
            print_json({k: proposal[k] for k in keys} | {"id": proposal["id"]})
        else:
            from api.render import orientation_card

            console.print(orientation_card(proposal))
        sys.stdout.flush()
        if report is not None and settings.orientation.propose_before_embedding:
            err_console.print("Proposition prête. Indexation sémantique du dossier en cours (d'ici là, recherche "
                              "plein texte seulement)…")

    try:
        run = orient_files(sv, paths, key, juridiction, on_proposal=show)
    finally:
        sv.close()
    if run.report is not None and run.report.embedding_error:
        err_console.print(f"Indexation sémantique en attente : {run.report.embedding_error} Le dossier reste "
                          "interrogeable en recherche plein texte ; « assistant-parquet doctor --repair » la termine.")


@app.command()
def decide(proposal: str = typer.Option(...), accept: bool = False, reject: bool = False,
           modify: list[str] = typer.Option(None, help="CHAMP=VALEUR"), reason: str | None = None,
           user: str = typer.Option("cli", help="Qui décide (journalisé)"),
           supersedes: int | None = typer.Option(None, help="N° de la décision en vigueur que celle-ci remplace")) -> None:
    """Record the magistrate's decision on a proposal (a reason is required to modify or reject)."""
    sv = open_services("decide")
    action = "accept" if accept else "reject" if reject else "modify" if modify else None
    if action is None:
        raise AppError("Choisissez --accept, --modify CHAMP=VALEUR ou --reject.", code="entree_invalide")
    changes = dict(m.split("=", 1) for m in modify or [])
    record = sv.orientation.decisions.decide(proposal, action, user, changes, reason, supersedes)
    audit_access(sv.settings, "orientation.decide", record["dossier_id"], proposal=proposal, decision=action,
           decided_by=user, changes=record["changes"], reason=reason, supersedes=supersedes)
    print_json(record)
