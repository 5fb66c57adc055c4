"""Writes report.md, results.json and PNG plots (matplotlib, no display)."""
from __future__ import annotations

import json
from pathlib import Path

from evals.metrics import NOTHING_TO_MEASURE

LOWER_IS_BETTER = {"unsupported_rate", "latency_synthese_s", "latency_ask_s", "boilerplate_share", "words_synthese",
                   "words_synthese_max", "kinds_overlap", "identical_sections", "pieces_without_cote"}
LABELS_FR = {
    "citation_precision": "Précision des citations", "citation_recall": "Rappel des citations",
    "page_accuracy": "Exactitude de la page", "unsupported_rate": "Phrases non étayées",
    "key_fact_recall": "Faits clés couverts", "answer_correctness": "Réponses exactes",
    "abstention_accuracy": "Abstention correcte", "retrieval_recall_at_5": "Recherche R@5",
    "retrieval_recall_at_10": "Recherche R@10", "retrieval_mrr": "Recherche MRR",
    "orientation_accuracy": "Orientation exacte", "ragas_id_context_precision": "ragas précision (ids)",
    "ragas_id_context_recall": "ragas rappel (ids)", "ragas_nonllm_context_recall": "ragas rappel contexte",
    "ragas_string_similarity": "ragas similarité réponse", "latency_synthese_s": "Latence synthèse (s)",
    "latency_ask_s": "Latence question (s)", "answer_cited_correctness": "Réponses exactes et bien citées",
    "abstention_precision": "Précision de l'abstention", "abstention_recall": "Rappel de l'abstention",
    "key_fact_recall_requisitoire": "Faits clés couverts (réquisitoire)", "contradictions_shown": "Contradictions montrées",
    "contradictions_precision": "Contradictions montrées exactes (précision)",
    "boilerplate_share": "Phrases de formules", "words_synthese": "Mots de la synthèse",
    "words_synthese_max": "Mots de la synthèse (max)", "kinds_overlap": "Phrases communes entre types d'actes",
    "identical_sections": "Sections copiées entre types d'actes", "piece_type_accuracy": "Types de pièces exacts",
    "pieces_without_cote": "Pièces sans cote",
}


def _cell(value) -> str:
    """A metric in the report table; None (nothing to measure) in words, never « None »."""
    return NOTHING_TO_MEASURE if value is None else str(value)


def _bar(value) -> float:
    return float("nan") if value is None else value  # no bar rather than a bar at 0 or 1 for nothing measured


def write_report(results: dict, out: Path, failures: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    ours, base = results["systems"]["ours"], results["systems"].get("baseline", {})
    metrics = [m for m in LABELS_FR if m in ours]
    lines = ["# Rapport d'évaluation — Mon assistant parquet", "",
             f"Jeu : `{results['dataset']}` — modèle de langage : `{results['model']}`.", "",
             "## Notre système contre la RAG naïve (même modèle, mêmes données)", "",
             "| métrique | nous | RAG naïve |", "|---|---|---|"]
    for m in metrics:
        b = base.get(m)
        lines.append(f"| {LABELS_FR[m]} (`{m}`) | {_cell(ours[m])} | {'—' if m not in base else _cell(b)} |")
    lines += ["", "## Orientation par cas limite", "", "| cas | nous | RAG naïve |", "|---|---|---|"]
    cases = sorted(set(results["per_case"].get("ours", {})) | set(results["per_case"].get("baseline", {})))
    for c in cases:
        lines.append(f"| {c} | {results['per_case']['ours'].get(c, '—')} | {results['per_case']['baseline'].get(c, '—')} |")
    lines += ["", "## Seuils", ""] + ([f"- ÉCHEC : {f}" for f in failures] or ["- Tous les seuils sont respectés."])
    lines += ["", "Graphiques : `metrics.png`, `orientation_cases.png`, `latency.png`. Détail par élément : "
              "`results.json`.", ""]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")

    quality = [m for m in metrics if not m.startswith("latency")]
    fig, ax = plt.subplots(figsize=(11, 5))
    x = range(len(quality))
    ax.bar([i - 0.2 for i in x], [_bar(ours[m]) for m in quality], 0.4, label="nous")
    ax.bar([i + 0.2 for i in x], [_bar(base.get(m, 0)) for m in quality], 0.4, label="RAG naïve")
    ax.set_xticks(list(x), [LABELS_FR[m] for m in quality], rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "metrics.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(11, 4))
    x = range(len(cases))
    ax.bar([i - 0.2 for i in x], [results["per_case"]["ours"].get(c, 0) for c in cases], 0.4, label="nous")
    ax.bar([i + 0.2 for i in x], [results["per_case"]["baseline"].get(c, 0) for c in cases], 0.4, label="RAG naïve")
    ax.set_xticks(list(x), cases, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("exactitude")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "orientation_cases.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, 4))
    for name, tasks in results["latency"].items():
        values = [v for vs in tasks.values() for v in vs]
        if values:
            ax.hist(values, bins=20, alpha=0.6, label="nous" if name == "ours" else "RAG naïve")
    ax.set_xlabel("secondes par tâche")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=110)
    plt.close(fig)
