"""Question sets and their scoring by content: hand-made questions.jsonl files and generated gold.json folders."""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from evals.metrics import (
    NothingToScore,
    abstention_prf,
    answer_content_correct,
    citation_hit,
    ratio,
    reference_core,
)

ABSTAIN = "ne permet pas de répondre"
GENERATED_UNANSWERABLE = "Quel est le groupe sanguin de la victime ?"


def _folder(base: Path, dossier: str) -> Path:
    """A question's dossier folder: beside the questions file, or its `dossier/` sub-folder (hand-made sets)."""
    for candidate in (base / dossier, base / "dossier", base / dossier / "dossier"):
        if candidate.is_dir() and any(candidate.iterdir()):
            return candidate
    raise NothingToScore(f"dossier « {dossier} » introuvable à côté de {base}")


def load_questions(path: Path, root: Path | None = None) -> list[dict]:
    """Questions of one set: a questions.jsonl (dossier folders under `root`, default its own folder) or a
    generated folder with gold.json (its questions plus one the generator never answers)."""
    if path.is_dir() and (path / "gold.json").exists():
        gold = json.loads((path / "gold.json").read_text(encoding="utf-8"))
        rows = [{"dossier": path.name, "folder": path, "question": q["question"], "reference": q["answer"],
                 "citations": [(s["cote"], int(s["page"])) for s in q["sources"]]} for q in gold.get("questions", [])]
        return rows + [{"dossier": path.name, "folder": path, "question": GENERATED_UNANSWERABLE, "reference": None,
                        "citations": []}]
    if path.is_dir():
        path = path / "questions.jsonl"
    base = root or path.parent
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows.append({"dossier": row["dossier"], "folder": _folder(base, row["dossier"]),
                         "question": row["question"], "reference": row.get("reference_answer"),
                         "citations": [(c["cote"], int(c["page"])) for c in row.get("gold_citations") or []]})
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise NothingToScore(f"{path} ligne {n} illisible ({exc})") from exc
    if not rows:
        raise NothingToScore(f"aucune question dans {path}")
    return rows


def score_answer(item: dict, result: dict) -> dict:
    """One question's verdict: abstained, right by content, right citation."""
    cited = [(c["cote"], int(c["page"])) for s in result.get("sentences", []) for c in s["citations"]]
    abstained = result["status"] == "abstention" or ABSTAIN in result["answer"]
    row = {"question": item["question"], "dossier": item["dossier"], "reference": item["reference"],
           "answer": result["answer"], "abstained": abstained, "unanswerable": item["reference"] is None,
           "cited": cited}
    if item["reference"] is None:
        row["right"] = abstained
    else:
        row["content_ok"] = not abstained and answer_content_correct(result["answer"], reference_core(item["reference"]))
        row["content_strict"] = not abstained and answer_content_correct(result["answer"], item["reference"])
        row["citation_ok"] = not abstained and (not item["citations"] or citation_hit(cited, item["citations"]))
        row["right"] = row["content_ok"] and row["citation_ok"]
        row["right_strict"] = row["content_strict"] and row["citation_ok"]
    return row


def summarise(rows: list[dict], latencies: list[float]) -> dict:
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]
    out = {"questions": len(rows), "answerable": len(answerable), "unanswerable": len(unanswerable)}
    if answerable:
        out["answered_right"] = round(ratio(sum(r["right"] for r in answerable), len(answerable), "answered_right"), 4)
        out["content_right"] = round(sum(r["content_ok"] for r in answerable) / len(answerable), 4)
        out["answered_right_strict"] = round(sum(r["right_strict"] for r in answerable) / len(answerable), 4)
    if unanswerable:
        out["abstained_unanswerable"] = round(sum(r["abstained"] for r in unanswerable) / len(unanswerable), 4)
    try:
        prf = abstention_prf([(r["abstained"], r["unanswerable"]) for r in rows])
        out["abstention_precision"], out["abstention_recall"] = prf["precision"], prf["recall"]
    except NothingToScore:
        pass
    if latencies:
        ordered = sorted(latencies)
        out["latency_p50_s"] = round(statistics.median(ordered), 3)
        out["latency_p95_s"] = round(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))], 3)
    return out


def run_questions(services, items: list[dict], ingest: bool = True) -> dict:
    """Ingest each dossier once (idempotent), ask every question, score by content; rows + summary."""
    done: set[str] = set()
    rows, latencies = [], []
    for item in items:
        if ingest and item["dossier"] not in done:
            report = services.ingestor.ingest([item["folder"]], item["dossier"])
            if report.failed:
                raise NothingToScore(f"ingestion de {item['dossier']} en échec : {report.to_dict()}")
            done.add(item["dossier"])
        start = time.perf_counter()
        result = services.drafter.ask(item["dossier"], item["question"])
        latencies.append(time.perf_counter() - start)
        rows.append(score_answer(item, result) | {"seconds": round(latencies[-1], 3),
                                                  "stages": result.get("timings", {})})
    return {"summary": summarise(rows, latencies), "rows": rows}
