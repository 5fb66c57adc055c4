"""Workers on other machines share no folder with the API: the API process (which owns the embedded vector store)
and two `assistant-parquet worker` processes each have their own data folder; only the real PostgreSQL (state and
blobs, blobs.backend=database) and the real Redis queue are shared. The upload completes with exactly the chunks
of a direct ingestion, the pages a worker converted are shown by the API, and damaged bytes in the database are a
French error, never a page."""
from __future__ import annotations

import hashlib

import httpx
import pytest
from sqlalchemy import update

from api.auth import TokenStore
from core.ids import dossier_key
from core.settings import Settings
from ingestion.catalog import Catalog
from tests.integration.test_api_replicas import start_api, wait_up
from tests.integration.test_queue_workers import queue_env, start_worker, stop
from tests.queueing import free_port, make_pdf, redis_server, wait_job

pytestmark = pytest.mark.integration

NOTE = ("Note de synthèse de l'enquêteur (pièce fictive).\nLe véhicule immatriculé ZZ-404-ZZ a été retrouvé "
        "incendié le 3 mars ; la téléphonie place le prévenu à proximité.\nAucun témoin direct n'a été entendu.")


def _files_under(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def test_workers_with_their_own_data_folders_ingest_from_the_database_alone(tmp_path, postgres):
    pieces = tmp_path / "in"
    pieces.mkdir()
    make_pdf(pieces / "D1_pv_constatations.pdf", 5, seed=11)
    make_pdf(pieces / "D2_audition.pdf", 2, seed=12)
    (pieces / "D3_note.txt").write_text(NOTE, encoding="utf-8")  # converted to PDF by a worker
    files = sorted(pieces.iterdir())
    key = dossier_key("TJ Paris", "R-7")

    direct = Settings(paths={"data_dir": tmp_path / "direct"}, vector_store={"backend": "memory"},
                      embedding={"backend": "hash"}, llm={"backend": "none"}, ingestion={"ocr_dpi": 150})
    from api.services import Services

    sv = Services(direct)
    assert not sv.ingestor.ingest(files, key, "TJ Paris").failed
    expected = {c.id: (c.cote, c.page, c.text) for c in sv.catalog.dossier_chunks(key)}
    sv.close()

    state_url = postgres.new_database()
    tokens = TokenStore(state_url)
    token = tokens.add("mme.x", "magistrat", "TJ Paris")
    tokens.close()
    api_data, worker_data = tmp_path / "api", [tmp_path / "worker-1", tmp_path / "worker-2"]
    with redis_server(tmp_path / "redis") as url:
        shared = {"MAP_STATE__URL": state_url, "MAP_BLOBS__BACKEND": "database"}
        log = open(tmp_path / "processes.log", "w")  # noqa: SIM115
        port = free_port()
        api = start_api(queue_env(api_data, url, **shared), port, log)
        workers = [start_worker(queue_env(folder, url, **shared), log) for folder in worker_data]
        try:
            wait_up(f"http://127.0.0.1:{port}", api)
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}/api", timeout=60,
                                  headers={"Authorization": f"Bearer {token}"})
            assert client.post("/dossiers", json={"id": "R-7"}).status_code in (200, 201)
            sent = [("files", (f.name, f.read_bytes(), "application/octet-stream")) for f in files]
            job_id = client.post("/dossiers/R-7/documents", files=sent).json()["job"]
            state = wait_job(lambda j: client.get(f"/jobs/{j}").json(), job_id, 240)
            assert state["state"] == "done", (state, (tmp_path / "processes.log").read_text()[-3000:])

            catalog = Catalog(state_url)
            try:
                stored = {c.id: (c.cote, c.page, c.text) for c in catalog.dossier_chunks(key)}
                docs = {d.cote: d for d in catalog.documents(key)}
                assert stored == expected and len(expected) >= 8  # exactly the direct pipeline's chunks
                note_pdf = catalog.pdf_blob(docs["D3"].id)
            finally:
                catalog.close()

            # nothing went through a folder: the API kept no original, no conversion, no upload; each worker
            # holds a cache only, and the prepare and page tasks ran in the workers (not in the API)
            assert not {f for f in _files_under(api_data) if f.split("/")[0] in ("originals", "converted", "uploads")}
            for folder in worker_data:
                assert {f.split("/")[0] for f in _files_under(folder)} <= {"cache", "audit", "logs"}, folder

            # the API shows the page a worker converted, and hands out the original byte for byte
            note = docs["D3"]
            png = client.get("/dossiers/R-7/page.png", params={"document": note.id, "page": 1})
            assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
            original = client.get(f"/documents/{note.id}/original")
            assert original.status_code == 200 and original.content == (pieces / "D3_note.txt").read_bytes()
            assert hashlib.sha256(original.content).hexdigest() == note.sha256

            # damaged bytes in the database (and no local copy left): a French error, never a wrong page
            from sqlalchemy import create_engine

            from storage.tables import blob_chunks

            engine = create_engine(state_url)
            with engine.begin() as conn:
                conn.execute(update(blob_chunks).where(blob_chunks.c.sha256 == note_pdf).values(data=b"%PDF-1.4 x"))
            engine.dispose()
            (api_data / "cache" / "blobs" / note_pdf).unlink()
            broken = client.get("/dossiers/R-7/page.png", params={"document": note.id, "page": 1})
            assert broken.status_code == 500, broken.text
            error = broken.json()["error"]
            assert error["code"] == "fichier_endommage" and "endommagé" in error["message"]
        finally:
            for w in workers:
                stop(w)
            stop(api)
            log.close()
