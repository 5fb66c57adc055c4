"""`orient PATH...` proposes as soon as the pages are read and in the full-text index; the dense vectors follow.
The proposal is the one the old order (embedding first) gives, and nothing is left half done (fakes: memory store,
hash embedder)."""
from __future__ import annotations

import json

from api.orienting import orient_files
from core.protocols import SearchFilter
from tests.conftest import EXAMPLES

FILE = EXAMPLES / "route-001-margin_zone"
SAME = ("facts", "derived", "orientation", "trace", "missing", "warnings", "constraints", "grid", "display")


def test_the_proposal_comes_before_any_dense_vector_and_is_the_proposal_of_the_old_order(fake_services,
                                                                                      monkeypatch):
    sv = fake_services
    real, calls = sv.embedder.embed_passages, []
    monkeypatch.setattr(sv.embedder, "embed_passages", lambda texts: calls.append(len(texts)) or real(texts))
    seen = {}

    def at_proposal(proposal, report):
        seen["embedding_calls"] = len(calls)
        seen["embedded"] = sv.store.count(SearchFilter(dossier_id="early", embedded=True))
        seen["notice"] = sv.search.indexing("early").message
        seen["stored"] = [d.status for d in report.documents]

    early = orient_files(sv, [FILE], "early", "TJ Paris", on_proposal=at_proposal, before_embedding=True)
    assert seen["embedding_calls"] == 0 and seen["embedded"] == 0  # nothing embedded when the proposal exists
    assert seen["notice"].startswith("Recherche plein texte seulement")
    assert set(seen["stored"]) == {"stored"}
    assert sv.search.indexing("early") is None  # then fully embedded
    assert sv.store.count(SearchFilter(dossier_id="early", embedded=False)) == 0
    assert early.proposed_s <= early.embedded_s

    old = orient_files(sv, [FILE], "old", "TJ Paris", before_embedding=False)
    assert early.proposal["orientation"]["code"] == json.loads((FILE / "gold.json").read_text())[
        "expected_orientation"]
    assert json.dumps({k: early.proposal[k] for k in SAME}, sort_keys=True) == \
        json.dumps({k: old.proposal[k] for k in SAME}, sort_keys=True)


def test_the_setting_keeps_the_old_order(fake_settings):
    from api.services import Services

    fake_settings.orientation.propose_before_embedding = False
    sv = Services(fake_settings)
    try:
        def at_proposal(proposal, report):
            assert sv.search.indexing("wait") is None  # embedded before the proposal

        run = orient_files(sv, [FILE], "wait", "TJ Paris", on_proposal=at_proposal)
        assert run.before_embedding is False
    finally:
        sv.close()


def test_a_proposal_that_fails_still_leaves_the_ingested_pieces_embedded(fake_services, monkeypatch):
    import pytest

    from core.errors import NotFound

    def fails(dossier_id):
        raise NotFound("Aucun document exploitable dans ce dossier.", param="dossier")

    monkeypatch.setattr(fake_services.orientation, "propose", fails)
    with pytest.raises(NotFound):
        orient_files(fake_services, [FILE], "echec", "TJ Paris", before_embedding=True)
    assert fake_services.search.indexing("echec") is None
    assert fake_services.store.count(SearchFilter(dossier_id="echec", embedded=True)) > 0
