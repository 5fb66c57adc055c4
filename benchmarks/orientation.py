"""Time per road-traffic file (native PDFs, no LLM): ingestion + proposal, and proposal alone."""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import ROOT, median, percentile, print_table, write_json


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=22)
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "orientation.json")
    args = ap.parse_args()
    from api.services import Services
    from core.settings import Settings
    from evals.datasets.generate import generate

    work = Path(tempfile.mkdtemp(prefix="bench-orient-"))
    folders = generate("route", args.files, 5, work / "files", scan_share=0.0)
    sv = Services(Settings(paths={"data_dir": work / "var"}, llm={"backend": "none"}))
    sv.embedder.embed_passages(["échauffement"])
    total, proposal_only, correct = [], [], 0
    import json

    for folder in folders:
        start = time.perf_counter()
        sv.ingestor.ingest([folder], folder.name)
        mid = time.perf_counter()
        proposal = sv.orientation.propose(folder.name)
        end = time.perf_counter()
        total.append(end - start)
        proposal_only.append(end - mid)
        correct += proposal["orientation"]["code"] == json.loads((folder / "gold.json").read_text())[
            "expected_orientation"]
    sv.close()
    rows = [["ingest + propose", f"{median(total):.2f}", f"{percentile(total, 0.95):.2f}", f"{max(total):.2f}"],
            ["propose only (extraction + grid)", f"{median(proposal_only) * 1000:.1f} ms",
             f"{percentile(proposal_only, 0.95) * 1000:.1f} ms", f"{max(proposal_only) * 1000:.1f} ms"]]
    print_table(f"Orientation per road file ({len(folders)} files, native PDFs, no LLM; {correct} correct)",
                ["step", "median s", "p95 s", "max s"], rows)
    write_json(args.json, {"files": len(folders), "correct": correct, "ingest_and_propose_s": total,
                           "propose_only_s": proposal_only})


if __name__ == "__main__":
    main()
