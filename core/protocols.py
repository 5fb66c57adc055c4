"""The Protocols every backend implements; each real adapter and its fake pass tests/contracts."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from core.models import CaseFile, Chunk, Line, Page, SourceDocument


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


@dataclass
class StoredPoint:
    """A chunk with its vectors, as written to a vector store; dense is None while the chunk waits for its
    embedding (searchable by BM25 already)."""

    chunk: Chunk
    dense: list[float] | None
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
    embedded: bool | None = None  # True: only chunks with their dense vector; False: only those still waiting


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

    def stream(self, system: str, user: str) -> Iterator[str]:
        """The reply piece by piece as it is generated (answers are shown token by token)."""
        ...


@dataclass
class ParsedPage:
    """One page as a parser reads it: its text, each line's offsets and box (PDF points, origin top-left)."""

    number: int
    text: str
    lines: list[Line]
    width: float
    height: float
    confidence: float | None = None


@runtime_checkable
class DocumentParser(Protocol):
    """Reads the pages of a PDF: its text layer (native) or its image (OCR). An unreadable file raises
    UnsupportedDocument with a French reason."""

    name: str

    def parse(self, pdf_path: str) -> list[ParsedPage]: ...


@runtime_checkable
class Reranker(Protocol):
    def rerank(self, query: str, passages: Sequence[str]) -> list[float]: ...


@dataclass(frozen=True)
class BlobInfo:
    sha256: str
    size: int


@runtime_checkable
class BlobStore(Protocol):
    """Content-addressed files (originals, converted PDFs): the key is the SHA-256 of the bytes, so a file stored
    twice is one blob. Every read is size-checked and SHA-256 verified: damaged bytes raise DamagedFile (French),
    a missing blob NotFound. Adapters: storage.blobs.FileBlobStore (a folder), storage.blob_table.SqlBlobStore
    (chunked rows of the state database); fake: storage.blobs.MemoryBlobStore."""

    def put(self, source: str | Path, sha256: str | None = None) -> BlobInfo:
        """Store a local file, streamed; with `sha256`, bytes that do not hash to it are refused (FileChanged)."""
        ...

    def adopt(self, path: Path) -> BlobInfo:
        """Store a file this process made (a conversion) and owns: moved into the store or its cache."""
        ...

    def info(self, sha256: str) -> BlobInfo | None: ...

    def stream(self, sha256: str) -> Iterator[bytes]:
        """The bytes piece by piece; the last piece is only yielded once size and hash are verified."""
        ...

    def local(self, sha256: str) -> Path:
        """A local file holding the verified bytes (the stored file itself, or a copy in the process's cache)."""
        ...

    def delete(self, sha256: str) -> None: ...


# State stores: SQLAlchemy adapters in ingestion/catalog.py, api/jobs.py, api/auth.py, generation/store.py,
# orientation/decisions.py (SQLite or PostgreSQL, storage/), each passing its tests/contracts suite on both.

@runtime_checkable
class Catalog(Protocol):
    """Dossiers, their documents (with ingestion state and versions), pages and chunks. Dossier ids are the
    internal keys (juridiction tag + typed id): a query for one dossier never returns another's rows."""

    def upsert_dossier(self, dossier: CaseFile) -> CaseFile: ...

    def find_dossier(self, dossier_id: str) -> CaseFile | None: ...

    def dossier(self, dossier_id: str) -> CaseFile: ...

    def dossiers(self, juridiction: str | None = None) -> list[CaseFile]: ...

    def delete_dossier(self, dossier_id: str) -> None: ...

    def save_document(self, doc: SourceDocument, pdf_path: str | None = None, pdf_sha256: str | None = None) -> None:
        ...

    def document(self, document_id: str) -> SourceDocument | None: ...

    def documents(self, dossier_id: str) -> list[SourceDocument]: ...

    def current_documents(self, dossier_id: str) -> list[SourceDocument]: ...

    def versions(self, dossier_id: str, cote: str) -> list[SourceDocument]: ...

    def document_for_cote(self, dossier_id: str, cote: str, version: int | None = None) -> SourceDocument: ...

    def sha_in_use(self, sha256: str, except_id: str | None = None) -> bool: ...

    def pdf_path(self, document_id: str) -> str | None: ...

    def pdf_blob(self, document_id: str) -> str | None:
        """The blob (SHA-256) of the PDF whose pages are read and shown: the original, or its conversion."""
        ...

    def blobs_in_use(self) -> set[str]: ...

    def remove_document(self, document_id: str) -> None: ...

    def save_pages(self, pages: list[Page]) -> None: ...

    def pages(self, document_id: str) -> list[Page]: ...

    def page(self, document_id: str, number: int) -> Page: ...

    def save_chunks(self, document_id: str, chunks: list[Chunk]) -> None: ...

    def chunks(self, document_id: str) -> list[Chunk]: ...

    def dossier_chunks(self, dossier_id: str) -> list[Chunk]: ...

    def chunk(self, chunk_id: str) -> Chunk | None: ...

    def ocr_page_counts(self, dossier_id: str) -> dict[str, int]: ...

    def close(self) -> None: ...


@runtime_checkable
class JobStore(Protocol):
    """Ingestion jobs visible to every process on the state database: one claimant per job, progress counters
    summed atomically. Jobs are rows; ids are opaque."""

    def create(self, dossier: str, juridiction: str, actor: str, job_id: str | None = None,
               options: dict | None = None) -> tuple[str, Any]: ...

    def get(self, job_id: str) -> dict: ...

    def options(self, job_id: str) -> dict: ...

    def update(self, job_id: str, state: str | None = None, progress: dict | None = None,
               report: dict | None = None) -> None: ...

    def claim(self, job_id: str, states: tuple[str, ...] = ("queued",)) -> bool: ...

    def add_progress(self, job_id: str, counts: dict[str, int] | None = None, errors: list[dict] | None = None,
                     **fields: Any) -> dict: ...

    def active(self, dossier: str) -> bool: ...

    def for_dossier(self, dossier: str, limit: int = 10) -> list[dict]: ...

    def unfinished(self) -> list[dict]: ...

    def delete_dossier(self, dossier: str) -> int: ...

    def close(self) -> None: ...


@runtime_checkable
class TokenStore(Protocol):
    """Accounts: name, role, juridiction and the hash of their API token (the token itself is never stored)."""

    def add(self, name: str, role: str, juridiction: str) -> str: ...

    def authenticate(self, token: str) -> Any: ...

    def list(self) -> list[dict]: ...

    def close(self) -> None: ...


@runtime_checkable
class DraftStore(Protocol):
    """Drafts with their evidence and owner (dossier key, juridiction, creation of the dossier they came from)."""

    def save(self, draft: Any, juridiction: str | None = None, dossier_created: str | None = None) -> None: ...

    def get(self, draft_id: str) -> Any: ...

    def owner(self, draft_id: str) -> tuple[str, str | None, str | None]: ...

    def delete_dossier(self, dossier: str) -> list[str]: ...

    def close(self) -> None: ...


@runtime_checkable
class DecisionStore(Protocol):
    """Proposals and the magistrate's append-only decisions (one current per proposal, history kept)."""

    def save_proposal(self, proposal: dict) -> None: ...

    def proposal(self, proposal_id: str) -> dict: ...

    def decide(self, proposal_id: str, action: str, user: str, changes: dict[str, Any] | None = None,
               reason: str | None = None, supersedes: int | None = None) -> dict: ...

    def decisions(self, proposal_id: str) -> list[dict]: ...

    def current(self, proposal_id: str) -> dict | None: ...

    def delete_dossier(self, dossier_id: str) -> dict: ...

    def close(self) -> None: ...


@runtime_checkable
class AuditLog(Protocol):
    """Append-only, keyed hash chain of who did what on which dossier; verify() finds any alteration."""

    def record(self, actor: str, action: str, dossier: str | None = None, **details: Any) -> str: ...

    def entries(self, dossier: str | None = None, limit: int | None = None) -> list[dict]: ...

    def verify(self) -> dict: ...

    def close(self) -> None: ...
