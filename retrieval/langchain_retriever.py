"""LangChain BaseRetriever over one dossier (hybrid search), for chains built by integrators."""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from core.protocols import SearchFilter


class DossierRetriever(BaseRetriever):
    """Documents carry metadata {cote, page, chunk_id, score, dossier}; never crosses dossiers."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search_service: Any
    dossier_id: str
    juridiction: str | None = None
    k: int = 4
    cotes: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        k = int(kwargs.get("k", self.k))
        flt = SearchFilter(dossier_id=self.dossier_id, juridiction=self.juridiction, cotes=self.cotes)
        passages = self.search_service.search(query, flt, k)
        return [Document(page_content=p.chunk.text, id=p.chunk.id,
                         metadata={"cote": p.chunk.cote, "page": p.chunk.page, "chunk_id": p.chunk.id,
                                   "score": p.score, "dossier": p.chunk.dossier_id,
                                   "document_id": p.chunk.document_id}) for p in passages]
