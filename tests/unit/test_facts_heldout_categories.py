"""The categories of meaning a held-out corpus by another author showed missing (B1 layouts, recidivism set aside,
screening results, refusals stated as accepted, licence in prose, drugs confirmation, blood units, ticket tables,
dates in words, getaways without « délit de fuite »). Values are asserted, never one exact sentence."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.facts_eval import predict, score
from orientation.grid import load_limits

EXTRA = Path(__file__).resolve().parents[1] / "data" / "wording_variations_extra.jsonl"
LIMITS = load_limits()


def _facts(text: str) -> dict:
    return predict(text, LIMITS)


def test_extra_wording_corpus_is_read():
    rows = [json.loads(x) for x in EXTRA.read_text(encoding="utf-8").splitlines() if x.strip()]
    got = score([(predict(r["text"], LIMITS), r["facts"]) for r in rows])
    assert got["ALL"]["f1"] >= 0.70, got["ALL"]


@pytest.mark.parametrize("text", [
    "Son casier judiciaire est vierge.",
    "Extrait B1 : aucune mention.",
    "Le bulletin numéro 1 de l'intéressé ne comporte aucune condamnation.",
])
def test_an_empty_record_in_prose_rules_recidivism_out(text):
    got = _facts(text)
    assert got["prior_convictions"] == []
    assert got["legal_recidivism"] is False


@pytest.mark.parametrize("text", [
    "Compte tenu de la date de la précédente condamnation, l'état de récidive légale ne peut être retenu.",
    "L'ancienneté de la condamnation rend inapplicables les dispositions relatives à la récidive.",
    "Le prévenu n'est pas en état de récidive légale.",
    "La circonstance de récidive légale n'est pas caractérisée en l'espèce.",
])
def test_recidivism_set_aside_is_false(text):
    assert _facts(text)["legal_recidivism"] is False


@pytest.mark.parametrize("text", [
    "Récidiviste, déjà condamné en 2021 pour conduite sous stupéfiants, il a été interpellé dimanche.",
    "Le prévenu, multirécidiviste, comparaissait libre.",
])
def test_press_recidivist_is_true(text):
    assert _facts(text)["legal_recidivism"] is True


@pytest.mark.parametrize("text, want", [
    ("Le dépistage de l'imprégnation alcoolique par éthylotest électronique est négatif.", True),
    ("Dépist. alcool. (éthylotest) : NÉGATIF", True),
    ("Éthylotest électronique — résultat : 0,00", True),
    ("Le dépistage alcoolique s'avère positif.", False),
    ("Il a accepté de souffler dans l'éthylotest, le résultat étant positif.", False),
])
def test_screening_result_in_many_wordings(text, want):
    assert _facts(text)["alcohol_screening_negative"] is want


@pytest.mark.parametrize("text, key, want", [
    ("Le conducteur s'est prêté sans difficulté aux vérifications de l'état alcoolique.", "refusal_of_test", False),
    ("Le scooter s'est spontanément arrêté à notre signal.", "refusal_to_comply", False),
    ("Le conducteur fait demi-tour et accélère malgré nos injonctions de s'arrêter.", "refusal_to_comply", True),
    ("Ignorant le signe d'arrêt du gendarme, la conductrice poursuit son chemin.", "refusal_to_comply", True),
])
def test_refusals_stated_without_the_usual_words(text, key, want):
    assert _facts(text)[key] is want
