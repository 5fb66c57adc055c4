"""Through the real API (uvicorn on loopback): once every piece of an upload is read and in the full-text index,
the orientation is proposed while the dense vectors are still being computed, and it is the proposal made after
the embedding (same facts, sources, orientation and id)."""
from __future__ import annotations

import threading
import time

import httpx
import pytest

from api.app import create_app
from api.auth import TokenStore
from api.services import Services
from core.settings import Settings
from tests.conftest import EXAMPLES
from tests.server import LiveServer

pytestmark = pytest.mark.integration
FILE = EXAMPLES / "route-001-margin_zone"
SAME = ("id", "facts", "derived", "orientation", "trace", "missing", "warnings", "constraints", "grid", "display")


def test_the_orientation_is_proposed_while_the_dossier_is_embedded_and_does_not_change_after(tmp_path,
                                                                                          monkeypatch):
    settings = Settings(paths={"data_dir": tmp_path / "var"}, vector_store={"backend": "memory"},
                        embedding={"backend": "hash"}, llm={"backend": "none"})
    sv = Services(settings)
    release = threading.Event()
    real = sv.embedder.embed_passages

    def held(texts):
        assert release.wait(120), "test never released the embedder"
        return real(texts)

    monkeypatch.setattr(sv.embedder, "embed_passages", held)
    tokens = TokenStore(settings.paths.sub("db") / "users.sqlite")
    token = tokens.add("paris", "magistrat", "TJ Paris")
    tokens.close()
    files = [("files", (p.name, p.read_bytes())) for p in sorted(FILE.glob("*.pdf"))]
    with LiveServer(create_app(settings, services=sv)) as server, httpx.Client(
            base_url=server.url + "/api", headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
        c.post("/dossiers", json={"id": "O"}).raise_for_status()
        job = c.post("/dossiers/O/documents", files=files).json()["job"]
        deadline = time.monotonic() + 120
        try:
            while (state := c.get(f"/jobs/{job}").json())["progress"].get("phase") != "embedding":
                assert time.monotonic() < deadline and state["state"] in ("queued", "running"), state
                time.sleep(0.1)
            early = c.post("/dossiers/O/orientation")
            assert early.status_code == 201, early.text
            assert c.get("/dossiers/O/indexation").json()["complete"] is False  # still embedding meanwhile
            assert c.get(f"/jobs/{job}").json()["state"] == "running"
        finally:
            release.set()
        while c.get(f"/jobs/{job}").json()["state"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert c.get("/dossiers/O/indexation").json()["complete"] is True
        after = c.post("/dossiers/O/orientation").json()
        assert {k: early.json()[k] for k in SAME} == {k: after[k] for k in SAME}
        assert len(early.json()["documents"]) == len(files)
    sv.close()
