"""Setting or correcting a cote after ingestion (fakes: memory store, hash embedder)."""
from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.protocols import SearchFilter
from ingestion.convert import text_to_pdf
from ingestion.recote import set_cote
from tests.conftest import EXAMPLES


def _ingest_without_cote(sv, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text_to_pdf("Note de l'enquêteur sans tampon.\nLe véhicule a été restitué le lendemain.", folder / "note.pdf")
    report = sv.ingestor.ingest([folder, EXAMPLES / "route-002-recidivism" / "D5_fnpc.pdf"], "dossier-x")
    return {d.file: d for d in report.documents}


def _set(sv, doc_id, cote):
    return set_cote(sv.catalog, sv.store, sv.embedder, sv.sparse, doc_id, cote)


def test_a_missing_cote_is_set_on_the_document_its_chunks_and_the_store(fake_services, tmp_path):
    docs = _ingest_without_cote(fake_services, tmp_path)
    note = docs["note.pdf"]
    assert note.cote is None
    updated, previous = _set(fake_services, note.document_id, " d 07 ")
    assert (updated.cote, previous) == ("D7", None)
    assert not any(w.startswith("Aucune cote") for w in updated.warnings)
    assert {c.cote for c in fake_services.catalog.chunks(note.document_id)} == {"D7"}
    flt = SearchFilter(dossier_id="dossier-x", cotes=["D7"])
    assert fake_services.store.count(flt) == len(fake_services.catalog.chunks(note.document_id)) > 0
    hits = fake_services.search.search("véhicule restitué", SearchFilter(dossier_id="dossier-x"), 3)
    assert hits[0].chunk.cote == "D7"


def test_a_wrong_cote_is_corrected_and_the_old_one_leaves_the_store(fake_services, tmp_path):
    docs = _ingest_without_cote(fake_services, tmp_path)
    fnpc = docs["D5_fnpc.pdf"]
    _set(fake_services, fnpc.document_id, "D9")
    assert fake_services.store.count(SearchFilter(dossier_id="dossier-x", cotes=["D5"])) == 0
    assert fake_services.store.count(SearchFilter(dossier_id="dossier-x", cotes=["D9"])) > 0


@pytest.mark.parametrize("value, message", [("zz", "n'est pas une cote"), ("D5", "déjà celle de « D5_fnpc.pdf »")])
def test_a_cote_that_is_not_one_or_is_taken_is_refused_and_nothing_changes(fake_services, tmp_path, value, message):
    docs = _ingest_without_cote(fake_services, tmp_path)
    note = docs["note.pdf"]
    with pytest.raises(InvalidInput, match=message):
        _set(fake_services, note.document_id, value)
    assert fake_services.catalog.document(note.document_id).cote is None
    assert {c.cote for c in fake_services.catalog.chunks(note.document_id)} == {None}
