"""Drafting through the real OpenAI-compatible path: the bundled GGUF on loopback, a dead server, a mute one."""
from __future__ import annotations

import socket

import pytest

from core.settings import DraftingSettings, LLMSettings
from generation.drafting import Drafter
from generation.llm import ManagedChatModel, OpenAIChatModel

pytestmark = pytest.mark.integration


def _drafter(real_services, llm):
    return Drafter(real_services.catalog, real_services.search, llm, DraftingSettings(llm_mode="always"))


def test_embedded_model_drafts_through_chatopenai_and_nothing_unverified_is_shown(real_services, tmp_path):
    llm = ManagedChatModel(LLMSettings(max_tokens=200, timeout_s=60), tmp_path / "llm.log")
    try:
        draft = _drafter(real_services, llm).stream("instruction-000", "resume", cote="D3")
    finally:
        llm.close()
    sentences = [s for sec in draft.sections for s in sec.sentences]
    assert sentences and all(s.citations for s in sentences)
    assert {s.status for s in sentences} <= {"supported", "fallback"}


def test_dead_server_falls_back_to_cited_extracts_with_a_warning(real_services):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    llm = OpenAIChatModel(f"http://127.0.0.1:{port}/v1", "x", "k", 2.0, 50, 0.0)
    draft = _drafter(real_services, llm).stream("instruction-000", "synthese")
    assert any("indisponible" in w for w in draft.warnings)
    sentences = [s for sec in draft.sections for s in sec.sentences]
    assert sentences and all(s.citations and s.status == "fallback" for s in sentences)


def test_mute_server_times_out_and_falls_back(real_services):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        llm = OpenAIChatModel(f"http://127.0.0.1:{port}/v1", "x", "k", 1.0, 50, 0.0)
        answer = _drafter(real_services, llm).ask("instruction-000", "Quelle est la durée de l'ITT de la victime ?")
    assert answer["status"] == "answered" and answer["sentences"][0]["status"] == "fallback"


def test_sentences_stream_as_soon_as_verified(real_services):
    seen = []
    draft = real_services.drafter.stream("instruction-000", "detention", on_sentence=lambda t, s: seen.append((t, s)))
    assert len(seen) == sum(len(sec.sentences) for sec in draft.sections)
    assert any(s.status == "a_completer" for _, s in seen)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="the bundled 135M model does not close the 18-fact JSON: 400 tokens end in "
                   "LengthFinishReasonError, 1,000+ tokens in a 600 s timeout (measured 2 Dec 2026); the old version "
                   "of this test passed anyway, on the « Extraction assistée indisponible » warning")
def test_llm_fact_extractor_through_the_embedded_server_with_a_json_schema(real_services, tmp_path):
    from core.text import normalize_for_match
    from orientation.extract import extract, page_views
    from orientation.llm_extract import propose_missing, schema

    catalog = real_services.catalog
    docs = catalog.documents("route-001-margin_zone")
    views = page_views([(d, catalog.pages(d.id)) for d in docs])
    facts = extract(views)
    llm = ManagedChatModel(LLMSettings(max_tokens=400, timeout_s=120), tmp_path / "llm.log")
    schemas = []

    class Recording:
        model_id = llm.model_id

        def complete(self, system, user, *, json_schema=None):
            schemas.append(json_schema)
            return llm.complete(system, user, json_schema=json_schema)

    try:
        added, warnings = propose_missing(Recording(), views, facts)
    finally:
        llm.close()
    # The old test passed on any run that raised nothing (an empty result, a reply that was not JSON): the model
    # must have been asked with the schema and its reply read; whatever it adds is a fact the rules missed, quoted
    # word for word from the page it cites.
    assert schemas == [schema()]
    assert not any("indisponible" in w for w in warnings), warnings
    for key, fact in added.items():
        source = fact.sources[0]
        page = next(v for v in views if v.cote == source.cote and v.number == source.page)
        assert facts[key] is None and normalize_for_match(source.quote) in normalize_for_match(page.flat)
