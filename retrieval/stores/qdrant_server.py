"""Qdrant server or cluster through qdrant-client; one collection, the dossier as a tenant index."""
from __future__ import annotations

from collections.abc import Sequence

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from core.errors import UpstreamUnavailable
from core.ids import point_uuid
from core.protocols import CollectionInfo, ScoredChunk, SearchFilter, SparseVector, StoredPoint
from core.settings import VectorStoreSettings
from retrieval.fusion import fuse
from retrieval.stores.common import DENSE, KEYWORD_FIELDS, SPARSE, filter_terms, payload_of

META_ID = "00000000-0000-0000-0000-000000000000"


def to_filter(flt: SearchFilter) -> models.Filter:
    must: list[models.Condition] = []
    must_not: list[models.Condition] = []
    for field, op, value in filter_terms(flt):
        if op == "has_vector":
            (must if value else must_not).append(models.HasVectorCondition(has_vector=field))
        elif op == "eq":
            must.append(models.FieldCondition(key=field, match=models.MatchValue(value=value)))
        elif op == "in":
            must.append(models.FieldCondition(key=field, match=models.MatchAny(any=value)))
        else:
            low, high = value  # type: ignore[misc]
            must.append(models.FieldCondition(key=field, range=models.Range(gte=low, lte=high)))
    return models.Filter(must=must, must_not=must_not or None)


def _vectors(p: StoredPoint) -> dict:
    """The point's named vectors; a chunk still waiting for its embedding has only its BM25 vector."""
    vectors: dict = {SPARSE: models.SparseVector(indices=p.sparse.indices, values=p.sparse.values)}
    if p.dense is not None:
        vectors[DENSE] = p.dense
    return vectors


class QdrantServerStore:
    def __init__(self, client: QdrantClient, collection: str, shard_number: int = 1,
                 replication_factor: int = 1, write_consistency_factor: int = 1) -> None:
        self.client, self.collection = client, collection
        self._shards, self._replicas, self._wcf = shard_number, replication_factor, write_consistency_factor

    @classmethod
    def from_settings(cls, s: VectorStoreSettings) -> QdrantServerStore:
        if not s.url:
            raise UpstreamUnavailable("vector_store.url manquant pour le backend qdrant.", code="configuration")
        client = QdrantClient(location=":memory:") if s.url == ":memory:" else \
            QdrantClient(url=s.url, api_key=s.api_key.get_secret_value() if s.api_key else None)
        return cls(client, s.collection, s.shard_number, s.replication_factor, s.write_consistency_factor)

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ResponseHandlingException, UnexpectedResponse, ConnectionError) as exc:
            raise UpstreamUnavailable("Base vectorielle Qdrant injoignable.", code="qdrant_indisponible") from exc

    def ensure_collection(self, embedding_model: str, dimension: int) -> None:
        if self._call(self.client.collection_exists, self.collection):
            return
        self._call(self.client.create_collection, self.collection,
                   vectors_config={DENSE: models.VectorParams(size=dimension, distance=models.Distance.COSINE)},
                   sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
                   shard_number=self._shards, replication_factor=self._replicas,
                   write_consistency_factor=self._wcf)
        for field in KEYWORD_FIELDS:
            schema = models.KeywordIndexParams(type=models.KeywordIndexType.KEYWORD, is_tenant=field == "dossier_id")
            self._call(self.client.create_payload_index, self.collection, field, field_schema=schema)
        self._call(self.client.create_payload_index, self.collection, "page", models.PayloadSchemaType.INTEGER)
        self._call(self.client.create_payload_index, self.collection, "ocr", models.PayloadSchemaType.BOOL)
        self._call(self.client.upsert, self.collection, [models.PointStruct(
            id=META_ID, vector={}, payload={"_meta": True, "embedding_model": embedding_model,
                                            "dimension": dimension})])

    def info(self) -> CollectionInfo | None:
        if not self._call(self.client.collection_exists, self.collection):
            return None
        meta = self._call(self.client.retrieve, self.collection, [META_ID])
        count = self._call(self.client.count, self.collection, exact=True).count
        payload = meta[0].payload if meta else {}
        return CollectionInfo(payload.get("embedding_model", "?"), int(payload.get("dimension", 0)), count - 1)

    def upsert(self, points: Sequence[StoredPoint]) -> None:
        if points:
            self._call(self.client.upsert, self.collection, [models.PointStruct(
                id=point_uuid(p.chunk.id),
                vector=_vectors(p), payload=payload_of(p.chunk)) for p in points], wait=True)

    def delete_document(self, dossier_id: str, document_id: str) -> None:
        self._delete(SearchFilter(dossier_id=dossier_id, document_ids=[document_id]))

    def delete_dossier(self, dossier_id: str) -> None:
        self._delete(SearchFilter(dossier_id=dossier_id))

    def _delete(self, flt: SearchFilter) -> None:
        self._call(self.client.delete, self.collection, models.FilterSelector(filter=to_filter(flt)), wait=True)

    def count(self, flt: SearchFilter) -> int:
        return self._call(self.client.count, self.collection, count_filter=to_filter(flt), exact=True).count

    def chunk_ids(self, flt: SearchFilter) -> set[str]:
        out: set[str] = set()
        offset = None
        while True:
            records, offset = self._call(self.client.scroll, self.collection, scroll_filter=to_filter(flt),
                                         limit=1000, offset=offset, with_payload=["id"])
            out.update(r.payload["id"] for r in records)
            if offset is None:
                return out

    def hybrid_search(self, dense: list[float] | None, sparse: SparseVector | None, flt: SearchFilter,
                      limit: int, prefetch: int, weights: tuple[float, float], rrf_k: int) -> list[ScoredChunk]:
        qf = to_filter(flt)
        requests, names = [], []
        if dense is not None:
            requests.append(models.QueryRequest(query=dense, using=DENSE, filter=qf, limit=prefetch,
                                                with_payload=True))
            names.append(DENSE)
        if sparse is not None and sparse.indices:
            requests.append(models.QueryRequest(
                query=models.SparseVector(indices=sparse.indices, values=sparse.values), using=SPARSE, filter=qf,
                limit=prefetch, with_payload=True))
            names.append(SPARSE)
        if not requests:
            return []
        responses = self._call(self.client.query_batch_points, self.collection, requests)
        return fuse({n: r.points for n, r in zip(names, responses, strict=True)},
                    {DENSE: weights[0], SPARSE: weights[1]}, rrf_k, limit)

    def drop(self) -> None:
        if self._call(self.client.collection_exists, self.collection):
            self._call(self.client.delete_collection, self.collection)

    def close(self) -> None:
        self.client.close()
