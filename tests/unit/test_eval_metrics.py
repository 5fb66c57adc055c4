from __future__ import annotations

import pytest

from evals.baseline import cited_sentences
from evals.metrics import NothingToScore, mrr, prf, recall_at_k
from evals.runner import check_thresholds, compare, score_sentences


def test_a_metric_with_nothing_to_score_raises_instead_of_nan():
    with pytest.raises(NothingToScore):
        recall_at_k([], 5)
    with pytest.raises(NothingToScore):
        prf(0, 0, 0, "x")
    with pytest.raises(NothingToScore):
        score_sentences([], {}, 0.5)


def test_rank_metrics():
    assert recall_at_k([1, 7, None], 5) == pytest.approx(1 / 3)
    assert mrr([1, 2, None]) == pytest.approx(0.5)


def test_citation_scores_use_the_code_checker_on_the_cited_page():
    pages = {("D1", 1): "Le témoin voit un scooter immatriculé AB-123-CD à 22h10.", ("D2", 1): "Perquisition."}
    sentences = [("Le témoin voit un scooter immatriculé AB-123-CD à 22h10.", [("D1", 1)]),
                 ("Le témoin voit un scooter immatriculé AB-123-CD à 23h10.", [("D1", 1)]),
                 ("Le témoin voit un scooter immatriculé AB-123-CD à 22h10.", [("D2", 1)])]
    scores = score_sentences(sentences, pages, 0.5)
    assert scores["citation_precision"] == pytest.approx(1 / 3)
    assert scores["unsupported_rate"] == pytest.approx(2 / 3)


def test_a_line_joining_clauses_of_two_pages_needs_both_citations_and_a_padding_page_is_imprecise():
    # the first page holds most of the line's words, so the overlap verifier alone would call the second one useless
    pages = {("D8", 1): "Le téléphone dérobé a été réactivé le 14 juin 2025 à 22h11 avec une carte SIM attribuée à "
                        "Sofia MARTEL, domiciliée à Neuville.",
             ("D8", 2): "Le téléphone a borné sur le relais couvrant le domicile.",
             ("D9", 1): "Le téléphone est remis sous scellé."}
    line = ("Le téléphone dérobé a été réactivé le 14 juin 2025 à 22h11 avec une carte SIM attribuée à Sofia "
            "MARTEL ; le téléphone a borné sur le relais couvrant le domicile.")
    assert score_sentences([(line, [("D8", 1), ("D8", 2)])], pages, 0.5)["citation_precision"] == 1.0
    assert score_sentences([(line, [("D8", 1), ("D8", 2), ("D9", 1)])], pages, 0.5)["citation_precision"] == \
        pytest.approx(2 / 3)


def test_baseline_citations_are_parsed_from_free_text():
    got = cited_sentences("La victime a une ITT de 15 jours (D3 p.1). Le suspect nie (D14/2).")
    assert got == [("La victime a une ITT de 15 jours.", [("D3", 1)]), ("Le suspect nie.", [("D14", 2)])]


def test_thresholds_and_compare():
    results = {"systems": {"ours": {"unsupported_rate": 0.02, "citation_precision": 0.99}}}
    failures = check_thresholds(results, {"unsupported_rate": ("<=", 0.01), "citation_precision": (">=", 0.95),
                                          "orientation_accuracy": (">=", 1.0)})
    assert len(failures) == 2
    after = {"systems": {"ours": {"unsupported_rate": 0.0, "citation_precision": 0.99}}}
    assert ("unsupported_rate", 0.02, 0.0, -0.02) in compare(results, after)


def test_hand_made_jsonl_sets_are_evaluated_with_the_same_metrics(fake_services, tmp_path):
    import json
    import shutil

    from evals.runner import run
    from tests.conftest import EXAMPLES

    dataset = tmp_path / "set"
    shutil.copytree(EXAMPLES / "instruction-000", dataset / "affaire-a", ignore=shutil.ignore_patterns("gold.json"))
    gold = json.loads((EXAMPLES / "instruction-000" / "gold.json").read_text())
    q = gold["questions"][0]
    kf = gold["key_facts"][0]
    (dataset / "questions.jsonl").write_text(json.dumps({
        "dossier": "affaire-a", "question": q["question"], "reference_answer": q["answer"],
        "gold_citations": [{"cote": s["cote"], "page": s["page"]} for s in q["sources"]],
        "gold_facts": [{"text": kf["text"], "cote": kf["source"]["cote"], "page": kf["source"]["page"],
                        "needle": kf["source"]["needle"]}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    results = run(fake_services, dataset, with_baseline=False)
    ours = results["systems"]["ours"]
    assert {"citation_precision", "unsupported_rate", "key_fact_recall", "answer_correctness",
            "retrieval_recall_at_10"} <= set(ours)
    assert "orientation_accuracy" not in ours


def test_precision_or_recall_with_nothing_to_measure_is_none_never_one():
    # nothing predicted, three to find: precision has nothing to measure, the score is no success
    silent = prf(0, 0, 3, "x")
    assert silent["precision"] is None and silent["recall"] == 0.0 and silent["f1"] == 0.0
    # two predicted, nothing to find: recall has nothing to measure
    invented = prf(0, 2, 0, "x")
    assert invented["recall"] is None and invented["precision"] == 0.0 and invented["f1"] == 0.0
    assert prf(2, 1, 1, "x")["f1"] == pytest.approx(2 / 3, abs=1e-4)


def test_facts_scores_with_nothing_predicted_are_not_perfect():
    from evals.facts_eval import _prf

    scores = _prf({"tp": 0, "fp": 0, "fn": 4})
    assert scores["precision"] is None and scores["f1"] == 0.0 and scores["fn"] == 4


def test_report_and_gate_say_nothing_to_measure_in_words(tmp_path):
    from evals.report import write_report

    results = {"dataset": "d", "model": "m", "per_case": {"ours": {}, "baseline": {}}, "latency": {},
               "systems": {"ours": {"abstention_precision": None, "abstention_recall": 1.0},
                           "baseline": {"abstention_precision": 0.5}}}
    write_report(results, tmp_path, [])
    report = (tmp_path / "report.md").read_text()
    assert "rien à mesurer" in report and "None" not in report
    failures = check_thresholds(results, {"abstention_precision": (">=", 0.9)})
    assert failures == ["abstention_precision: rien à mesurer"]


def test_judged_metrics_fall_back_to_ragas_english_prompts_when_the_judge_cannot_adapt_them():
    import asyncio
    import warnings

    from evals.ragas_adapter import _adapted

    class Metric:
        name = "faithfulness"

        def __init__(self, fails: bool) -> None:
            self.fails, self.prompts = fails, {"statements": "english"}

        async def adapt_prompts(self, language, llm):
            if self.fails:
                raise ValueError("the judge's reply is no JSON")
            return {"statements": language}

        def set_prompts(self, **prompts):
            self.prompts.update(prompts)

    broken, working = Metric(fails=True), Metric(fails=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert asyncio.run(_adapted(broken, llm=None)) is False
    assert broken.prompts == {"statements": "english"}, "the English prompts stay in place"
    assert any("prompts anglais" in str(w.message) for w in caught)
    assert asyncio.run(_adapted(working, llm=None)) is True
    assert working.prompts == {"statements": "french"}


def test_citation_precision_with_nothing_cited_is_nothing_to_measure(capsys):
    import sys
    from collections import defaultdict
    from types import SimpleNamespace

    from evals.runner import _summarise
    from tests.conftest import ROOT

    pages = {("D1", 1): "Le témoin voit un scooter immatriculé AB-123-CD à 22h10."}
    uncited = score_sentences([("Le témoin voit un scooter.", [])], pages, 0.5)
    assert uncited["citation_precision"] is None and uncited["unsupported_rate"] == 1.0
    # averaged over dossiers: the dossier without citations is left out, not counted as 0
    cited = score_sentences([("Le témoin voit un scooter immatriculé AB-123-CD à 22h10.", [("D1", 1)])], pages, 0.5)
    agg = {"ours": defaultdict(list), "baseline": defaultdict(list)}
    for scores in (cited, uncited):
        agg["ours"]["citation_precision"].append(scores["citation_precision"])
    agg["baseline"]["citation_precision"].append(uncited["citation_precision"])
    latency = {name: defaultdict(list) for name in agg}
    out = _summarise("d", agg, latency, [], {}, SimpleNamespace(llm=None), {})
    assert out["systems"]["ours"]["citation_precision"] == 1.0
    assert out["systems"]["baseline"]["citation_precision"] is None
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _common import print_table

    print_table("t", ["set", "abstention P"], [["dev", None]])
    assert "rien à mesurer" in capsys.readouterr().out


def test_the_evaluators_strike_list_knows_the_formulas_it_once_missed():
    """Formulas a fifth author's dossier carried into a synthèse that this list scored 0 % boilerplate."""
    from evals.metrics import is_struck
    for formula in ("Qui, après avoir prêté serment de dire toute la vérité, rien que la vérité, nous déclare.",
                    "Rappel est fait du droit au silence.",
                    "Rapportons les opérations suivantes, effectuées sous notre direction.",
                    "Elle poursuit. Question : Pourriez-vous reconnaître vos agresseurs ?",
                    "Le 13/09/2026 à 11h30, devant nous, Brigadier-chef LEMAIRE, OPJ, comparaît Mme Nadia KESSLAR.",
                    "13/09 00:49 SMS sortant 06 00 00 00 00 vers la borne du Quai de la Tannerie."):
        assert is_struck(formula), formula
    for fact in ("L'incapacité totale de travail est fixée à vingt et un jours.",
                 "Il reconnaît avoir porté deux coups de couteau à la victime devant le bar.",
                 "À 00 h 49, la ligne de M. ROUSSEL envoie un SMS et déclenche la borne du quai."):
        assert not is_struck(fact), fact
