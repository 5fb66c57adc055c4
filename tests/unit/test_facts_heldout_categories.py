"""The categories of meaning a held-out corpus by another author showed missing (B1 layouts, recidivism set aside,
screening results, refusals stated as accepted, licence in prose, drugs confirmation, blood units, ticket tables,
dates in words, getaways without « délit de fuite »). Values are asserted, never one exact sentence."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.facts_eval import predict, score
from orientation.grid import load_limits

EXTRA = Path(__file__).resolve().parents[1] / "data" / "wording_variations_extra.jsonl"
LIMITS = load_limits()


def _facts(text: str) -> dict:
    return predict(text, LIMITS)


def test_extra_wording_corpus_is_read():
    rows = [json.loads(x) for x in EXTRA.read_text(encoding="utf-8").splitlines() if x.strip()]
    got = score([(predict(r["text"], LIMITS), r["facts"]) for r in rows])
    assert got["ALL"]["f1"] >= 0.95, got["ALL"]


@pytest.mark.parametrize("text", [
    "Son casier judiciaire est vierge.",
    "Extrait B1 : aucune mention.",
    "Le bulletin numéro 1 de l'intéressé ne comporte aucune condamnation.",
])
def test_an_empty_record_in_prose_rules_recidivism_out(text):
    got = _facts(text)
    assert got["prior_convictions"] == []
    assert got["legal_recidivism"] is False


@pytest.mark.parametrize("text", [
    "Compte tenu de la date de la précédente condamnation, l'état de récidive légale ne peut être retenu.",
    "L'ancienneté de la condamnation rend inapplicables les dispositions relatives à la récidive.",
    "Le prévenu n'est pas en état de récidive légale.",
    "La circonstance de récidive légale n'est pas caractérisée en l'espèce.",
])
def test_recidivism_set_aside_is_false(text):
    assert _facts(text)["legal_recidivism"] is False


@pytest.mark.parametrize("text", [
    "Récidiviste, déjà condamné en 2021 pour conduite sous stupéfiants, il a été interpellé dimanche.",
    "Le prévenu, multirécidiviste, comparaissait libre.",
])
def test_press_recidivist_is_true(text):
    assert _facts(text)["legal_recidivism"] is True


@pytest.mark.parametrize("text, want", [
    ("Le dépistage de l'imprégnation alcoolique par éthylotest électronique est négatif.", True),
    ("Dépist. alcool. (éthylotest) : NÉGATIF", True),
    ("Éthylotest électronique — résultat : 0,00", True),
    ("Le dépistage alcoolique s'avère positif.", False),
    ("Il a accepté de souffler dans l'éthylotest, le résultat étant positif.", False),
])
def test_screening_result_in_many_wordings(text, want):
    assert _facts(text)["alcohol_screening_negative"] is want


@pytest.mark.parametrize("text, key, want", [
    ("Le conducteur s'est prêté sans difficulté aux vérifications de l'état alcoolique.", "refusal_of_test", False),
    ("Le scooter s'est spontanément arrêté à notre signal.", "refusal_to_comply", False),
    ("Le conducteur fait demi-tour et accélère malgré nos injonctions de s'arrêter.", "refusal_to_comply", True),
    ("Ignorant le signe d'arrêt du gendarme, la conductrice poursuit son chemin.", "refusal_to_comply", True),
])
def test_refusals_stated_without_the_usual_words(text, key, want):
    assert _facts(text)[key] is want


@pytest.mark.parametrize("text, want", [
    ("Il est titulaire d'un permis de conduire valable pour la catégorie B.", "valid"),
    ("Relevé SNPC : solde de 8 points, aucune mesure en cours.", "valid"),
    ("Conduite sans permis : son permis avait été annulé, celui-ci ayant été annulé par jugement.", "annulled"),
    ("Son permis lui avait été retiré par la préfecture après un excès de vitesse.", "suspended"),
    ("Consultation du fichier SNPC : néant — aucun dossier ne correspond à l'identité déclarée.", "never_held"),
])
def test_licence_status_in_prose(text, want):
    assert _facts(text)["licence_status"] == want


def test_licence_issue_date_alone_and_past_convictions_do_not_state_todays_status():
    assert _facts("Titulaire du permis de conduire depuis 2004, il circulait de nuit.")["licence_status"] is None
    b1 = "Bulletin n° 1 : 1. 10/10/2020 TJ de Lormes — conduite sans permis — 200 € d'amende — définitive le 12/11/2020"
    assert _facts(b1)["licence_status"] is None


def test_drugs_confirmation_outranks_the_screening():
    got = _facts("Le test salivaire était positif à la cocaïne ; ce résultat a été infirmé par l'analyse sanguine.")
    assert got["drugs_positive"] is False and not got["drugs_substances"]
    got = _facts("Dépistage salivaire positif au THC et aux amphétamines. L'analyse de sang de confirmation ne met en "
                 "évidence que des amphétamines (45 ng/ml).")
    assert got["drugs_positive"] is True and got["drugs_substances"] == ["amphetamines"]


def test_drugs_admitted_in_an_audition_and_screening_pending():
    got = _facts("Q : Avez-vous fumé du cannabis avant de prendre le volant ?\nR : Oui, un joint vers midi.")
    # an admission is a use, not a detection: « substances détectées » stays empty until a test names one
    assert got["drugs_positive"] is True and not got["drugs_substances"]
    got = _facts("Le dépistage salivaire est positif à la cocaïne ; l'analyse de confirmation est en attente.")
    assert got["drugs_positive"] is True and got["drugs_substances"] == ["cocaine"]


@pytest.mark.parametrize("text, want", [
    ("Le dosage sanguin fait apparaître 212 mg/100 ml d'alcool.", 2.12),
    ("Alcoolémie : 0,00 g/l (inférieure à la limite de quantification de 0,10 g/l).", 0.0),
])
def test_blood_alcohol_units_and_quantification_limit(text, want):
    assert _facts(text)["alcohol_blood_g_l"] == pytest.approx(want)


def test_a_conversion_is_not_a_blood_measurement():
    got = _facts("Le taux relevé de 0,95 mg/l d'air expiré correspond à environ 1,90 g/l de sang.")
    assert got["alcohol_blood_g_l"] is None and got["alcohol_air_mg_l_readings"] == [0.95]


@pytest.mark.parametrize("text, want", [
    ("Heure      Mesure (mg/l air expiré)\n22:03      0,512\n22:09      0,498", [0.512, 0.498]),
    ("La seconde mesure, effectuée à 1 h 14, donne 0,66 mg/l, supérieure à la première (0,63 à 1 h 08).", [0.63, 0.66]),
])
def test_breath_readings_from_tables_and_in_time_order(text, want):
    assert _facts(text)["alcohol_air_mg_l_readings"] == want


@pytest.mark.parametrize("text, want", [
    ("ÉTHYLOMÈTRE n° 771\nContrôle périodique : 03/03/2025\nMesure 1 : 0,52 mg/l", None),
    ("L'an deux mille vingt-six, le dix-neuf du mois d'avril, nous soussignés, gendarmes ...", "2026-04-19"),
])
def test_facts_date_never_from_the_device_and_from_the_opening_formula(text, want):
    assert _facts(text)["facts_date"] == want


@pytest.mark.parametrize("text, key", [
    ("Le fourgon a pris la fu1te après avoir percuté une voiture en stationnement.", "hit_and_run"),
    ("Après avoir heurté le scooter, il s'est arrêté un instant puis est reparti sans descendre.", "hit_and_run"),
    ("Constatons que le véhicule a le capot et la calandre enfoncés.", "accident_material_damage"),
    ("Arrivés sur place, nous constatons que la vitrine de la pharmacie est brisée.", "accident_material_damage"),
    ("Il admet ne pas être assuré depuis le mois d'août.", "no_insurance"),
    ("Il admet ne pas Ãªtre assurÃ© depuis le mois d'août.", "no_insurance"),
    ("Faits : conduite sans permis, défaut d'assurance, excès de vitesse.", "no_insurance"),
])
def test_getaway_damage_and_insurance_without_the_usual_words(text, key):
    assert _facts(text)[key] is True
