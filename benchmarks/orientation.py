"""Time per road-traffic file (no LLM): time to the proposal, and time until the dossier is fully embedded, for the
orientation path of `orient PATH...` (proposal as soon as the pages are read and in the full-text index, dense
vectors after it) against the old order (embedding first, then the proposal) in the same run, on the same files.

Every file is ingested twice, once per order, into two dossiers (nothing is shared between them but the content-
addressed original); the order of the two runs alternates from file to file so that a change of machine load
weighs on both. The two proposals of a file must be the same (facts, sources, orientation, trace, display).

    python benchmarks/orientation.py                      # generated files, native PDFs (the default)
    python benchmarks/orientation.py --scan-share 1       # generated files, every piece scanned (OCR dominates)
    python benchmarks/orientation.py --dataset tests/data/road_handmade/dossiers   # files written by others
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _common import ROOT, median, percentile, print_table, write_json

# (label, file suffix, function name): cumulative time of each stage of ingest + propose
STAGES = [("parse PDF (text layer, OCR routing)", "ingestion/reading.py", "read_pdf"),
          ("  of which OCR (tesseract)", "ingestion/ocr.py", "ocr_page"),
          ("chunk (French sentences)", "ingestion/pipeline.py", "_chunk"),
          ("dense embedding + store (stage 2)", "ingestion/dense.py", "_embed_stage"),
          ("  of which dense embedding", "ingestion/embedders.py", "embed_passages"),
          ("propose (catalog read, extraction, grid, save)", "orientation/service.py", "propose"),
          ("  of which extraction", "orientation/extract.py", "extract"),
          ("  of which page views (fold, quantities, sentences)", "orientation/extract.py", "page_views")]
SAME = ("facts", "derived", "orientation", "trace", "missing", "warnings", "constraints", "grid", "display")


def print_stages(profiler, files: int, wall: float) -> None:
    import pstats

    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for label, suffix, name in STAGES:
        ct = sum(v[3] for (f, _line, fn), v in stats.items() if fn == name and f.replace("\\", "/").endswith(suffix))
        rows.append([label, f"{ct:.2f}", f"{ct / files:.3f}", f"{100 * ct / wall:.0f} %" if wall else "-"])
    print_table(f"Time per stage ({files} runs, wall {wall:.1f} s)", ["stage", "total s", "per run s", "share"],
                rows)


def expected(folder: Path, gold_dir: Path | None) -> str | None:
    gold = folder / "gold.json" if (folder / "gold.json").exists() else (gold_dir / f"{folder.name}.json"
                                                                         if gold_dir else None)
    return json.loads(gold.read_text())["expected_orientation"] if gold and gold.exists() else None


def stats(values: list[float]) -> list[str]:
    return [f"{median(values):.2f}", f"{percentile(values, 0.95):.2f}", f"{max(values):.2f}"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=8, help="generated files (ignored with --dataset)")
    ap.add_argument("--scan-share", type=float, default=0.0, help="share of generated pieces that are scans")
    ap.add_argument("--dataset", type=Path, default=None, help="a folder of case-file folders instead (gold in "
                    "<folder>/gold.json or ../gold/<folder>.json)")
    ap.add_argument("--no-baseline", action="store_true", help="time the new order only")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "orientation.json")
    ap.add_argument("--profile", action="store_true", help="also print the time per stage (cProfile, cumulative)")
    args = ap.parse_args()
    from api.orienting import orient_files
    from api.services import Services
    from core.settings import Settings
    from evals.datasets.generate import generate

    work = Path(tempfile.mkdtemp(prefix="bench-orient-"))
    if args.dataset:
        folders = sorted(p for p in args.dataset.iterdir() if p.is_dir())
        gold_dir = args.dataset.parent / "gold" if (args.dataset.parent / "gold").is_dir() else None
        material = f"{args.dataset}"
    else:
        folders = generate("route", args.files, 5, work / "files", scan_share=args.scan_share)
        gold_dir = None
        material = f"generated, scan share {args.scan_share:g}"
    sv = Services(Settings(paths={"data_dir": work / "var"}, llm={"backend": "none"}))
    sv.embedder.embed_passages(["échauffement"])  # every component built and warm before the clock starts
    sv.ingestor.check_embedding_model()
    _ = sv.orientation, sv.search
    orders = [True] if args.no_baseline else [True, False]
    runs: dict[bool, list] = {True: [], False: []}
    correct = {True: 0, False: 0}
    identical = 0
    import cProfile

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    for i, folder in enumerate(folders):
        want = expected(folder, gold_dir)
        got = {}
        for early in (orders if i % 2 == 0 else orders[::-1]):
            key = f"{folder.name}-{'early' if early else 'baseline'}"
            run = orient_files(sv, [folder], key, "TJ Paris", before_embedding=early)
            runs[early].append(run)
            correct[early] += want is not None and run.proposal["orientation"]["code"] == want
            got[early] = {k: run.proposal[k] for k in SAME}
        if len(got) == 2:
            identical += json.dumps(got[True], sort_keys=True) == json.dumps(got[False], sort_keys=True)
    if profiler:
        profiler.disable()
        print_stages(profiler, sum(len(r) for r in runs.values()), sum(r.embedded_s for r in runs[True] + runs[False]))
    pages = sum(d.pages for d in runs[True][0].report.documents) if runs[True] else 0
    ocr = [sum(d.ocr_pages for d in r.report.documents) for r in runs[True]]
    sv.close()
    new, old = runs[True], runs[False]
    rows = [["proposal first: time to proposal", *stats([r.proposed_s for r in new])],
            ["proposal first: time to fully embedded", *stats([r.embedded_s for r in new])]]
    if old:
        rows += [["baseline (embedding first): time to proposal", *stats([r.proposed_s for r in old])],
                 ["baseline: time to fully embedded", *stats([r.embedded_s for r in old])]]
    graded = sum(expected(f, gold_dir) is not None for f in folders)
    print_table(f"Orientation per road file ({len(folders)} files, {material}, {sum(ocr)} OCR pages in all, no LLM; "
                f"grid's orientation {correct[True]}/{graded}"
                + (f", baseline {correct[False]}/{graded}; same proposal both ways {identical}/{len(folders)}"
                   if old else "") + ")", ["path", "median s", "p95 s", "max s"], rows)
    ratio = median([r.proposed_s for r in old]) / median([r.proposed_s for r in new]) if old else None
    if ratio:
        print(f"\nTime to proposal, baseline / proposal first (medians): {ratio:.1f}×")
    write_json(args.json, {
        "material": material, "files": len(folders), "pages_first_file": pages, "ocr_pages": ocr,
        "correct": correct[True], "correct_baseline": correct[False] if old else None, "graded": graded,
        "same_proposal_both_ways": identical if old else None,
        "proposal_first": {"time_to_proposal_s": [r.proposed_s for r in new],
                           "time_to_embedded_s": [r.embedded_s for r in new]},
        "baseline_embedding_first": {"time_to_proposal_s": [r.proposed_s for r in old],
                                     "time_to_embedded_s": [r.embedded_s for r in old]} if old else None,
        "median_time_to_proposal_ratio": ratio})


if __name__ == "__main__":
    main()
