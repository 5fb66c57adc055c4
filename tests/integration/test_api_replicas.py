"""Two API processes on one state (the real PostgreSQL of the tests, shared data folder for the files) and one
Redis queue: a job started on one replica is visible on the other, and resumable there after the first one died
and the broker lost its messages; failed authentications on one make the other refuse that client."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from api.auth import TokenStore
from tests.conftest import ROOT
from tests.integration.test_queue_workers import queue_env, start_worker, stop
from tests.queueing import free_port, make_pdf, redis_server, wait_job

pytestmark = pytest.mark.integration


def start_api(env: dict, port: int, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env=os.environ | {"PYTHONPATH": str(ROOT)} | env)


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"API process exited with {proc.returncode}")
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("API process did not start")


def assert_throttle_is_shared(a_url: str, b_url: str, token: str) -> None:
    """An attacker (another loopback address, 127.0.0.2) spreading failures over the replicas gets the allowance
    of one (3 failures), not one per replica; the legitimate client (127.0.0.1) is not held back."""
    attacker = httpx.HTTPTransport(local_address="127.0.0.2")
    wrong = {"Authorization": "Bearer map_faux"}
    with httpx.Client(transport=attacker, headers=wrong) as c:
        assert [c.get(a_url + "/dossiers").status_code for _ in range(3)] == [401, 401, 401]
        refused = c.get(b_url + "/dossiers")  # B has seen none of these failures itself
        assert refused.status_code == 429, refused.text
        assert "réessayez dans" in refused.json()["error"]["message"] and int(refused.headers["retry-after"]) > 0
        held = c.get(b_url + "/me", headers={"Authorization": f"Bearer {token}"})
        assert held.status_code == 429  # held back on B whatever token it tries next
    assert httpx.get(b_url + "/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_job_started_on_one_replica_is_seen_and_resumed_on_the_other(tmp_path, postgres):
    data = tmp_path / "var"
    state_url = postgres.new_database()  # every replica and the worker share it (catalog, jobs, tasks, accounts)
    tokens = TokenStore(state_url)
    token = tokens.add("mme.x", "magistrat", "TJ Paris")
    tokens.close()
    make_pdf(tmp_path / "D1_pv_constatations.pdf", 6, seed=5)
    make_pdf(tmp_path / "D2_audition.pdf", 2, seed=6)
    with redis_server(tmp_path / "redis") as url:
        # The vector store is shared by every replica in production (Qdrant server); none runs here, and the
        # embedded engine is single-process: the replicas use the in-memory store, the job state is what is shared.
        env = queue_env(data, url, MAP_VECTOR_STORE__BACKEND="memory", MAP_STATE__URL=state_url,
                        MAP_API__AUTH_MAX_FAILURES=3, MAP_API__AUTH_WINDOW_S=300)
        log = open(tmp_path / "replicas.log", "w")  # noqa: SIM115
        ports = [free_port(), free_port()]
        apis = [start_api(env, port, log) for port in ports]
        worker = None
        try:
            for port, proc in zip(ports, apis, strict=True):
                wait_up(f"http://127.0.0.1:{port}", proc)
            assert_throttle_is_shared(*(f"http://127.0.0.1:{port}/api" for port in ports), token)
            a, b = (httpx.Client(base_url=f"http://127.0.0.1:{port}/api", timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) for port in ports)
            assert a.post("/dossiers", json={"id": "R-1"}).status_code in (200, 201)
            assert [d["id"] for d in b.get("/dossiers").json()] == ["R-1"]
            files = [("files", (n, (tmp_path / n).read_bytes(), "application/pdf"))
                     for n in ("D1_pv_constatations.pdf", "D2_audition.pdf")]
            job_id = a.post("/dossiers/R-1/documents", files=files).json()["job"]
            seen = b.get(f"/jobs/{job_id}").json()
            assert seen["state"] == "queued" and seen["dossier"] == "R-1"  # no worker yet: waiting on the queue
            assert [j["id"] for j in b.get("/dossiers/R-1/jobs").json()] == [job_id]
            apis[0].send_signal(signal.SIGKILL)  # the replica that took the upload dies
            apis[0].wait(10)
            import redis

            redis.Redis.from_url(url).flushall()  # and the broker restarts without its messages
            worker = start_worker(env, log)
            time.sleep(5)
            assert b.get(f"/jobs/{job_id}").json()["state"] == "queued"  # nothing left to run it by itself
            resumed = b.post(f"/jobs/{job_id}/resume")
            assert resumed.status_code == 202, resumed.text
            state = wait_job(lambda j: b.get(f"/jobs/{j}").json(), job_id, 120)
            assert state["state"] == "done", state
            assert state["progress"]["pages"] == state["progress"]["pages_total"] == 8
            docs = b.get("/dossiers/R-1").json()["documents"]
            assert sorted(d["cote"] for d in docs) == ["D1", "D2"]
            assert state["report"]["totals"]["chunks"] >= 8
            assert b.post(f"/jobs/{job_id}/resume").status_code == 409  # a finished job has nothing to resume
        finally:
            if worker is not None:
                stop(worker)
            for proc in apis:
                stop(proc)
            log.close()

