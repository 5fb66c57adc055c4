"""Licence status told by a negated holding with any verb, a « jamais délivré » form line, a delivered licence « en
cours de validité »; and two scopes that are not a status: a requested annulment, another document's validity."""
from __future__ import annotations

import pytest

from evals.facts_eval import predict
from orientation.grid import load_limits

LIMITS = load_limits()

CASES = [
    ("Entendu, l'intéressé indique n'avoir jamais obtenu le moindre permis de conduire.", "never_held"),
    ("Interrogé sur ce point, il reconnaît ne pas être titulaire du permis de conduire.", "never_held"),
    ("D : Avez-vous le permis ? R : Non, je n'ai jamais eu de permis de conduire, j'ai raté le code deux fois.",
     "never_held"),
    ("Permis de conduire : jamais délivré (FNPC : aucune inscription au nom de l'intéressé).", "never_held"),
    ("Titre de conduite : jamais obtenu selon la consultation du SNPC.", "never_held"),
    ("Permis de conduire n° 120745300812 délivré le 03/04/2012 par la préfecture de l'Aube, en cours de validité.",
     "valid"),
    ("Il présente un permis de conduire catégorie B obtenu en juin 2018, toujours en cours de validité.", "valid"),
    # scopes that are no status of today's licence
    ("Requérons l'annulation du permis de conduire avec interdiction de solliciter un nouveau permis pendant 6 mois.",
     None),
    ("Il y a lieu de prononcer à titre complémentaire la suspension du permis de conduire pour une durée de 4 mois.",
     None),
    ("Le conducteur présente son permis de conduire, obtenu le 15 mars 2019, ainsi que l'attestation d'assurance du "
     "véhicule en cours de validité.", None),
    ("Il n'a pas son permis de conduire sur lui et déclare l'avoir oublié à son domicile.", None),
]


@pytest.mark.parametrize("text,status", CASES)
def test_licence_status_by_holding_and_scope(text, status):
    assert predict(text, LIMITS)["licence_status"] == status
