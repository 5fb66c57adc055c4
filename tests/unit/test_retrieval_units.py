from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.models import Chunk
from core.protocols import SearchFilter
from retrieval.fusion import fuse
from retrieval.normalize import normalize_query
from retrieval.stores.common import filter_terms


@dataclass
class P:
    id: str
    score: float
    payload: dict


def _payload(i: str) -> dict:
    return Chunk(id=i, dossier_id="d", document_id="doc", cote="D1", page=1, text=i, char_start=0,
                 char_end=1).model_dump(mode="json")


def test_weighted_rrf_arithmetic():
    legs = {"dense": [P("a", 0.9, _payload("a")), P("b", 0.8, _payload("b"))],
            "bm25": [P("b", 7.0, _payload("b")), P("c", 5.0, _payload("c"))]}
    out = fuse(legs, {"dense": 2.0, "bm25": 1.0}, 60, 10)
    scores = {s.chunk.id: s.score for s in out}
    assert scores["a"] == pytest.approx(2 / 61)
    assert scores["b"] == pytest.approx(2 / 62 + 1 / 61)
    assert scores["c"] == pytest.approx(1 / 62)
    assert [s.chunk.id for s in out] == ["b", "a", "c"]
    assert out[0].scores == {"dense": 0.8, "bm25": 7.0, "fused": pytest.approx(2 / 62 + 1 / 61)}


def test_filters_always_start_with_the_dossier():
    terms = filter_terms(SearchFilter(dossier_id="d", cotes=["D1"], page_min=2, ocr=True))
    assert terms[0] == ("dossier_id", "eq", "d")
    assert ("cote", "in", ["D1"]) in terms and ("page", "range", (2, None)) in terms
    with pytest.raises(ValueError):
        filter_terms(SearchFilter(dossier_id=""))


def test_query_normalisation():
    assert normalize_query("  l’ITT   de\u00a0la victime ") == "l'ITT de la victime"


def test_the_fake_store_and_fusion_load_no_qdrant_library():
    import subprocess
    import sys

    code = ("import sys, retrieval.stores.memory, retrieval.fusion; "
            "print(sorted(m for m in ('qdrant_edge', 'qdrant_client') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
