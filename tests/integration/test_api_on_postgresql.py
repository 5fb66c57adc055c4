"""With state.url set, every piece of state lives in PostgreSQL: a whole flow through the API (accounts, upload
job, catalog, proposal, decision, draft, deletion, audit) leaves no SQLite file in the data folder and reads back
from the database."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.audit import AuditLog
from api.auth import TokenStore
from api.services import Services
from core.ids import dossier_key
from core.settings import Settings
from ingestion.catalog import Catalog

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "route-000-delit_mid"
pytestmark = pytest.mark.integration


def test_a_whole_flow_through_the_api_keeps_its_state_in_postgresql_only(tmp_path, postgres):
    url = postgres.new_database()
    settings = Settings(paths={"data_dir": tmp_path / "var"}, vector_store={"backend": "memory"},
                        embedding={"backend": "hash"}, llm={"backend": "none"}, state={"url": url})
    tokens = TokenStore(url)
    headers = {"Authorization": f"Bearer {tokens.add('mme.paris', 'magistrat', 'TJ Paris')}"}
    other = {"Authorization": f"Bearer {tokens.add('m.creteil', 'magistrat', 'TJ Créteil')}"}
    tokens.close()
    services = Services(settings)
    app = create_app(settings, services)
    with TestClient(app) as client:
        assert client.post("/api/dossiers", json={"id": "PG-1"}, headers=headers).status_code == 201
        files = [("files", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(EXAMPLE.glob("*.pdf"))]
        job = client.post("/api/dossiers/PG-1/documents", files=files, headers=headers).json()["job"]
        deadline = time.monotonic() + 300
        while (state := client.get(f"/api/jobs/{job}", headers=headers).json())["state"] in ("queued", "running"):
            assert time.monotonic() < deadline, state
            time.sleep(0.3)
        assert state["state"] == "done", state
        assert client.get(f"/api/jobs/{job}", headers=other).status_code == 404  # another juridiction
        proposal = client.post("/api/dossiers/PG-1/orientation", headers=headers).json()
        decided = client.post(f"/api/proposals/{proposal['id']}/decision", json={"action": "accept"}, headers=headers)
        assert decided.status_code in (200, 201), decided.text
        draft = client.post("/api/dossiers/PG-1/drafts", json={"kind": "synthese"}, headers=headers).json()
        assert client.get(f"/api/drafts/{draft['id']}", headers=headers).status_code == 200

        key = dossier_key("TJ Paris", "PG-1")
        catalog = Catalog(url, read_only=True)
        assert len(catalog.current_documents(key)) == len(files) and catalog.dossier_chunks(key)
        assert services.orientation.decisions.current(proposal["id"])["action"] == "accept"
        assert client.delete("/api/dossiers/PG-1", headers=headers).status_code == 204
        assert catalog.find_dossier(key) is None and catalog.dossier_chunks(key) == []
        catalog.close()
    services.close()

    assert not list((tmp_path / "var").rglob("*.sqlite"))  # nothing went to a SQLite file
    audit = AuditLog.from_settings(settings, readonly=True)
    actions = [e["action"] for e in audit.entries()]
    assert "ingest" in actions and "orientation.decide" in actions and "dossier.delete" in actions
    assert audit.verify()["ok"]
    audit.close()
