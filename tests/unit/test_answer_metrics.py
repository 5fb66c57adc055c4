"""Answer metrics score content (numbers, names, words), citations and abstention, never one exact sentence."""
from __future__ import annotations

import pytest

from evals.metrics import NothingToScore, abstention_prf, answer_content_correct, citation_hit, qa_numbers


def test_numbers_are_compared_as_values_whatever_their_writing():
    assert {"1200", "0.86", "3"} <= qa_numbers("1 200 euros, 0,86 mg/L, trois condamnations")
    assert "0.86" in qa_numbers("Taux retenu : 0.860 mg/L")


@pytest.mark.parametrize("answer, ok", [
    ("3 individus — « Il a vu trois individus près de la Peugeot 308. » (D7 p.1)", True),
    ("« Il a vu deux individus près de la Peugeot 308. » (D7 p.1)", False),    # wrong number
    ("« Jean FAUCHEUX a vu des individus près de la Peugeot 308. » (D7 p.1)", False),  # number missing
])
def test_a_count_answer_is_right_only_with_the_reference_number(answer, ok):
    assert answer_content_correct(answer, "trois individus") is ok


def test_names_of_the_reference_must_be_present():
    assert answer_content_correct("Nora BROUILLAC — « c'est Nora BROUILLAC qui a frappé »", "Nora BROUILLAC")
    assert not answer_content_correct("Sofia BROUILLAC — « Sofia BROUILLAC a frappé »", "Nora BROUILLAC")
    # the administrative order (surname first) names the same person; another first name is still another person
    assert answer_content_correct("« l'empreinte de l'index droit de : BROUILLAC Nora, née le 2 mai 2001 »",
                                  "À Nora BROUILLAC")
    assert not answer_content_correct("« l'empreinte de l'index droit de : BROUILLAC Sofia, née le 2 mai 2001 »",
                                      "À Nora BROUILLAC")


def test_citation_hit_and_abstention_precision_recall():
    assert citation_hit([("D7", 1)], [("D7", 1), ("D9", 2)]) and not citation_hit([("D7", 2)], [("D7", 1)])
    scores = abstention_prf([(True, True), (True, False), (False, True), (False, False)])
    assert scores["precision"] == 0.5 and scores["recall"] == 0.5
    with pytest.raises(NothingToScore):
        abstention_prf([(False, False)])
