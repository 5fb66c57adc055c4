"""Writes evals/dev/instruction-dev/: a hand-written (invented) burglary dossier for developing question answering.

Its wording is not the generator's: audition transcripts in « Question : / Réponse : » form, several people with
phone numbers, a breath-only alcohol reading, a criminal record listing convictions, an écrou. Run once; the PDFs
are committed so that the evaluation never depends on this script's output changing.
"""
from __future__ import annotations

import random
from pathlib import Path

from evals.datasets.render import Piece, render_pdf

POLICE = "POLICE NATIONALE — Commissariat de Montreuil-sur-Orge — Procédure n° 2025/00417"
JUGE = "TRIBUNAL JUDICIAIRE DE VALLON-SUR-MARNE — Cabinet de Mme DELAUNAY, juge d'instruction — Information n° 25/113"

PIECES = [
    ("D1", "Procès-verbal de plainte", POLICE, [
        "Le 4 mars 2025 à 19h40, se présente à nos services Mme Hélène GARNIER-ROUSSEL, née le 12 octobre 1961 à "
        "Lyon, retraitée, demeurant 12 allée des Tilleuls à Montreuil-sur-Orge, joignable au 06 12 48 73 95.",
        "Elle déclare : Ce matin je suis partie de chez moi vers 9 heures pour aller chez ma fille. En rentrant vers "
        "18 heures, j'ai trouvé la porte-fenêtre du salon ouverte et la vitre brisée.",
        "On m'a pris mes bijoux, dont la bague de fiançailles de ma mère, deux montres, un ordinateur portable et "
        "300 euros en liquide qui étaient dans le tiroir de la commode.",
        "J'estime mon préjudice à 4 850 euros au total. Je n'ai pas d'assurance habitation qui couvre le vol.",
        "Je dépose plainte contre X.",
    ]),
    ("D2", "Procès-verbal de constatations", POLICE, [
        "Le 4 mars 2025 à 20h30, nous nous transportons au domicile de la plaignante, 12 allée des Tilleuls.",
        "Nous constatons que la porte-fenêtre donnant sur le jardin présente des traces de pesée au niveau de la "
        "serrure ; la vitre est brisée.",
        "Trois pièces ont été fouillées : le salon, la chambre et le bureau.",
        "Le technicien en identification criminelle relève une trace papillaire exploitable sur le montant de la "
        "porte-fenêtre, placée sous scellé n° 1.",
    ]),
    ("D3", "Audition de témoin", POLICE, [
        "Le 5 mars 2025 à 10h15, nous entendons M. Lucien FAURE, né le 3 mai 1958, retraité, demeurant 14 allée des "
        "Tilleuls à Montreuil-sur-Orge, téléphone 06 98 21 37 40.",
        "Question : Qu'avez-vous vu le 4 mars dans l'après-midi ?",
        "Réponse : Vers 15h30, j'ai vu deux hommes sortir du jardin de ma voisine avec des sacs de sport. Ils sont "
        "montés dans une Renault Clio grise et sont partis vite.",
        "Question : Avez-vous relevé l'immatriculation du véhicule ?",
        "Réponse : Oui, je l'ai notée sur mon calepin : GH-482-KL.",
        "Question : Pouvez-vous décrire ces hommes ?",
        "Réponse : Le premier était grand, environ 1,85 m, avec une barbe et une casquette rouge. L'autre était plus "
        "petit, je ne l'ai vu que de dos.",
        "Lecture faite, persiste et signe.",
    ]),
    ("D4", "Rapport d'identification dactyloscopique", "SERVICE RÉGIONAL D'IDENTITÉ JUDICIAIRE", [
        "La trace papillaire placée sous scellé n° 1 a été comparée au fichier automatisé des empreintes digitales.",
        "Elle correspond à l'empreinte de l'index droit de Kevin MARCHAL, né le 9 janvier 1998, déjà signalisé en "
        "2021.",
    ]),
    ("D5", "Procès-verbal de consultation du fichier des immatriculations", POLICE, [
        "Le véhicule Renault Clio immatriculé GH-482-KL est enregistré au nom de Mme Samia BENALI, demeurant "
        "7 rue des Forges à Vallon-sur-Marne.",
        "Mme BENALI, jointe au 07 64 55 12 08, indique prêter régulièrement son véhicule à son compagnon, Kevin "
        "MARCHAL.",
    ]),
    ("D6", "Procès-verbal d'interpellation", POLICE, [
        "Le 18 mars 2025 à 06h15, nous nous présentons au 7 rue des Forges à Vallon-sur-Marne et procédons à "
        "l'interpellation de Kevin MARCHAL, qui n'oppose aucune résistance.",
        "Il lui est notifié son placement en garde à vue à compter de 06h15.",
        "Soumis à un dépistage de l'imprégnation alcoolique, il présente à l'éthylomètre un taux de 0,12 mg par "
        "litre d'air expiré.",
    ]),
    ("D7", "Procès-verbal de perquisition", POLICE, [
        "Le 18 mars 2025 de 06h30 à 07h45, en présence de Kevin MARCHAL, nous procédons à la perquisition de son "
        "domicile.",
        "Nous découvrons dans la chambre une montre de marque Seiko, un pied-de-biche et une somme de 450 euros en "
        "billets de 50 euros, placés sous scellés n° 2, n° 3 et n° 4.",
        "Aucun bijou n'est retrouvé.",
    ]),
    ("D8", "Audition en garde à vue de Kevin MARCHAL", POLICE, [
        "Le 18 mars 2025 à 10h00, Kevin MARCHAL, assisté de Maître Paul ROUSSEAU, avocat, est entendu.",
        "Question : Où étiez-vous le 4 mars 2025 vers 15 heures ?",
        "Réponse : Je ne me souviens plus, sans doute chez moi.",
        "Question : Comment expliquez-vous la présence de votre empreinte sur la porte-fenêtre de Mme "
        "GARNIER-ROUSSEL ?",
        "Réponse : Bon, d'accord, je suis entré chez cette dame avec un copain, mais c'est lui qui a cassé la vitre.",
        "Question : Qui est ce copain ?",
        "Réponse : Je ne donnerai pas son nom.",
        "Question : Qu'avez-vous fait des bijoux ?",
        "Réponse : Je les ai revendus à un type sur un parking à Bagnolet.",
        "Question : Combien avez-vous retiré de la revente des bijoux ?",
        "Réponse : J'en ai tiré à peu près 1 200 euros, qu'on a partagés.",
        "Question : D'où proviennent les 450 euros découverts chez vous ?",
        "Réponse : C'est ce qu'il me reste de ma part.",
        "Lecture faite, persiste et signe.",
    ]),
    ("D9", "Exploitation de la téléphonie", POLICE, [
        "La ligne 07 81 33 90 26 est attribuée à Kevin MARCHAL.",
        "Le 4 mars 2025 entre 15h02 et 15h41, cette ligne active le relais situé rue Jean-Jaurès à "
        "Montreuil-sur-Orge, qui couvre l'allée des Tilleuls.",
    ]),
    ("D10", "Interrogatoire de première comparution", JUGE, [
        "Le 19 mars 2025, devant nous, Claire DELAUNAY, juge d'instruction, comparaît Kevin MARCHAL.",
        "Nous l'avons mis en examen du chef de vol par effraction dans un local d'habitation, commis en réunion "
        "(articles 311-4 et 311-5 du code pénal).",
        "Il déclare : Je reconnais être entré dans la maison, je regrette.",
    ]),
    ("C1", "Ordonnance de placement en détention provisoire", JUGE, [
        "Le juge des libertés et de la détention ordonne le placement en détention provisoire de Kevin MARCHAL.",
        "L'intéressé a été écroué le 19 mars 2025 à la maison d'arrêt de Fleury-Mérogis.",
    ]),
    ("B1", "Bulletin n° 1 du casier judiciaire", "CASIER JUDICIAIRE NATIONAL", [
        "Relevé des condamnations de Kevin MARCHAL, né le 9 janvier 1998 : le bulletin porte mention de trois "
        "condamnations.",
        "1. Tribunal correctionnel de Bobigny, 12 mai 2019 : vol simple, 3 mois d'emprisonnement avec sursis.",
        "2. Tribunal correctionnel de Créteil, 8 novembre 2021 : recel de vol, 6 mois d'emprisonnement.",
        "3. Tribunal correctionnel d'Évry, 15 février 2023 : vol aggravé, 10 mois d'emprisonnement dont 5 mois avec "
        "sursis probatoire.",
    ]),
    ("B2", "Enquête de personnalité", "ASSOCIATION D'ENQUÊTE SOCIALE RAPIDE", [
        "Kevin MARCHAL, 27 ans, vit avec sa compagne Samia BENALI et leur fils âgé de deux ans.",
        "Il est sans emploi depuis la fin de son contrat de manutentionnaire en septembre 2024.",
        "Il perçoit le revenu de solidarité active, soit environ 600 euros par mois.",
        "Il déclare fumer du cannabis occasionnellement.",
    ]),
]


SCANNED = {"D5", "B2"}  # read through OCR, as a photocopied piece would be


def main() -> None:
    out = Path(__file__).resolve().parent / "instruction-dev"
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2025)
    for cote, title, header, paragraphs in PIECES:
        piece = Piece(cote, title, header, paragraphs, f"{cote}.pdf", scanned=cote in SCANNED)
        (out / piece.filename).write_bytes(render_pdf(piece, rng))


if __name__ == "__main__":
    main()
