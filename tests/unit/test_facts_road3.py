"""Classes of wording an independent author's road passages revealed (issue #13), checked on phrasings of our own
(tests/data/wording_variations_road3.jsonl, one cause per line; 46 of its 115 lines fail on cd861bd, the others
guard what already worked). Values and sources are asserted, never one exact sentence.

Licence status told in interview answers (« Non, je ne l'ai jamais eu », a « oui » to « Votre permis est-il
suspendu ? », « Oui, j'ai tous mes points » to a question on validity; a measure told in a later answer outranks a
bare « oui » to holding one), in forms (« Titulaire du permis : NON », « Permis : OUI », a ticked option on the line
below its label, OCR'd « Perrnis »), in prose (« n'en a jamais été titulaire », « ne pas posséder le permis », a
learner driving alone, a national file's entry for a measure a court pronounced, a charge's status before its
recidivism clause). Another person's value — the passenger, the victim, the owner, the other vehicle's driver,
told by name or referred back to (« Son permis … », « celui-ci », « chez lui ») — is not the driver's. Readings:
OCR-spaced decimals, « 0 mg 71 », a grid's range (« compris entre 0,40 et 0,59 »). Priors in free B1 lines and
narratives (« Antécédents : condamné le … », « Relevé des condamnations » with « déf. », « la précédente
condamnation … prononcée le … », « pour des faits identiques », a recidivism article named with the record).
Flight in the charge's legal words; a laboratory that finds nothing outranks the screening; a fiche's « Âge »."""
from __future__ import annotations

import pytest

from evals.facts_eval import predict
from orientation.extract import extract, text_views
from orientation.grid import load_limits
from tests.cause_corpus import check_row, load_rows, row_ids

ROWS = load_rows("wording_variations_road3.jsonl")
LIMITS = load_limits()


@pytest.mark.parametrize("row", ROWS, ids=row_ids(ROWS))
def test_each_class_is_read_by_meaning(row):
    check_row(row)


def test_every_class_has_several_phrasings():
    causes: dict[str, int] = {}
    for r in ROWS:
        causes[r["cause"]] = causes.get(r["cause"], 0) + 1
    assert len(causes) >= 12
    assert sum(causes.values()) >= 100


def _fact(text: str, key: str):
    return extract(text_views(text, cote="D12"))[key]


def test_answer_in_an_audition_gives_the_status_with_the_answer_as_source():
    fact = _fact("Q : Êtes-vous titulaire du permis de conduire ?\nR : Non, je ne l'ai jamais passé, "
                 "je conduis la voiture de ma mère.", "licence_status")
    assert fact.value == "never_held"
    assert fact.sources[0].cote == "D12" and "jamais passé" in fact.sources[0].quote


def test_a_later_answer_telling_a_measure_outranks_a_bare_yes():
    text = ("Q : Avez-vous le permis ?\nR : Oui.\nQ : Est-il toujours valable ?\n"
            "R : Non, il a été suspendu par la sous-préfecture en février.")
    assert predict(text, LIMITS)["licence_status"] == "suspended"


def test_a_document_left_at_home_is_no_status():
    text = "Q : Avez-vous votre permis sur vous ?\nR : Non, je l'ai oublié chez moi."
    assert predict(text, LIMITS)["licence_status"] is None


def test_another_persons_licence_told_first_does_not_hide_the_drivers():
    text = ("Le propriétaire du véhicule, M. ALVES, présente un permis valide ; le conducteur, M. CRUZ, "
            "n'en a jamais été titulaire.")
    fact = _fact(text, "licence_status")
    assert fact.value == "never_held"
    assert "jamais été titulaire" in fact.sources[0].quote


def test_a_reading_referred_back_to_the_passenger_is_not_taken():
    text = ("Le passager avant, M. LOPEZ, a accepté de souffler ; l'éthylomètre a relevé chez lui 0,66 mg/l. "
            "Le conducteur présentait 0,29 mg/l d'air expiré.")
    fact = _fact(text, "alcohol_air_mg_l_readings")
    assert fact.value == [0.29]
    assert "0,29" in fact.sources[0].quote


def test_the_laboratory_finding_nothing_outranks_a_positive_screening():
    text = ("Le test salivaire est positif à la cocaïne. L'analyse de sang réalisée par le laboratoire ne détecte "
            "aucune substance stupéfiante.")
    got = predict(text, LIMITS)
    assert got["drugs_positive"] is False and got["drugs_substances"] in (None, [])


def test_a_prior_conviction_told_in_the_narrative_is_a_record_not_a_finding():
    text = ("Il a été condamné le 3 octobre 2022 par le tribunal correctionnel de Gap pour conduite après usage de "
            "stupéfiants ; cette décision est devenue définitive le 15 novembre 2022.")
    got = predict(text, LIMITS)
    assert got["drugs_positive"] is None
    assert [(p["date"], p["final_date"]) for p in got["prior_convictions"]] == [("2022-10-03", "2022-11-15")]


def test_a_grid_range_is_no_reading():
    text = "Barème : de 0,40 à 0,79 mg/l — amende ; taux compris entre 0,80 et 0,99 mg/l — CRPC."
    assert predict(text, LIMITS)["alcohol_air_mg_l_readings"] in (None, [])
