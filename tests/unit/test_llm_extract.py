from __future__ import annotations

import json

from core.models import Page, SourceDocument
from generation.llm import FakeChatModel
from orientation.extract import extract, page_views
from orientation.llm_extract import propose_missing, schema

TEXT = ("Procès-verbal. Le conducteur a été contrôlé le 3 mars 2026 à 22h10. Résultat : véhicule assuré. "
        "Le véhicule a quitté les lieux sans s'arrêter après avoir touché un rétroviseur.")


def _views():
    doc = SourceDocument(id="d1", dossier_id="x", cote="D1", sha256="s", filename="D1.pdf")
    return page_views([(doc, [Page(document_id="d1", number=1, text=TEXT)])])


def _reply(**facts):
    keys = schema()["required"]
    return json.dumps({k: facts.get(k, {"value": None, "quote": None}) for k in keys})


def test_llm_fills_a_missing_fact_only_with_a_quote_found_on_a_page():
    views = _views()
    facts = extract(views)
    facts["hit_and_run"] = None  # a fact the rules did not find (they do read this sentence)
    llm = FakeChatModel([_reply(hit_and_run={"value": True, "quote": "a quitté les lieux sans s'arrêter"})])
    added, warnings = propose_missing(llm, views, facts)
    assert added["hit_and_run"].value is True and added["hit_and_run"].sources[0].cote == "D1"
    assert any("à confirmer" in w for w in warnings)


def test_llm_never_overrides_rules_and_invented_quotes_are_dropped():
    views = _views()
    facts = extract(views)
    assert facts["no_insurance"].value is False
    llm = FakeChatModel([_reply(no_insurance={"value": True, "quote": "véhicule non assuré"},
                                victim_itt_days={"value": 12, "quote": "ITT de douze jours"})])
    added, warnings = propose_missing(llm, views, facts)
    assert added == {}
    assert any("Conflit" in w for w in warnings) and any("introuvable" in w for w in warnings)


def test_llm_failure_leaves_the_rules_alone():
    added, warnings = propose_missing(FakeChatModel(["pas du JSON"]), _views(), extract(_views()))
    assert added == {} and "indisponible" in warnings[0]
