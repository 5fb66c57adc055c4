from __future__ import annotations

import pytest

from core.ids import chunk_id, document_id
from core.models import Citation, format_citations, normalize_cote
from core.settings import Settings
from core.text import int_to_words, normalize_for_match, parse_decimal, words_to_int


def test_citation_formats_page_and_slash_styles():
    c = Citation(cote="D12", page=3)
    assert c.format() == "(D12 p.3)"
    assert c.format("slash") == "(D12/3)"


def test_format_citations_merges_and_deduplicates():
    cs = [Citation(cote="D3", page=1), Citation(cote="D4", page=2), Citation(cote="D3", page=1)]
    assert format_citations(cs) == "(D3 p.1 ; D4 p.2)"


def test_ids_are_content_derived_and_stable():
    assert document_id("dos", "abc") == document_id("dos", "abc")
    assert document_id("dos", "abc") != document_id("autre", "abc")
    assert chunk_id("doc", 2, 5) == "doc-p0002-c005"


@pytest.mark.parametrize("raw,expected", [("d 012", "D12"), ("B4", "B4"), ("E3", None), ("", None), ("D12a", None)])
def test_normalize_cote_never_guesses(raw, expected):
    assert normalize_cote(raw) == expected


def test_settings_precedence_arguments_then_env_then_yaml(tmp_path, monkeypatch):
    yaml_file = tmp_path / "conf.yaml"
    yaml_file.write_text("retrieval:\n  k: 3\n  prefetch: 11\nllm:\n  model: from-yaml\n")
    monkeypatch.setenv("MAP_CONFIG", str(yaml_file))
    monkeypatch.setenv("MAP_RETRIEVAL__K", "5")
    s = Settings()
    assert (s.retrieval.k, s.retrieval.prefetch, s.llm.model) == (5, 11, "from-yaml")
    assert Settings(retrieval={"k": 9}).retrieval.k == 9


def test_settings_refuse_placeholder_secret_in_production():
    with pytest.raises(ValueError):
        Settings(environment="production")


def test_masked_configuration_hides_secrets():
    dumped = Settings(llm={"api_key": "s3cret"}).masked()
    assert "s3cret" not in str(dumped)


def test_french_number_words_round_trip():
    for n in (0, 1, 17, 21, 62, 71, 80, 99, 434):
        assert words_to_int(int_to_words(n)) == n


def test_normalisation_unifies_decimals_and_plates():
    assert normalize_for_match("0,62 mg/l") == normalize_for_match("0.62 mg/l")
    assert normalize_for_match("AB-123-CD") == normalize_for_match("ab 123 cd")
    assert parse_decimal("1 250,5") == 1250.5


def test_page_citation_prefers_the_document_cote_over_a_page_stamp():
    from core.citation import page_citation
    from core.models import Page

    stamped = Page(document_id="d", number=4, text="x", cote="D12", cote_page=3)
    # The manifest (or the greffier's correction) named the piece D3: a stale D12 stamp gives neither cote nor page.
    assert page_citation("D3", stamped) == ("D3", 4)
    # The stamp agrees with the document: the page within the cote is cited.
    assert page_citation("D12", stamped) == ("D12", 3)
    # A file holding several pieces has no cote of its own: each page is cited by its stamp.
    assert page_citation(None, stamped) == ("D12", 3)
    assert page_citation(None, Page(document_id="d", number=2, text="x")) == (None, 2)


def test_logs_are_json_lines_with_the_request_id_and_no_case_content_at_info():
    import io
    import json
    import logging

    from core.log import configure_logging, request_context

    stream = io.StringIO()
    first = configure_logging("DEBUG", stream)
    handler = configure_logging("DEBUG", stream)
    try:
        assert first not in logging.getLogger().handlers  # idempotent: the first handler was replaced
        log = logging.getLogger("test.core.log")
        question = "Quel est le taux d'alcoolémie de Yasmine GERVAISOT ?"
        with request_context("req-42"):
            log.info("ask.answered", extra={"fields": {"dossier": "tj-paris|d1", "sentences": 2},
                                            "case": {"question": question}})
            log.debug("ask.candidates", extra={"case": {"question": question}})
            try:
                raise RuntimeError("boom")
            except RuntimeError:
                log.exception("request.failed")
        log.warning("outside")
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    info, debug, error, outside = lines
    assert info["event"] == "ask.answered" and info["request_id"] == "req-42" and info["level"] == "info"
    assert info["dossier"] == "tj-paris|d1" and info["sentences"] == 2
    assert "GERVAISOT" not in json.dumps(info) and "GERVAISOT" not in json.dumps(error)
    assert debug["case"]["question"] == question  # case content only at DEBUG
    assert error["error"]["type"] == "RuntimeError" and "boom" in error["error"]["traceback"]
    assert outside["request_id"] is None
