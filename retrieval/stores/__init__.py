"""VectorStore adapters: edge (in-process Qdrant engine), qdrant (qdrant-client), memory (fake); `make_store`
chooses one from the settings. Shared helpers are in `common`, fusion in `retrieval.fusion`."""
from __future__ import annotations

from core.protocols import VectorStore
from core.settings import Settings


def make_store(settings: Settings) -> VectorStore:
    backend = settings.vector_store.backend
    if backend == "edge":
        from retrieval.stores.edge import EdgeStore

        return EdgeStore(settings.paths.sub("qdrant-edge") / settings.vector_store.collection,
                         min_free_mb=settings.ingestion.min_free_mb)
    if backend == "qdrant":
        from retrieval.stores.qdrant_server import QdrantServerStore

        return QdrantServerStore.from_settings(settings.vector_store)
    from retrieval.stores.memory import MemoryStore

    return MemoryStore()
