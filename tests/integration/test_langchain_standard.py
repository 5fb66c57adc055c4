"""LangChain's own standard retriever tests, against the real embedded store and embedder."""
from __future__ import annotations

from functools import lru_cache

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

from retrieval.langchain_retriever import DossierRetriever
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.integration


@lru_cache(maxsize=1)
def _search_service():
    import tempfile

    from api.services import Services
    from core.settings import Settings

    sv = Services(Settings(paths={"data_dir": tempfile.mkdtemp(prefix="lc-")}, llm={"backend": "none"}))
    sv.ingestor.ingest([EXAMPLES / "instruction-000"], "instruction-000")
    return sv.search


class TestDossierRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[DossierRetriever]:
        return DossierRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"search_service": _search_service(), "dossier_id": "instruction-000", "k": 4}

    @property
    def retriever_query_example(self) -> str:
        return "Qu'a-t-on découvert lors de la perquisition ?"


def test_retriever_metadata_names_cote_and_page():
    docs = DossierRetriever(search_service=_search_service(), dossier_id="instruction-000", k=2).invoke(
        "perquisition portefeuille")
    assert docs and {"cote", "page", "chunk_id", "score", "dossier"} <= set(docs[0].metadata)
    assert all(d.metadata["dossier"] == "instruction-000" for d in docs)
