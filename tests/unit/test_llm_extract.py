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


def test_a_reply_cut_by_the_token_limit_reads_as_too_long_in_french():
    from openai import LengthFinishReasonError
    from openai.types.chat import ChatCompletion

    from core.errors import UpstreamBadResponse
    from generation.llm import OpenAIChatModel

    class CutServer:  # ChatOpenAI as it behaves when the JSON reply reaches max_tokens
        def bind(self, **_):
            return self

        def invoke(self, _messages):
            raise LengthFinishReasonError(completion=ChatCompletion.model_construct(usage=None))

    model = OpenAIChatModel("http://127.0.0.1:9/v1", "m", "k", 1.0, 512, 0.0)
    model._llm = CutServer()
    try:
        model.complete("s", "u", json_schema=schema())
        raise AssertionError("a cut reply must not pass as an answer")
    except UpstreamBadResponse as exc:
        cut = exc
    assert cut.code == "llm_reponse_tronquee" and "512" in cut.message
    for llm in (model, FakeChatModel([cut])):
        added, warnings = propose_missing(llm, _views(), extract(_views()))
        assert added == {} and len(warnings) == 1
        assert "incomplète" in warnings[0] and "trop longue" in warnings[0] and "llm.max_tokens" in warnings[0]
        assert "Error" not in warnings[0] and "Upstream" not in warnings[0]  # no class name shown to the magistrate
