"""The web page on the hand-made road dossiers (tests/data/road_handmade, an independent author, a third scanned),
through headless Chromium: each dossier uploaded without its bordereau, oriented, every fact source opened.
Counts page states checked, what the e2e text check finds in them, pieces left without cote, sources whose
reader fails or shows no highlighted line, and orientations equal to the gold."""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _common import ROOT, write_json

TEXT = ("() => document.body.innerText + '\\n' + [...document.querySelectorAll('[aria-label]')]"
        ".map((e) => e.getAttribute('aria-label')).join('\\n')")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dataset", type=Path, default=ROOT / "tests" / "data" / "road_handmade")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "web_page_handmade.json")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from api.app import create_app
    from api.auth import TokenStore
    from core.settings import Settings
    from orientation.display import ORIENTATION_LABELS
    from tests.e2e.test_web_page import CHROMIUM, FILE_NAME, FLAGS, FORBIDDEN
    from tests.server import LiveServer

    data = Path(tempfile.mkdtemp())
    token = TokenStore(data / "db" / "users.sqlite").add("mme.x", "magistrat", "TJ Paris")
    app = create_app(Settings(paths={"data_dir": data}, llm={"backend": "none"}, embedding={"backend": "hash"},
                              vector_store={"backend": "memory"}))
    out = {"dossiers": 0, "page_states": 0, "violations": [], "pieces": 0, "pieces_without_cote": 0,
           "fact_sources": 0, "reader_failed": 0, "reader_without_highlight": 0, "orientation_as_gold": 0}
    started = time.perf_counter()
    with LiveServer(app) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        pg = browser.new_page(viewport={"width": 1366, "height": 900})
        pg.set_default_timeout(300_000)
        pg.goto(server.url)
        pg.fill("#token", token)
        pg.press("#token", "Enter")
        pg.wait_for_selector("#who:has-text('magistrat')")

        def check(where: str) -> None:
            out["page_states"] += 1
            bad = sorted({m.group(0) for m in FORBIDDEN.finditer(FILE_NAME.sub(" ", pg.evaluate(TEXT)))})
            if bad:
                out["violations"].append({"state": where, "found": bad})

        for folder in sorted((args.dataset / "dossiers").iterdir()):
            gold = json.loads((args.dataset / "gold" / f"{folder.name}.json").read_text(encoding="utf-8"))
            out["dossiers"] += 1
            pg.fill("#new-id", folder.name)
            pg.click("#new-btn")
            pg.wait_for_selector(f"#dossier-title:has-text('{folder.name}')")
            pg.set_input_files("#files", [str(p) for p in sorted(folder.glob("*.pdf"))])
            pg.click("#upload-btn")
            pg.wait_for_selector("#progress strong:has-text('Terminé')")
            check(f"{folder.name}: pièces")
            out["pieces"] += pg.locator("#documents tr").count()
            out["pieces_without_cote"] += pg.locator("#documents .cote.missing").count()
            pg.click("#orient-btn")
            pg.wait_for_selector(".proposal")
            check(f"{folder.name}: orientation")
            shown = pg.inner_text(".proposal strong")
            out["orientation_as_gold"] += shown == ORIENTATION_LABELS.get(gold.get("expected_orientation"), "?")
            chips = pg.locator("#orientation table.facts .chip")
            for i in range(chips.count()):
                out["fact_sources"] += 1
                chips.nth(i).click()
                pg.wait_for_selector("#viewer-image.loaded, #viewer-error:not(:empty)")
                if pg.inner_text("#viewer-error").strip():
                    out["reader_failed"] += 1
                elif pg.locator("#viewer-text .hit").count() == 0:
                    out["reader_without_highlight"] += 1
                check(f"{folder.name}: source {i + 1}")
                pg.click("#viewer-close")
                pg.wait_for_selector("#viewer", state="hidden")
        browser.close()
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    write_json(args.json, out)


if __name__ == "__main__":
    main()
