"""The web page in headless Chromium (Debian's binary driven by Playwright), against a live server."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api.app import create_app
from api.auth import TokenStore
from core.settings import Settings
from tests.conftest import EXAMPLES, ROOT
from tests.server import LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("web")
    token = TokenStore(data / "db" / "users.sqlite").add("mme.substitute", "magistrat", "TJ Paris")
    with LiveServer(create_app(Settings(paths={"data_dir": data}, llm={"backend": "none"}))) as server:
        yield server.url, token


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        pg = browser.new_page(viewport={"width": 1366, "height": 900})
        pg.set_default_timeout(120_000)
        yield pg
        browser.close()


def _upload(pg, dossier: str, folder: Path) -> None:
    pg.fill("#new-id", dossier)
    pg.click("#new-dossier button")
    pg.wait_for_selector("#dossier-title:has-text('" + dossier + "')")
    pg.set_input_files("#files", [str(p) for p in sorted(folder.glob("*.pdf"))])
    pg.click("#upload-form button")
    pg.wait_for_selector("#progress strong:has-text('Terminé')", timeout=300_000)


def _open_source(pg, chip: str, screenshot: str) -> None:
    """Click a citation chip, wait for the highlighted page image, keep a screenshot, close the viewer."""
    pg.click(chip)
    pg.wait_for_function("document.getElementById('viewer').open && "
                         "document.getElementById('viewer-img').complete && "
                         "document.getElementById('viewer-img').naturalWidth > 0")
    pg.screenshot(path=str(ARTIFACTS / screenshot))
    pg.click("#viewer button")


def test_magistrate_signs_in_orients_a_road_file_and_opens_a_source(site, page):
    url, token = site
    page.goto(url)
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.wait_for_selector("#who:has-text('magistrat')")
    _upload(page, "route-web", EXAMPLES / "route-002-recidivism")
    page.click("#orient-btn")
    page.wait_for_selector(".proposal:has-text('CRPC')")
    page.screenshot(path=str(ARTIFACTS / "orientation.png"), full_page=True)
    _open_source(page, "#orientation .chip >> nth=0", "source.png")
    page.select_option("#decision-action", "reject")
    page.click("#decision-form button")
    page.wait_for_selector("#decision-result:has-text('motif')")
    page.fill("#decision-reason", "Dossier à compléter par une enquête")
    page.click("#decision-form button")
    page.wait_for_selector("#decision-result:has-text('enregistrée')")


def test_magistrate_drafts_a_synthese_and_clicks_a_citation(site, page):
    _upload(page, "instruction-web", EXAMPLES / "instruction-000")
    page.select_option("#draft-kind", "synthese")
    page.click("#draft-btn")
    page.wait_for_selector("#draft .chip")
    assert page.locator("#draft p.s-fallback, #draft p.s-supported").count() > 10
    _open_source(page, "#draft .chip >> nth=2", "draft-citation.png")
    page.fill("#question", "Quelle immatriculation le témoin a-t-il relevée ?")
    page.click("#ask-form button")
    page.wait_for_selector("#answer p .chip")
    page.screenshot(path=str(ARTIFACTS / "question.png"), full_page=True)
