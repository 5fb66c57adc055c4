"""Two ways a close sentence seems to answer and does not (found on a new author's dossier, instruction-M, development
material; told here in other words): a yes/no question about an act whose sentence only provides for it, allows it
or asks for it; an amount whose sentence leaves the thing asked out of its total."""
from __future__ import annotations

from tests.answer_fakes import ask, chunk

ORDER = chunk(1, "D19", "Ordonnance de placement en détention provisoire",
              "Ordonnons que M. VAUQUELIN soit conduit à la maison d'arrêt ; disons que la présente ordonnance lui a "
              "été notifiée ce jour et l'avons avisé qu'il dispose d'un délai de dix jours pour en interjeter appel "
              "devant la chambre de l'instruction.")
CJ = chunk(2, "D20", "Ordonnance de placement sous contrôle judiciaire",
           "Le mis en examen est astreint aux obligations suivantes : 4° fournir un cautionnement de 800 euros, payable "
           "en deux versements de 400 euros, le premier avant le 1er avril 2026, le second avant le 1er juin 2026.")
APPEAL = chunk(3, "D22", "Déclaration d'appel",
               "Le 14 mars 2026, M. VAUQUELIN a interjeté appel de l'ordonnance de placement en détention provisoire "
               "par déclaration au greffe de la maison d'arrêt.")
LOSS = chunk(4, "D4", "Audition du représentant de la société",
             "Le préjudice total s'élève à 18 240 euros, hors remplacement des vitrines et hors perte d'exploitation. "
             "La société a déposé plainte le 3 février 2026.")


def test_an_appeal_only_provided_for_is_no_yes() -> None:
    r = ask([ORDER, CJ, LOSS], "M. VAUQUELIN a-t-il interjeté appel de l'ordonnance de placement en détention ?")
    assert r["status"] == "abstention"
    assert "sans dire s'il a eu lieu" in r["reason"]


def test_an_appeal_told_done_answers() -> None:
    r = ask([ORDER, APPEAL, CJ], "M. VAUQUELIN a-t-il interjeté appel de l'ordonnance de placement en détention ?")
    assert r["status"] == "answered"
    assert r["sentences"][0]["citations"][0]["cote"] == "D22"


def test_a_payment_only_scheduled_is_no_yes() -> None:
    r = ask([ORDER, CJ, LOSS], "A-t-il effectué le premier versement de son cautionnement ?")
    assert r["status"] == "abstention"


def test_a_total_that_leaves_the_thing_asked_out_is_no_answer() -> None:
    r = ask([ORDER, CJ, LOSS], "Quel est le coût de remplacement des vitrines ?")
    assert r["status"] == "abstention"
    r = ask([ORDER, CJ, LOSS], "Quel est le préjudice total de la société ?")
    assert r["status"] == "answered" and "18 240" in r["answer"]


def _table_page() -> list:
    lines = ["Exploitation des données de téléphonie de la ligne 06 41 22 90 17",
             "2. Localisation le 9 mars 2026 (extrait)",
             "Heure | Ligne | Événement | Relais déclenché",
             "04 h 10 | 06 41 22 90 17 | appel sortant (12 s) | BRV-0211 Bréval, avenue des",
             "Tilleuls",
             "04 h 32 | 06 41 22 90 17 | données mobiles | MNT-0907 Montfort, zone artisanale",
             "05 h 02 | 06 41 22 90 17 | SMS entrant | BRV-0211 Bréval, avenue des Tilleuls"]
    return [chunk(10 + i, "D9", "Exploitation de la téléphonie", text, page=2) for i, text in enumerate(lines)]


def test_a_table_row_keeps_its_section_date_across_a_wrapped_cell_and_the_code_asked() -> None:
    r = ask(_table_page() + [ORDER], "À quelle heure la ligne 06 41 22 90 17 déclenche-t-elle le relais MNT-0907 le 9 mars ?")
    assert r["status"] == "answered"
    assert r["span"] == "04 h 32", r["answer"]


def _headed(i: int, cote: str, title: str, body: str) -> list:
    head = "Procédure n° 2026/00977 — Affaire : DUVERNOY Alice / X"
    return [chunk(40 + 2 * i, cote, title, head), chunk(41 + 2 * i, cote, title, body)]


def test_the_procedure_number_is_still_read_from_the_running_header() -> None:
    # running headers (lines on 3 pages or more) are no candidates, except for the procedure's own number
    pieces = (_headed(0, "D1", "Plainte", "Mme DUVERNOY déclare que sa voiture a été rayée dans la nuit.")
              + _headed(1, "D2", "Constatations", "Nous constatons une rayure de 40 cm sur la portière avant.")
              + _headed(2, "D3", "Audition de témoin", "Le témoin dit avoir vu un homme en blouson rouge."))
    r = ask(pieces, "Quel est le numéro de la procédure ?")
    assert r["status"] == "answered" and "2026/00977" in r["answer"]


SEALS = chunk(60, "D14", "Rapport de synthèse",
              "Le marteau (scellé DEUX) n'a pas fait l'objet d'analyses à ce stade. La veste (scellé TROIS) a été "
              "transmise au laboratoire.")
CAR = chunk(61, "D9", "Perquisition",
            "Le scooter Yamaha AB-123-CD est saisi et placé en fourrière judiciaire aux fins d'examen technique.")


def test_a_result_not_done_or_only_intended_is_no_result() -> None:
    r = ask([SEALS, CAR, ORDER], "Quel est le résultat de l'analyse du marteau (scellé DEUX) ?")
    assert r["status"] == "abstention" and "ne contient pas ce résultat" in r["reason"]
    r = ask([SEALS, CAR, ORDER], "Qu'a révélé l'examen technique du scooter placé en fourrière ?")
    assert r["status"] == "abstention"


def test_a_compound_part_is_labelled_by_what_it_asks() -> None:
    from generation.question import part_label, split_compound

    parts = split_compound("Quelle est la marque du véhicule saisi et quel est son numéro de série ?")
    assert [part_label(p) for p in parts] == ["La marque", "Son numéro"]
    assert [part_label(p) for p in split_compound("Quand et où a-t-il été interpellé ?")] == ["Quand", "Où"]


def test_an_ocr_stray_question_mark_after_a_header_does_not_swallow_the_statement() -> None:
    text = ("Procédure n° 2026/00977 — Affaire : DUVERNOY Alice / X ?\nPROCÈS-VERBAL D'AUDITION DE TÉMOIN\n"
            "Entendons PERRIN Chloé qui déclare :\n« Depuis ma fenêtre j'ai vu quatre hommes autour de la voiture rouge. "
            "Ils sont partis à pied. »\nQ : Avez-vous vu leur visage ?\nR : Non, ils étaient masqués.")
    r = ask([chunk(70, "D3", "Audition de témoin", text), ORDER],
            "Combien d'hommes le témoin PERRIN a-t-elle vus autour de la voiture ?")
    assert r["status"] == "answered" and "quatre" in r["answer"], r["answer"]
