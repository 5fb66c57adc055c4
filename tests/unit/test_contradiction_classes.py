"""Contradiction classes a new author's dossier showed missing (2 December, dossier K): a plate written twice with two
characters swapped, a provisional then a final ITT filed under one cote, a version told by several pieces whose
first teller is the victim, « de l'argent » read as a colour. Sentences written for these tests."""
from __future__ import annotations

from tests.analysis_catalog import PiecesCatalog


def _found(pieces: dict[str, list[str]]):
    from generation.contradictions import find_contradictions
    from generation.evidence import analyse_dossier

    return find_contradictions(analyse_dossier(PiecesCatalog(pieces), "d").items)


PV = ("PROCÈS-VERBAL DE CONSTATATIONS\nNous, Marc JOUBERT, brigadier, officier de police judiciaire, constatons la "
      "disparition du véhicule. Consultation du fichier des immatriculations : véhicule Renault Kangoo, "
      "immatriculé GT-527-KB, de couleur blanche.")
PLAINTE = ("PROCÈS-VERBAL DE PLAINTE\nNous entendons Mme Odile FAURAN, qui déclare :\nOn m'a volé ma camionnette, "
           "une Renault Kangoo immatriculée GT-572-KB. Elle était garée devant l'atelier depuis la veille au soir.")


def test_a_plate_written_with_two_characters_swapped_is_one_vehicle_told_two_ways():
    found = [c for c in _found({"D1_constatations": [PV], "D3_plainte": [PLAINTE]}) if c.kind == "immatriculation"]
    assert len(found) == 1
    assert {found[0].a.value, found[0].b.value} == {"GT527KB", "GT572KB"}
    assert {found[0].a.item.citation.cote, found[0].b.item.citation.cote} == {"D1", "D3"}


def test_two_unrelated_plates_are_two_vehicles():
    other = PLAINTE.replace("GT-572-KB", "FZ-918-LM")
    assert not [c for c in _found({"D1_constatations": [PV], "D3_plainte": [other]}) if c.kind == "immatriculation"]


def test_a_provisional_then_a_final_itt_on_two_pages_of_one_piece_is_shown_as_an_evolution():
    pages = ["CERTIFICAT MÉDICAL INITIAL\nExamen du 3 avril 2026. L'incapacité totale de travail est fixée à titre "
             "provisoire à 3 (trois) jours, sous réserve de complications.",
             "CERTIFICAT DE RÉEXAMEN\nExamen du 24 avril 2026. L'incapacité totale de travail est fixée de manière "
             "définitive à 9 (neuf) jours."]
    found = [c for c in _found({"D6_certificats": pages}) if c.kind == "itt"]
    assert len(found) == 1 and found[0].evolution
    assert {found[0].a.item.citation.page, found[0].b.item.citation.page} == {1, 2}


def test_money_is_no_colour_of_the_vehicle():
    plainte = ("PROCÈS-VERBAL DE PLAINTE\nNous entendons M. Paul VERNET, qui déclare :\nJe demande le remboursement "
               "du scooter et de l'argent qui était dans le coffre.")
    video = ("EXPLOITATION DE VIDÉOPROTECTION\nÀ 22:14:10 un scooter de couleur noire quitte la rue des Acacias.")
    assert not [c for c in _found({"D2_plainte": [plainte], "D5_video": [video]}) if c.kind == "couleur"]


def test_the_evaluator_matches_a_colour_whatever_its_gender():
    from evals.metrics import contradiction_shown

    c = {"a": {"cote": "D2", "value": "blanc"}, "b": {"cote": "D7", "value": "gris foncé"}}
    point = [("Couleur du véhicule : blanche (plainte : « …de couleur blanche… ») contre gris (vidéoprotection : "
              "« …de couleur gris foncé… »).", [("D2", 2), ("D7", 1)])]
    assert contradiction_shown(c, point)
    assert not contradiction_shown({"a": {"cote": "D2", "value": "rouge"}, "b": c["b"]}, point)


def test_what_the_stolen_bag_held_told_by_the_victim_and_by_the_suspect_is_one_sum():
    plainte = ("PROCÈS-VERBAL DE PLAINTE\nNous entendons Mme Clara VIDOT, qui déclare :\n"
               "Question : Que contenait votre sac à dos ?\nRéponse : Il y avait à peu près 240 euros en billets, mes "
               "clés et mon téléphone.")
    gav = ("PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Kylian FERRO, qui déclare :\n"
           "Question : Qu'avez-vous trouvé dans le sac à dos ?\nRéponse : Il y avait 90 euros dedans, on a partagé.")
    found = [c for c in _found({"D3_plainte": [plainte], "D9_gav": [gav]}) if c.kind == "montant"]
    assert len(found) == 1 and {found[0].a.number, found[0].b.number} == {240.0, 90.0}
    # two sums each told in its own context are still two sums
    other = gav.replace("Qu'avez-vous trouvé dans le sac à dos ?", "Combien gagnez-vous ?").replace(
        "Il y avait 90 euros dedans, on a partagé.", "Je gagne 90 euros par semaine au marché.")
    assert not [c for c in _found({"D3_plainte": [plainte], "D9_gav": [other]}) if c.kind == "montant"]


def test_two_persons_placing_the_evening_of_the_facts_on_two_weekdays():
    plainte = ("PROCÈS-VERBAL DE PLAINTE\nNous entendons M. Jordan PEYRE, qui déclare :\nDimanche 8 février 2026 au soir, "
               "vers 22 heures, deux hommes m'ont pris mon téléphone devant la gare.")
    alibi = ("PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Inès CARLET, qui déclare :\n"
             "Question : Êtes-vous sûre du jour ?\nRéponse : Oui, c'était le samedi 7 février, il a dormi chez moi.")
    found = [c for c in _found({"D2_plainte": [plainte], "D8_audition": [alibi]}) if c.kind == "date"]
    assert len(found) == 1 and {found[0].a.item.citation.cote, found[0].b.item.citation.cote} == {"D2", "D8"}
    # a date with its weekday that is no evening of the case (an arrest) is left alone
    arrest = alibi.replace("c'était le samedi 7 février, il a dormi chez moi", "il a été interpellé le samedi 7 "
                           "février chez sa mère").replace("Êtes-vous sûre du jour ?", "Que savez-vous ?")
    assert not [c for c in _found({"D2_plainte": [plainte], "D8_audition": [arrest]}) if c.kind == "date"
                and c.a.event == "soiree"]


def test_a_witness_alibi_against_the_cells_of_the_line_the_piece_attributes_to_the_suspect():
    witness = ("PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons M. Hugo SERVAN, qui déclare :\nJe connais Malik "
               "TOURNIER depuis l'école.\nQuestion : Où était-il le soir des faits ?\nRéponse : Il était chez moi toute "
               "la soirée, à Orly, on a regardé le match.")
    cells = ("RÉPONSE À RÉQUISITION — EXPLOITATION DE LA LIGNE\nLa ligne 06 44 12 90 31 est attribuée à M. Malik "
             "TOURNIER. Aucun relais situé sur la commune d'Orly n'a été activé par la ligne sur la période.")
    request = ("RÉQUISITION\nRequérons la société TELCOM de nous communiquer la localisation des relais activés par la "
               "ligne de M. Malik TOURNIER le 3 mars 2026 de 21 h 00 à 23 h 00.")
    found = [c for c in _found({"D6_audition": [witness], "D9_reponse": [cells]}) if c.kind == "presence"]
    assert len(found) == 1 and {found[0].a.item.citation.cote, found[0].b.item.citation.cote} == {"D6", "D9"}
    # a requisition asks for the cells, it locates nobody
    assert not [c for c in _found({"D6_audition": [witness], "D8_requisition": [request]}) if c.kind == "presence"]


def test_an_empty_record_is_no_conviction_against_a_denial():
    b1 = ("BULLETIN N° 1 DU CASIER JUDICIAIRE\nNom : MONTEIL Gérald\nLe bulletin n° 1 ne comporte aucune condamnation.")
    gav = ("PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Gérald MONTEIL, qui déclare :\n"
           "Question : Avez-vous déjà été condamné ?\nRéponse : Non, jamais, je n'ai jamais eu affaire à la justice.")
    assert not [c for c in _found({"B1_casier": [b1], "D9_gav": [gav]}) if c.kind == "antecedents"]
    full = b1.replace("Le bulletin n° 1 ne comporte aucune condamnation.", "Condamnation n° 1 : 12/03/2021, tribunal "
                      "correctionnel de Meaux, vol aggravé, 6 mois d'emprisonnement avec sursis.")
    assert [c for c in _found({"B1_casier": [full], "D9_gav": [gav]}) if c.kind == "antecedents"]
