"""Retrieval latency (embedded engine vs qdrant-client local mode, same run) and quality (BM25/dense/hybrid)."""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import ROOT, percentile, print_table, write_json


def _synthetic_points(n: int, dim: int, rng: np.random.Generator):
    from core.models import Chunk
    from core.protocols import SparseVector, StoredPoint

    vecs = rng.standard_normal((n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    for i in range(n):
        idx = sorted(set(rng.integers(0, 50_000, 40).tolist()))
        chunk = Chunk(id=f"doc{i // 20}-p{i % 20:04d}-c000", dossier_id=f"dos{i % 10}", juridiction="TJ",
                      document_id=f"doc{i // 20}", cote=f"D{i % 40 + 1}", page=i % 20 + 1, text="x", char_start=0,
                      char_end=1)
        yield StoredPoint(chunk, vecs[i].tolist(), SparseVector(idx, rng.random(len(idx)).tolist()))


def latency(stores: list[str], sizes: list[int], queries: int) -> list[dict]:
    from core.protocols import SearchFilter, SparseVector

    rows = []
    rng = np.random.default_rng(0)
    for size in sizes:
        points = list(_synthetic_points(size, 384, rng))
        for name in stores:
            if name == "embedded":
                from retrieval.stores.edge import EdgeStore

                store = EdgeStore(Path(tempfile.mkdtemp()) / "c")
            else:
                from qdrant_client import QdrantClient

                from retrieval.stores.qdrant_server import QdrantServerStore

                store = QdrantServerStore(QdrantClient(location=":memory:"), "bench")
            store.ensure_collection("synthetic", 384)
            for i in range(0, len(points), 2000):
                store.upsert(points[i:i + 2000])
            n_q = queries if (name == "embedded" or size <= 10_000) else max(3, queries // 10)
            for kind in ("dense", "hybrid", "hybrid_filtered"):
                times = []
                for _ in range(n_q):
                    q = rng.standard_normal(384)
                    q = (q / np.linalg.norm(q)).tolist()
                    sp = SparseVector(sorted(set(rng.integers(0, 50_000, 6).tolist())), [1.0] * 6)
                    sp = SparseVector(sp.indices, [1.0] * len(sp.indices))
                    flt = SearchFilter(dossier_id=f"dos{rng.integers(0, 10)}",
                                       cotes=["D1", "D2", "D3"] if kind == "hybrid_filtered" else None)
                    start = time.perf_counter()
                    store.hybrid_search(q, None if kind == "dense" else sp, flt, 10, 50, (2.0, 1.0), 60)
                    times.append((time.perf_counter() - start) * 1000)
                rows.append({"store": name, "points": size, "query": kind, "queries": n_q,
                             "p50_ms": round(percentile(times, 0.5), 3), "p95_ms": round(percentile(times, 0.95), 3)})
            store.close()
    return rows


def quality(n_instruction: int, n_route: int, weights: list[tuple[float, float]]) -> list[dict]:
    from api.services import Services
    from core.protocols import SearchFilter
    from core.settings import Settings
    from evals.datasets.generate import generate

    work = Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    folders = generate("instruction", n_instruction, 21, work, 0.1) + generate("route", n_route, 21, work, 0.1)
    sv = Services(Settings(paths={"data_dir": work / "var"}, llm={"backend": "none"}))
    items = []
    for folder in folders:
        sv.ingestor.ingest([folder], folder.name)
        gold = json.loads((folder / "gold.json").read_text())
        for q in gold.get("questions", []):
            items.append((folder.name, q["question"], {(s["cote"], s["page"]) for s in q["sources"]}, "question"))
        for k in gold.get("key_facts", []):
            items.append((folder.name, k["text"], {(k["source"]["cote"], k["source"]["page"])}, "paraphrase"))
        for key in ("licence_status", "alcohol_air_mg_l_readings", "no_insurance"):
            f = gold.get("facts", {}).get(key)
            if f:
                items.append((folder.name, f["source"]["needle"], {(f["source"]["cote"], f["source"]["page"])},
                              "identifier"))
    rows = []
    configs = [("bm25", "sparse", (2.0, 1.0)), ("dense", "dense", (2.0, 1.0))] + \
        [(f"hybrid {w[0]:g}:{w[1]:g}", "hybrid", w) for w in weights]
    for label, mode, w in configs:
        sv.settings.retrieval.dense_weight, sv.settings.retrieval.sparse_weight = w
        r5 = r10 = rr = 0.0
        for dossier, query, relevant, _ in items:
            hits = sv.search.search(query, SearchFilter(dossier_id=dossier), 10, mode=mode)
            ranks = [i for i, h in enumerate(hits, start=1) if (h.chunk.cote, h.chunk.page) in relevant]
            r5 += bool(ranks and ranks[0] <= 5)
            r10 += bool(ranks)
            rr += 1 / ranks[0] if ranks else 0
        n = len(items)
        rows.append({"method": label.split()[0] if mode != "hybrid" or w == (2.0, 1.0) else label,
                     "weights": f"{w[0]:g}:{w[1]:g}" if mode == "hybrid" else "-", "queries": n,
                     "recall_at_5": round(r5 / n, 3), "recall_at_10": round(r10 / n, 3), "mrr": round(rr / n, 3)})
    sv.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--instruction-files", type=int, default=3)
    ap.add_argument("--route-files", type=int, default=8)
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "retrieval.json")
    args = ap.parse_args()
    random.seed(0)
    lat = latency(["embedded", "qdrant_client_local"], [int(s) for s in args.sizes.split(",")], args.queries)
    print_table("Latency (ms, synthetic 384-d vectors, 10 dossiers, k=10, prefetch 50)",
                ["store", "points", "query", "n", "p50", "p95"],
                [[r["store"], r["points"], r["query"], r["queries"], r["p50_ms"], r["p95_ms"]] for r in lat])
    for size in {r["points"] for r in lat}:
        e = next(r for r in lat if r["store"] == "embedded" and r["points"] == size and r["query"] == "hybrid")
        c = next(r for r in lat if r["store"] == "qdrant_client_local" and r["points"] == size and r["query"] == "hybrid")
        print(f"hybrid p50 at {size}: qdrant-client local / embedded = {c['p50_ms'] / e['p50_ms']:.0f}×")
    qual = quality(args.instruction_files, args.route_files, [(2.0, 1.0), (1.0, 1.0), (1.0, 2.0)])
    print_table("Quality on generated dossiers (gold cote+page)", ["method", "weights", "n", "R@5", "R@10", "MRR"],
                [[r["method"], r["weights"], r["queries"], r["recall_at_5"], r["recall_at_10"], r["mrr"]] for r in qual])
    write_json(args.json, {"latency": lat, "quality": qual})


if __name__ == "__main__":
    main()
