"""Questions whose answer depends on which act, person or event is asked about: the date of an act is the date its
own piece opens with; a value of another person, of another event or of a piece the dossier lacks is no answer."""
from __future__ import annotations

from generation.question import expected_kind, frame, spans
from tests.answer_fakes import ask, chunk

PIECES = [
    chunk(1, "D14", "piece_14", "PROCÈS-VERBAL DE PERQUISITION ET DE SAISIES\n"
           "L'an deux mille vingt-six, le dix-sept mars, à six heures cinq, Nous, Paul VIGIER, Capitaine de police, "
           "agissant en exécution de la commission rogatoire du 9 février 2026, nous transportons au domicile de "
           "Hugo TARDIEU, 6 rue des Lilas. Dans la chambre, découvrons la somme de 4 200 euros."),
    chunk(2, "D15", "piece_15", "PROCÈS-VERBAL DE PERQUISITION ET DE SAISIES\n"
           "L'an deux mille vingt-six, le dix-huit mars, à sept heures dix, Nous, Paul VIGIER, Capitaine de police, "
           "agissant en exécution de la commission rogatoire du 9 février 2026, nous transportons au domicile de "
           "Léa MORIN, 2 rue du Port. Aucun produit n'est découvert."),
    chunk(3, "D23", "piece_23", "ORDONNANCE DE PLACEMENT SOUS CONTRÔLE JUDICIAIRE\n"
           "Vu l'information suivie contre MORIN Léa, née le 8 novembre 1999, mise en examen le 19 mars 2026 ;\n"
           "Ordonnons le placement sous contrôle judiciaire et la soumettons aux obligations suivantes :\n"
           "5°) fournir un cautionnement de 3 000 euros, payable en deux versements de 1 500 euros."),
    chunk(4, "D22", "piece_22", "ORDONNANCE DE PLACEMENT EN DÉTENTION PROVISOIRE\n"
           "Vu l'information suivie contre TARDIEU Hugo, né le 14 mars 1997, mis en examen le 19 mars 2026 ;\n"
           "Ordonnons le placement en détention provisoire de Hugo TARDIEU le 19 mars 2026. Décernons mandat de "
           "dépôt à la maison d'arrêt de Fresnes."),
    chunk(5, "D25", "piece_25", "PROCÈS-VERBAL D'INTERROGATOIRE AU FOND\n"
           "Le vingt et un mai deux mille vingt-six, à quatorze heures, devant nous, juge d'instruction, a comparu "
           "TARDIEU Hugo, né le 14 mars 1997, mis en examen, détenu à la maison d'arrêt de Fresnes, extrait pour les "
           "besoins de l'acte, placé en détention provisoire depuis le 19 mars 2026.\n"
           "Question : Les 4 200 euros découverts dans votre "
           "chambre ?\nRéponse : C'est l'argent du terrain. Il y a 2 000 euros à moi, c'est tout."),
]


def _ask(question: str) -> dict:
    return ask(PIECES, question)


def test_the_date_of_an_act_is_the_date_its_own_piece_opens_with():
    a = _ask("Quand la perquisition au domicile de Léa MORIN a-t-elle eu lieu ?")
    assert a["status"] == "answered"
    assert "18 mars 2026" in a["span"] and "février" not in a["span"]
    assert a["sentences"][0]["citations"][0]["cote"] == "D15"


def test_the_time_of_an_act_comes_with_the_act_s_day_not_another_date_of_its_opening():
    a = _ask("À quelle heure a débuté la perquisition au domicile de Hugo TARDIEU ?")
    assert a["status"] == "answered"
    assert "6 h 05" in a["span"] and "17 mars 2026" in a["span"]
    assert a["sentences"][0]["citations"][0]["cote"] == "D14"


def test_a_prolongation_never_held_is_not_answered_with_the_placement():
    a = _ask("À quelle date la détention provisoire de Hugo TARDIEU a-t-elle été prolongée ?")
    assert a["status"] == "abstention"


def test_the_other_mis_en_examen_s_cautionnement_is_no_answer():
    assert _ask("Quel est le montant du cautionnement imposé à Léa MORIN ?")["span"].startswith("3 000")
    assert _ask("Quel est le montant du cautionnement imposé à Hugo TARDIEU ?")["status"] == "abstention"


def test_a_first_person_value_belongs_to_its_speaker_not_to_the_person_asked_about():
    a = _ask("Quelle somme a été découverte sur Léa MORIN lors de son interpellation ?")
    assert a["status"] == "abstention"


def test_a_piece_the_dossier_does_not_hold_is_no_source():
    a = _ask("Quelles sont les conclusions de l'expertise psychiatrique de Hugo TARDIEU ?")
    assert a["status"] == "abstention"
    assert "expertise psychiatrique" in a["reason"].lower()


def test_a_stage_the_person_never_went_through_is_no_source():
    a = _ask("Qu'a déclaré Léa MORIN lors de son interrogatoire au fond ?")
    assert a["status"] == "abstention"


def test_ou_without_its_accent_is_a_conjunction_not_a_place():
    assert expected_kind("M. TARDIEU a-t-il déjà été condamné pour des violences sur conjoint ou concubin ?") == "yesno"
    assert expected_kind("Où le mis en examen a-t-il été interpellé ?") == "place"
    assert frame("Quand la garde à vue a-t-elle été prolongée ?").event_words == ["prolong"]


def test_the_prison_needs_its_name():
    assert spans("place", "notifiée par le chef de l'établissement pénitentiaire et à son avocat") == ["à son"] or \
        "établissement pénitentiaire" not in spans("place", "notifiée par le chef de l'établissement pénitentiaire")
    assert spans("place", "écroué à la maison d'arrêt de Fresnes") == ["maison d'arrêt de Fresnes"]


def test_of_two_values_in_one_clause_the_one_the_words_before_it_describe_is_given():
    from generation.answer import _by_qualifiers

    text = ("Attendu que les relevés font apparaître 38 650 euros de versements sur le compte de la société et la "
            "perquisition du snack ayant permis la découverte dans le coffre de la somme de 8 600 euros ;")
    q = frame("Quelle somme a été découverte dans le coffre du snack ?")
    assert _by_qualifiers(q, text, spans("amount", text))[0] == "8 600 euros"


def test_a_time_a_witness_tells_is_not_the_time_of_the_hearing():
    assert not frame("À quelle heure le voisin dit-il avoir entendu les cris ?").act
    assert frame("Quand la gardienne Josiane LEGRAND a-t-elle été entendue comme témoin ?").act


def test_an_owner_known_by_a_first_name_alone_must_be_the_sentence_s():
    q = frame("Quelle est la date de naissance de Mehdi ?")
    assert q.owner == "mehdi"
    a = _ask("Quelle est la date de naissance de Mehdi ?")
    assert a["status"] == "abstention"


OPERATOR = [
    chunk(7, "D5", "scan_0005", "NOVAPHONE SA — Service des obligations légales\nEn réponse à votre réquisition, "
           "nous vous communiquons les éléments suivants concernant la ligne 06 39 98 41 27 :\n"
           "1. Titulaire déclaré : DUPRÉ Kevin, né le 01/01/1995, 3 rue des Lilas. Offre : carte prépayée.\n"
           "2. IMEI : 35 871209 446120 3."),
    chunk(8, "D4", "piece_04", "RÉQUISITION JUDICIAIRE\nL'an deux mille vingt-six, le vingt-neuf janvier, Nous, "
           "Laurent VASSEUR, Capitaine de police, requérons l'opérateur de nous communiquer, concernant la ligne "
           "06 39 98 41 27, l'identité déclarée du titulaire."),
]


def test_the_subscriber_stated_under_the_line_s_number_in_an_operator_answer_is_found():
    global PIECES
    saved, PIECES = PIECES, OPERATOR
    try:
        a = _ask("Au nom de qui la ligne 06 39 98 41 27 est-elle enregistrée chez l'opérateur ?")
    finally:
        PIECES = saved
    assert a["status"] == "answered" and "DUPRÉ" in a["span"]
    assert a["sentences"][0]["citations"][0]["cote"] == "D5"


def test_the_prison_is_cited_from_the_detention_order_not_from_a_hearing_that_restates_it():
    a = _ask("Où Hugo TARDIEU a-t-il été placé en détention provisoire ?")
    assert a["status"] == "answered" and "Fresnes" in a["span"]
    assert a["sentences"][0]["citations"][0]["cote"] == "D22"


def test_the_piece_a_question_names_is_read_from_its_author_s_title_too():
    from generation.question import named_pieces

    assert named_pieces("Quel revenu a-t-elle déclaré à l'enquêtrice de personnalité ?") == {"personnalite"}
    assert named_pieces("Selon l'enquête de personnalité, où vit-il ?") == {"personnalite"}
