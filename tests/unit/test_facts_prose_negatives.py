"""Negative findings stated in ordinary prose (the test accepted, the stop obeyed, no accident, insured, the
licence no longer probationary) and device numbers that are no speed. Values are asserted, never one sentence;
negated, hypothetical and question variants must not fire."""
from __future__ import annotations

import pytest

from evals.facts_eval import predict
from orientation.grid import load_limits

LIMITS = load_limits()


def _facts(text: str) -> dict:
    return predict(text, LIMITS)


@pytest.mark.parametrize("text", [
    "Invité à se soumettre au dépistage de l'imprégnation alcoolique, M. X accepte sans difficulté de s'y soumettre.",
    "L'intéressé se prête volontiers aux vérifications destinées à établir l'état alcoolique.",
    "Le conducteur accepte le dépistage par éthylotest.",
    "Requis, il consent au prélèvement salivaire.",
    "Mis en présence de l'éthylomètre, le mis en cause accepte d'y souffler à deux reprises.",
    "Il a accepté de se soumettre aux épreuves de dépistage de stupéfiants.",
    "Celui-ci donne son accord pour le prélèvement sanguin.",
])
def test_an_accepted_test_is_no_refusal(text):
    assert _facts(text)["refusal_of_test"] is False


@pytest.mark.parametrize("text", [
    "Le conducteur n'a pas accepté de se soumettre au dépistage.",
    "Il n'accepte pas le dépistage et refuse de souffler dans l'éthylotest.",
    "Accepte-t-il de se soumettre aux vérifications ?",
])
def test_an_acceptance_negated_or_asked_is_no_acceptance(text):
    assert _facts(text)["refusal_of_test"] is not False


@pytest.mark.parametrize("text", [
    "Sur notre injonction, le conducteur s'arrête sur le parking attenant.",
    "Le conducteur obtempère immédiatement.",
    "Le motocycliste obtempère.",
    "Il immobilise son véhicule sur notre injonction.",
    "Le chauffeur se range sur le bas-côté à notre demande.",
    "Au signal lumineux, la conductrice stoppe son véhicule sans difficulté.",
    "Interpellé au moyen du gyrophare, l'automobiliste se gare sur l'accotement.",
])
def test_a_stop_obeyed_is_no_refusal_to_comply(text):
    assert _facts(text)["refusal_to_comply"] is False


@pytest.mark.parametrize("text", [
    "Le conducteur ne s'arrête pas et accélère malgré nos injonctions.",
    "S'il s'était arrêté, nous aurions procédé au contrôle ; il poursuit sa route malgré nos sommations.",
])
def test_a_stop_not_obeyed_stays_a_refusal(text):
    assert _facts(text)["refusal_to_comply"] is True


@pytest.mark.parametrize("text", [
    "Aucun accident n'est à déplorer.",
    "Circonstances : contrôle routier, aucun accident ni dommage.",
    "Il n'y a pas de dégâts matériels.",
    "Le conducteur circulait sans accident au moment du contrôle.",
    "Accident : néant.",
    "Les faits n'ont occasionné aucun dommage matériel.",
])
def test_no_accident_in_prose_is_no_damage(text):
    assert _facts(text)["accident_material_damage"] is False


@pytest.mark.parametrize("text", [
    "Consultation du fichier des véhicules assurés (FVA) : ASSURÉ.",
    "Interrogation FVA pour le véhicule AB-123-CD : assuré.",
    "Le FVA révèle un contrat en cours de validité.",
    "Consultation FVA\nAssureur : MACIF\nN° de contrat : 12345678",
    "FICHIER DES VEHICULES ASSURES\nImmatriculation          Statut\nAB-123-CD                ASSURÉ",
    "FVA\nSituation du véhicule\nassuré",
])
def test_an_fva_answer_says_insured(text):
    assert _facts(text)["no_insurance"] is False


@pytest.mark.parametrize("text", [
    "Question : Votre véhicule est-il assuré ?",
    "Votre véhicule est-il assuré ? Je ne sais pas, c'est celui de mon frère.",
])
def test_a_question_about_insurance_states_nothing(text):
    assert _facts(text)["no_insurance"] is None


@pytest.mark.parametrize("text", [
    "Consultation FVA : véhicule non assuré.",
    "Le FVA ne révèle aucun contrat d'assurance pour ce véhicule.",
])
def test_an_fva_without_contract_says_uninsured(text):
    assert _facts(text)["no_insurance"] is True


@pytest.mark.parametrize("text", [
    "Relevé intégral : période probatoire terminée le 20/06/2019.",
    "Permis probatoire : non",
    "Permis B — probatoire expiré.",
    "Relevé d'information intégral\nCatégorie B\nCapital de 12 points",
    "RELEVÉ INTÉGRAL DU PERMIS DE CONDUIRE\nCatégorie B obtenue le 14/03/2012\nSolde de points : 12",
])
def test_a_licence_past_its_probation_is_not_probationary(text):
    assert _facts("Faits du 12/05/2023. " + text)["probationary_licence"] is False


def test_a_licence_obtained_within_three_years_is_probationary():
    got = _facts("Faits du 12/05/2023. Relevé intégral\nCatégorie B obtenue le 14/03/2022\nSolde de points : 8")
    assert got["probationary_licence"] is not False


@pytest.mark.parametrize("text", [
    "Dépistage au moyen de l'éthylomètre Dräger 7510 n° ARBL-0042.",
    "Appareil : Alcotest 6820, numéro de série 3512.",
    "Éthylomètre Dräger Alcotest 9510 FR homologué, n° 0124, vérifié le 03/02/2023.",
])
def test_a_device_number_is_no_speed(text):
    got = _facts(text)
    assert got["speed_kmh"] is None
    assert got["speed_limit_kmh"] is None


def test_insured_fva_with_dotted_acronym_and_value_on_its_own_line():
    assert _facts("Interrogation du F.V.A. :\nvéhicule AB-123-CD\nASSURE")["no_insurance"] is False


@pytest.mark.parametrize("text", [
    "Le mis en cause ne s'est pas arrêté malgré nos signaux.",
    "La conductrice, sans s'être arrêtée malgré nos injonctions, poursuit vers le centre-ville.",
])
def test_no_stop_despite_the_signals_is_a_refusal_to_comply(text):
    assert _facts(text)["refusal_to_comply"] is True


def _doc(ident: str, cote: str, *texts: str):
    from core.models import Page, SourceDocument
    doc = SourceDocument(id=ident, dossier_id="x", cote=cote, sha256="-", filename=ident + ".pdf")
    return doc, [Page(document_id=ident, number=n + 1, text=t) for n, t in enumerate(texts)]


def test_every_page_stating_a_fact_is_cited_the_lab_conclusion_and_the_fva_first():
    from orientation.extract import extract, page_views
    pv = _doc("pv", "D1", "PROCÈS-VERBAL\nNous constatons que l'analyse révèle une alcoolémie de 1,20 g/l de sang. "
                          "Le véhicule est assuré selon ses dires. Le conducteur obtempère immédiatement.")
    fva = _doc("fva", "D2", "CONSULTATION FVA\nImmatriculation\nAB-123-CD\nSituation\nASSURÉ")
    lab = _doc("lab", "D3", "LABORATOIRE DE TOXICOLOGIE\nRésultats\nÉthanol sanguin : 1,20 g/l\nMéthode : CPG",
               "CONCLUSION\nLe sang prélevé contient 1,20 gramme d'alcool par litre.")
    facts = extract(page_views([pv, fva, lab]))
    blood = facts["alcohol_blood_g_l"]
    assert blood.value == pytest.approx(1.2)
    assert [(s.cote, s.page) for s in blood.sources][0] == ("D3", 2)
    assert {(s.cote, s.page) for s in blood.sources} == {("D1", 1), ("D3", 1), ("D3", 2)}
    insured = facts["no_insurance"]
    assert insured.value is False
    assert [(s.cote, s.page) for s in insured.sources] == [("D2", 1), ("D1", 1)]


@pytest.mark.parametrize(("status", "uninsured"), [("ASSURÉ", False), ("NON ASSURÉ", True)])
def test_the_fva_outranks_what_the_suspect_answers_in_an_audition(status, uninsured):
    from orientation.extract import extract, page_views
    audition = _doc("a", "D1", "PROCÈS-VERBAL D'AUDITION\nQuestion : Votre véhicule est-il assuré ?\nRéponse : Oui.\n"
                               "Question : Aviez-vous bu ?\nRéponse : Non.")
    fva = _doc("b", "D4", "CONSULTATION FVA\nVéhicule AB-123-CD\nStatut\n" + status)
    fact = extract(page_views([audition, fva]))["no_insurance"]
    assert fact.value is uninsured
    assert fact.sources[0].cote == "D4"


@pytest.mark.parametrize("text", [
    "Faits du 12/05/2023. Relevé intégral : permis B délivré le 01/02/2010, solde 12 points.",
    "Faits du 12/05/2023. Relevé : catégorie B obtenue le 01/02/2010.",
])
def test_the_licence_issue_date_is_not_the_facts_date(text):
    got = _facts(text)
    assert got["facts_date"] == "2023-05-12"
    assert got["probationary_licence"] is False


@pytest.mark.parametrize("text", [
    "Le conducteur n'a pas accepté de se soumettre au dépistage.",
    "M. X n'accepte pas le prélèvement sanguin.",
])
def test_an_acceptance_denied_is_a_refusal_of_the_test(text):
    assert _facts(text)["refusal_of_test"] is True


def test_an_acceptance_asked_or_supposed_states_nothing():
    assert _facts("Accepte-t-il de se soumettre aux vérifications ?")["refusal_of_test"] is None
    assert _facts("S'il n'accepte pas de se soumettre au dépistage, il sera conduit au poste.")["refusal_of_test"] \
        is not True
