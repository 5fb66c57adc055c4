"""« L'incident est journalisé » is true: an unexpected error is logged with the request id the client got back,
where it was raised, and never the case content its message may quote (that stays at DEBUG)."""
from __future__ import annotations

import io
import json
import logging

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import TokenStore
from api.deps import get_search
from api.services import Services
from core.log import configure_logging

SECRET = "M. Aubertin conduisait avec 0,86 mg/l"


class _FailingSearch:
    def search(self, query, flt, k):
        raise RuntimeError(f"index corrompu près de « {SECRET} »")


def _run(fake_settings, level: str) -> tuple[dict, list[dict]]:
    tokens = TokenStore(fake_settings.paths.sub("db") / "users.sqlite")
    token = tokens.add("mme.x", "magistrat", "TJ Paris")
    tokens.close()
    app = create_app(fake_settings, Services(fake_settings))
    app.dependency_overrides[get_search] = _FailingSearch
    stream = io.StringIO()
    handler = configure_logging(level, stream)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            headers = {"Authorization": f"Bearer {token}", "X-Request-Id": "req-incident-42"}
            client.post("/api/dossiers", json={"id": "D-9"}, headers=headers)
            r = client.post("/api/dossiers/D-9/search", json={"query": "alcoolémie"}, headers=headers)
    finally:
        logging.getLogger().removeHandler(handler)
    assert r.status_code == 500
    return r.json(), [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_500_is_logged_with_the_request_id_and_no_case_content_at_info(fake_settings):
    body, lines = _run(fake_settings, "INFO")
    assert body["error"]["code"] == "erreur_interne" and body["request_id"] == "req-incident-42"
    failed = [ln for ln in lines if ln["event"] == "request.failed"]
    assert len(failed) == 1, lines
    entry = failed[0]
    assert entry["level"] == "error" and entry["request_id"] == "req-incident-42"
    assert entry["error_type"] == "RuntimeError" and entry["route"].endswith("/dossiers/{dossier_id}/search")
    assert any("search" in frame for frame in entry["frames"])
    assert SECRET not in json.dumps(lines, ensure_ascii=False) and "D-9" not in json.dumps(entry)


def test_at_debug_the_incident_keeps_the_exception_message(fake_settings):
    _, lines = _run(fake_settings, "DEBUG")
    detail = next(ln for ln in lines if ln["event"] == "request.failed.detail")
    assert detail["request_id"] == "req-incident-42" and SECRET in detail["case"]["message"]
