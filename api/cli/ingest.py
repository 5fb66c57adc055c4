"""Ingestion and browsing what was ingested (catalog opened read-only)."""
from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from api.cli.common import JURIDICTION, app, audit_access, console, dossiers_app, key_of, open_services, print_json, read_catalog
from core.errors import AppError, NotFound
from core.settings import Settings


@app.command()
def ingest(paths: list[Path], dossier: str = typer.Option(...), juridiction: str = "TJ Paris",
           as_json: bool = typer.Option(False, "--json"),
           on_conflict: str = typer.Option(None, "--on-conflict",
                                           help="ask | replace | version | cancel (cote déjà présente ; défaut : "
                                                "réglage ingestion.on_conflict, « ask »)")) -> None:
    """Ingest files or folders into a dossier. Exit 0: everything is in; 1: some files failed (each with its
    reason, the rest is in); 2: the run itself failed (nothing changed by this run, or see the message)."""
    from rich.progress import Progress

    if on_conflict not in (None, "ask", "replace", "version", "cancel"):
        raise AppError("--on-conflict attend ask, replace, version ou cancel.", code="entree_invalide")
    sv = open_services("ingest")
    key = key_of(dossier, juridiction)
    try:
        with Progress(console=Console(stderr=True), transient=True, disable=as_json) as bar:
            task = bar.add_task("Ingestion", total=None)
            report = sv.ingestor.ingest(paths, key, juridiction, on_conflict=on_conflict,  # type: ignore[arg-type]
                                        progress=lambda ev, d: bar.update(task, description=f"{ev} {d.get('file')}"))
    finally:
        sv.close()
    audit_access(sv.settings, "ingest", key, juridiction=juridiction,
           documents=[{"file": d.file, "sha256_doc": d.document_id, "status": d.status} for d in report.documents])
    report.dossier = dossier
    if as_json:
        print_json(report.to_dict())
    else:
        table = Table("fichier", "cote", "pages", "OCR", "extraits", "statut", "erreur / avertissements")
        for d in report.documents:
            table.add_row(d.file, d.cote or "—", str(d.pages), str(d.ocr_pages), str(d.chunks),
                          "❌ " + d.status if d.status == "failed" else "✅ " + d.status,
                          d.error or "; ".join(d.warnings))
        console.print(table)
        from api.render import ingestion_summary

        console.print(ingestion_summary(report)[0], markup=False, highlight=False)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def reindex() -> None:
    """Re-embed every stored chunk with the configured embedding model (required after changing it)."""
    sv = open_services("reindex")
    try:
        print_json(sv.ingestor.reindex())
    finally:
        sv.close()


@dossiers_app.command("list")
def dossiers_list() -> None:
    from core.ids import visible_dossier_id

    catalog = read_catalog()
    found = catalog.dossiers()
    audit_access(Settings(), "dossier.list", None, count=len(found))
    for d in found:
        console.print(f"{visible_dossier_id(d.id)}\t{d.juridiction}\t{len(catalog.current_documents(d.id))} document(s)")


@app.command()
def documents(dossier: str = typer.Option(...), juridiction: str = JURIDICTION) -> None:
    key = key_of(dossier, juridiction)
    audit_access(Settings(), "dossier.read", key, juridiction=juridiction)
    table = Table("cote", "version", "fichier", "pages", "statut", "erreur")
    for d in read_catalog().documents(key):
        table.add_row(d.cote or "—", str(d.version), d.filename, str(d.page_count), d.status.value, d.error or "")
    console.print(table)


@app.command()
def page(dossier: str = typer.Option(...), cote: str = typer.Option(...), number: int = typer.Option(1, "--page"),
         juridiction: str = JURIDICTION,
         version: int | None = typer.Option(None, help="Version de la cote (défaut : la version en vigueur)")) -> None:
    """Print the text of one page of a cote (its stored version; a failed upload is never shown)."""
    key = key_of(dossier, juridiction)
    audit_access(Settings(), "page.text", key, juridiction=juridiction, cote=cote, page=number)
    catalog = read_catalog()
    try:
        doc = catalog.document_for_cote(key, cote, version)
    except NotFound as exc:
        raise AppError(f"Cote {cote} introuvable dans le dossier {dossier}." if version is None else exc.message,
                       code="introuvable") from exc
    sys.stdout.write(catalog.page(doc.id, number).text + "\n")
