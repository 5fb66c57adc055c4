"""The main job on the bundled examples: ingestion, orientations, a sourced synthèse, two questions."""
from __future__ import annotations

import sys
from pathlib import Path

import typer

from api.cli.common import app, console, key_of, open_services


@app.command()
def demo(examples: Path = typer.Option(Path("examples"))) -> None:
    """The main job on the bundled examples: ingest, orientation of each road file, a sourced synthèse."""
    import dataclasses

    from api.render import orientation_card

    sv = open_services("demo")
    try:
        for folder in sorted(examples.glob("route-*")):
            console.rule(f"Procédure routière {folder.name}")
            key = key_of(folder.name, "TJ Paris")
            report = sv.ingestor.ingest([folder], key)
            _print_ingestion(report)
            console.print(orientation_card(sv.orientation.propose(key)))
        for folder in sorted(examples.glob("instruction-*")):
            console.rule(f"Dossier d'instruction {folder.name}")
            key = key_of(folder.name, "TJ Paris")
            report = sv.ingestor.ingest([folder], key)
            _print_ingestion(report)
            result = dataclasses.replace(sv.drafter.stream(key, "synthese"), dossier=folder.name)
            sys.stdout.write(result.render_text(sv.settings.drafting.citation_style) + "\n")
            for q in ("Quelle est la durée de l'ITT de la victime ?", "Quel est le groupe sanguin de la victime ?"):
                sys.stdout.write(f"Q : {q}\nR : {sv.drafter.ask(key, q)['answer']}\n")
    finally:
        sv.close()


def _print_ingestion(report) -> None:
    from api.render import ingestion_summary

    first, *rest = ingestion_summary(report)
    console.print(f"Ingestion : {first}", markup=False, highlight=False)
    for line in rest:
        console.print(f"  {line}", markup=False, highlight=False)
