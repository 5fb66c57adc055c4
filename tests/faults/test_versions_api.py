"""Replacing a piece of the same cote through the real API (uvicorn on loopback): 409 asks, nothing changes;
replace / version / cancel do what they say; the previous version stays retrievable."""
from __future__ import annotations

import time

import httpx
import pytest

from api.app import create_app
from api.auth import TokenStore
from core.settings import Settings
from tests.faults.conftest import PV, write_text_piece
from tests.server import LiveServer

pytestmark = pytest.mark.integration


@pytest.fixture
def client(tmp_path):
    data = tmp_path / "var"
    settings = Settings(paths={"data_dir": data}, vector_store={"backend": "memory"}, embedding={"backend": "hash"},
                        llm={"backend": "none"})
    tokens = TokenStore(settings.paths.sub("db") / "users.sqlite")
    token = tokens.add("paris", "magistrat", "TJ Paris")
    tokens.close()
    with LiveServer(create_app(settings)) as server:
        with httpx.Client(base_url=server.url + "/api", headers={"Authorization": f"Bearer {token}"},
                          timeout=120) as c:
            yield c, data


def _wait(c, job):
    for _ in range(600):
        state = c.get(f"/jobs/{job}").json()
        if state["state"] not in ("queued", "running"):
            return state
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def _send(c, path, on_conflict=None):
    params = {"on_conflict": on_conflict} if on_conflict else {}
    return c.post("/dossiers/V/documents", params=params, files=[("files", (path.name, path.read_bytes()))])


def _d3(c):
    docs = c.get("/dossiers/V").json()["documents"]
    return sorted((d for d in docs if d["cote"] == "D3"), key=lambda d: d["version"])


def _search(c, plate):
    hits = c.post("/dossiers/V/search", json={"query": plate, "k": 5}).json()
    return any(plate in h["text"] for h in (hits if isinstance(hits, list) else hits.get("results", [])))


def test_upload_of_an_existing_cote_asks_then_applies_the_choice(client, tmp_path):
    c, data = client
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    v1 = write_text_piece(tmp_path / "v1" / "D3_pv.pdf", PV.format(plate="AA-111-AA"))
    v2 = write_text_piece(tmp_path / "v2" / "D3_pv.pdf", PV.format(plate="ZZ-999-ZZ"))
    c.post("/dossiers", json={"id": "V"}).raise_for_status()
    assert _wait(c, _send(c, v1).json()["job"])["state"] == "done"
    uploads_before = sorted(p.name for p in (data / "uploads").iterdir())

    asked = _send(c, v2)
    assert asked.status_code == 409
    body = asked.json()
    assert body["error"]["code"] == "cote_en_conflit" and "D3" in body["error"]["message"]
    assert body["conflicts"][0]["cote"] == "D3" and body["conflicts"][0]["existing"]["version"] == 1
    assert [d["filename"] for d in _d3(c)] == ["D3_pv.pdf"] and len(_d3(c)) == 1
    assert sorted(p.name for p in (data / "uploads").iterdir()) == uploads_before  # no job folder left

    cancelled = _wait(c, _send(c, v2, "cancel").json()["job"])
    assert cancelled["report"]["documents"][0]["status"] == "cancelled" and len(_d3(c)) == 1

    replaced = _wait(c, _send(c, v2, "replace").json()["job"])
    assert replaced["state"] == "done", replaced
    old, new = _d3(c)
    assert (old["version"], old["status"], new["version"], new["status"]) == (1, "replaced", 2, "stored")
    assert _search(c, "ZZ-999-ZZ") and not _search(c, "AA-111-AA")
    assert "AA-111-AA" in c.get(f"/documents/{old['id']}/pages/1").json()["text"]  # still retrievable
    assert c.get(f"/documents/{old['id']}/original").status_code == 200

    v3 = write_text_piece(tmp_path / "v1" / "D3_pv.pdf", PV.format(plate="MM-333-MM"))
    both = _wait(c, _send(c, v3, "version").json()["job"])
    assert both["state"] == "done"
    assert [d["status"] for d in _d3(c)] == ["replaced", "stored", "stored"]
    assert _search(c, "MM-333-MM") and _search(c, "ZZ-999-ZZ")


def test_an_unknown_choice_is_refused_before_anything_is_written(client, tmp_path):
    c, data = client
    c.post("/dossiers", json={"id": "V"}).raise_for_status()
    piece = write_text_piece(tmp_path / "D1_pv.pdf", PV.format(plate="AA-111-AA"))
    r = _send(c, piece, "ecraser")
    assert r.status_code == 422 and r.json()["error"]["param"] == "on_conflict"
    assert not list((data / "uploads").iterdir())
