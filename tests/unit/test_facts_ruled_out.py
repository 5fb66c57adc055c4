"""Facts stated by meaning, issue 13 (third pass): recidivism ruled out by a court's reasoning, negative findings in
prose (the test accepted, the stop obeyed, an old licence, insured), positives in other wordings and numbers that
are not facts (a rule recalled, a conversion, a device margin). Values are asserted, never one sentence; each
group has counter-examples that must not fire."""
from __future__ import annotations

import pytest

from core.models import Page, SourceDocument
from evals.facts_eval import predict
from orientation.extract import extract, page_views, text_views
from orientation.grid import load_limits

LIMITS = load_limits()


def _facts(text: str) -> dict:
    return predict(text, LIMITS)


@pytest.mark.parametrize("text", [
    "Le tribunal constate que l'état de récidive ne peut, en l'espèce, être retenu.",
    "La condamnation de 2014, exécutée depuis plus de cinq ans, ne permet pas de retenir la récidive légale.",
    "Dit que les dispositions relatives à la récidive sont inapplicables au prévenu.",
    "Attendu que la circonstance aggravante de récidive doit être écartée, le premier jugement n'étant pas définitif.",
    "Renvoie le prévenu des fins de la poursuite s'agissant de la circonstance de récidive, le délai légal étant expiré.",
    "Le parquet ne retient pas la récidive, la mention du casier ne visant qu'une contravention.",
])
def test_recidivism_ruled_out_by_the_court_is_false(text):
    assert _facts(text)["legal_recidivism"] is False


@pytest.mark.parametrize("text", [
    "Attendu que le prévenu se trouve en état de récidive légale pour des faits identiques.",
    "Le prévenu, qui ne conteste pas les faits, a été poursuivi en état de récidive légale.",
])
def test_recidivism_stated_stays_true(text):
    assert _facts(text)["legal_recidivism"] is True


@pytest.mark.parametrize("text", [
    "Le casier judiciaire de l'intéressé est vierge.",
    "Il n'a jamais été condamné.",
    "Le prévenu est sans antécédent judiciaire.",
])
def test_an_empty_record_rules_recidivism_out(text):
    got = _facts(text)
    assert got["prior_convictions"] == [] and got["legal_recidivism"] is False


@pytest.mark.parametrize("text", [
    "Requis de souffler dans l'éthylomètre, il s'exécute.",
    "Nous l'invitons à un dépistage salivaire. Il y consent aussitôt.",
    "L'intéressée ne fait pas de difficulté pour se soumettre au prélèvement sanguin.",
    "Le conducteur se prête sans rechigner au contrôle d'alcoolémie par éthylotest.",
    "Il ne s'est à aucun moment opposé aux épreuves de dépistage.",
])
def test_a_consent_to_the_test_is_no_refusal(text):
    assert _facts(text)["refusal_of_test"] is False


@pytest.mark.parametrize("text", [
    "Nous lui proposons de se soumettre aux vérifications ; il refuse.",
    "Il ne consent pas au prélèvement sanguin et refuse l'éthylomètre.",
    "Le passager accepte de souffler dans l'éthylotest.",
    "Il accepte la proposition de composition pénale.",
])
def test_no_consent_of_the_driver_to_a_test(text):
    assert _facts(text)["refusal_of_test"] is not False


@pytest.mark.parametrize("text", [
    "À la vue du gyrophare, l'automobiliste se gare immédiatement sur l'accotement.",
    "Le conducteur se conforme à nos injonctions et coupe son moteur.",
    "Sur notre signal, le chauffeur immobilise son camion sur la bande d'arrêt d'urgence.",
    "Nous lui faisons signe de s'arrêter, ce qu'il fait.",
])
def test_a_stop_obeyed_in_other_words_is_no_refusal_to_comply(text):
    assert _facts(text)["refusal_to_comply"] is False


@pytest.mark.parametrize("text", [
    "Nous lui faisons signe de s'arrêter ; il accélère et prend la fuite.",
    "Le conducteur ne se conforme pas à nos injonctions et poursuit sa route malgré nos sommations.",
])
def test_an_order_ignored_is_no_stop(text):
    assert _facts(text)["refusal_to_comply"] is not False


@pytest.mark.parametrize("text, value", [
    ("Le 2 février 2025 à 23 h, contrôlons M. X, titulaire du permis B depuis le 3 juillet 2012.", False),
    ("Le conducteur a son permis depuis une vingtaine d'années.", False),
    ("Le 4 avril 2025, le conducteur, qui a obtenu son permis en mai 2024, est contrôlé.", True),
    ("Elle a passé son permis il y a huit mois.", True),
    ("Il possède le permis de conduire depuis deux ans seulement.", True),
])
def test_the_licence_age_tells_the_probation(text, value):
    assert _facts(text)["probationary_licence"] is value


@pytest.mark.parametrize("text", [
    "Le 4 avril 2025, il est contrôlé ; son permis est suspendu depuis le 2 janvier 2025.",
    "Il est condamné à six mois d'emprisonnement avec sursis probatoire.",
    "Il n'a plus de permis depuis 2019.",
    "Le 4 avril 2025, contrôle de M. X, titulaire du permis depuis 2022.",
])
def test_no_probation_told_by_other_dates(text):
    assert _facts(text)["probationary_licence"] is None


@pytest.mark.parametrize("text", [
    "Le véhicule est garanti par la compagnie Groupama selon le fichier des véhicules assurés.",
    "Le conducteur présente une attestation d'assurance établie par la MACIF.",
    "Le contrat souscrit auprès d'AXA est en cours à la date des faits.",
    "La propriétaire justifie de son assurance.",
])
def test_insured_in_prose_is_no_lack_of_insurance(text):
    assert _facts(text)["no_insurance"] is False


@pytest.mark.parametrize("text", [
    "Il présente une attestation d'assurance expirée depuis mars.",
    "Il a déjà fait l'objet d'une ordonnance pénale pour défaut d'assurance.",
])
def test_no_insurance_finding_from_a_bad_certificate_or_a_past_case(text):
    assert _facts(text)["no_insurance"] is not False
    assert _facts(text)["no_insurance"] is None or "expir" in text


@pytest.mark.parametrize("text, key, value", [
    ("Son permis de conduire lui a été retiré par arrêté préfectoral notifié le 4 mai 2025.", "licence_status", "suspended"),
    ("Elle reconnaît n'avoir jamais présenté l'examen du permis de conduire.", "licence_status", "never_held"),
    ("Après avoir embouti la portière de la Clio, le conducteur repart sans que personne ne puisse le retenir.",
     "accident_material_damage", True),
    ("Après avoir accroché le cycliste, la camionnette disparaît dans la circulation.", "hit_and_run", True),
    ("Après la collision, le conducteur s'est arrêté et a appelé les secours.", "hit_and_run", False),
    ("Dépistage salivaire : + cocaïne / - THC", "drugs_substances", ["cocaine"]),
    ("Test salivaire positif au cannabis et aux opiacés ; l'analyse toxicologique sanguine ne retient que la morphine "
     "(12 ng/ml), le THC n'étant pas détecté.", "drugs_substances", ["opiates"]),
    ("ITT : 15 (quinze) jours", "victim_itt_days", 15),
    ("Le radar relève 134 km/h pour 110 km/h autorisés.", "speed_limit_kmh", 110),
    ("Vitesse enregistrée 88 km/h, marge de tolérance de 5 km/h déduite, vitesse retenue 83 km/h.", "speed_kmh", 83),
])
def test_positives_in_other_wordings(text, key, value):
    assert _facts(text)[key] == value


@pytest.mark.parametrize("text, key", [
    ("Nous rappelons au conducteur qu'en agglomération la vitesse est limitée à 50 km/h.", "speed_limit_kmh"),
    ("Pour mémoire, la vitesse est limitée à 130 km/h sur les autoroutes.", "speed_limit_kmh"),
    ("Le taux de 0,90 mg/l d'air expiré correspond à 1,80 g/l de sang.", "alcohol_blood_g_l"),
    ("Le conducteur a dépassé de 20 km/h la vitesse autorisée.", "speed_kmh"),
])
def test_not_facts(text, key):
    assert _facts(text)[key] is None


def test_a_prior_conviction_keeps_its_words_penalty_and_court():
    text = ("Le tribunal correctionnel de Mâcon l'a déjà condamné le 6 juin 2022 à 500 euros d'amende pour conduite "
            "d'un véhicule sous l'empire d'un état alcoolique, jugement devenu définitif le 20 juillet 2022.")
    [p] = _facts(text)["prior_convictions"]
    assert p["date"] == "2022-06-06" and p["final_date"] == "2022-07-20" and p["offence"] == "L234-1"
    assert p["court"] == "Tribunal correctionnel de Mâcon"
    assert "état alcoolique" in p["offence_text"] and "500 euros" in p["penalty"]


def test_a_conviction_for_driving_without_licence_is_a_prior_not_the_status():
    got = _facts("Déjà condamné le 3 mars 2021 par le tribunal correctionnel de Laval pour conduite sans permis, il "
                 "comparaît ce jour.")
    assert got["licence_status"] is None
    assert [p["offence"] for p in got["prior_convictions"]] == ["L221-2"]


def _doc(cote: str, text: str) -> tuple[SourceDocument, list[Page]]:
    doc = SourceDocument(id=cote, dossier_id="d", cote=cote, sha256=cote, filename=f"{cote}.pdf")
    return doc, [Page(document_id=cote, number=1, text=text)]


def test_every_page_stating_the_substance_is_cited_laboratory_first():
    views = page_views([
        _doc("D1", "PROCÈS-VERBAL. Le dépistage salivaire réalisé à 23 h 10 est positif au cannabis (THC)."),
        _doc("D2", "PROCÈS-VERBAL D'AUDITION. Le mis en cause reconnaît avoir fumé du cannabis la veille."),
        _doc("D3", "LABORATOIRE DE TOXICOLOGIE — RAPPORT D'ANALYSE\nRecherche de stupéfiants dans le sang\n"
                   "THC : 3,1 ng/ml (positif)\nCocaïne : non détectée"),
    ])
    facts = extract(views)
    subs = facts["drugs_substances"]
    assert subs.value == ["cannabis"]
    cited = [s.cote for s in subs.sources]
    assert cited[0] == "D3" and {"D1", "D3"} <= set(cited)
    assert facts["drugs_positive"].sources[0].cote == "D3" and "D1" in [s.cote for s in facts["drugs_positive"].sources]


def test_no_prior_of_the_same_kind_is_not_an_empty_record():
    got = _facts("Aucune condamnation pour des faits similaires ne figure à son casier ; il sera jugé comme délinquant "
                 "primaire.")
    assert got["prior_convictions"] is None and got["legal_recidivism"] is False


@pytest.mark.parametrize("text", ["Antécédents judiciaires : néant.",
                                  "Le relevé de son casier ne porte mention d'aucune décision."])
def test_empty_record_in_form_and_prose(text):
    assert _facts(text)["prior_convictions"] == []


def test_a_licence_date_alone_is_not_its_own_reference_day():
    assert _facts("Permis de conduire — catégorie B — date de délivrance : 14/09/2006")["probationary_licence"] is False


def test_an_excess_told_after_the_number_is_no_speed():
    assert _facts("Le conducteur roulait 20 km/h au-dessus de la vitesse autorisée.")["speed_kmh"] is None


def test_a_judgment_quoting_the_record_is_cited_with_the_b1():
    views = page_views([
        _doc("D5", "CASIER JUDICIAIRE NATIONAL — BULLETIN N° 1\nCondamnation n° 1\nDate : 14/05/2023\n"
                   "Juridiction : Tribunal correctionnel de Valcourt\nInfraction : conduite sous l'empire d'un état "
                   "alcoolique (L.234-1 C.R.)\nPeine : 400 euros d'amende\nDate du caractère définitif : 25/06/2023"),
        _doc("D7", "Le prévenu a déjà été condamné le 14 mai 2023 par le tribunal correctionnel de Valcourt pour "
                   "conduite sous l'empire d'un état alcoolique, jugement devenu définitif le 25 juin 2023."),
    ])
    fact = extract(views)["prior_convictions"]
    assert [p["date"] for p in fact.value] == ["2023-05-14"]
    assert [s.cote for s in fact.sources] == ["D5", "D7"]


def test_a_screening_result_told_in_the_next_sentence():
    got = _facts("Nous soumettons le conducteur à un dépistage de l'imprégnation alcoolique par éthylotest. "
                 "Le résultat s'avère négatif.")
    assert got["alcohol_screening_negative"] is True


def test_staying_told_after_the_collision():
    got = _facts("Une collision se produit entre la Clio et un camion. Le conducteur de la Clio avertit la police "
                 "et attend l'arrivée des secours.")
    assert got["hit_and_run"] is False


@pytest.mark.parametrize("text", [
    "Le tribunal ordonne la suspension du permis de conduire pour une durée de quatre mois.",
    "La cour prononce à son encontre l'annulation du permis de conduire.",
])
def test_a_penalty_on_the_licence_is_not_its_status(text):
    assert _facts(text)["licence_status"] is None


@pytest.mark.parametrize("text, value", [
    ("Le prévenu nie avoir refusé d'obtempérer.", None),
    ("Il conteste avoir refusé d'obtempérer ; le tribunal retient cependant l'infraction.", True),
    ("L'automobiliste s'arrête au feu tricolore puis redémarre.", None),
])
def test_claims_and_traffic_stops(text, value):
    assert _facts(text)["refusal_to_comply"] is value


def test_a_limit_told_as_etant_de():
    got = _facts("Le cinémomètre relève 97 km/h, la vitesse maximale autorisée étant de 70 km/h.")
    assert (got["speed_kmh"], got["speed_limit_kmh"]) == (97, 70)


def test_a_stop_at_the_next_light_after_our_signal_is_obeying():
    got = _facts("Actionnons le dispositif lumineux. Le véhicule s'immobilise aussitôt au feu suivant.")
    assert got["refusal_to_comply"] is False


@pytest.mark.parametrize("text, key, value", [
    ("Le conducteur n'a opposé aucun refus aux épreuves de dépistage.", "refusal_of_test", False),
    ("Le 3 mai 2025, contrôle routier. Date d'obtention du permis B : 14/05/2010.", "probationary_licence", False),
])
def test_negative_findings_in_form_and_prose(text, key, value):
    assert _facts(text)[key] is value


@pytest.mark.parametrize("text", [
    "Le conducteur refuse d'obtempérer et accélère. Après une course-poursuite de trois kilomètres, le véhicule "
    "s'immobilise enfin sur le parking du supermarché.",
    "Malgré nos injonctions, il poursuit sa route ; bloqué par un camion, il s'arrête finalement rue Carnot.",
])
def test_a_forced_halt_after_a_getaway_is_no_obeyed_stop(text):
    fact = extract(text_views(text))["refusal_to_comply"]
    assert fact.value is True and not fact.conflicts  # no « pièces en désaccord » from the final halt


@pytest.mark.parametrize("text, key, value", [
    ("Il ne justifie d'aucune condamnation susceptible de servir de premier terme à une récidive.", "legal_recidivism", False),
    ("Le motard stoppe aussitôt sa machine à notre signal.", "refusal_to_comply", False),
    ("Son permis avait été retiré par arrêté de la préfète du Var.", "licence_status", "suspended"),
    ("Test salivaire : négatif THC, positif cocaïne.", "drugs_substances", ["cocaine"]),
    ("M. X, titulaire du permis depuis le 4 juillet 2012, est interpellé le 2 mai 2025.", "facts_date", "2025-05-02"),
])
def test_batch_four_wordings(text, key, value):
    assert _facts(text)[key] == value


@pytest.mark.parametrize("text, value", [
    ("Constatons sur la Clio un enfoncement de la portière arrière droite et des traces de peinture bleue.", True),
    ("Le véhicule présente une éraflure sur l'aile avant gauche.", True),
    ("Nous constatons que le véhicule ne présente aucune trace de choc sur la carrosserie.", False),
])
def test_damage_told_by_its_noun(text, value):
    assert _facts(text)["accident_material_damage"] is value
