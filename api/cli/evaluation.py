"""Synthetic datasets and evaluation (ours vs the naive RAG baseline, orientation, facts)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from api.cli.common import console, datasets_app, eval_app, open_services, print_json
from core.errors import AppError


@datasets_app.command("generate")
def datasets_generate(kind: str = typer.Option(..., help="route | instruction"), n: int = 3, seed: int = 1,
                      out: Path = typer.Option(Path("var/datasets")), scan_share: float = 0.15,
                      extra_pages: int = 0) -> None:
    """Generate invented case files (PDF + gold.json), deterministic for a seed."""
    from evals.datasets.generate import generate

    for folder in generate(kind, n, seed, out, scan_share, extra_pages):
        console.print(f"✅ {folder}")


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
    sv = open_services("eval run")
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

    sv = open_services("eval orientation")
    try:
        result = evaluate_orientation(sv, dataset)
    finally:
        sv.close()
    if as_json:
        print_json(result)
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
        console.print(f"Orientation identique à celle que la grille donne sur les faits du gold : "
                      f"{result['orientation_as_grid_on_gold']:.1%}")
        lenient = result["facts_micro_unlisted_no_agrees"]
        console.print(f"Faits : F1 {result['facts_micro']['f1']:.3f} ; sans compter un « non » sur un fait que le gold ne "
                      f"liste pas ({len(result['unlisted_no'])}) : F1 {lenient['f1']:.3f}")
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
        print_json(result)
        return
    console.print(f"{result['passages']} passages lus ({result['passages_per_second']} par seconde) ; "
                  f"prédictions : {out / 'predictions.jsonl'}")
    if "scores" in result:
        table = Table("fait", "précision", "rappel", "F1", "tp", "fp", "fn")
        for key, m in result["scores"].items():
            table.add_row(key, shown(m["precision"]), shown(m["recall"]), shown(m["f1"]), str(m["tp"]),
                          str(m["fp"]), str(m["fn"]))
        console.print(table)
        lenient = result["scores_unlisted_no_agrees"]
        console.print(f"Sans compter comme faux positif un « non » sur un fait que le gold ne liste pas : "
                      f"F1 {shown(lenient['f1'])} (fp {lenient['fp']})")
        console.print(f"Rapport : {out / 'report.md'}")
