"""Failure classes found on a new author's road passages (road-Q, development material), each told here in our own
words: a measure imposed by the decision is no status of the licence, a holding with its points today is a valid
licence, a laboratory table's dotted leaders, MDMA's chemical name, a range or a « pour les titulaires » threshold, a
judgment's reasoning that cites the B1, the recidivism formula with « condamné définitivement le … », the counter
-analysis kept at its most favourable value, the offence told as the charge, a stated age of the driver."""
from __future__ import annotations

import pytest

from evals.facts_eval import predict
from orientation.grid import load_limits

LIMITS = load_limits()

CASES = [
    # a measure the decision imposes or requests is not the status of the licence at the time of the facts
    ("Peine prononcée : amende de 600 euros ; suspension du permis de conduire de 3 mois.", "licence_status", None),
    ("Il est requis contre le prévenu :\n- une amende de 400 euros ;\n- la suspension du permis de conduire pour une "
     "durée de 6 mois.", "licence_status", None),
    ("Le tribunal, statuant contradictoirement, prononce l'annulation de son permis de conduire et fixe à 12 mois le "
     "délai avant lequel il ne pourra solliciter un nouveau permis.", "licence_status", None),
    # ... while a measure in force, or one a past judgment pronounced, is
    ("Par arrêté préfectoral du 02/03/2025, notifié le 04/03/2025, le permis de conduire de l'intéressé est suspendu "
     "pour une durée de 6 mois.", "licence_status", "suspended"),
    ("attendu que par jugement du 9 janvier 2024 le tribunal correctionnel de Lormont a prononcé l'annulation du permis "
     "de conduire du prévenu ;", "licence_status", "annulled"),
    # holding told with today's points
    ("Consultation du fichier national : M. VERNIER est titulaire du permis B obtenu le 04/05/2021, solde de 9 points.",
     "licence_status", "valid"),
    ("La conductrice, titulaire du permis de conduire depuis deux ans (permis probatoire, 10 points), est invitée à "
     "souffler.", "licence_status", "valid"),
    # laboratory tables
    ("Benzoylecgonine ................. < LQ (2 ng/ml)\nCocaïne ......................... < LQ (0,5 ng/ml)\n"
     "Delta-9-THC ..................... 4,4 ng/ml", "drugs_substances", ["cannabis"]),
    ("Résultats sanguins : MDMA (3,4-méthylènedioxyméthamphétamine) : 61 ng/ml ; amphétamine : non détectée.",
     "drugs_substances", ["mdma"]),
    # thresholds and ranges
    ("Tolérance de l'appareil : ± 5 % de la valeur mesurée entre 0,400 et 2,000 mg/l.", "alcohol_air_mg_l_readings",
     None),
    ("Rappel : pour les titulaires d'un permis probatoire le seuil est abaissé ; la contravention est constituée dès "
     "0,10 mg/l pour les titulaires d'un permis probatoire.", "alcohol_air_mg_l_readings", None),
    ("Relevé de l'éthylomètre : 1re mesure 0,71 mg/l ; 2e mesure 0,69 mg/l ;\nSeuil légal : 0,40 mg/l",
     "alcohol_air_mg_l_readings", [0.71, 0.69]),
    ("Historique : retrait de 3 points pour un excès de vitesse de 20 à 29 km/h.", "speed_kmh", None),
    # a judgment's reasoning that cites the record states the case's recidivism
    ("Vu le bulletin n° 1 du casier judiciaire du prévenu, qui mentionne deux condamnations ; attendu que le prévenu "
     "comparaît pour des faits identiques commis le 03/05/2025, en état de récidive légale ;", "legal_recidivism", True),
    ("Article 132-10 du code pénal : lorsqu'une personne déjà condamnée définitivement pour un délit commet le même "
     "délit dans les cinq ans, elle se trouve en état de récidive légale.", "legal_recidivism", None),
    # the recidivism formula names the first term
    ("avec cette circonstance que les faits ont été commis en état de récidive légale, pour avoir été condamné "
     "définitivement le 08/02/2022 par le tribunal correctionnel de Vierzon pour des faits identiques.",
     "prior_convictions", ["2022-02-08"]),
    # a record told in a narrative
    ("Sur la personnalité : son casier judiciaire mentionne une condamnation du 14/10/2021 du tribunal correctionnel de "
     "Lormont pour vol simple, 300 euros d'amende.", "prior_convictions", ["2021-10-14"]),
    ("Vu le bulletin n° 1 du prévenu qui porte trace de deux condamnations, dont la dernière prononcée le 05/05/2023 par "
     "le tribunal correctionnel de Vierzon pour conduite sans permis ;", "prior_convictions", ["2023-05-05"]),
    # a counter-analysis kept at the value most favourable to the driver
    ("Alcoolémie : premier flacon 1,12 g/l ; analyse de contrôle du second flacon : 1,07 g/l. Le résultat le plus "
     "favorable au prévenu est retenu.", "alcohol_blood_g_l", 1.07),
    # the offence told as the charge or the conviction
    ("Déclare M. LEVASSEUR coupable de conduite d'un véhicule en ayant fait usage de substances classées comme "
     "stupéfiants (cannabis), faits commis le 12/03/2025.", "drugs_positive", True),
    # tests accepted
    ("M. PIQUET accepte l'ensemble des vérifications mais refuse de signer le procès-verbal.", "refusal_of_test", False),
    # the offence's date told after the offence, never a licence record's history nor a closing
    ("Attendu qu'il ne conteste pas avoir conduit malgré l'annulation prononcée le 02/05/2022 ; que l'infraction de "
     "conduite malgré annulation judiciaire du permis, commise le 19/02/2025, est établie.", "facts_date", "2025-02-19"),
    ("Les faits sont relevés le 08/04/2025 boulevard Carnot à VALCOURT.", "facts_date", "2025-04-08"),
    ("RELEVÉ INTÉGRAL\nHistorique des points :\n03/02/2023 retrait 4 pts (R413-14, infraction du 11/12/2022)\n"
     "Solde : 8 points", "facts_date", None),
    ("Le présent procès-verbal est clos le 09/03/2025 à 04h10.", "facts_date", None),
    # the driver's age
    ("Le conducteur, M. ROUX Théo, 19 ans, présente des signes d'ivresse.", "minor", False),
    ("Le conducteur, M. ROUX Théo, 16 ans, présente des signes d'ivresse.", "minor", True),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_fact_value(text: str, key: str, expected) -> None:
    got = predict(text, LIMITS)[key]
    if key == "prior_convictions":
        got = [c["date"] for c in got] if got else None
    if key == "alcohol_air_mg_l_readings" and got == []:
        got = None
    if key == "drugs_substances" and got:
        got = sorted(got)
    assert got == expected, (key, got)
