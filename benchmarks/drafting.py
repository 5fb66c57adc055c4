"""Drafting: time to first verified sentence and total, sentence statuses and key-fact recall against gold."""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import ROOT, print_table, write_json


def key_fact_recall(draft, gold: dict) -> float:
    """A key fact is covered when a draft sentence cites its gold page and contains its decisive words."""
    sentences = [s for sec in draft.sections for s in sec.sentences]
    covered = 0
    for kf in gold["key_facts"]:
        src = kf["source"]
        needle = " ".join(src["needle"].split())
        if any((c.cote, c.page) == (src["cote"], src["page"]) and needle in " ".join(s.text.split())
               for s in sentences for c in s.citations):
            covered += 1
    return covered / len(gold["key_facts"])


def run_one(sv, folder: Path, kind: str) -> dict:
    gold = json.loads((folder / "gold.json").read_text())
    first = {}
    start = time.perf_counter()
    draft = sv.drafter.stream(folder.name, kind, on_sentence=lambda t, s: first.setdefault("t", time.perf_counter()))
    total = time.perf_counter() - start
    statuses = Counter(s.status for sec in draft.sections for s in sec.sentences)
    n = sum(statuses.values())
    return {"dossier": folder.name, "kind": kind, "pages": sum(d["pages"] for d in gold["documents"]),
            "first_sentence_s": round(first.get("t", time.perf_counter()) - start, 3), "total_s": round(total, 3),
            "sentences": n, "statuses": dict(statuses), "unsupported_shown": statuses.get("unsupported", 0),
            "key_fact_recall": round(key_fact_recall(draft, gold), 3), "model": draft.model}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--big-pages", type=int, default=1000, help="0 to skip the large dossier")
    ap.add_argument("--llm-mode", default="auto", choices=["auto", "always", "never"])
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "drafting.json")
    args = ap.parse_args()
    from api.services import Services
    from core.settings import Settings
    from evals.datasets.generate import generate

    work = Path(tempfile.mkdtemp(prefix="bench-draft-"))
    small = generate("instruction", 1, 31, work / "small", scan_share=0.1)[0]
    sv = Services(Settings(paths={"data_dir": work / "var"}, drafting={"llm_mode": args.llm_mode}))
    rows = []
    start = time.perf_counter()
    sv.ingestor.ingest([small], small.name)
    ingest_small = time.perf_counter() - start
    for kind in ("synthese", "detention", "requisitoire"):
        rows.append(run_one(sv, small, kind))
    ingest_big = searchable_big = None
    if args.big_pages:
        big = generate("instruction", 1, 32, work / "big", scan_share=0.0, extra_pages=args.big_pages - 40)[0]
        start = time.perf_counter()
        marks: dict[str, float] = {}

        def progress(kind: str, data: dict) -> None:  # first "embedded" event: every page searchable by BM25
            if kind == "embedded":
                marks.setdefault("searchable", time.perf_counter() - start)

        sv.ingestor.ingest([big], big.name, progress=progress)
        ingest_big = time.perf_counter() - start
        searchable_big = marks.get("searchable")
        rows.append(run_one(sv, big, "synthese"))
    sv.close()
    print_table(f"Drafting (llm_mode={args.llm_mode}; ingestion {ingest_small:.0f} s small"
                + (f", {ingest_big:.0f} s big, searchable by BM25 after {searchable_big or 0:.0f} s" if ingest_big
                   else "") + ")",
                ["dossier", "kind", "pages", "first s", "total s", "sentences", "statuses", "unsupported shown",
                 "key-fact recall"],
                [[r["dossier"], r["kind"], r["pages"], r["first_sentence_s"], r["total_s"], r["sentences"],
                  r["statuses"], r["unsupported_shown"], r["key_fact_recall"]] for r in rows])
    write_json(args.json, {"rows": rows, "ingest_small_s": ingest_small, "ingest_big_s": ingest_big,
                           "searchable_big_s": searchable_big})


if __name__ == "__main__":
    main()
