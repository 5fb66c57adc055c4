"""Security review (issue 11) through a real uvicorn server on loopback, with fake backends (memory store, hash
embedder, no LLM): tenancy, deletion, proposals, uploads, audit log, HTTP hardening, decisions."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.audit import GENESIS, AuditLog
from api.auth import TokenStore
from core.ids import dossier_key
from core.protocols import SearchFilter
from core.settings import Settings
from tests.conftest import EXAMPLES, ROOT
from tests.server import LiveServer

pytestmark = pytest.mark.integration
KEY = "cle-de-test-du-journal-0123456789"
ROUTE = EXAMPLES / "route-002-recidivism"
INSTRUCTION = EXAMPLES / "instruction-000"


def _settings(data: Path, **api) -> Settings:
    return Settings(paths={"data_dir": data}, vector_store={"backend": "memory"}, embedding={"backend": "hash"},
                    llm={"backend": "none"}, audit={"hmac_key": KEY},
                    api={"max_upload_mb": 1.5, "max_request_mb": 3.0, "auth_max_failures": 1000} | api)


def _users(data: Path) -> dict[str, str]:
    tokens = TokenStore(data / "db" / "users.sqlite")
    users = {"paris": tokens.add("paris", "magistrat", "TJ Paris"),
             "greffe": tokens.add("greffe", "greffier", "TJ Paris"),
             "creteil": tokens.add("creteil", "magistrat", "TJ Créteil"),
             "admin": tokens.add("admin", "admin", "TJ Paris")}
    tokens.close()
    return users


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    data = tmp_path_factory.mktemp("sec")
    users = _users(data)
    app = create_app(_settings(data))
    with LiveServer(app) as server:
        clients = {name: httpx.Client(base_url=server.url + "/api", headers={"Authorization": f"Bearer {tok}"},
                                      timeout=120) for name, tok in users.items()}
        clients["anonymous"] = httpx.Client(base_url=server.url + "/api", timeout=30)
        clients["root"] = httpx.Client(base_url=server.url, timeout=30)
        yield clients, data, app


def _wait(client, job: str) -> dict:
    for _ in range(600):
        state = client.get(f"/jobs/{job}").json()
        if state["state"] not in ("queued", "running"):
            return state
        time.sleep(0.1)
    raise AssertionError("ingestion job did not finish")


def _upload(client, dossier: str, paths: list[Path], create: bool = True) -> dict:
    if create:
        assert client.post("/dossiers", json={"id": dossier}).status_code == 201
    files = [("files", (p.name, p.read_bytes(), "application/pdf")) for p in paths]
    r = client.post(f"/dossiers/{dossier}/documents", files=files)
    assert r.status_code == 202, r.text
    return _wait(client, r.json()["job"])


def _pdfs(folder: Path, n: int | None = None) -> list[Path]:
    return sorted(folder.glob("*.pdf"))[:n]


def _jobs(data: Path) -> int:
    with sqlite3.connect(data / "db" / "jobs.sqlite") as conn:
        return conn.execute("SELECT count(*) FROM jobs").fetchone()[0]


def _audit_entries(data: Path) -> list[dict]:
    return AuditLog(f"sqlite:///{data / 'db' / 'audit.sqlite'}", KEY).entries()


# 1 -----------------------------------------------------------------------------------------------------------
def test_deleting_a_dossier_deletes_everything_derived_and_a_recreated_id_starts_empty(live):
    clients, data, app = live
    paris, creteil = clients["paris"], clients["creteil"]
    state = _upload(paris, "PAR-DEL", _pdfs(INSTRUCTION, 4))
    assert state["state"] == "done"
    dossier = paris.get("/dossiers/PAR-DEL").json()
    shas = [d["sha256"] for d in dossier["documents"]]
    draft = paris.post("/dossiers/PAR-DEL/drafts", json={"kind": "synthese"}).json()
    assert paris.get(f"/drafts/{draft['id']}/docx").status_code == 200
    proposal = paris.post("/dossiers/PAR-DEL/orientation").json()
    key = dossier_key("TJ Paris", "PAR-DEL")
    sv = app.state.root.services
    assert sv.store.count(SearchFilter(dossier_id=key)) > 0
    assert (data / "exports" / f"{draft['id']}.docx").is_file()

    assert paris.delete("/dossiers/PAR-DEL").status_code == 204

    # Créteil, then Paris itself, re-create the id: nothing of the old dossier is reachable.
    for client in (creteil, paris):
        assert client.post("/dossiers", json={"id": "PAR-DEL"}).status_code == 201
        for path in (f"/drafts/{draft['id']}", f"/drafts/{draft['id']}/stream", f"/drafts/{draft['id']}/docx",
                     f"/proposals/{proposal['id']}"):
            r = client.get(path)
            assert r.status_code == 404, (path, r.text)
        assert client.get("/dossiers/PAR-DEL").json()["documents"] == []
        assert client.post("/dossiers/PAR-DEL/search", json={"query": "perquisition"}).json() == []
    assert sv.store.count(SearchFilter(dossier_id=key)) == 0
    assert sv.catalog.dossier_chunks(key) == []
    assert not (data / "exports" / f"{draft['id']}.docx").exists()
    assert not any((data / "originals" / sha).exists() for sha in shas)
    with sqlite3.connect(data / "db" / "decisions.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM proposals WHERE dossier_id=?", (key,)).fetchone()[0] == 0
    with sqlite3.connect(data / "db" / "drafts.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM drafts WHERE dossier=?", (key,)).fetchone()[0] == 0
    deleted = [e for e in _audit_entries(data) if e["action"] == "dossier.delete"
               and e["details"].get("dossier_key") == key]
    assert deleted[0]["dossier"] == "PAR-DEL" and deleted[0]["details"]["juridiction"] == "TJ Paris"
    assert deleted and deleted[0]["details"]["removed"]["documents"] == 4
    assert deleted[0]["details"]["removed"]["drafts"] == 1 and deleted[0]["details"]["removed"]["proposals"] == 1


# 2 -----------------------------------------------------------------------------------------------------------
def test_proposals_are_per_dossier_and_errors_name_nothing_of_another_juridiction(live):
    clients, _, _ = live
    paris, creteil = clients["paris"], clients["creteil"]
    _upload(paris, "PAR-2026-R03", _pdfs(ROUTE))
    _upload(paris, "PAR-2026-R03-BIS", _pdfs(ROUTE))
    first = paris.post("/dossiers/PAR-2026-R03/orientation").json()
    second = paris.post("/dossiers/PAR-2026-R03-BIS/orientation").json()
    assert first["orientation"]["code"] == second["orientation"]["code"]
    assert first["id"] != second["id"] and second["dossier"] == "PAR-2026-R03-BIS"
    assert paris.post(f"/proposals/{second['id']}/decision", json={"action": "accept"}).status_code == 201
    assert paris.get(f"/proposals/{first['id']}").json()["decisions"] == []
    assert len(paris.get(f"/proposals/{second['id']}").json()["decisions"]) == 1
    refused = creteil.get(f"/proposals/{first['id']}")
    assert refused.status_code == 404 and "R03" not in refused.text
    assert creteil.post(f"/proposals/{first['id']}/decision", json={"action": "accept"}).status_code == 404


# 3 -----------------------------------------------------------------------------------------------------------
def test_dossier_ids_are_scoped_per_juridiction_so_no_answer_depends_on_another(live):
    clients, _, _ = live
    paris, creteil = clients["paris"], clients["creteil"]
    _upload(paris, "PAR-SCOPE", _pdfs(ROUTE, 2))
    taken = creteil.post("/dossiers", json={"id": "PAR-SCOPE"})
    free = creteil.post("/dossiers", json={"id": "CRE-FREE-1"})
    assert taken.status_code == free.status_code == 201
    assert set(taken.json()) == set(free.json()) and taken.json()["id"] == "PAR-SCOPE"
    assert creteil.get("/dossiers/PAR-SCOPE").json()["documents"] == []
    assert creteil.post("/dossiers/PAR-SCOPE/search", json={"query": "alcool"}).json() == []
    assert len(paris.get("/dossiers/PAR-SCOPE").json()["documents"]) == 2
    theirs = creteil.get("/dossiers").json()
    assert {d["juridiction"] for d in theirs} == {"TJ Créteil"} and {"PAR-SCOPE", "CRE-FREE-1"} <= {d["id"] for d in theirs}
    mine = paris.get("/dossiers").json()
    assert all(d["juridiction"] == "TJ Paris" for d in mine) and "PAR-SCOPE" in [d["id"] for d in mine]


# 5 -----------------------------------------------------------------------------------------------------------
def test_same_name_files_of_one_upload_are_all_kept_under_their_name(live):
    clients, _, _ = live
    paris = clients["paris"]
    assert paris.post("/dossiers", json={"id": "SAME-NAME"}).status_code == 201
    files = [("files", ("piece_1.pdf", p.read_bytes(), "application/pdf")) for p in _pdfs(INSTRUCTION, 3)]
    r = paris.post("/dossiers/SAME-NAME/documents", files=files)
    assert r.json()["files"] == 3
    assert _wait(paris, r.json()["job"])["progress"]["done"] == 3
    docs = paris.get("/dossiers/SAME-NAME").json()["documents"]
    assert len(docs) == 3 and {d["filename"] for d in docs} == {"piece_1.pdf"}
    assert len({d["sha256"] for d in docs}) == 3


# 6 -----------------------------------------------------------------------------------------------------------
class _BrokenIngestor:
    def ingest(self, *args, **kwargs):
        raise RuntimeError("Tracker journal is shorter than expected")

    def conflicts(self, *args, **kwargs):  # the upload route asks first (on_conflict=ask): nothing conflicts here
        return []


def test_a_failed_job_is_reported_failed_with_a_french_reason(tmp_path):
    from api.services import Services

    users = _users(tmp_path)
    settings = _settings(tmp_path)
    sv = Services(settings, ingestor=_BrokenIngestor())
    with LiveServer(create_app(settings, sv)) as server:
        c = httpx.Client(base_url=server.url + "/api", headers={"Authorization": f"Bearer {users['paris']}"})
        c.post("/dossiers", json={"id": "FAIL"})
        job = c.post("/dossiers/FAIL/documents", files=[("files", ("a.pdf", b"%PDF-1.4", "application/pdf"))])
        state = _wait(c, job.json()["job"])
    assert state["state"] == "failed"
    assert "échoué" in state["report"]["error"] and "Tracker" not in state["report"]["error"]
    app_js = (ROOT / "api" / "static" / "app.js").read_text(encoding="utf-8")
    assert 'state.state === "failed"' in app_js and "Échec de l'analyse" in app_js


# 7 -----------------------------------------------------------------------------------------------------------
def test_every_access_to_case_content_and_every_refusal_is_logged_with_who_and_what(live):
    clients, data, _ = live
    paris, creteil, greffe = clients["paris"], clients["creteil"], clients["greffe"]
    state = _upload(paris, "AUDIT-1", _pdfs(ROUTE, 3))
    doc = paris.get("/dossiers/AUDIT-1").json()["documents"][0]
    paris.get("/dossiers")
    paris.get(f"/documents/{doc['id']}/pages/1")
    paris.get(f"/documents/{doc['id']}/original")
    paris.get("/dossiers/AUDIT-1/page.png", params={"cote": doc["cote"], "page": 1})
    draft = paris.post("/dossiers/AUDIT-1/drafts", json={"kind": "synthese"}).json()
    paris.get(f"/drafts/{draft['id']}")
    paris.get(f"/drafts/{draft['id']}/stream")
    proposal = paris.post("/dossiers/AUDIT-1/orientation").json()
    paris.get(f"/proposals/{proposal['id']}")
    paris.post("/dossiers/AUDIT-1/search", json={"query": "x" * 2000})
    assert clients["anonymous"].get("/dossiers").status_code == 401
    assert greffe.post(f"/proposals/{proposal['id']}/decision", json={"action": "accept"}).status_code == 403
    assert creteil.get(f"/documents/{doc['id']}/pages/1").status_code == 404
    assert creteil.get(f"/jobs/{state['id']}").status_code == 404
    entries = _audit_entries(data)
    actions = {e["action"] for e in entries}
    assert {"dossier.list", "dossier.read", "page.text", "document.original", "page.view", "draft.read",
            "draft.stream", "proposal.read", "job.read", "search", "refus"} <= actions
    key = dossier_key("TJ Paris", "AUDIT-1")
    reads = [e for e in entries if e["action"] == "page.text" and e["details"].get("dossier_key") == key]
    assert reads[0]["actor"] == "paris" and reads[0]["details"]["role"] == "magistrat"
    assert reads[0]["details"]["juridiction"] == "TJ Paris" and reads[0]["details"]["document"] == doc["id"]
    refusals = {(e["actor"], e["details"]["status"]) for e in entries if e["action"] == "refus"}
    assert {("anonyme", 401), ("greffe", 403), ("creteil", 404)} <= refusals
    refused = [e for e in entries if e["action"] == "refus" and doc["id"] in e["details"]["target"]]
    assert refused[0]["actor"] == "creteil" and refused[0]["details"]["juridiction"] == "TJ Créteil"
    long_search = next(e for e in entries if e["action"] == "search" and e["dossier"] == "AUDIT-1")
    assert len(long_search["details"]["query"]) < 1100 and all(len(e["details"]) < 9000 for e in entries)


def _cli(args: list[str], data: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT), "MAP_PATHS__DATA_DIR": str(data), "MAP_AUDIT__HMAC_KEY": KEY,
                        "MAP_VECTOR_STORE__BACKEND": "memory", "MAP_EMBEDDING__BACKEND": "hash",
                        "MAP_LLM__BACKEND": "none", "MAP_CONFIG": str(data / "none.yaml")}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, env=env,
                          check=check, timeout=300, cwd=data)


def test_the_cli_logs_its_accesses_to_case_content_too(tmp_path):
    _cli(["ingest", str(ROUTE), "--dossier", "cli-1", "--json"], tmp_path)
    _cli(["search", "alcool", "--dossier", "cli-1"], tmp_path)
    _cli(["page", "--dossier", "cli-1", "--cote", "D2", "--page", "1"], tmp_path, check=False)
    entries = _audit_entries(tmp_path)
    key = dossier_key("TJ Paris", "cli-1")
    seen = {(e["action"], e["dossier"], e["details"].get("dossier_key")) for e in entries}
    assert {("ingest", "cli-1", key), ("search", "cli-1", key), ("page.text", "cli-1", key)} <= seen
    assert all(e["actor"].startswith("cli:") and e["details"]["role"] == "operateur" for e in entries)
    assert json.loads(_cli(["audit", "verify"], tmp_path).stdout)["ok"] is True


# 8 -----------------------------------------------------------------------------------------------------------
def _rechain(db: Path, key: bytes | None, where: str = "1=1") -> None:
    """What someone with write access but without the secret can do: rewrite the rows and recompute the chain."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    prev = GENESIS
    for seq, at, actor, action, dossier, details in conn.execute(
            f"SELECT seq, at, actor, action, dossier, details FROM audit_log WHERE {where} ORDER BY seq").fetchall():
        payload = json.dumps([prev, at, actor, action, dossier, details], ensure_ascii=False).encode()
        digest = hmac.new(key, payload, hashlib.sha256).hexdigest() if key else hashlib.sha256(payload).hexdigest()
        conn.execute("UPDATE audit_log SET prev_hash=?, hash=? WHERE seq=?", (prev, digest, seq))
        prev = digest
    conn.commit()
    conn.close()


def test_audit_tampering_is_detected_and_verify_opens_the_log_read_only(live, tmp_path):
    clients, data, _ = live
    for n in range(5):
        clients["paris"].post("/dossiers", json={"id": f"AUDIT-T{n}"})
    clients["creteil"].post("/dossiers", json={"id": "AUDIT-T0"})

    def copy(name: str) -> Path:
        target = tmp_path / name
        (target / "db").mkdir(parents=True)
        shutil.copy(data / "db" / "audit.sqlite", target / "db" / "audit.sqlite")
        if (data / "audit").exists():
            shutil.copytree(data / "audit", target / "audit")
        return target

    intact = copy("intact")
    db = intact / "db" / "audit.sqlite"
    os.chmod(db, 0o444)
    before = (db.stat().st_mtime_ns, sorted(p.name for p in db.parent.iterdir()))
    ok = _cli(["audit", "verify"], intact)
    assert json.loads(ok.stdout)["ok"] is True
    assert (db.stat().st_mtime_ns, sorted(p.name for p in db.parent.iterdir())) == before

    cut = copy("cut")  # the last entries deleted
    conn = sqlite3.connect(cut / "db" / "audit.sqlite")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)")
    conn.commit()
    conn.close()

    edited = copy("edited")  # one entry edited, the chain recomputed (without the key, or with the placeholder)
    conn = sqlite3.connect(edited / "db" / "audit.sqlite")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit_log SET actor='quelqu-un' WHERE seq=2")
    conn.commit()
    conn.close()
    _rechain(edited / "db" / "audit.sqlite", None)
    edited_placeholder = copy("edited-placeholder")
    _rechain(edited_placeholder / "db" / "audit.sqlite", b"change-me")

    erased = copy("erased")  # one user's entries erased, the rest re-chained
    conn = sqlite3.connect(erased / "db" / "audit.sqlite")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit_log WHERE actor='creteil'")
    conn.commit()
    conn.close()
    _rechain(erased / "db" / "audit.sqlite", None)

    no_checkpoints = copy("no-checkpoints")
    shutil.rmtree(no_checkpoints / "audit", ignore_errors=True)
    result = _cli(["audit", "verify"], cut, check=False)
    assert result.returncode == 1 and json.loads(result.stdout)["ok"] is False
    assert json.loads(ok.stdout)["checkpoints"] > 0
    for folder in (cut, edited, edited_placeholder, erased, no_checkpoints):  # same check, in-process (faster)
        settings = Settings(paths={"data_dir": folder}, audit={"hmac_key": KEY})
        assert AuditLog.from_settings(settings, readonly=True).verify()["ok"] is False, folder.name


def test_the_placeholder_audit_key_is_refused_outside_development():
    with pytest.raises(ValueError, match="audit.hmac_key"):
        Settings(environment="production", api={"session_secret": "un-vrai-secret"})
    Settings(environment="production", api={"session_secret": "un-vrai-secret"}, audit={"hmac_key": KEY})


# 9 -----------------------------------------------------------------------------------------------------------
def test_uploads_are_cut_off_past_their_limit_and_bad_names_refused_without_orphan_job(live):
    clients, data, _ = live
    paris = clients["paris"]
    assert paris.post("/dossiers", json={"id": "LIMITS"}).status_code == 201
    jobs, uploads = _jobs(data), sorted((data / "uploads").iterdir())
    pdf = _pdfs(ROUTE, 1)[0].read_bytes()

    too_big = paris.post("/dossiers/LIMITS/documents", files=[("files", ("gros.pdf", b"0" * 4_000_000))])
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "http_413"

    def chunks():  # no Content-Length: the limit is applied while the body streams in
        boundary = b"limite"
        yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n'
        for _ in range(40):
            yield b"0" * 100_000
        yield b"\r\n--" + boundary + b"--\r\n"

    streamed = paris.post("/dossiers/LIMITS/documents", content=chunks(),
                          headers={"Content-Type": "multipart/form-data; boundary=limite"})
    assert streamed.status_code == 413

    # A file past the per-file limit is refused while it streams: the answer comes before the body is complete.
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(str(paris.base_url))
    head = (b'--b\r\nContent-Disposition: form-data; name="files"; filename="lourd.pdf"\r\n\r\n')
    with socket.create_connection((where.hostname, where.port), timeout=20) as sock:
        sock.sendall(b"POST /api/dossiers/LIMITS/documents HTTP/1.1\r\nHost: x\r\n"
                     + f"Authorization: {paris.headers['authorization']}\r\n".encode()
                     + b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 2500000\r\n\r\n" + head
                     + b"0" * 1_600_000)
        answer = b""
        while not answer.rstrip().endswith(b"}"):  # headers, then the JSON error body
            if not (got := sock.recv(65536)):
                break
            answer += got
        answer = answer.decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 413") and "lourd.pdf" in answer

    one_too_big = paris.post("/dossiers/LIMITS/documents",
                             files=[("files", ("a.pdf", pdf)), ("files", ("b.pdf", b"0" * 1_600_000))])
    assert one_too_big.status_code == 413 and "b.pdf" in one_too_big.json()["error"]["message"]
    for name in (".", "..", "", "../..", "dossier/.."):
        r = paris.post("/dossiers/LIMITS/documents", files=[("files", (name, pdf, "application/pdf"))])
        assert r.status_code in (400, 422), (name, r.status_code)
        assert r.status_code != 500 and r.json()["error"]["message"]
    assert _jobs(data) == jobs and sorted((data / "uploads").iterdir()) == uploads
    assert paris.get("/dossiers/LIMITS").json()["documents"] == []


def test_inputs_are_bounded_and_changes_typed(live):
    clients, _, _ = live
    paris = clients["paris"]
    assert paris.post("/dossiers", json={"id": "T-LONG", "title": "t" * 201}).status_code == 422
    _upload(paris, "BOUNDS", _pdfs(ROUTE))
    proposal = paris.post("/dossiers/BOUNDS/orientation").json()
    url = f"/proposals/{proposal['id']}/decision"
    long = paris.post(url, json={"action": "reject", "reason": "m" * 2001})
    assert long.status_code == 422 and long.json()["error"]["param"] == "reason"
    unknown = paris.post(url, json={"action": "modify", "changes": {"n_importe_quoi": 1}, "reason": "r"})
    assert unknown.status_code == 422 and unknown.json()["error"]["param"] == "changes.n_importe_quoi"
    wrong_type = paris.post(url, json={"action": "modify", "changes": {"requisitions.fine_eur": "beaucoup"},
                                       "reason": "r"})
    assert wrong_type.status_code == 422
    too_long = paris.post(url, json={"action": "modify", "changes": {"orientation.code": "C" * 201}, "reason": "r"})
    assert too_long.status_code == 422 and too_long.json()["error"]["param"] == "changes.orientation.code"
    ok = paris.post(url, json={"action": "modify", "changes": {"requisitions.fine_eur": "400"}, "reason": "Revenus"})
    assert ok.status_code == 201 and ok.json()["changes"] == {"requisitions.fine_eur": 400}


# 10 ----------------------------------------------------------------------------------------------------------
def test_security_headers_on_every_response_and_originals_as_attachments(live):
    clients, _, _ = live
    paris, root = clients["paris"], clients["root"]
    _upload(paris, "HEADERS", _pdfs(ROUTE, 1))
    doc = paris.get("/dossiers/HEADERS").json()["documents"][0]
    for r in (root.get("/"), root.get("/static/app.js"), paris.get("/dossiers/HEADERS"),
              clients["anonymous"].get("/dossiers"), paris.get(f"/documents/{doc['id']}/original")):
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    for r in (paris.get("/dossiers/HEADERS"), paris.get(f"/documents/{doc['id']}/pages/1")):
        assert "no-store" in r.headers["cache-control"]
    original = paris.get(f"/documents/{doc['id']}/original")
    assert original.headers["content-disposition"].startswith("attachment")
    assert original.headers["content-type"] == "application/octet-stream"
    assert paris.get("/me", headers={"X-Request-Id": "abc-123"}).headers["x-request-id"] == "abc-123"
    for bad in ("<script>alert(1)</script>", "x" * 200, "a b"):
        assert paris.get("/me", headers={"X-Request-Id": bad}).headers["x-request-id"] != bad
    html = (ROOT / "api" / "static" / "index.html").read_text(encoding="utf-8")
    import re

    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and not re.search(r"\son\w+\s*=", html)
    assert "style=" not in html and "<style" not in html


def test_docs_are_served_from_local_files_only_and_only_when_enabled(live, tmp_path):
    clients, _, _ = live
    root = clients["root"]
    page = root.get("/docs")
    assert page.status_code == 200
    assert "http" not in page.text and "<script>" not in page.text
    import re

    for src in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert src.startswith("/") and root.get(src).status_code == 200, src
    spec = root.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/api/dossiers"]["get"]["security"] == [{"HTTPBearer": []}]
    settings = _settings(tmp_path, docs=False)
    with LiveServer(create_app(settings)) as server:
        assert httpx.get(server.url + "/docs").status_code == 404
        assert httpx.get(server.url + "/openapi.json").status_code == 404


def test_readiness_reveals_no_model_or_count_without_a_token(live):
    clients, _, _ = live
    anonymous = clients["anonymous"].get("/ready")
    assert anonymous.status_code == 200 and anonymous.json() == {"ready": True}
    detailed = clients["paris"].get("/ready").json()
    assert detailed["checks"]["embedder"]["model"]


def test_failed_authentications_are_throttled_per_client(tmp_path):
    users = _users(tmp_path)
    with LiveServer(create_app(_settings(tmp_path, auth_max_failures=3, auth_window_s=60))) as server:
        bad = httpx.Client(base_url=server.url + "/api", headers={"Authorization": "Bearer map_faux"})
        assert [bad.get("/dossiers").status_code for _ in range(3)] == [401, 401, 401]
        blocked = bad.get("/dossiers")
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
        assert "réessayez" in blocked.json()["error"]["message"]
        good = httpx.get(server.url + "/api/me", headers={"Authorization": f"Bearer {users['paris']}"})
        assert good.status_code == 429  # the same client is held back, whatever token it tries next


# 11 ----------------------------------------------------------------------------------------------------------
def test_one_current_decision_per_proposal_with_its_history_and_explicit_supersession(live):
    clients, _, _ = live
    paris = clients["paris"]
    _upload(paris, "DECIDE", _pdfs(ROUTE))
    proposal = paris.post("/dossiers/DECIDE/orientation").json()
    assert proposal["current_decision"] is None
    url = f"/proposals/{proposal['id']}/decision"
    first = paris.post(url, json={"action": "accept"}).json()
    silent = paris.post(url, json={"action": "reject", "reason": "Dossier incomplet"})
    assert silent.status_code == 409 and silent.json()["error"]["param"] == "supersedes"
    second = paris.post(url, json={"action": "reject", "reason": "Dossier incomplet", "supersedes": first["seq"]})
    assert second.status_code == 201
    shown = paris.get(f"/proposals/{proposal['id']}").json()
    assert shown["current_decision"]["seq"] == second.json()["seq"]
    assert shown["current_decision"]["action"] == "reject" and shown["current_decision"]["reason"] == "Dossier incomplet"
    history = shown["decisions"]
    assert [d["action"] for d in history] == ["accept", "reject"]
    assert history[0]["superseded_by"] == history[1]["seq"] and history[1]["supersedes"] == history[0]["seq"]
    assert all(d["decided_by"] == "paris" and d["decided_at"] for d in history)
    app_js = (ROOT / "api" / "static" / "app.js").read_text(encoding="utf-8")
    assert "Décision en vigueur" in app_js and "supersedes" in app_js
