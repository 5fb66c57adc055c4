"""Checks a magistrate needs on the draft itself: who is mis en cause (never a commune of a heading), and a
qualification that does not fit the medical ITT. Passages written for these tests in procedural wording."""
from __future__ import annotations

from tests.unit.test_drafting_analysis import _Catalog

IPC = ("TRIBUNAL JUDICIAIRE DE VALLON-SUR-MARNE — Cabinet d'instruction — Information n° JI-2025-131\n"
       "INTERROGATOIRE DE PREMIÈRE COMPARUTION\n"
       "Mme Sofia BROUILLAC est mise en examen du chef de violences volontaires ayant entraîné une incapacité totale "
       "de travail n'excédant pas huit jours, en réunion (art. 222-13 du code pénal).\n"
       "Réponse : Je n'ai frappé personne, j'étais restée dans la voiture.\n")
CMI = ("UNITÉ MÉDICO-JUDICIAIRE\nCERTIFICAT MÉDICAL INITIAL\n"
       "Examen de M. Marius VARENNE le 3 mai 2026 à 10 h 15. Contusion de la pommette gauche, plaie de l'arcade.\n"
       "Incapacité totale de travail (ITT) : quinze jours, sous réserve de complications.\n")


def test_a_commune_in_a_heading_is_no_person_mis_en_cause():
    from generation.evidence import analyse_dossier
    from generation.plans import accused_of

    analysis = analyse_dossier(_Catalog({"D15_ipc": [IPC, IPC.replace("Mme Sofia BROUILLAC est", "Elle est")]}), "d")
    assert [display for _, display in accused_of(analysis)] == ["Mme Sofia BROUILLAC"]
    assert not any("VALLON" in key for p in analysis.pieces for key, _ in p.heard)


def test_an_itt_beyond_the_qualification_is_a_consistency_warning_citing_both_pieces():
    from generation.consistency import itt_warnings
    from generation.evidence import analyse_dossier

    warnings = itt_warnings(analyse_dossier(_Catalog({"D3_cmi": [CMI], "D15_ipc": [IPC]}), "d").items)
    assert len(warnings) == 1 and "8 jours" in warnings[0] and "15 jours" in warnings[0]
    assert "D15 p.1" in warnings[0] and "D3 p.1" in warnings[0]
    fitting = CMI.replace("quinze jours", "cinq jours")
    assert itt_warnings(analyse_dossier(_Catalog({"D3_cmi": [fitting], "D15_ipc": [IPC]}), "d").items) == []


def test_the_itt_compared_is_the_latest_one_fixed_not_a_provisional_one_replaced_since():
    from generation.consistency import itt_warnings
    from generation.evidence import analyse_dossier

    provisional = CMI.replace("quinze jours", "huit jours, à titre provisoire")
    final = ("UNITÉ MÉDICO-JUDICIAIRE\nRAPPORT D'EXAMEN MÉDICO-LÉGAL\nExamen de M. Marius VARENNE le 2 juin 2026.\n"
             "L'incapacité totale de travail est fixée à titre définitif à vingt et un jours.\n")
    soit_communique = ("ORDONNANCE DE SOIT-COMMUNIQUÉ\nLe 10 juin 2026, nous, juge d'instruction, ordonnons la "
                       "communication du dossier aux fins de réquisitions sur la qualification des faits au regard de "
                       "l'ITT définitive supérieure à huit jours.\n")
    items = analyse_dossier(_Catalog({"D3_cmi": [provisional], "D22_umj": [final], "D25_soit": [soit_communique]}),
                            "d").items
    assert itt_warnings(items) == [], "21 days in force fit « supérieure à 8 jours »; the 8 provisional days are past"
