"""Who a piece hears or is about, from its identity block, on layouts found in a new author's dossier (instruction-M,
development material; told here with other names): « Né le » capitalised on its own line after a running header
that names the case's victim, and a medical certificate whose « examiné le 16 février » is no birth date."""
from __future__ import annotations

from generation.pieces import analyse_piece

GAV = """POLICE NATIONALE — COMMISSARIAT DE BREVAL
Procédure n° 2026/00712 — Affaire : GODARD Martine / X
PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE
L'an deux mille vingt-six, le deux avril, à quinze heures,
Nous, Sophie LEMAIRE, brigadier-chef de police, officier de police judiciaire,
Entendons la personne ci-dessous dénommée, placée en garde à vue ce jour à 06 h 10 :
PASQUIER Romain, Louis
Né le 4 juin 1999 à Bréval
Q : Où étiez-vous le 30 mars au soir ?
R : Chez moi. Martine GODARD, je ne la connais pas."""

UMJ = """UNITÉ MÉDICO-JUDICIAIRE DE BREVAL
CERTIFICAT MÉDICAL INITIAL
Je soussigné, Docteur Paul VERGNE, médecin légiste,
Agissant sur réquisition de l'officier de police judiciaire LEMAIRE en date du 30 mars 2026,
Certifie avoir examiné le 31 mars 2026 à 9 h 15 :
Mme GODARD Martine, née le 12 mai 1961.
L'incapacité totale de travail est fixée à 4 (quatre) jours."""

WITNESS = """PROCÈS-VERBAL D'AUDITION DE TÉMOIN
Nous, Sophie LEMAIRE, officier de police judiciaire,
Entendons
PERRIN Chloé, née le 2 février 1990, serveuse,
Qui nous déclare : « J'ai vu deux hommes courir. »"""


def test_capitalised_birth_line_names_the_person_in_custody_not_the_header_victim() -> None:
    piece = analyse_piece("d12", "D12", "piece_12.pdf", [GAV])
    assert piece.heard and piece.heard[0][0].startswith("PASQUIER")


def test_an_examination_date_is_no_birth_date() -> None:
    piece = analyse_piece("d5", "D5", "umj.pdf", [UMJ])
    assert piece.heard and piece.heard[0][0].startswith("GODARD")


def test_the_hearing_verb_is_no_first_name() -> None:
    piece = analyse_piece("d3", "D3", "temoin.pdf", [WITNESS])
    assert piece.heard and piece.heard[0][0].startswith("PERRIN")
    assert "Entendons" not in piece.heard[0][1]
