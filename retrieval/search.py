"""Hybrid search over one dossier: dense e5 + French BM25, weighted RRF, filters, diversity, context."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import ConfigError, InvalidInput
from core.models import Chunk
from core.protocols import Embedder, Reranker, ScoredChunk, SearchFilter, SparseEncoder, VectorStore
from core.settings import RetrievalSettings
from retrieval.normalize import normalize_query


@dataclass
class Passage:
    chunk: Chunk
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    context: list[Chunk] = field(default_factory=list)

    def to_dict(self) -> dict:
        c = self.chunk
        return {"chunk_id": c.id, "cote": c.cote, "page": c.page, "pdf_page": c.pdf_page, "text": c.text,
                "document_id": c.document_id, "score": round(self.score, 6),
                "scores": {k: round(v, 6) for k, v in self.scores.items()},
                "bboxes": [b.model_dump() for b in c.bboxes]}


class SearchService:
    def __init__(self, store: VectorStore, embedder: Embedder, sparse: SparseEncoder, settings: RetrievalSettings,
                 neighbours=None, reranker: Reranker | None = None) -> None:
        self.store, self.embedder, self.sparse, self.settings = store, embedder, sparse, settings
        self._neighbours = neighbours
        self.reranker = reranker
        self._cache: dict[str, list[float]] = {}
        self._model_checked = False

    def _check_model(self) -> None:
        """A query vector of another model (or size) than the collection's would rank nonsense: refuse, once."""
        if self._model_checked:
            return
        info = self.store.info()
        if info and (info.embedding_model != self.embedder.name or info.dimension != self.embedder.dimension):
            raise ConfigError(f"La collection a été indexée avec {info.embedding_model} (dimension {info.dimension}) ; "
                              f"le modèle configuré est {self.embedder.name} (dimension {self.embedder.dimension}) : "
                              "recherche refusée. Remettez le modèle d'origine ou lancez « assistant-parquet "
                              "reindex ».", code="modele_different")
        self._model_checked = info is not None

    def _embed_query(self, query: str) -> list[float]:
        """Query vectors are cached (bounded): the page re-asks the same questions, embedding is the costly part."""
        cached = self._cache.get(query)
        if cached is None:
            cached = self.embedder.embed_query(query)
            if len(self._cache) >= 2048:
                self._cache.pop(next(iter(self._cache)))
            self._cache[query] = cached
        return cached

    def search(self, query: str, flt: SearchFilter, k: int | None = None, *, mode: str = "hybrid",
               max_per_cote: int | None = None, with_context: bool = False) -> list[Passage]:
        """Ranked passages of one dossier; mode is hybrid, dense or sparse."""
        if not flt.dossier_id:
            raise InvalidInput("Le dossier est obligatoire pour toute recherche.", param="dossier")
        q = normalize_query(query)
        if not q:
            raise InvalidInput("La question est vide.", param="query")
        k = k or self.settings.k
        cap = max_per_cote if max_per_cote is not None else self.settings.max_per_cote
        if mode == "hybrid" and self.store.count(SearchFilter(dossier_id=flt.dossier_id, embedded=False)):
            mode = "sparse"  # some pages have no dense vector yet: one fair ranking for all (BM25)
        if mode in ("hybrid", "dense"):
            self._check_model()
        dense = self._embed_query(q) if mode in ("hybrid", "dense") else None
        sparse = self.sparse.encode_query(q) if mode in ("hybrid", "sparse") else None
        weights = (self.settings.dense_weight, self.settings.sparse_weight)
        limit = max(k * 4, k) if cap or self.reranker else k
        hits = self.store.hybrid_search(dense, sparse, flt, limit, max(self.settings.prefetch, limit), weights,
                                        self.settings.rrf_k)
        if self.reranker and hits:
            scores = self.reranker.rerank(q, [h.chunk.text for h in hits])
            for h, s in zip(hits, scores, strict=True):
                h.scores["rerank"] = s
            hits.sort(key=lambda h: -h.scores["rerank"])
        passages = [Passage(h.chunk, h.score, h.scores) for h in _cap(hits, cap)][:k]
        if with_context and self._neighbours:
            for p in passages:
                p.context = self._neighbours(p.chunk)
        return passages


    def indexing(self, dossier_id: str) -> Indexing | None:
        """None when every chunk of the dossier has its dense vector; otherwise how many pages still wait, with
        the French sentence shown to the magistrate."""
        waiting = self.store.chunk_ids(SearchFilter(dossier_id=dossier_id, embedded=False))
        if not waiting:
            return None
        total = _pages(self.store.chunk_ids(SearchFilter(dossier_id=dossier_id)))
        return Indexing(len(total), len(_pages(waiting)), len(waiting))


@dataclass
class Indexing:
    """A dossier searchable by BM25 while its dense vectors are computed."""

    pages: int
    pages_waiting: int
    chunks_waiting: int

    @property
    def message(self) -> str:
        verb = "est" if self.pages_waiting == 1 else "sont"
        return (f"Recherche plein texte seulement : {_n(self.pages_waiting)} page{'s' * (self.pages_waiting > 1)} "
                f"sur {_n(self.pages)} {verb} encore en cours d'indexation sémantique.")

    def to_dict(self) -> dict:
        return {"complete": False, "pages": self.pages, "pages_waiting": self.pages_waiting,
                "chunks_waiting": self.chunks_waiting, "message": self.message}


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def _pages(chunk_ids: set[str]) -> set[str]:
    return {c.rsplit("-c", 1)[0] for c in chunk_ids}


def _cap(hits: list[ScoredChunk], cap: int | None) -> list[ScoredChunk]:
    if not cap:
        return hits
    seen: dict[str | None, int] = {}
    out = []
    for h in hits:
        if seen.get(h.chunk.cote, 0) < cap:
            out.append(h)
            seen[h.chunk.cote] = seen.get(h.chunk.cote, 0) + 1
    return out
