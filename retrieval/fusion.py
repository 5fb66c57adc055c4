"""Weighted reciprocal rank fusion, one function for every store (same ranking on the embedded engine, the server
and the fake)."""
from __future__ import annotations

from core.protocols import ScoredChunk
from retrieval.stores.common import chunk_of


def fuse(legs: dict[str, list], weights: dict[str, float], rrf_k: int, limit: int) -> list[ScoredChunk]:
    """Weighted reciprocal rank fusion of scored points; keeps each leg's own score for display."""
    fused: dict[str, ScoredChunk] = {}
    for name, points in legs.items():
        for rank, point in enumerate(points, start=1):
            entry = fused.get(str(point.id))
            if entry is None:
                entry = fused[str(point.id)] = ScoredChunk(chunk_of(point.payload), 0.0, {})
            entry.scores[name] = float(point.score)
            entry.score += weights.get(name, 1.0) / (rrf_k + rank)
    ranked = sorted(fused.values(), key=lambda s: (-s.score, s.chunk.id))
    for r in ranked:
        r.scores["fused"] = r.score
    return ranked[:limit]
