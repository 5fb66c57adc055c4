"""Sourced drafts (synthèse, détention, réquisitoire, résumé), optionally exported as DOCX."""
from __future__ import annotations

import sys
from pathlib import Path

import typer

from api.cli.common import JURIDICTION, app, audit_access, key_of, open_services, print_json


@app.command()
def draft(dossier: str = typer.Option(...), kind: str = typer.Option("synthese"), cote: str | None = None,
          as_json: bool = typer.Option(False, "--json"), docx: Path | None = None,
          juridiction: str = JURIDICTION) -> None:
    """Draft a sourced document: synthese, detention, requisitoire or resume (--cote)."""
    import dataclasses

    from generation.store import DraftStore
    from storage.locations import location

    sv = open_services("draft")
    key = key_of(dossier, juridiction)
    try:
        made = sv.drafter.stream(key, kind, cote)
        drafts = DraftStore(location(sv.settings, "drafts"), migrate=sv.settings.state.migrate)
        drafts.save(made, juridiction, sv.catalog.dossier(key).created.isoformat())
        drafts.close()
    finally:
        sv.close()
    audit_access(sv.settings, "draft", key, juridiction=juridiction, draft=made.id, kind=kind, model=made.model,
           docx=str(docx) if docx else None)
    result = dataclasses.replace(made, dossier=dossier)
    if docx:
        from generation.docx_export import write_docx

        write_docx(result, docx, sv.settings.drafting.citation_style)
    if as_json:
        data = result.to_dict()
        print_json({k: data[k] for k in ("kind", "sections", "removed", "model", "prompt")})
    else:
        sys.stdout.write(result.render_text(sv.settings.drafting.citation_style) + "\n")
