"""One contract for every VectorStore: the fake, the embedded engine and qdrant-client (:memory:)."""
from __future__ import annotations

import pytest

from core.models import Chunk
from core.protocols import SearchFilter, StoredPoint
from ingestion.embedders import HashEmbedder
from ingestion.sparse import FrenchBM25

TEXTS = {
    "A": ["Le conducteur présente une haleine sentant l'alcool.", "Véhicule immatriculé AB-123-CD contrôlé.",
          "Mesure 1 : 0,62 mg/l à 23h52.", "Le témoin a vu un scooter noir."],
    "B": ["Le conducteur présente une haleine sentant l'alcool.", "Véhicule immatriculé ZZ-999-ZZ contrôlé."],
}


def _points(embedder):
    bm25 = FrenchBM25()
    points = []
    for dossier, texts in TEXTS.items():
        for i, text in enumerate(texts):
            chunk = Chunk(id=f"{dossier}-doc-p0001-c{i:03d}", dossier_id=dossier, juridiction=f"TJ {dossier}",
                          document_id=f"{dossier}-doc", cote=f"D{i + 1}", page=1, text=text, char_start=0,
                          char_end=len(text), kind="pdf", ocr=i == 3)
            points.append(StoredPoint(chunk, embedder.embed_passages([text])[0], bm25.encode_document(text)))
    return points


@pytest.fixture(params=["memory", "edge", "qdrant_memory"])
def store(request, tmp_path):
    if request.param == "memory":
        from retrieval.stores.memory import MemoryStore

        s = MemoryStore()
    elif request.param == "edge":
        from retrieval.stores.edge import EdgeStore

        s = EdgeStore(tmp_path / "edge" / "c")
    else:
        from qdrant_client import QdrantClient

        from retrieval.stores.qdrant_server import QdrantServerStore

        s = QdrantServerStore(QdrantClient(location=":memory:"), "contract")
    embedder = HashEmbedder(32)
    s.ensure_collection(embedder.name, embedder.dimension)
    s.upsert(_points(embedder))
    yield s
    s.close()


def _search(store, query, **flt):
    emb, bm25 = HashEmbedder(32), FrenchBM25()
    return store.hybrid_search(emb.embed_query(query), bm25.encode_query(query), SearchFilter(**flt), 10, 50,
                               (2.0, 1.0), 60)


def test_store_records_its_embedding_model(store):
    info = store.info()
    assert (info.embedding_model, info.dimension, info.points) == ("hash-fake", 32, 6)


def test_upsert_is_idempotent(store):
    store.upsert(_points(HashEmbedder(32)))
    assert store.count(SearchFilter(dossier_id="A")) == 4


def test_search_never_crosses_dossiers(store):
    hits = _search(store, "haleine alcool conducteur", dossier_id="A")
    assert hits and all(h.chunk.dossier_id == "A" for h in hits)


def test_identifier_query_ranks_its_chunk_first(store):
    hits = _search(store, "AB-123-CD", dossier_id="A")
    assert hits[0].chunk.text.startswith("Véhicule immatriculé AB-123-CD")


def _cotes(store, query, **flt):
    return sorted(h.chunk.cote for h in _search(store, query, **flt))


def test_filters_on_cote_page_and_ocr(store):
    # every filter keeps exactly the matching chunks (the dense leg reaches every chunk of the dossier), so a
    # filter that drops everything, or nothing, fails
    assert _cotes(store, "conducteur", dossier_id="A") == ["D1", "D2", "D3", "D4"]
    assert _cotes(store, "conducteur", dossier_id="A", cotes=["D1", "D3"]) == ["D1", "D3"]
    assert _cotes(store, "témoin scooter", dossier_id="A", ocr=True) == ["D4"]
    assert _cotes(store, "témoin scooter", dossier_id="A", ocr=False) == ["D1", "D2", "D3"]
    assert _cotes(store, "conducteur", dossier_id="A", page_min=1, page_max=1) == ["D1", "D2", "D3", "D4"]
    assert _search(store, "conducteur", dossier_id="A", page_min=2) == []
    assert _cotes(store, "conducteur", dossier_id="A", juridiction="TJ A") == ["D1", "D2", "D3", "D4"]
    assert _search(store, "conducteur", dossier_id="A", juridiction="TJ B") == []
    assert _cotes(store, "conducteur", dossier_id="B", document_ids=["B-doc"]) == ["D1", "D2"]
    assert _search(store, "conducteur", dossier_id="B", document_ids=["A-doc"]) == []
    assert _cotes(store, "conducteur", dossier_id="A", kinds=["pdf"]) == ["D1", "D2", "D3", "D4"]
    assert _search(store, "conducteur", dossier_id="A", kinds=["docx"]) == []


def test_delete_document_and_dossier(store):
    store.delete_document("A", "A-doc")
    assert store.count(SearchFilter(dossier_id="A")) == 0
    assert store.chunk_ids(SearchFilter(dossier_id="B")) == {"B-doc-p0001-c000", "B-doc-p0001-c001"}
    store.delete_dossier("B")
    assert store.count(SearchFilter(dossier_id="B")) == 0


def test_every_query_must_name_its_dossier(store):
    with pytest.raises(ValueError):
        _search(store, "x", dossier_id="")


def test_chunk_without_dense_vector_is_found_by_bm25_and_counted_as_waiting(store):
    bm25 = FrenchBM25()
    text = "Procès-verbal de perquisition : saisie d'un portefeuille en cuir marron."
    chunk = Chunk(id="A-late-p0001-c000", dossier_id="A", juridiction="TJ A", document_id="A-late", cote="D9",
                  page=1, text=text, char_start=0, char_end=len(text), kind="pdf")
    store.upsert([StoredPoint(chunk, None, bm25.encode_document(text))])
    query = "perquisition portefeuille"
    sparse_only = store.hybrid_search(None, bm25.encode_query(query), SearchFilter(dossier_id="A"), 10, 50,
                                      (2.0, 1.0), 60)
    assert sparse_only[0].chunk.id == "A-late-p0001-c000"
    assert "A-late-p0001-c000" not in {h.chunk.id for h in store.hybrid_search(
        HashEmbedder(32).embed_query(query), None, SearchFilter(dossier_id="A"), 10, 50, (2.0, 1.0), 60)}
    assert store.chunk_ids(SearchFilter(dossier_id="A", embedded=False)) == {"A-late-p0001-c000"}
    assert store.count(SearchFilter(dossier_id="A", embedded=True)) == 4
    assert store.count(SearchFilter(dossier_id="B", embedded=False)) == 0
    store.upsert([StoredPoint(chunk, HashEmbedder(32).embed_passages([text])[0], bm25.encode_document(text))])
    assert store.count(SearchFilter(dossier_id="A", embedded=False)) == 0
