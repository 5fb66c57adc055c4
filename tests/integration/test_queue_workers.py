"""Worker processes on a real Redis broker beside a server that owns the embedded store: one dossier spreads
across workers page by page, and a worker killed (-9) in the middle of a task loses nothing."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from api.jobs import JobStore
from api.services import Services
from api.worker import IngestionRuntime
from core.protocols import SearchFilter
from core.settings import Settings
from storage.locations import location
from tests.conftest import ROOT
from tests.queueing import Audit, make_pdf, make_scanned_pdf, redis_server, wait_job

pytestmark = pytest.mark.integration


def queue_env(data, url: str, **extra) -> dict:
    """The settings of every process of the test, as environment variables (what a deployment sets)."""
    env = {"MAP_PATHS__DATA_DIR": str(data), "MAP_QUEUE__BACKEND": "redis", "MAP_QUEUE__URL": url,
           "MAP_QUEUE__HEARTBEAT_TIMEOUT_MS": "3000", "MAP_QUEUE__MAINTENANCE_CHANCE": "200000",
           "MAP_QUEUE__MIN_BACKOFF_MS": "200", "MAP_EMBEDDING__BACKEND": "hash", "MAP_LLM__BACKEND": "none",
           "MAP_INGESTION__OCR_DPI": "150"}
    return env | {k: str(v) for k, v in extra.items()}


def start_worker(env: dict, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "api.cli", "worker"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env=os.environ | {"PYTHONPATH": str(ROOT)} | env)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_worker_killed_mid_task_loses_nothing_and_the_dossier_spreads_across_workers(tmp_path, monkeypatch):
    pieces = tmp_path / "in"
    pieces.mkdir()
    make_scanned_pdf(pieces / "D1_pv_scanne.pdf", 3, seed=3)
    make_pdf(pieces / "D2_pv_audition.pdf", 24, seed=4)
    files = sorted(pieces.iterdir())
    with redis_server(tmp_path / "redis") as url:
        env = queue_env(tmp_path / "var", url)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        settings = Settings()
        assert settings.vector_store.backend == "edge" and settings.queue.backend == "redis"
        server = Services(settings)  # the owner of the embedded store: it alone indexes
        jobs = JobStore(location(settings, "jobs"), settings.paths.sub("uploads"))
        jobs.runtime = IngestionRuntime(settings, server, jobs, Audit(), "server")
        log = open(tmp_path / "workers.log", "w")  # noqa: SIM115
        workers = [start_worker(env, log) for _ in range(2)]
        try:
            direct = Services(Settings(paths={"data_dir": tmp_path / "direct"}, vector_store={"backend": "memory"},
                                       embedding={"backend": "hash"}, llm={"backend": "none"}, ingestion={"ocr_dpi": 150}))
            assert not direct.ingestor.ingest(files, "d1").failed
            expected = {c.id: c.text for c in direct.catalog.dossier_chunks("d1")}
            direct.close()
            job_id, folder = jobs.create("d1", "TJ Paris", "mme.x")
            for f in files:
                (folder / f.name).write_bytes(f.read_bytes())
            jobs.submit(job_id)
            victim = f"{socket.gethostname()}:{workers[0].pid}"
            ledger = jobs.runtime.ledger
            deadline = time.monotonic() + 120
            taken = None
            while taken is None and time.monotonic() < deadline:
                taken = next((t for t in ledger.tasks(job_id, "pages") if t.state == "running" and t.owner == victim),
                             None)
                time.sleep(0.02)
            assert taken is not None, (tmp_path / "workers.log").read_text()[-3000:]
            workers[0].send_signal(signal.SIGKILL)  # in the middle of reading a page
            workers[0].wait(10)
            state = wait_job(jobs.get, job_id, 180)
            assert state["state"] == "done", state
            stored = {c.id: c.text for c in server.catalog.dossier_chunks("d1")}
            assert stored == expected  # exactly the chunks of a direct ingestion: none lost, none twice
            assert server.store.chunk_ids(SearchFilter(dossier_id="d1")) == set(expected)
            redone = ledger.get(taken.key)
            assert redone.state == "done" and redone.attempts >= 2 and redone.owner != victim
            owners = {t.owner for t in ledger.tasks(job_id) if t.stage in ("pages", "embed")}
            survivor = f"{socket.gethostname()}:{workers[1].pid}"
            assert survivor in owners and victim in {taken.owner} and len(ledger.tasks(job_id, "pages")) == 27
        finally:
            for w in workers:
                stop(w)
            log.close()
            jobs.close()
            server.close()
