"""Failure classes another author's questions revealed on dossiers the team had not seen (issue 15): surnames typed
in lower case and abbreviations (« chez Vallon », « en GAV »), answer types the questions name by a noun (a THC
rate, a seal, an IMEI, a real name, « nombre de », a sum counted in « espèces »), the entity of the question matched
where the value is (the witness's identity block, the company's account and not the person's, the nickname's line
in a transcript, the person a confrontation question is put to), and abstentions when the value is another
thing's (a release the JLD's title names, a company taken for a person, a banknote's denomination).
An invented dossier; values and cotes are asserted, never one wording."""
from __future__ import annotations

from generation.question import dates_in, expected_kind, spans, split_compound
from tests.answer_fakes import ask, chunk

PIECES = [
    chunk(1, "D4", "piece_04", "PROCÈS-VERBAL D'AUDITION DE TÉMOIN\n"
           "L'an deux mille vingt-six, le deux février, à dix heures, Nous, Paul VIGIER, Capitaine de police, "
           "entendons la personne ci-après : MAUREL Gilles Henri, né le 3 avril 1960 à Nevers (58), chauffeur "
           "retraité, demeurant 4 rue des Forges à Nevers, téléphone 06 11 22 33 44.\n"
           "Nous déclare : « J'ai vu deux hommes sortir du garage, l'un d'eux s'appelait Nordine. »"),
    chunk(2, "D9", "piece_09", "PROCÈS-VERBAL D'EXPLOITATION DES INTERCEPTIONS TÉLÉPHONIQUES\n"
           "Communication n° 12 — 10/02/2026 — appel sortant vers le 06 55 44 33 22 (« Tonton »)\n"
           "TONTON : T'es encore à quatre, faut ramener.\n"
           "Commentaire de l'OPJ : « quatre » : dette de 4 000 euros.\n"
           "La ligne 06 55 44 33 22 (opérateur ORBIS Mobile, réquisition en cours) est en contact avec la ligne de "
           "Karim VALLON à 40 reprises."),
    chunk(3, "D22", "piece_22", "ORDONNANCE DE PLACEMENT EN DÉTENTION PROVISOIRE\n"
           "Nous, Anne ROUX, vice-présidente, juge des libertés et de la détention au tribunal judiciaire de Nevers, "
           "le 19 mars 2026, Vu l'information suivie contre VALLON Karim, mis en examen ;\n"
           "Que les interceptions révèlent une dette de 4 000 euros envers un fournisseur surnommé « Tonton » ;\n"
           "Ordonnons le placement en détention provisoire de Karim VALLON ; décernons mandat de dépôt à la maison "
           "d'arrêt de Nevers."),
    chunk(4, "D23", "piece_23", "ORDONNANCE DE PLACEMENT SOUS CONTRÔLE JUDICIAIRE\n"
           "Vu l'information suivie contre PERRET Sonia, mise en examen le 19 mars 2026 ;\n"
           "Ordonnons le placement sous contrôle judiciaire et la soumettons aux obligations suivantes :\n"
           "5°) fournir un cautionnement de 2 000 euros, payable en deux versements."),
    chunk(5, "D14", "piece_14", "PROCÈS-VERBAL DE PERQUISITION ET DE SAISIES\n"
           "L'an deux mille vingt-six, le dix-sept mars, à six heures cinq, Nous, Paul VIGIER, Capitaine de police, "
           "nous transportons au domicile de Karim VALLON, 8 rue du Port à Nevers.\n"
           "Dans la chambre, dans une chaussette, découvrons une liasse que nous comptons : 20 billets de 50 euros et "
           "10 billets de 20 euros, soit 1 200 euros. Plaçons sous scellé n° UN.\n"
           "Dans le tiroir de la table de chevet, découvrons une montre en or gravée. Plaçons sous scellé n° DEUX.\n"
           "Sur une chaise, découvrons un sac à dos noir. Plaçons sous scellé n° TROIS."),
    chunk(6, "D13", "scan_0013", "BANQUE DU CENTRE — Service des réquisitions\n"
           "1. Compte professionnel n° 30211 00087 — SARL LE PETIT ZINC\nOuvert le 2 juin 2024.\n"
           "Versements d'espèces entre le ler septembre 2025 et le 28 février 2026 : 20 dépôts pour un montant "
           "total de 30 000 euros.\n"
           "2. Compte de dépôt n° 30211 00091 — Mme Sonia PERRET\nOuvert le 2 février 2018.\n"
           "Versements d'espèces entre le 1er septembre 2025 et le 28 février 2026 : 9 dépôts pour un montant total "
           "de 8 000 euros.\n"
           "Débits notables : virement de 5 000 euros le 19 janvier 2026 au profit de la SAS LOCAUTO."),
    chunk(7, "D19", "piece_19", "RAPPORT D'EXPERTISE — LABORATOIRE DE POLICE SCIENTIFIQUE\n"
           "Conclusions :\n— le scellé n° 3 contient 1 200 g nets de résine de cannabis d'une teneur moyenne en THC "
           "de 27,5 %."),
    chunk(8, "D27", "piece_27", "PROCÈS-VERBAL DE CONFRONTATION\n"
           "Le onze juin deux mille vingt-six, à dix heures, devant nous, Claire MONTEIL, juge d'instruction, ont "
           "comparu :\n— VALLON Karim, mis en examen, assisté de Me Julien FAURE ;\n— PERRET Sonia, mise en examen ;\n"
           "Question : Madame PERRET, le 3 mars 2026, M. VALLON était-il au bar à partir de 19 heures ?\n"
           "Réponse : Non. Karim est arrivé après la fermeture, vers 22 heures 10.\n"
           "Question : Monsieur VALLON ?\nRéponse : Elle confond avec un autre soir, j'étais là dès 19 heures."),
    chunk(10, "D16", "piece_16", "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\n"
           "L'an deux mille vingt-six, le dix-sept mars, à dix heures, Nous, Paul VIGIER, Capitaine de police, "
           "entendons VALLON Karim, né le 14 mars 1997 à Nevers, de Saïd VALLON et de Malika BENOIT, célibataire, "
           "demeurant 8 rue du Port à Nevers.\n"
           "Question : À qui appartient la résine découverte dans la cave ?\n"
           "Réponse : C'est pas à moi. C'est à Bilal, il m'a demandé de lui prêter la cave.\n"
           "Question : Qui a frappé le guetteur devant le hall ?\n"
           "Réponse : C'est Nordine qui a frappé le guetteur devant le hall."),
    chunk(11, "D5", "piece_05", "RÉPONSE À RÉQUISITION — OPÉRATEUR ORBIS\n"
           "Objet : identification de la ligne 06 77 88 99 00.\n"
           "Titulaire déclaré : LAMBERT Kevin, né le 01/01/1995, 3 rue des Lilas.\n"
           "N° Instruction : JI/2/26/0019"),
    chunk(12, "D10", "piece_10", "PROCÈS-VERBAL DE SYNTHÈSE DES SURVEILLANCES\n"
           "Nous attribuons en conséquence la ligne 06 77 88 99 00 à Karim VALLON, qui l'utilise chaque soir."),
    chunk(13, "D11", "piece_11", "PROCÈS-VERBAL DE SURVEILLANCE\nSurveillance du 3 mars 2026 au soir :\n"
           "— 21h40 : sortie du hall du bâtiment C de Karim VALLON, porteur d'un sac plastique blanc.\n"
           "— 21h44 : il ressort les mains vides."),
    chunk(14, "D15", "piece_15", "PROCÈS-VERBAL DE PERQUISITION ET DE SAISIES\n"
           "L'an deux mille vingt-six, le dix-sept mars, à huit heures, Nous, Paul VIGIER, Capitaine de police, "
           "nous transportons au bar « Le Petit Zinc », dont Sonia PERRET nous remet les clés.\n"
           "Dans le bureau, découvrons un petit coffre-fort que l'intéressée ouvre.\n"
           "Comptage contradictoire : 4 800 euros. Plaçons sous scellé PERRET n° 1.\n"
           "Elle effectue devant nous l'ouverture du tiroir-caisse, sans relever d'empreinte sur le cadenas."),
    chunk(15, "D18", "piece_18", "PROCÈS-VERBAL D'AUDITION DE TÉMOIN\n"
           "L'an deux mille vingt-six, le quatre mars, à neuf heures, Nous, Paul VIGIER, Capitaine de police, "
           "entendons la personne ci-après : ROCHE Inès, née le 5 décembre 2000 à Nevers, vendeuse.\n"
           "Compagne de Karim VALLON, elle déclare :\n"
           "« Le vendredi 6 février, c'était l'anniversaire de ma mère. Je l'ai appelée dans la soirée. Je suis "
           "rentrée du travail vers 17 h 30. Karim n'était pas là. Il est rentré vers 21 heures. »"),
    chunk(16, "D7", "piece_07", "RAPPORT D'IDENTIFICATION DACTYLOSCOPIQUE (FAED)\n"
           "Résultat de l'exploitation : aucune trace exploitable n'a été relevée sur la porte du garage."),
    chunk(9, "D17", "piece_17", "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\n"
           "L'an deux mille vingt-six, le dix-sept mars, à onze heures, Nous, Paul VIGIER, Capitaine de police, "
           "entendons PERRET Sonia, née le 8 novembre 1999 à Nevers, gérante.\n"
           "Question : Quand passe-t-il au bar d'habitude ?\n"
           "Réponse : Il passe presque tous les soirs après la fermeture, vers 23 heures.\n"
           "Question : Qui a payé la location de la camionnette ?\n"
           "Réponse : C'est moi, par virement, mais Karim m'avait donné l'argent avant."),
]


def _ask(question: str) -> dict:
    return ask(PIECES, question)


def _cotes(a: dict) -> list[str]:
    return [c["cote"] for s in a["sentences"] for c in s["citations"]]


# expected answer type from the question's noun ----------------------------------------------------------------------
def test_answer_types_named_by_a_noun():
    assert expected_kind("Quel taux de THC l'expert a-t-il relevé dans la résine saisie ?") == "percent"
    assert expected_kind("Quelle est la teneur en cocaïne des pochons ?") == "percent"
    assert expected_kind("Sous quel scellé se trouve la bague de la victime ?") == "seal"
    assert expected_kind("IMEI de l'iPhone saisi sur Perret ?") == "imei"
    assert expected_kind("Vrai nom du receleur « Doudou » ?") == "person"
    assert expected_kind("Nombre de contacts entre les deux lignes sur janvier-février ?") == "count"
    assert expected_kind("Combien d'espèces ont été trouvées chez Vallon ?") == "amount"
    assert expected_kind("Combien contenait le coffre du bar ?") == "amount"
    assert expected_kind("Rémunération journalière déclarée par Vallon devant la juge ?") == "amount"
    # a circumstance before the interrogative does not hide it (« téléphone » later in the question is no phone)
    assert expected_kind("Le 6 février, à quelles heures le téléphone de Vallon borne-t-il sur le relais ?") == "time"


def test_a_percentage_is_read_from_the_lab_report():
    a = _ask("Quel taux de THC l'expert a-t-il relevé dans la résine ?")
    assert a["status"] == "answered" and "27,5 %" in a["span"] and _cotes(a)[0] == "D19"


def test_the_seal_is_the_one_placed_after_the_object_is_described():
    a = _ask("Sous quel scellé se trouve la montre ?")
    assert a["status"] == "answered" and "deux" in a["span"].lower() and _cotes(a)[0] == "D14"


def test_a_banknote_s_denomination_is_no_sum():
    a = _ask("Combien d'argent liquide a-t-on trouvé chez Vallon ?")
    assert a["status"] == "answered" and a["span"].startswith("1 200") and _cotes(a)[0] == "D14"


def test_an_imei_the_dossier_never_gives_is_abstained():
    assert _ask("IMEI du téléphone saisi chez Vallon ?")["status"] == "abstention"


# the entity of the question, written as the magistrate types it ----------------------------------------------------
def test_a_surname_in_lower_case_is_still_the_person_asked_about():
    assert _ask("Montant du cautionnement de Perret ?")["span"].startswith("2 000")
    assert _ask("Montant du cautionnement mis à la charge de Vallon ?")["status"] == "abstention"


def test_the_witness_s_phone_is_in_his_identity_block_however_long():
    a = _ask("Téléphone du témoin Maurel ?")
    assert a["status"] == "answered" and "06 11 22 33 44" in a["span"] and _cotes(a)[0] == "D4"


def test_a_person_only_mentioned_on_the_page_owns_no_phone_number_of_it():
    assert _ask("Numéro de portable de Nordine ?")["status"] == "abstention"


def test_the_company_account_is_not_the_person_s_account():
    a = _ask("Quel montant d'espèces a été déposé sur le compte professionnel de la SARL LE PETIT ZINC entre le "
             "1er septembre 2025 et le 28 février 2026 ?")
    assert a["status"] == "answered" and a["span"].startswith("30 000") and _cotes(a)[0] == "D13"


def test_a_larger_sum_on_the_page_is_not_the_transfer_asked_about():
    a = _ask("Quel montant Sonia PERRET a-t-elle viré à la SAS LOCAUTO ?")
    assert a["status"] == "answered" and a["span"].startswith("5 000")


def test_a_company_is_never_the_holder_of_a_line():
    a = _ask("À qui est attribuée la ligne 06 55 44 33 22 chez l'opérateur ?")
    assert a["status"] == "abstention"


def test_the_source_the_question_names_is_cited_not_the_order_restating_it():
    a = _ask("De combien Vallon est-il redevable envers « Tonton » selon les écoutes ?")
    assert a["status"] == "answered" and a["span"].startswith("4 000") and _cotes(a)[0] == "D9"


def test_the_jld_s_title_tells_no_release():
    assert _ask("Date de l'ordonnance ayant remis Vallon en liberté ?")["status"] == "abstention"


def test_the_person_a_confrontation_question_is_put_to_is_the_one_who_answers():
    a = _ask("Lors de la confrontation, à quelle heure Perret situe-t-elle l'arrivée de Vallon au bar le 3 mars ?")
    assert a["status"] == "answered" and "22 heures 10" in a["span"] and _cotes(a)[0] == "D27"


# wording ------------------------------------------------------------------------------------------------------------
def test_a_scan_s_ler_is_the_first_of_the_month():
    assert (1, 9, 2025) in dates_in("entre le ler septembre 2025 et le 28 février 2026")


def test_three_asks_on_one_fact_are_three_parts():
    parts = split_compound("Qui a placé Vallon en détention provisoire, quand et dans quel établissement ?")
    assert len(parts) == 3
    assert [expected_kind(p) for p in parts] == ["person", "date", "place"]
    assert all("détention provisoire" in p for p in parts)


def test_the_magistrate_who_signs_the_order_is_who_placed_in_detention():
    a = _ask("Qui a placé Vallon en détention provisoire ?")
    assert a["status"] == "answered" and "ROUX" in a["span"] and _cotes(a)[0] == "D22"


def test_the_holder_at_the_operator_is_the_operator_s_answer_not_the_investigators_attribution():
    a = _ask("Au nom de qui la ligne 06 77 88 99 00 est-elle enregistrée chez l'opérateur ?")
    assert a["status"] == "answered" and "LAMBERT" in a["span"] and _cotes(a)[0] == "D5"


def test_an_identity_block_gives_its_subject_s_birth_date_not_a_parent_s():
    assert _ask("Date de naissance de Malika Benoit, la mère de Vallon ?")["status"] == "abstention"


def test_an_act_with_a_person_it_never_brought_together_is_abstained():
    assert _ask("À quelle date Vallon a-t-il été confronté à Gilles Maurel ?")["status"] == "abstention"
    a = _ask("À quelle date Vallon a-t-il été confronté à Sonia Perret ?")
    assert a["status"] == "answered" and "11 juin 2026" in a["span"] and _cotes(a)[0] == "D27"


def test_a_reply_that_denies_or_names_another_doer_is_a_no():
    a = _ask("En garde à vue, Vallon a-t-il admis que la résine de la cave était à lui ?")
    assert a["status"] == "answered" and a["span"] == "Non" and _cotes(a)[0] == "D16"
    a = _ask("En garde à vue, Vallon a-t-il reconnu avoir frappé le guetteur devant le hall ?")
    assert a["status"] == "answered" and a["span"] == "Non" and _cotes(a)[0] == "D16"


def test_a_verb_or_a_reference_is_no_weight_and_no_date():
    assert expected_kind("Quelles obligations du CJ pèsent sur Sonia Perret ?") != "weight"
    assert spans("date", "N° Instruction : JI/2/26/0019") == []
    assert spans("date", "activée le 02/11/2025") == ["02/11/2025"]


def test_what_the_investigators_saw_is_read_in_their_report():
    a = _ask("À quelle heure les enquêteurs voient-ils Vallon sortir du bâtiment C le 3 mars au soir ?")
    assert a["status"] == "answered" and "21h40" in a["answer"].replace(" ", "") and _cotes(a)[0] == "D11"
    assert "22 heures" not in a["answer"]


def test_a_sum_on_a_person_s_own_account_is_not_the_safe_s_content_nor_the_company_account():
    assert _ask("Montant saisi sur le compte bancaire personnel de Perret ?")["status"] == "abstention"
    a = _ask("Combien contenait le coffre du bar ?")
    assert a["status"] == "answered" and a["span"].startswith("4 800") and _cotes(a)[0] == "D15"


def test_a_count_written_with_another_noun_and_a_total_in_euros():
    a = _ask("Combien de versements d'espèces sur le compte pro du bar de septembre à février, et pour quel total ?")
    assert a["status"] == "answered" and "20" in a["answer"] and "30 000" in a["answer"] and "8 000" not in a["answer"]
    assert expected_kind("Pour quel total d'espèces sur le compte ?") == "amount"


def test_who_did_it_answered_c_est_moi_is_the_speaker():
    a = _ask("Qui a payé la location de la camionnette ?")
    assert a["status"] == "answered" and "PERRET" in a["span"] and _cotes(a)[0] == "D17"


def test_a_result_is_never_read_in_a_hearing_or_in_the_act_of_collecting():
    assert _ask("Qu'a donné la recherche d'empreintes sur le cadenas ?")["status"] == "abstention"


def test_a_declaration_dates_its_story_once_higher_on_the_page():
    a = _ask("Selon sa compagne, à quelle heure Vallon est-il rentré le 6 février ?")
    assert a["status"] == "answered" and "21 heures" in a["span"] and _cotes(a)[0] == "D18"


def test_a_result_must_be_about_the_object_analysed():
    assert _ask("Qu'a donné l'expertise du cadenas de la cave ?")["status"] == "abstention"
    assert _ask("Qu'a donné l'exploitation de la trace de semelle relevée dans le garage ?")["status"] == "abstention"
