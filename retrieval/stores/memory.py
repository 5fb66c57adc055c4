"""Fake VectorStore for unit tests: exact brute force with the same fusion and IDF as the real ones."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.protocols import CollectionInfo, ScoredChunk, SearchFilter, SparseVector, StoredPoint
from retrieval.fusion import fuse
from retrieval.stores.common import DENSE, SPARSE, filter_terms, payload_of


@dataclass
class _Hit:
    id: str
    score: float
    payload: dict


def matches(payload: dict, flt: SearchFilter, has_dense: bool = True) -> bool:
    for field, op, value in filter_terms(flt):
        if op == "has_vector":
            if has_dense != value:
                return False
            continue
        got = payload.get(field)
        if op == "eq" and got != value:
            return False
        if op == "in" and got not in value:  # type: ignore[operator]
            return False
        if op == "range":
            low, high = value  # type: ignore[misc]
            if (low is not None and got < low) or (high is not None and got > high):
                return False
    return True


class MemoryStore:
    def __init__(self) -> None:
        self._points: dict[str, StoredPoint] = {}
        self._meta: CollectionInfo | None = None

    def ensure_collection(self, embedding_model: str, dimension: int) -> None:
        if self._meta is None:
            self._meta = CollectionInfo(embedding_model, dimension, 0)

    def info(self) -> CollectionInfo | None:
        if self._meta is None:
            return None
        return CollectionInfo(self._meta.embedding_model, self._meta.dimension, len(self._points))

    def upsert(self, points: Sequence[StoredPoint]) -> None:
        for p in points:
            self._points[p.chunk.id] = p

    def delete_document(self, dossier_id: str, document_id: str) -> None:
        self._delete(SearchFilter(dossier_id=dossier_id, document_ids=[document_id]))

    def delete_dossier(self, dossier_id: str) -> None:
        self._delete(SearchFilter(dossier_id=dossier_id))

    def _delete(self, flt: SearchFilter) -> None:
        for cid in [cid for cid, p in self._points.items() if matches(payload_of(p.chunk), flt, p.dense is not None)]:
            del self._points[cid]

    def _selected(self, flt: SearchFilter) -> list[StoredPoint]:
        return [p for p in self._points.values() if matches(payload_of(p.chunk), flt, p.dense is not None)]

    def count(self, flt: SearchFilter) -> int:
        return len(self._selected(flt))

    def chunk_ids(self, flt: SearchFilter) -> set[str]:
        return {p.chunk.id for p in self._selected(flt)}

    def hybrid_search(self, dense: list[float] | None, sparse: SparseVector | None, flt: SearchFilter,
                      limit: int, prefetch: int, weights: tuple[float, float], rrf_k: int) -> list[ScoredChunk]:
        selected = self._selected(flt)
        legs: dict[str, list[_Hit]] = {}
        if dense is not None and selected:
            q = np.asarray(dense)
            scored = [_Hit(p.chunk.id, float(np.dot(q, p.dense) / (np.linalg.norm(q) * np.linalg.norm(p.dense))),
                           payload_of(p.chunk)) for p in selected if p.dense is not None]
            legs[DENSE] = sorted(scored, key=lambda h: -h.score)[:prefetch]
        if sparse is not None and sparse.indices and selected:
            n = len(self._points)
            df: dict[int, int] = {}
            for p in self._points.values():
                for i in p.sparse.indices:
                    df[i] = df.get(i, 0) + 1
            query = dict(zip(sparse.indices, sparse.values, strict=True))
            hits = []
            for p in selected:
                score = sum(v * query[i] * math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5))
                            for i, v in zip(p.sparse.indices, p.sparse.values, strict=True) if i in query)
                if score > 0:
                    hits.append(_Hit(p.chunk.id, score, payload_of(p.chunk)))
            legs[SPARSE] = sorted(hits, key=lambda h: -h.score)[:prefetch]
        return fuse(legs, {DENSE: weights[0], SPARSE: weights[1]}, rrf_k, limit)

    def drop(self) -> None:
        self._points.clear()
        self._meta = None

    def close(self) -> None:
        return None
