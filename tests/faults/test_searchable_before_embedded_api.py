"""Through the real API (uvicorn on loopback): while the dense vectors of an upload are computed, the dossier is
already searchable by BM25 and every search and answer says, in French, how many pages still wait."""
from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from api.app import create_app
from api.auth import TokenStore
from api.services import Services
from core.settings import Settings
from tests.faults.conftest import PV, write_text_piece
from tests.server import LiveServer

pytestmark = pytest.mark.integration


def test_search_and_ask_work_and_say_so_while_the_dossier_is_being_embedded(tmp_path, monkeypatch):
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
    folder = tmp_path / "in"
    folder.mkdir()
    files = [write_text_piece(folder / f"D{i}_pv.pdf", PV.format(plate=plate))
             for i, plate in enumerate(("AA-111-AA", "GH-512-JK", "ZZ-999-ZZ"), start=1)]
    with LiveServer(create_app(settings, services=sv)) as server, httpx.Client(
            base_url=server.url + "/api", headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
        c.post("/dossiers", json={"id": "E"}).raise_for_status()
        job = c.post("/dossiers/E/documents", files=[("files", (f.name, f.read_bytes())) for f in files]).json()["job"]
        deadline = time.monotonic() + 120
        while (state := c.get(f"/jobs/{job}").json())["progress"].get("phase") != "embedding":
            assert time.monotonic() < deadline and state["state"] in ("queued", "running"), state
            time.sleep(0.1)
        assert state["state"] == "running" and state["progress"]["chunks_waiting"] >= 3

        hits = c.post("/dossiers/E/search", json={"query": "ZZ-999-ZZ", "k": 3}).json()
        assert hits[0]["cote"] == "D3" and "ZZ-999-ZZ" in hits[0]["text"]
        indexing = c.get("/dossiers/E/indexation").json()
        assert (indexing["complete"], indexing["pages"], indexing["pages_waiting"]) == (False, 3, 3)
        assert indexing["message"].startswith("Recherche plein texte seulement : 3 pages sur 3")
        events = c.post("/dossiers/E/ask", json={"question": "Quelle est l'immatriculation du véhicule ?"}).text
        done = json.loads(events.split("event: done\ndata: ")[1].split("\n")[0])
        assert done["notice"] == indexing["message"]

        release.set()
        while c.get(f"/jobs/{job}").json()["state"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert c.get("/dossiers/E/indexation").json() == {"complete": True, "pages_waiting": 0, "chunks_waiting": 0,
                                                           "message": None}
        hits = c.post("/dossiers/E/search", json={"query": "ZZ-999-ZZ", "k": 3}).json()
        assert "dense" in hits[0]["scores"]
    sv.close()
