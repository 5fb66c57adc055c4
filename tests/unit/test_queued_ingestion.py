"""Queued ingestion with the in-process broker (the embedded default): per-page tasks, idempotence, retries with
backoff, a job that keeps failing, resume. Fake embedder and store; real PDF parsing."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from api.jobs import JobStore
from api.services import Services
from api.worker import IngestionRuntime
from core.protocols import SearchFilter
from core.settings import Settings
from ingestion.embedders import HashEmbedder
from storage.locations import location
from tests.queueing import Audit, make_pdf, wait_job


class FlakyEmbedder:
    """The hash embedder, failing its first `failures` calls (every call when failures < 0)."""

    def __init__(self, failures: int) -> None:
        self.inner, self.failures, self.calls = HashEmbedder(), failures, []
        self.name, self.dimension = self.inner.name, self.inner.dimension

    def embed_passages(self, texts):
        self.calls.append(time.monotonic())
        if self.failures < 0 or len(self.calls) <= self.failures:
            raise RuntimeError("embedding server reset the connection")
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def _settings(tmp_path, name="var", **queue) -> Settings:
    return Settings(paths={"data_dir": tmp_path / name}, vector_store={"backend": "memory"},
                    embedding={"backend": "hash"}, llm={"backend": "none"},
                    queue={"chunks_per_task": 3, "min_backoff_ms": 100, "max_backoff_ms": 400, **queue})


class Harness:
    def __init__(self, settings: Settings, **overrides) -> None:
        self.settings = settings
        self.services = Services(settings, **overrides)
        self.jobs = JobStore(location(settings, "jobs"), settings.paths.sub("uploads"))
        self.audit = Audit()
        self.runtime = IngestionRuntime(settings, self.services, self.jobs, self.audit, "server")
        self.jobs.runtime = self.runtime

    def submit(self, files, dossier="d1") -> str:
        job_id, folder = self.jobs.create(dossier, "TJ Paris", "mme.x", options={"on_conflict": "ask"})
        for f in files:
            shutil.copy(f, folder / f.name)
        self.jobs.submit(job_id)
        return job_id

    def wait(self, job_id, timeout=90):
        return wait_job(self.jobs.get, job_id, timeout)

    def close(self):
        self.jobs.close()
        self.services.close()


@pytest.fixture
def pieces(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "D1_pv_constatations.pdf", 12, seed=1)
    make_pdf(folder / "D2_audition.pdf", 3, seed=2)
    (folder / "vide.pdf").write_bytes(b"")
    return sorted(folder.iterdir())


def test_a_queued_job_reads_page_by_page_and_stores_exactly_the_chunks_of_the_direct_pipeline(tmp_path, pieces):
    direct = Services(_settings(tmp_path, "direct"))
    expected = direct.ingestor.ingest(pieces, "d1")
    want = {c.id: (c.cote, c.page, c.text) for c in direct.catalog.dossier_chunks("d1")}
    direct.close()
    h = Harness(_settings(tmp_path))
    try:
        state = h.wait(h.submit(pieces))
        got = {c.id: (c.cote, c.page, c.text) for c in h.services.catalog.dossier_chunks("d1")}
        assert got == want and len(want) > 15
        assert h.services.store.chunk_ids(SearchFilter(dossier_id="d1")) == set(want)
        assert state["state"] == "done_with_errors"
        by_file = {d["file"]: d for d in state["report"]["documents"]}
        assert by_file["vide.pdf"]["status"] == "failed" and "vide" in by_file["vide.pdf"]["error"]
        assert by_file["D1_pv_constatations.pdf"]["cote"] == "D1" and by_file["D1_pv_constatations.pdf"]["pages"] == 12
        assert state["report"]["totals"] == expected.totals() | {"files": 3}
        p = state["progress"]
        assert (p["files"], p["done"], p["pages_total"], p["pages"], p["chunks_total"], p["chunks_embedded"]) == \
            (3, 3, 15, 15, len(want), len(want))
        assert [e["code"] for e in p["errors"]] == ["fichier_vide"]
        pages = h.runtime.ledger.tasks(state["id"], "pages")
        assert len(pages) == 15 and all(t.size == 1 for t in pages)  # one task per page
        assert [a for a, _, _ in h.audit.entries] == ["ingest"]
        assert not h.jobs.folder(state["id"]).exists()  # the upload is removed once everything is in
    finally:
        h.close()


def test_every_task_delivered_twice_stores_each_chunk_once_and_closes_the_job_once(tmp_path, pieces):
    h = Harness(_settings(tmp_path))
    send = h.runtime.queue.send

    def twice(stage, payload):
        send(stage, payload)
        send(stage, payload)

    h.runtime.stages.send = twice
    try:
        state = h.wait(h.submit(pieces[:2]))
        assert state["state"] == "done"
        ids = [c.id for c in h.services.catalog.dossier_chunks("d1")]
        assert len(ids) == len(set(ids)) == state["report"]["totals"]["chunks"]
        assert h.services.store.count(SearchFilter(dossier_id="d1")) == len(ids)
        for t in h.runtime.ledger.tasks(state["id"]):  # and every message once more, after the end
            if t.stage not in ("job", "file"):
                send(t.stage, {"job": state["id"], "key": t.key, "doc": t.document_id})
        time.sleep(1.0)
        assert h.services.store.count(SearchFilter(dossier_id="d1")) == len(ids)
        assert [a for a, _, _ in h.audit.entries] == ["ingest"]
    finally:
        h.close()


def test_a_failing_task_is_retried_with_backoff_and_the_job_completes(tmp_path, pieces):
    flaky = FlakyEmbedder(failures=2)
    h = Harness(_settings(tmp_path, chunks_per_task=1000), embedder=flaky)
    try:
        state = h.wait(h.submit(pieces[:1]))
        assert state["state"] == "done", state
        (embed,) = h.runtime.ledger.tasks(state["id"], "embed")
        assert embed.attempts == 3 and embed.state == "done"
        gaps = [b - a for a, b in zip(flaky.calls, flaky.calls[1:], strict=False)]
        assert gaps[0] >= 0.09 and gaps[1] >= 0.09  # waited before each retry (min_backoff 100 ms, doubled)
    finally:
        h.close()


def test_a_task_that_keeps_failing_fails_the_job_in_french_keeps_its_files_and_resumes(tmp_path, pieces):
    flaky = FlakyEmbedder(failures=-1)
    h = Harness(_settings(tmp_path, max_retries=2, chunks_per_task=1000), embedder=flaky)
    try:
        job_id = h.submit(pieces[:1])
        state = h.wait(job_id)
        assert state["state"] == "failed"
        reason = state["report"]["error"]
        assert "échoué" in reason and "calcul des vecteurs" in reason and "D1_pv_constatations.pdf" in reason
        assert "reset the connection" not in reason and state["report"]["code"] == "tache_en_echec"
        assert len(flaky.calls) == 3  # the first attempt and two retries
        assert (h.jobs.folder(job_id) / "D1_pv_constatations.pdf").is_file()  # nothing received is lost
        assert any(a == "ingest.failed" for a, _, _ in h.audit.entries)
        flaky.failures = 0  # the embedding server is back
        h.jobs.resume(job_id)
        state = h.wait(job_id)
        assert state["state"] == "done", state
        assert h.services.store.count(SearchFilter(dossier_id="d1")) == state["report"]["totals"]["chunks"] > 0
        assert len(h.runtime.ledger.tasks(job_id, "pages")) == 12  # the pages read before were not read again
        assert all(t.attempts == 1 for t in h.runtime.ledger.tasks(job_id, "pages"))
    finally:
        h.close()


def test_each_file_is_prepared_by_its_own_task_and_the_outcome_does_not_depend_on_the_order(tmp_path):
    """Several workers take the files of one upload at once; a second file with the same cote still fails and the
    same bytes sent twice are stored once, exactly as the direct pipeline decides."""
    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "D1_pv_bis.pdf", 2, seed=22)
    make_pdf(folder / "D1_pv_constatations.pdf", 3, seed=21)  # the same cote, second in the upload: refused
    make_pdf(folder / "D2_audition.pdf", 2, seed=23)
    shutil.copy(folder / "D2_audition.pdf", folder / "D5_copie.pdf")  # the same bytes under another name
    files = sorted(folder.iterdir())
    direct = Services(_settings(tmp_path, "direct"))
    expected = direct.ingestor.ingest(files, "d1")
    want = {c.id: (c.cote, c.page, c.text) for c in direct.catalog.dossier_chunks("d1")}
    direct.close()
    h = Harness(_settings(tmp_path, worker_threads=4))
    try:
        state = h.wait(h.submit(files))
        got = {c.id: (c.cote, c.page, c.text) for c in h.services.catalog.dossier_chunks("d1")}
        assert got == want
        by_file = {d["file"]: (d["status"], d["error_code"], d["cote"]) for d in state["report"]["documents"]}
        assert state["report"]["totals"] == expected.totals()
        assert by_file == {d.file: (d.status, d.error_code, d.cote) for d in expected.documents}
        assert by_file["D1_pv_constatations.pdf"][:2] == ("failed", "cote_en_double")
        assert by_file["D5_copie.pdf"][0] == "unchanged"
        prepares = h.runtime.ledger.tasks(state["id"], "prepare")
        assert sorted(t.part for t in prepares) == [0, 1, 2, 3] and all(t.state == "done" for t in prepares)
    finally:
        h.close()


def test_a_received_file_damaged_in_the_blob_store_fails_alone_in_french(tmp_path, pieces):
    """Bytes that no longer hash to their name are never read as the piece: that file fails with the French
    error, the other files of the upload are stored."""
    import os

    from storage.blobs import FileBlobStore

    class DamagingStore(FileBlobStore):
        def put(self, source, sha256=None):
            info = super().put(source, sha256)
            if Path(source).name.startswith("D2"):
                path = self.root / info.sha256
                data = bytearray(path.read_bytes())
                data[len(data) // 2] ^= 0xFF
                path.write_bytes(bytes(data))
                os.utime(path, ns=(1, 1))
            return info

    settings = _settings(tmp_path)
    h = Harness(settings, blobs=DamagingStore(settings.paths.sub("originals")))
    try:
        state = h.wait(h.submit(pieces[:2]))
        by_file = {d["file"]: d for d in state["report"]["documents"]}
        assert by_file["D1_pv_constatations.pdf"]["status"] == "stored"
        damaged = by_file["D2_audition.pdf"]
        assert damaged["status"] == "failed" and damaged["error_code"] == "fichier_endommage"
        assert "endommagé" in damaged["error"] and "sauvegarde" in damaged["error"]
        assert {c.cote for c in h.services.catalog.dossier_chunks("d1")} == {"D1"}
    finally:
        h.close()
