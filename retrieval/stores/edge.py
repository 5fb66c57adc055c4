"""Embedded default: the Qdrant engine in-process (qdrant-edge-py), one shard folder per collection."""
from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import qdrant_edge as qe

from core.errors import UpstreamUnavailable
from core.ids import point_uuid
from core.protocols import CollectionInfo, ScoredChunk, SearchFilter, SparseVector, StoredPoint
from retrieval.fusion import fuse
from retrieval.stores.common import DENSE, KEYWORD_FIELDS, SPARSE, filter_terms, payload_of


def _condition(field: str, op: str, value: object):
    if op == "eq":
        # qdrant_edge reads a Python bool as the integer 1/0, which never matches a boolean payload: numpy's bool
        # is not an int subclass and arrives as a boolean (the OCR filter matched nothing before)
        return qe.FieldCondition(key=field, match=qe.MatchValue(np.bool_(value) if isinstance(value, bool) else value))
    if op == "in":
        return qe.FieldCondition(key=field, match=qe.MatchAny(value))
    low, high = value  # type: ignore[misc]
    return qe.FieldCondition(key=field, range=qe.RangeFloat(gte=low, lte=high))


def to_filter(flt: SearchFilter) -> qe.Filter:
    terms = filter_terms(flt)
    must = [_condition(*t) for t in terms if t[1] != "has_vector"]
    has = [qe.HasVectorCondition(t[0]) for t in terms if t[1] == "has_vector"]
    want = [t[2] for t in terms if t[1] == "has_vector"]
    if has and want[0]:
        return qe.Filter(must=must + has)
    return qe.Filter(must=must, must_not=has) if has else qe.Filter(must=must)


class EdgeStore:
    """Named dense vector + named sparse vector with IDF, payload indexes on the filter fields."""

    def __init__(self, path: Path, min_free_mb: float = 0.0) -> None:
        self.path = Path(path)
        self.min_free_mb = min_free_mb
        self._shard: qe.EdgeShard | None = None
        self._lock = threading.RLock()
        self._meta_path = self.path.with_suffix(".meta.json")

    def _check_space(self) -> None:
        """The engine maps its files and preallocates its journal: on a full disk it dies of SIGBUS, so refuse
        to open or create it below the free-space floor (French error instead of a crash)."""
        folder = self.path.parent if self.path.parent.exists() else Path(".")
        free = shutil.disk_usage(folder).free / 1e6
        if free < self.min_free_mb:
            raise UpstreamUnavailable(f"Espace disque insuffisant pour ouvrir la base vectorielle ({free:.0f} Mo libres, "
                                      f"il en faut {self.min_free_mb:.0f}, réglage ingestion.min_free_mb) : libérez de "
                                      "la place puis relancez. Rien n'a été modifié.", code="disque_plein")

    def _open(self) -> qe.EdgeShard | None:
        if self._shard is None and self._meta_path.exists():
            self._check_space()
            try:
                self._shard = qe.EdgeShard.load(str(self.path))
            except Exception as exc:  # the engine's own error, often the lock held by another process
                busy = "wouldblock" in str(exc).lower() or "lock" in str(exc).lower()
                raise UpstreamUnavailable(
                    "La base vectorielle est déjà ouverte par un autre processus (serveur ou ingestion en cours) : "
                    "passez par le serveur, ou attendez la fin de l'autre traitement." if busy else
                    "La base vectorielle ne peut pas être ouverte (fichiers endommagés ?) : lancez « assistant-parquet "
                    "doctor --repair », qui la reconstruit depuis le catalogue.", code="base_vectorielle_occupee"
                    if busy else "base_vectorielle_illisible") from exc
        return self._shard

    def half_created(self) -> bool:
        """Segment data without the metadata written last: a creation was interrupted (kill, disk full)."""
        building = self.path.with_name(self.path.name + ".creating")
        return building.exists() or (self.path.exists() and not self._meta_path.exists())

    def ensure_collection(self, embedding_model: str, dimension: int) -> None:
        """Create atomically: build the shard aside, rename it into place, write the metadata last. A leftover
        of an interrupted creation (never holding any point) is detected and removed first."""
        with self._lock:
            if self._meta_path.exists():
                self._open()
                return
            self._check_space()
            building = self.path.with_name(self.path.name + ".creating")
            shutil.rmtree(building, ignore_errors=True)
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            config = qe.EdgeConfig(
                vectors={DENSE: qe.EdgeVectorParams(size=dimension, distance=qe.Distance.Cosine)},
                sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
            )
            shard = qe.EdgeShard.create(str(building), config)
            for field in KEYWORD_FIELDS:
                params = qe.KeywordIndexParams(is_tenant=field == "dossier_id")
                shard.update(qe.UpdateOperation.create_field_index(field, params))
            shard.update(qe.UpdateOperation.create_field_index("page", qe.PayloadSchemaType.Integer))
            shard.update(qe.UpdateOperation.create_field_index("ocr", qe.PayloadSchemaType.Bool))
            shard.flush()
            shard.close()
            os.replace(building, self.path)
            tmp = self._meta_path.with_name(self._meta_path.name + ".tmp")
            with open(tmp, "w") as fh:
                json.dump({"embedding_model": embedding_model, "dimension": dimension}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self._meta_path)
            self._open()

    def info(self) -> CollectionInfo | None:
        if not self._meta_path.exists():
            return None
        meta = json.loads(self._meta_path.read_text())
        shard = self._open()
        points = shard.count(qe.CountRequest(exact=True)) if shard else 0
        return CollectionInfo(meta["embedding_model"], meta["dimension"], points)

    def _require(self) -> qe.EdgeShard:
        shard = self._open()
        if shard is None:
            raise RuntimeError("collection not created: call ensure_collection first")
        return shard

    def upsert(self, points: Sequence[StoredPoint]) -> None:
        """Write the points. Every update goes to the engine's write-ahead log first (a killed process loses
        nothing: the log is replayed on load); the segments are flushed to disk when the points carry their dense
        vector. Points waiting for it (BM25 only, stage 1 of ingestion) are not flushed one document at a time —
        a flush costs 0.1–0.5 s, most of the time to an orientation proposal — their dense upsert flushes them a
        moment later, and if even the log were lost (machine crash) `doctor --repair` puts back what the catalog
        has and the store lacks."""
        if not points:
            return
        with self._lock:
            shard = self._require()
            shard.update(qe.UpdateOperation.upsert_points([
                qe.Point(point_uuid(p.chunk.id), _vectors(p), payload_of(p.chunk)) for p in points]))
            if any(p.dense is not None for p in points):
                shard.flush()

    def delete_document(self, dossier_id: str, document_id: str) -> None:
        self._delete(SearchFilter(dossier_id=dossier_id, document_ids=[document_id]))

    def delete_dossier(self, dossier_id: str) -> None:
        self._delete(SearchFilter(dossier_id=dossier_id))

    def _delete(self, flt: SearchFilter) -> None:
        with self._lock:
            shard = self._open()
            # a new document has nothing to delete: counting is cheap, a flush to disk is not (≈ 0.1–0.3 s)
            if shard is not None and shard.count(qe.CountRequest(exact=True, filter=to_filter(flt))):
                shard.update(qe.UpdateOperation.delete_points_by_filter(to_filter(flt)))
                shard.flush()

    def count(self, flt: SearchFilter) -> int:
        shard = self._open()
        return shard.count(qe.CountRequest(exact=True, filter=to_filter(flt))) if shard else 0

    def chunk_ids(self, flt: SearchFilter) -> set[str]:
        shard = self._open()
        if shard is None:
            return set()
        out: set[str] = set()
        offset = None
        while True:
            records, offset = shard.scroll(qe.ScrollRequest(offset=offset, limit=1000, filter=to_filter(flt),
                                                            with_payload=qe.PayloadSelector.Include(["id"])))
            out.update(r.payload["id"] for r in records)
            if offset is None:
                return out

    def hybrid_search(self, dense: list[float] | None, sparse: SparseVector | None, flt: SearchFilter,
                      limit: int, prefetch: int, weights: tuple[float, float], rrf_k: int) -> list[ScoredChunk]:
        shard = self._open()
        if shard is None:
            return []
        qf = to_filter(flt)
        legs: list[tuple[str, object]] = []
        if dense is not None:
            legs.append((DENSE, qe.Query.Nearest(dense, using=DENSE)))
        if sparse is not None and sparse.indices:
            legs.append((SPARSE, qe.Query.Nearest(qe.SparseVector(sparse.indices, sparse.values), using=SPARSE)))
        if not legs:
            return []
        requests = [qe.QueryRequest(limit=prefetch, query=q, filter=qf, with_payload=True) for _, q in legs]
        results = shard.query_batch(qe.QueryBatchRequest(requests))
        return fuse({name: res for (name, _), res in zip(legs, results, strict=True)},
                    {DENSE: weights[0], SPARSE: weights[1]}, rrf_k, limit)


    def drop(self) -> None:
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)
        self._meta_path.unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            if self._shard is not None:
                self._shard.flush()
                self._shard.close()
                self._shard = None


def _vectors(p: StoredPoint) -> dict:
    """The point's named vectors; a chunk still waiting for its embedding has only its BM25 vector."""
    vectors: dict = {SPARSE: qe.SparseVector(p.sparse.indices, p.sparse.values)}
    if p.dense is not None:
        vectors[DENSE] = p.dense
    return vectors
