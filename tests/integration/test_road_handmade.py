"""Acceptance on road dossiers written by another author (PDFs, a third scanned): ingested through the real
pipeline (PDF text, tesseract OCR, cotes from the bordereau), orientation and facts against the author's gold.

One ingestion is shared by the module (hash embedder, memory store). Tesseract's output for a page is kept in the
pytest cache, keyed by the PDF's bytes, the page, the language and the resolution: the first run OCRs for real
(the slow part), later runs read the same words back and take seconds. `pytest --cache-clear` forces real OCR."""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest

from core.settings import Settings
from evals.orientation_eval import evaluate_orientation

pytestmark = pytest.mark.integration
HANDMADE = Path(__file__).resolve().parents[1] / "data" / "road_handmade"


def _memo_ocr(real, folder: Path):
    def ocr(pdf_path: str, index: int, language: str = "fra", dpi: int = 300, *args, **kwargs):
        key = hashlib.sha256(Path(pdf_path).read_bytes() + f"|{index}|{language}|{dpi}".encode()).hexdigest()
        cached = folder / f"{key}.pickle"
        if cached.exists():
            return pickle.loads(cached.read_bytes())
        got = real(pdf_path, index, language, dpi, *args, **kwargs)
        cached.write_bytes(pickle.dumps(got))
        return got
    return ocr


@pytest.fixture(scope="module")
def result(tmp_path_factory, request):
    from api.services import Services
    from ingestion import reading

    patch = pytest.MonkeyPatch()
    patch.setattr(reading, "ocr_page", _memo_ocr(reading.ocr_page, request.config.cache.mkdir("road_handmade_ocr")))

    sv = Services(Settings(paths={"data_dir": tmp_path_factory.mktemp("handmade")}, llm={"backend": "none"},
                           embedding={"backend": "hash"}, vector_store={"backend": "memory"}))
    try:
        yield evaluate_orientation(sv, HANDMADE)
    finally:
        sv.close()
        patch.undo()


def test_the_grid_gives_the_authors_orientation_on_every_dossier(result):
    assert result["files"] == 8
    wrong = [i for i in result["items"] if not i["correct"]]
    assert not wrong, wrong


def test_facts_and_their_pages_match_the_authors_gold(result):
    assert result["facts_micro"]["f1"] >= 0.95, (result["facts_micro"], result["wrong_facts"])
    assert result["facts_micro"]["recall"] >= 0.95, result["wrong_facts"]
