"""Facts read from OCR output and printed forms: tick boxes (an unticked « ☐ Refus » is not a refusal), fields
answered « NON », units as OCR spells them, decimals split by a space, words cut at a line end, B1 tables in
cells; and legal recidivism derived from the record only when the law's conditions can be told.
Values and pages are asserted, never one exact sentence."""
from __future__ import annotations

import pytest

from core.models import Page, SourceDocument
from orientation.derive import derive
from orientation.extract import FACT_KEYS, Fact, extract, page_views, text_views
from orientation.grid import load_limits

LIMITS = load_limits()


def _facts(text: str) -> dict:
    return {k: (f.value if f else None) for k, f in extract(text_views(text)).items()}


# --- tick boxes and form answers -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("PROCÈS-VERBAL DE NOTIFICATION\nRefus de se soumettre aux vérifications : ☐ Oui ☒ Non", False),
    ("Vérification de l'état alcoolique\n[x] Accepte de se soumettre aux vérifications\n"
     "[ ] Refuse de se soumettre aux vérifications", False),
    ("Vérification de l'état alcoolique\n☐ Refus de se soumettre aux épreuves de dépistage", None),
    ("Vérification de l'état alcoolique\n☒ Refus de se soumettre aux épreuves de dépistage", True),
    ("Résultat de la vérification\nRefus de se soumettre aux vérifications : NON", False),
])
def test_an_unticked_refusal_is_not_a_refusal(text, want):
    assert _facts(text)["refusal_of_test"] is want


@pytest.mark.parametrize("text, want", [
    ("RELEVÉ INTÉGRAL — PERMIS DE CONDUIRE\nPermis probatoire : ☒ OUI ☐ NON", True),
    ("RELEVÉ INTÉGRAL — PERMIS DE CONDUIRE\nPermis probatoire : ☐ OUI ☒ NON", False),
    ("RELEVÉ INTÉGRAL — PERMIS DE CONDUIRE\nPermis probatoire : OUI / NON (rayer la mention inutile)", None),
])
def test_a_form_field_gives_its_ticked_option_and_nothing_when_unfilled(text, want):
    assert _facts(text)["probationary_licence"] is want


# --- OCR spellings of units and numbers ----------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("Éthylomètre DRAGER 9510\nTest 1 00:21 0,55 mgll\nTest 2 00:28 0,53 mgll", [0.55, 0.53]),
    ("Première mesure à 00 h 21 : O,55 mg/1 d'air expiré.\nSeconde mesure à 00 h 28 : 0, 53 mg/1 d'air expiré.",
     [0.55, 0.53]),
    ("Mesure éthylomètre : 0,47 rng/l d'air expiré", [0.47]),
])
def test_breath_readings_survive_ocr_spellings(text, want):
    assert _facts(text)["alcohol_air_mg_l_readings"] == want


def test_a_number_word_cut_at_a_line_end_keeps_its_hyphen():
    text = "PROCÈS-VERBAL DE SAISINE\nL'an deux mille vingt-six, le vingt-\ntrois mars à vingt-deux heures, circulant"
    assert _facts(text)["facts_date"] == "2026-03-23"


def test_a_cut_word_is_joined():
    text = "RELEVÉ INTÉGRAL SNPC\nL'intéressé circulait alors que son permis de conduire était invali-\ndé (solde nul)."
    assert _facts(text)["licence_status"] == "invalidated"


def test_a_record_table_in_cells_gives_court_and_final_date():
    text = ("CASIER JUDICIAIRE NATIONAL — BULLETIN N° 1\n"
            "N° | Date décision | Juridiction | Nature / Infraction | Peine | Définitive\n"
            "1 | 17/10/2002 | TC de Vireloup | Émission de chèque sans provision | 1 500 euros d'amende | 30/11/2002\n")
    got = _facts(text)["prior_convictions"]
    assert [(p["date"], p["court"], p["final_date"]) for p in got] == [("2002-10-17", "TC de Vireloup", "2002-11-30")]


# --- legal recidivism ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Le prévenu pourrait se trouver en état de récidive légale, ce qu'il conviendra de vérifier.",
    "L'intéressé est susceptible d'être poursuivi en récidive.",
    "Il existe un risque de récidive important compte tenu de sa personnalité.",
    "En cas de récidive, le permis sera annulé de plein droit.",
])
def test_a_possible_or_hypothetical_recidivism_is_not_stated(text):
    assert _facts(text)["legal_recidivism"] is None


@pytest.mark.parametrize("text", [
    "La cour retient que la première condamnation, réhabilitée de plein droit, ne peut fonder l'état de récidive.",
    "La récidive légale n'est pas visée à la prévention.",
])
def test_a_recidivism_ruled_out_is_false(text):
    assert _facts(text)["legal_recidivism"] is False


def _derive(**values):
    facts = {k: (Fact(values[k]) if k in values else None) for k in FACT_KEYS}
    return derive(facts, LIMITS)


def test_recidivism_needs_the_offence_of_this_file():
    prior = {"offence": "L234-1", "final_date": "2024-05-01"}
    derived, warnings = _derive(prior_convictions=[prior], facts_date="2026-03-01")
    assert derived["legal_recidivism"] is None
    assert any("non identifiée" in w for w in warnings)
    derived, _ = _derive(prior_convictions=[prior], facts_date="2026-03-01", refusal_to_comply=True)
    assert derived["legal_recidivism"] is True  # L233-1 and L234-1 are one offence for recidivism (132-16-2 CP)


def test_recidivism_beyond_five_years_of_the_final_date_is_to_check_not_no():
    prior = {"offence": "L234-1", "final_date": "2019-05-01"}
    derived, warnings = _derive(prior_convictions=[prior], facts_date="2026-03-01", drugs_positive=True)
    assert derived["legal_recidivism"] is None
    assert any("possible" in w and "à vérifier" in w for w in warnings)


@pytest.mark.parametrize("prior", [
    {"offence": "L234-1", "final_date": "2024-05-01", "court": "Composition pénale — procureur de la République"},
    {"offence": "R234-1", "final_date": "2024-05-01", "court": "Tribunal de police de Lyon"},
    {"offence": "L234-1", "final_date": "2026-04-01", "court": "Tribunal correctionnel de Lyon"},
])
def test_no_first_term_composition_contravention_or_not_yet_final(prior):
    derived, _ = _derive(prior_convictions=[prior], facts_date="2026-03-01", drugs_positive=True)
    assert derived["legal_recidivism"] is False


def test_sources_name_the_page_of_a_ticked_option():
    doc = SourceDocument(id="d", dossier_id="x", cote="D3", sha256="-", filename="pv.pdf")
    pages = [Page(document_id="d", number=1, text="PROCÈS-VERBAL\nL'intéressé a été entendu."),
             Page(document_id="d", number=2, text="Vérification de l'état alcoolique\n"
                                                  "☒ Refus de se soumettre aux épreuves de dépistage")]
    fact = extract(page_views([(doc, pages)]))["refusal_of_test"]
    assert fact.value is True and [(s.cote, s.page) for s in fact.sources] == [("D3", 2)]


@pytest.mark.parametrize("text, key, want", [
    ("Procès-verbal de la brigade de gendarmerie de Saint-Ormel, agissant en flagrant délit. L'intéressé refuse de se\n"
     "soumettre aux épreuves de dépistage de l'imprégnation alcoolique malgré nos demandes répétées.",
     "refusal_of_test", True),
    ("Procès-verbal de constatations du commissariat de Rocheval, unité de police secours de nuit. Le conducteur n'a\n"
     "pas pris la fuite après la collision avec le véhicule stationné.", "hit_and_run", False),
])
def test_a_sentence_cut_by_a_line_end_is_read_whole(text, key, want):
    assert _facts(text)[key] is want


def test_a_two_column_form_read_as_a_labels_block_then_a_values_block():
    text = ("RELEVÉ D'INFORMATION INTÉGRAL — SNPC\nSituation du titre\nPériode probatoire\nVALIDE\nNON\n"
            "MESURES ADMINISTRATIVES")
    got = _facts(text)
    assert got["licence_status"] == "valid" and got["probationary_licence"] is False


def test_ocr_dot_leaders_separate_label_and_value():
    got = _facts("RELEVÉ D'INFORMATION INTÉGRAL — SNPC\nSituation du titre . . . . . . SUSPENDU\n"
                 "Période probatoire ______ OUI")
    assert got["licence_status"] == "suspended" and got["probationary_licence"] is True


def test_a_status_word_mangled_by_ocr_is_a_candidate_to_check_not_a_silent_value():
    fact = extract(text_views("RELEVE D'INFORMATION INTEGRAL -- SNPC\nSituation du titre : VAI IDE\n"))["licence_status"]
    assert fact.value == "valid" and fact.uncertain and "VAI IDE" in fact.note


def test_b1_dates_with_zeros_read_as_6_8_9_are_repaired_and_flagged():
    text = ("CASIER JUDICIAIRE NATIONAL — BULLETIN N° 1\n# DATE JURIDICTION INFRACTION PEINES DÉFINITIVE\n"
            "1 22/09/2828 TC Gondreville Conduite malgré suspension administrative (L.224-16 C.R.) 85/11/2928\n"
            "2 69/83/2623 TC Castelbrune Conduite sous l'empire d'un état alcoolique (L.234-1 C.R.) 30/04/2023\n")
    fact = extract(text_views(text))["prior_convictions"]
    assert [(p["date"], p["offence"], p["final_date"]) for p in fact.value] == [
        ("2020-09-22", "L224-16", "2020-11-05"), ("2023-03-09", "L234-1", "2023-04-30")]
    assert fact.uncertain and "OCR" in fact.note


def test_a_possible_date_is_never_rewritten():
    text = "CASIER JUDICIAIRE NATIONAL — BULLETIN N° 1\n1 28/06/2019 TC Lyon Conduite en état alcoolique 30/08/2019\n"
    fact = extract(text_views(text))["prior_convictions"]
    assert fact.value[0]["date"] == "2019-06-28" and not fact.uncertain


def test_a_salivary_test_form_gives_the_ticked_results_per_substance():
    text = ("FICHE DE DÉPISTAGE SALIVAIRE — DRUGWIPE 5S\nCannabis (THC)   ☒ Positif  ☐ Négatif\n"
            "Cocaïne          ☐ Positif  ☒ Négatif\nAmphétamines     [ ] Positif  [X] Négatif\n"
            "Opiacés          ☐ Positif  ☒ Négatif")
    got = _facts(text)
    assert got["drugs_positive"] is True and got["drugs_substances"] == ["cannabis"]


@pytest.mark.parametrize("text, key, want", [
    ("CONSULTATION DU FICHIER DES VÉHICULES ASSURÉS (FVA)\nVéhicule assuré : ☐ Oui ☒ Non", "no_insurance", True),
    ("CONSULTATION DU FICHIER DES VÉHICULES ASSURÉS (FVA)\nVéhicule assuré : ☒ Oui ☐ Non", "no_insurance", False),
    ("PROCÈS-VERBAL D'ACCIDENT — GENDARMERIE\nDégâts matériels : ☐ Oui ☒ Non", "accident_material_damage", False),
    ("PROCÈS-VERBAL D'ACCIDENT — GENDARMERIE\nDégâts matériels : ☒ Oui ☐ Non", "accident_material_damage", True),
    ("PROCÈS-VERBAL D'ACCIDENT — GENDARMERIE\nRefus d'obtempérer : ☐ Oui ☒ Non", "refusal_to_comply", False),
    ("PROCÈS-VERBAL D'ACCIDENT — GENDARMERIE\nDélit de fuite : ☐ Oui ☒ Non", "hit_and_run", False),
])
def test_yes_no_boxes_of_a_form(text, key, want):
    assert _facts(text)[key] is want


def test_an_audition_question_whose_q_label_ocr_split_off_states_nothing():
    text = ("PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nQ\nR\n"
            ": Vous avez refusé de souffler dans l'éthylomètre, pourquoi\n: Je ne me souviens pas.")
    assert _facts(text)["refusal_of_test"] is None


@pytest.mark.parametrize("text, key, want", [
    ("Rapport d'analyse toxicologique : présence de coc4ine dans le sang (35 ng/ml).", "drugs_substances", ["cocaine"]),
    ("Analyse sanguine du laboratoire : amphétamine 61 ug/L.", "drugs_substances", ["amphetamines"]),
    ("PROCÈS-VERBAL. Le ler avril 2026 vers 23 heures, circulant rue Haute, le véhicule est contrôlé.",
     "facts_date", "2026-04-01"),
    ("PROCÈS-VERBAL. Le 14 février 202 6 vers 23 heures, circulant rue Haute, le véhicule est contrôlé.",
     "facts_date", "2026-02-14"),
    ("Certificat médical : le médecin fixe l'ITT de la victime à O jour.", "victim_itt_days", 0),
    ("Le véhicule est contrôlé à 131 km/b sur une route limitée à 80 km/b.", "speed_limit_kmh", 80),
    ("Le tribunal,\nLe prévenu est relaxé du chef de refus\nde se soumettre aux vérifications.", "refusal_of_test", False),
    ("Contrôle d'alcoolémie au moyen d'un éthylotest : résultat\nnégatif.", "alcohol_screening_negative", True),
    ("RELEVÉ INTÉGRAL — Permis B délivré le 02/03/2009 — Situation\n: valide", "licence_status", "valid"),
    ("FVA — interrogation du 12/03/2026\nAssurance : QUI (réponse FVA positive)", "no_insurance", False),
    ("Conclusions de l'expert\n: le sang du conducteur contient du THC (2,1 ng/ml).", "drugs_substances", ["cannabis"]),
])
def test_ocr_misreadings_in_a_numeric_or_form_context(text, key, want):
    assert _facts(text)[key] == want


@pytest.mark.parametrize("text, want", [
    ("ÉTHYLOMÈTRE SERES 679\nMesure 1 : 0,52 mg/l\nMesure 2 : 0,50 mg/l\nSeuil délictuel : 0,40 mg/l", [0.52, 0.50]),
    ("Taux retenu : 0,43 mgll — seuil délictuel 0,40 mgll", [0.43]),
    ("ÉTHYLOMÈTRE\nLimite légale = 0,25 mg/l\nRésultat : 0,31 mg/l", [0.31]),
])
def test_a_threshold_printed_as_a_label_is_not_a_reading(text, want):
    assert _facts(text)["alcohol_air_mg_l_readings"] == want


def test_a_b1_entry_read_as_a_labels_block_then_a_values_block():
    text = ("BULLETIN N° 1 DU CASIER JUDICIAIRE\nCondamnation n° 1\nDate\nJuridiction\nInfraction\nDéfinitive\n"
            "12/03/2021\nTC de Lyon\nConduite en état alcoolique\n20/04/2021")
    got = _facts(text)["prior_convictions"]
    assert [(p["date"], p["court"], p["offence"], p["final_date"]) for p in got] == [
        ("2021-03-12", "TC de Lyon", "L234-1", "2021-04-20")]


@pytest.mark.parametrize("text, speed, limit", [
    ("Vitesse autorisée . . . . . 80 km/h\nVitesse retenue . . . . 139 km/h", 139, 80),
    ("Le véhicule est flashé à 131 km/h pour une limitation à 110.", 131, 110),
    ("Le conducteur est contrôlé à 71 km/h en zone 30.", 71, 30),
])
def test_speed_and_limit_from_form_fields_and_road_terms(text, speed, limit):
    got = _facts(text)
    assert (got["speed_kmh"], got["speed_limit_kmh"]) == (speed, limit)


@pytest.mark.parametrize("text, want", [("RELEVÉ SNPC\nProbatoire : N", False), ("RELEVÉ SNPC\nProbatoire : O", True)])
def test_a_form_o_n_column_answers_probation(text, want):
    assert _facts(text)["probationary_licence"] is want


@pytest.mark.parametrize("text, positive, substances", [
    ("Test salivaire DrugWipe : cannabis + / cocaïne - / amphétamines -", True, ["cannabis"]),
    ("Rapport du laboratoire. Seuil de positivité du THC : 1 ng/ml. Résultat : THC 0,6 ng/ml.", False, None),
    ("Analyse sanguine : THC 2,4 ng/ml (seuil 0,5 ng/ml).", True, ["cannabis"]),
])
def test_drug_results_as_signs_and_against_the_reports_threshold(text, positive, substances):
    got = _facts(text)
    assert got["drugs_positive"] is positive and got["drugs_substances"] == substances
