"""Piece typing by the act's title: wrapped titles, letterheads, titles naming two acts, and later pages that show
what the piece carries. Every heading here is invented."""
from generation.pieces import classify, title_blocks


def test_letterhead_naming_a_service_does_not_type_the_piece():
    first = ("CRÉDIT DU VEXIN — Pôle des obligations légales\nCellule réquisitions judiciaires — 4 quai Ouest, Pontoise\n"
             "Réf. : RJ-2026-118\n\nRÉPONSE À RÉQUISITION JUDICIAIRE\nPontoise, le 3 avril 2026.\n"
             "Compte courant de M. Loïc VERDAL : 14 virements entrants entre le 2 et le 20 mars 2026.")
    assert classify(first) == "reponse_requisition"


def test_wrapped_title_is_read_whole():
    first = ("TRIBUNAL JUDICIAIRE DE MEAUX\nCabinet de Mme ARDOUIN, juge d'instruction\n\n"
             "ORDONNANCE DE MISE EN LIBERTÉ ET DE PLACEMENT\nSOUS CONTRÔLE JUDICIAIRE\n"
             "Nous, Hélène ARDOUIN, vice-présidente chargée de l'instruction,")
    assert title_blocks(first)[-1].endswith("SOUS CONTRÔLE JUDICIAIRE")
    assert classify(first) == "ordonnance_cj"


def test_title_naming_two_acts_is_typed_by_the_substantive_one():
    perquisition = ("GENDARMERIE NATIONALE\nBrigade de recherches de Vernon\n\n"
                    "PROCÈS-VERBAL D'INTERPELLATION ET DE PERQUISITION\nL'an deux mille vingt-six, le deux avril,")
    assert classify(perquisition) == "perquisition"
    audition = ("POLICE NATIONALE\nSûreté départementale\n\nPROCÈS-VERBAL DE NOTIFICATION DE GARDE À VUE\n"
                "ET DE PREMIÈRE AUDITION\nL'an deux mille vingt-six,")
    assert classify(audition) == "garde_a_vue"


def test_a_plain_notification_stays_a_notification():
    first = ("POLICE NATIONALE\n\nPROCÈS-VERBAL DE NOTIFICATION DE PLACEMENT EN GARDE À VUE\n"
             "Notifions à M. Kylian ROBARD qu'il est placé en garde à vue à compter de 7 h 10.\n"
             "Q : Souhaitez-vous être assisté d'un avocat ? R : Oui, Me LEBRUN.\n"
             "Q : Souhaitez-vous faire prévenir un proche ? R : Ma sœur.\n"
             "Q : Souhaitez-vous être examiné par un médecin ? R : Non.")
    assert classify(first, rest=first) == "notification_gav"


def test_notification_followed_by_an_audition_is_the_audition():
    first = ("PROCÈS-VERBAL DE NOTIFICATION DE GARDE À VUE ET DES DROITS\n"
             "Notifions à M. Kylian ROBARD qu'il est placé en garde à vue à compter de 7 h 10.")
    rest = first + ("\nAUDITION — 4 avril 2026 à 9 h 30, en présence de Me LEBRUN\n"
                    "Q : Où étiez-vous le 2 avril vers 23 heures ?\nR : Chez ma sœur à Gisors.\n"
                    "Q : Connaissez-vous M. PAULIN ?\nR : Non.\nQ : Votre téléphone borne à Vernon à 23 h 05.\n"
                    "R : Je l'avais prêté.")
    assert classify(first) == "notification_gav"
    assert classify(first, rest=rest) == "garde_a_vue"


def test_requisition_followed_by_its_answer_is_the_answer():
    first = ("PROCÈS-VERBAL DE RÉQUISITION À OPÉRATEUR\nRequérons la société ONDALIS de nous communiquer "
             "le détail des trafics de la ligne 07 11 22 33 44.")
    rest = first + "\nRÉPONSE D'ONDALIS — 6 avril 2026\nLigne attribuée à Mme Yasmina OUDRI depuis le 2 mai 2024."
    assert classify(first) == "requisition"
    assert classify(first, rest=rest) == "reponse_requisition"


def test_transcript_of_intercepted_calls_is_telephony():
    first = ("PROCÈS-VERBAL DE RETRANSCRIPTION D'INTERCEPTIONS\nDE CORRESPONDANCES TÉLÉPHONIQUES\n"
             "Commission rogatoire du 3 mars 2026")
    assert classify(first) == "exploitation_telephonie"


def test_a_requisition_telling_where_to_send_the_answer_is_still_a_requisition():
    first = "RÉQUISITION À OPÉRATEUR\nRequérons la société ONDALIS de nous communiquer l'identité du titulaire."
    rest = first + "\nRéponse à adresser par courriel sécurisé à la brigade, dans un délai de huit jours."
    assert classify(first, rest=rest) == "requisition"
