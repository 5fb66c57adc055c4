"""The Protocols every backend implements; each real adapter and its fake pass tests/contracts."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from core.models import Chunk


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


@dataclass
class StoredPoint:
    """A chunk with its vectors, as written to a vector store."""

    chunk: Chunk
    dense: list[float]
    sparse: SparseVector


@dataclass
class SearchFilter:
    """Filters of a search; dossier_id is mandatory so a search never crosses dossiers."""

    dossier_id: str
    juridiction: str | None = None
    cotes: list[str] | None = None
    kinds: list[str] | None = None
    page_min: int | None = None
    page_max: int | None = None
    ocr: bool | None = None
    document_ids: list[str] | None = None


@dataclass
class ScoredChunk:
    chunk: Chunk
    score: float
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class CollectionInfo:
    embedding_model: str
    dimension: int
    points: int


@runtime_checkable
class Embedder(Protocol):
    """Dense text embeddings; queries and passages may be encoded differently (e5 prefixes)."""

    name: str
    dimension: int

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@runtime_checkable
class SparseEncoder(Protocol):
    name: str

    def encode_document(self, text: str) -> SparseVector: ...

    def encode_query(self, text: str) -> SparseVector: ...


@runtime_checkable
class VectorStore(Protocol):
    """Named dense + sparse vectors with chunk payloads; every query is filtered by dossier."""

    def ensure_collection(self, embedding_model: str, dimension: int) -> None: ...

    def info(self) -> CollectionInfo | None: ...

    def upsert(self, points: Sequence[StoredPoint]) -> None: ...

    def delete_document(self, dossier_id: str, document_id: str) -> None: ...

    def delete_dossier(self, dossier_id: str) -> None: ...

    def drop(self) -> None: ...

    def count(self, flt: SearchFilter) -> int: ...

    def chunk_ids(self, flt: SearchFilter) -> set[str]: ...

    def hybrid_search(
        self,
        dense: list[float] | None,
        sparse: SparseVector | None,
        flt: SearchFilter,
        limit: int,
        prefetch: int,
        weights: tuple[float, float],
        rrf_k: int,
    ) -> list[ScoredChunk]: ...

    def close(self) -> None: ...


@runtime_checkable
class ChatModel(Protocol):
    """A chat LLM reached over the OpenAI-compatible API (or scripted, in unit tests)."""

    model_id: str

    def complete(self, system: str, user: str, *, json_schema: dict[str, Any] | None = None) -> str: ...


@runtime_checkable
class Reranker(Protocol):
    def rerank(self, query: str, passages: Sequence[str]) -> list[float]: ...
