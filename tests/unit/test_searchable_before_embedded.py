"""Chunks are searchable by BM25 as soon as they are parsed; dense vectors follow (fakes: memory store, hash)."""
from __future__ import annotations

import pytest

from core.errors import UpstreamUnavailable
from core.protocols import SearchFilter
from ingestion.convert import text_to_pdf

PIECES = {
    "D1_pv_interpellation.pdf": "Procès-verbal d'interpellation. Le conducteur du véhicule immatriculé FG-418-KL "
                                "a été interpellé rue de la Roquette après un refus d'obtempérer.",
    "D2_audition.pdf": "Audition de la victime. Elle déclare avoir reconnu le scooter rouge et son conducteur "
                       "casqué, qui a pris la fuite vers la place de la Bastille.",
    "D3_expertise.pdf": "Rapport d'expertise balistique : l'étui retrouvé dans le portefeuille saisi provient "
                        "d'un pistolet de calibre 7,65 mm.",
}


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "pieces"
    out.mkdir()
    for name, text in PIECES.items():
        text_to_pdf(text, out / name)  # native PDFs: parsed in milliseconds (a .txt loads the sentence model)
    return out


def test_every_file_of_the_run_is_searchable_before_the_first_embedding(fake_services, folder, monkeypatch):
    sv = fake_services
    real, seen = sv.embedder.embed_passages, []

    def watching(texts):
        if not seen:  # first dense embedding of the run: what can the magistrate already find?
            hits = sv.search.search("étui pistolet calibre", SearchFilter(dossier_id="bm25-first"), k=3)
            seen.append((hits[0].chunk.cote if hits else None, sv.search.indexing("bm25-first")))
        return real(texts)

    monkeypatch.setattr(sv.embedder, "embed_passages", watching)
    report = sv.ingestor.ingest([folder], "bm25-first")
    assert [d.status for d in report.documents] == ["stored"] * 3
    cote, state = seen[0]
    assert cote == "D3"  # the last file of the run, found by BM25 while nothing is embedded yet
    assert (state.pages, state.pages_waiting) == (3, 3)
    assert state.message == ("Recherche plein texte seulement : 3 pages sur 3 sont encore en cours d'indexation "
                             "sémantique.")
    assert sv.search.indexing("bm25-first") is None  # stage 2 done: nothing waits any more
    assert sv.store.count(SearchFilter(dossier_id="bm25-first", embedded=True)) == 3


def test_embedder_down_keeps_the_files_searchable_and_says_so_then_a_rerun_finishes(fake_services, folder,
                                                                                    monkeypatch):
    sv = fake_services
    real = sv.embedder.embed_passages

    def down(texts):
        raise UpstreamUnavailable("Serveur d'embeddings injoignable.", code="embeddings_indisponibles")

    monkeypatch.setattr(sv.embedder, "embed_passages", down)
    report = sv.ingestor.ingest([folder], "down")
    assert [d.status for d in report.documents] == ["stored"] * 3 and not report.failed
    assert report.embedding_error == "Serveur d'embeddings injoignable."
    assert all(any(w.startswith("Indexation sémantique en attente") and "plein texte" in w for w in d.warnings)
               for d in report.documents)
    hits = sv.search.search("scooter rouge Bastille", SearchFilter(dossier_id="down"), k=2)
    assert hits and hits[0].chunk.cote == "D2" and "dense" not in hits[0].scores  # BM25 ranking only
    assert sv.search.indexing("down").message.startswith("Recherche plein texte seulement : 3 pages sur 3")
    answer = sv.drafter.ask("down", "Quelle est l'immatriculation du véhicule ?")
    assert answer["notice"] == sv.search.indexing("down").message

    findings = sv.ingestor.repair(fix=False)
    assert any("3 extrait(s) en attente d'indexation sémantique" in f["probleme"] for f in findings)
    monkeypatch.setattr(sv.embedder, "embed_passages", real)
    again = sv.ingestor.ingest([folder], "down")  # files unchanged: only the waiting vectors are computed
    assert [d.status for d in again.documents] == ["unchanged"] * 3 and again.embedding_error is None
    assert sv.search.indexing("down") is None
    hits = sv.search.search("scooter rouge Bastille", SearchFilter(dossier_id="down"), k=2)
    assert "dense" in hits[0].scores
    assert sv.drafter.ask("down", "Quelle est l'immatriculation du véhicule ?")["notice"] is None


def test_doctor_repair_embeds_what_waits(fake_services, folder, monkeypatch):
    sv = fake_services
    real = sv.embedder.embed_passages
    monkeypatch.setattr(sv.embedder, "embed_passages", lambda texts: (_ for _ in ()).throw(ConnectionError()))
    sv.ingestor.ingest([folder], "doc")
    assert sv.search.indexing("doc").pages_waiting == 3
    monkeypatch.setattr(sv.embedder, "embed_passages", real)
    sv.ingestor.repair(fix=True)
    assert sv.search.indexing("doc") is None and sv.ingestor.repair(fix=False) == []


def test_reindex_puts_every_chunk_back_searchable_before_embedding_it(fake_services, folder, monkeypatch):
    from ingestion.embedders import HashEmbedder

    sv = fake_services
    sv.ingestor.ingest([folder], "re")
    before = sv.store.chunk_ids(SearchFilter(dossier_id="re"))
    new, seen = HashEmbedder(dimension=32), []
    real = new.embed_passages

    def watching(texts):
        if not seen:
            seen.append(sv.store.count(SearchFilter(dossier_id="re", embedded=False)))
        return real(texts)

    monkeypatch.setattr(new, "embed_passages", watching)
    sv.ingestor.embedder = new
    result = sv.ingestor.reindex()
    assert seen == [len(before)]  # every chunk was back (BM25) before the first new vector was computed
    assert result["chunks"] == len(before) and sv.store.chunk_ids(SearchFilter(dossier_id="re")) == before
    assert sv.store.count(SearchFilter(dossier_id="re", embedded=False)) == 0
    assert sv.store.info().dimension == 32
