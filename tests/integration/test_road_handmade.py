"""Acceptance on road dossiers written by another author (PDFs, a third scanned): ingested through the real
pipeline (PDF text, tesseract OCR, cotes from the bordereau), orientation and facts against the author's gold."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from evals.orientation_eval import evaluate_orientation

pytestmark = pytest.mark.integration
HANDMADE = Path(__file__).resolve().parents[1] / "data" / "road_handmade"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from api.services import Services

    sv = Services(Settings(paths={"data_dir": tmp_path_factory.mktemp("handmade")}, llm={"backend": "none"},
                           embedding={"backend": "hash"}, vector_store={"backend": "memory"}))
    try:
        yield evaluate_orientation(sv, HANDMADE)
    finally:
        sv.close()


def test_the_grid_gives_the_authors_orientation_on_every_dossier(result):
    assert result["files"] == 8
    wrong = [i for i in result["items"] if not i["correct"]]
    assert not wrong, wrong


def test_facts_and_their_pages_match_the_authors_gold(result):
    assert result["facts_micro"]["f1"] >= 0.95, (result["facts_micro"], result["wrong_facts"])
    assert result["facts_micro"]["recall"] >= 0.95, result["wrong_facts"]
