"""Issue 11 in the page (headless Chromium, fake backends): a failed job shows failed with its reason, and the CSP
(no inline script, no eval) lets the page and /docs run. The decision history in the page is covered by
test_web_page.py::test_orientation_shows_sources_and_the_decision_history."""
from __future__ import annotations

import shutil

import pytest

from api.app import create_app
from api.auth import TokenStore
from api.services import Services
from core.settings import Settings
from tests.conftest import EXAMPLES, ROOT
from tests.server import LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class _StoreFailsForOneDossier:
    """The real vector store, except that writing dossier FAIL's points dies as a crashed store would."""

    def __init__(self, real) -> None:
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def upsert(self, points, *args, **kwargs):
        if any(p.chunk.dossier_id.endswith("~FAIL") for p in points):
            raise RuntimeError("Tracker journal is shorter than expected")
        return self.real.upsert(points, *args, **kwargs)


class _FailsForOneDossier:
    """The real ingestor, except for dossier FAIL whose run dies as a crashed store would (the direct path's
    `ingest` and the queued stages' store writes alike: the upload route enqueues staged tasks)."""

    def __init__(self, real) -> None:
        self.real = real
        self.store = _StoreFailsForOneDossier(real.store)

    def __getattr__(self, name):  # conflicts() and the rest: the real ingestor's
        return getattr(self.real, name)

    def ingest(self, paths, dossier_id, *args, **kwargs):
        if dossier_id.endswith("~FAIL"):
            raise RuntimeError("Tracker journal is shorter than expected")
        return self.real.ingest(paths, dossier_id, *args, **kwargs)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    data = tmp_path_factory.mktemp("web-sec")
    token = TokenStore(data / "db" / "users.sqlite").add("mme.substitute", "magistrat", "TJ Paris")
    settings = Settings(paths={"data_dir": data}, vector_store={"backend": "memory"}, embedding={"backend": "hash"},
                        llm={"backend": "none"}, queue={"max_retries": 1, "min_backoff_ms": 100})
    sv = Services(settings)
    sv.ingestor = _FailsForOneDossier(sv.ingestor)
    ARTIFACTS.mkdir(exist_ok=True)
    with LiveServer(create_app(settings, sv)) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        pg = browser.new_page(viewport={"width": 1366, "height": 900})
        pg.set_default_timeout(60_000)
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        pg.goto(server.url)
        pg.fill("#token", token)
        pg.press("#token", "Enter")
        pg.wait_for_selector("#who:has-text('TJ Paris')")
        yield pg, server.url, errors
        browser.close()
    sv.close()


def _upload(pg, dossier: str) -> None:
    pg.fill("#new-id", dossier)
    pg.click("#new-btn")
    pg.wait_for_selector("#dossier-title:has-text('" + dossier + "')")
    pg.set_input_files("#files", [str(p) for p in sorted((EXAMPLES / "route-002-recidivism").glob("*.pdf"))])
    pg.click("#upload-btn")


def test_a_failed_job_is_shown_failed_with_its_reason_never_finished(page):
    pg, _, errors = page
    _upload(pg, "FAIL")
    pg.wait_for_selector("#progress strong:has-text('Échec')")
    text = pg.inner_text("#progress")
    assert "échoué" in text and "Terminé" not in text
    pg.screenshot(path=str(ARTIFACTS / "job-failed.png"), full_page=True)
    assert not errors


def test_docs_render_from_local_files_under_the_csp(page):
    pg, url, errors = page
    pg.goto(url + "/docs")
    pg.wait_for_selector(".swagger-ui .opblock")
    assert pg.locator(".swagger-ui .opblock").count() > 10
    assert not errors
