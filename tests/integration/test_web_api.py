"""Routes the web page needs (fake backends, real uvicorn): page reader, setting a cote, a dossier's jobs."""
from __future__ import annotations

import time

import httpx
import pytest

from api.app import create_app
from api.audit import AuditLog
from api.auth import TokenStore
from core.settings import Settings
from ingestion.convert import text_to_pdf
from tests.conftest import EXAMPLES
from tests.server import LiveServer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    data = tmp_path_factory.mktemp("webapi")
    tokens = TokenStore(data / "db" / "users.sqlite")
    users = {"paris": tokens.add("paris", "magistrat", "TJ Paris"), "greffe": tokens.add("greffe", "greffier", "TJ Paris"),
             "creteil": tokens.add("creteil", "magistrat", "TJ Créteil"), "eval": tokens.add("eval", "evaluateur", "TJ Paris")}
    tokens.close()
    settings = Settings(paths={"data_dir": data}, vector_store={"backend": "memory"}, embedding={"backend": "hash"},
                        llm={"backend": "none"})
    folder = data / "in"
    folder.mkdir()
    text_to_pdf("Note de l'enquêteur sans tampon.\nLe véhicule a été restitué le lendemain.", folder / "note.pdf")
    with LiveServer(create_app(settings)) as server:
        clients = {n: httpx.Client(base_url=server.url + "/api", headers={"Authorization": f"Bearer {t}"}, timeout=60)
                   for n, t in users.items()}
        paris = clients["paris"]
        assert paris.post("/dossiers", json={"id": "web-1"}).status_code == 201
        paths = [*sorted((EXAMPLES / "route-002-recidivism").glob("*.pdf")), folder / "note.pdf"]
        files = [("files", (p.name, p.read_bytes(), "application/pdf")) for p in paths]
        files.append(("files", ("illisible.pdf", b"\x00\x01 pas un document " * 10, "application/pdf")))
        job = paris.post("/dossiers/web-1/documents", files=files).json()["job"]
        for _ in range(600):
            if paris.get(f"/jobs/{job}").json()["state"] not in ("queued", "running"):
                break
            time.sleep(0.1)
        yield clients, data


def _doc(client, filename):
    return next(d for d in client.get("/dossiers/web-1").json()["documents"] if d["filename"] == filename)


def test_the_page_reader_gives_the_cited_page_line_by_line_with_the_quoted_lines_flagged(live):
    clients, _ = live
    proposal = clients["paris"].post("/dossiers/web-1/orientation").json()
    src = proposal["facts"]["alcohol_air_mg_l_readings"]["sources"][0]
    page = clients["paris"].get("/dossiers/web-1/page", params={"cote": src["cote"], "page": src["page"],
                                                                "quote": src["quote"]}).json()
    assert page["cote"] == src["cote"] and page["filename"] == "D4_ticket_ethylometre.pdf"
    hits = [ln["text"] for ln in page["lines"] if ln["hit"]]
    assert hits and all(0 <= ln["top"] < 1 for ln in page["lines"])
    assert any("1,038" in h for h in hits)
    # Exactly the lines of the quoted passage are flagged, wherever the extractor's quote ends.
    assert [ln["hit"] for ln in page["lines"]] == [ln["text"] in src["quote"] for ln in page["lines"]]
    by_doc = clients["paris"].get("/dossiers/web-1/page", params={"document": page["document_id"], "page": 1}).json()
    assert by_doc["lines"] == [ln | {"hit": False} for ln in page["lines"]]
    # A fact read on a piece without cote carries no cote: its quote still opens its page.
    uncoted = clients["paris"].get("/dossiers/web-1/page", params={"page": 1, "quote": "Le véhicule a été restitué "
                                                                                          "le lendemain."}).json()
    assert uncoted["filename"] == "note.pdf" and uncoted["cote"] is None
    assert [ln["text"] for ln in uncoted["lines"] if ln["hit"]] == ["Le véhicule a été restitué le lendemain."]
    missing = clients["paris"].get("/dossiers/web-1/page", params={"cote": "D99", "page": 1})
    assert missing.status_code == 404 and "D99 p.1" in missing.json()["error"]["message"]
    assert clients["creteil"].get("/dossiers/web-1/page", params={"cote": "D4", "page": 1}).status_code == 404


def test_dossier_documents_give_ocr_pages_and_its_jobs_keep_the_failed_file(live):
    clients, _ = live
    assert _doc(clients["paris"], "D2_fva.pdf")["ocr_pages"] == 1
    assert _doc(clients["paris"], "D4_ticket_ethylometre.pdf")["ocr_pages"] == 0
    jobs = clients["greffe"].get("/dossiers/web-1/jobs").json()
    failed = [d for d in jobs[0]["report"]["documents"] if d["status"] == "failed"]
    assert [d["file"] for d in failed] == ["illisible.pdf"] and jobs[0]["dossier"] == "web-1"
    assert clients["creteil"].get("/dossiers/web-1/jobs").status_code == 404


def test_a_greffier_sets_a_missing_cote_audited_and_then_cited(live):
    clients, data = live
    note = _doc(clients["paris"], "note.pdf")
    assert note["cote"] is None
    assert clients["eval"].patch(f"/documents/{note['id']}", json={"cote": "D7"}).status_code == 403
    assert clients["creteil"].patch(f"/documents/{note['id']}", json={"cote": "D7"}).status_code == 404
    taken = clients["greffe"].patch(f"/documents/{note['id']}", json={"cote": "D4"})
    assert taken.status_code == 400 and "D4_ticket_ethylometre.pdf" in taken.json()["error"]["message"]
    ok = clients["greffe"].patch(f"/documents/{note['id']}", json={"cote": "d7"})
    assert ok.status_code == 200 and ok.json()["cote"] == "D7" and ok.json()["dossier_id"] == "web-1"
    hits = clients["paris"].post("/dossiers/web-1/search", json={"query": "véhicule restitué lendemain", "k": 3}).json()
    assert hits[0]["cote"] == "D7"
    page = clients["paris"].get("/dossiers/web-1/page", params={"cote": "D7", "page": 1}).json()
    assert page["filename"] == "note.pdf"
    log = AuditLog(f"sqlite:///{(data / 'db' / 'audit.sqlite').resolve()}")
    entries = [e for e in log.entries(limit=500) if e["action"] == "document.cote"]
    assert entries and entries[0]["actor"] == "greffe" and entries[0]["details"]["previous"] is None
    assert entries[0]["details"]["cote"] == "D7"
